"""Every Markdown construct of CommonMark, GFM and Pandoc is rendered or refused, in all outputs.

The cases are the fixture files in tests/fixtures/constructs/ (format: tests/constructs/corpus.py),
one test per case, named by its fixture file and line. Each case is checked in its own
minimal project, in-process (report.build.check, then the page's <main> filled by the
project's template):

- a refused case: exactly the expected diagnostics in the section, and ``report.build.build``
  refuses with the same ones and writes nothing;
- a rendered case: exactly the expected warnings, the expected HTML fragment, and the
  case's text in the DOCX (document.xml and footnotes.xml ``w:t``) and the PDF (extracted
  text) carries no markup the HTML does not show (:func:`leaks`) and every word it shows
  (:func:`missing_words`).

The DOCX and PDF of all rendered cases come from one ``report build`` run (one titled
section per case, each section on a new page so that a page's text belongs to one case);
a case marked xfail is built on its own (a known bug may break a build). Two more CLI
runs put all refused cases in one project: ``report check`` and ``report build`` print
each case's diagnostics, located in its section file, and the build writes nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.constructs.corpus import (BODY_LINE, Case, all_cases, case_outcome, diagnostic_order, section_diagnostics,
                                     title_of, write_case_project)
from tests.constructs.outputs import docx_parts, html_text, pdf_pages

CASES = all_cases()
REPORT = Path(sys.executable).with_name("report")

# Markup characters and strings: one the case's Markdown holds and its HTML does not show
# (as text) is syntax, and must not reach the DOCX or the PDF either.
MARKERS = ("![", "](", "{#", "{.", "{-", "{=", ":::", "[^", "^[", "@fig-", "@tbl-", "@sec-", "@box-", "[@",
           "~~", "**", "__", "```", "~~~", "---", "===", "+--", "(@", "#.",
           "@", "*", "_", "`", "~", "^", "$", "\\", "<", ">", "|", "#", "{", "}", "[", "]", "%", "=", "+", '"')


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=f"{case.id} {case.name}", marks=marks)


def leaks(case: Case, text: str) -> list[str]:
    """The markers of ``case``'s Markdown that its expected HTML does not show but ``text`` holds."""
    shown = html_text(case.html)
    return [marker for marker in MARKERS if marker in case.source and marker not in shown and marker in text]


_CITES = re.compile(r"\[(?:[^\]]*?[\s;])?-?@(?!(?:fig|tbl|sec|box)-)\w", re.I)  # [@key] of a work, not a label


def missing_words(case: Case, text: str) -> list[str]:
    """Words the expected HTML shows that ``text`` lacks. Numbers are left out (a combined
    build numbers figures and notes across cases), and so are the notes of a case that
    cites a work (its position among the cases changes the style's wording: "Ibid.")."""
    html = re.sub(r'<h2 id="notes-title">.*?</h2>', "", case.html)  # the HTML's own heading for its notes
    if _CITES.search(case.source):
        html = re.sub(r'<section class="endnotes".*?</section>', "", html, flags=re.S)
    words = set(re.findall(r"[^\W\d_]{2,}", html_text(html)))
    found = set(re.findall(r"[^\W\d_]{2,}", text))
    return sorted(words - found)


@dataclass
class CaseOutputs:
    """What one case became in the DOCX and the PDF (its section's text, notes included)."""

    docx: str = ""
    pdf: str = ""
    docx_props: set[str] = field(default_factory=set)
    css: str = ""
    problem: str = ""  # why there are no outputs


def split_outputs(out_dir: Path, titles: dict[str, str]) -> dict[str, CaseOutputs]:
    """Each section's share of the DOCX and PDF in ``out_dir``, by the section title
    (``titles``: title → key). A page, a paragraph or a note belongs to the last section
    whose title started before it; the contents list is left out."""
    found = {key: CaseOutputs() for key in titles.values()}
    paragraphs, notes = docx_parts((out_dir / "report.docx").read_bytes())
    current = None
    for p in paragraphs:
        if p.text in titles and not p.style.upper().startswith("TOC"):
            current = found[titles[p.text]]
        elif current is not None:
            current.docx += p.text + "\n" + "".join(notes.get(n, "") + "\n" for n in p.notes)
            current.docx_props |= p.props
    current = None
    for page in pdf_pages((out_dir / "report.pdf").read_bytes()):
        first = page.strip().splitlines()[0].strip() if page.strip() else ""
        if first in titles:
            current = found[titles[first]]
        if current is not None:
            current.pdf += page + "\n"
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    css = "\n".join(re.findall(r"<style>(.*?)</style>", page, flags=re.S))
    for outputs in found.values():
        outputs.css = css
    return found


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(REPORT), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def combined(tmp_path_factory) -> dict[str, CaseOutputs]:
    """One ``report build`` of every rendered case (not marked xfail), one titled section
    each, every section starting a page; the outputs split by case id."""
    cases = [case for case in CASES if not case.refused and not case.xfail]
    names = {case.id: f"c{n:03d}.md" for n, case in enumerate(cases)}
    root = write_case_project(tmp_path_factory.mktemp("corpus-rendered"),
                              {names[case.id]: case.source for case in cases}, titled=True)
    with (root / "templates" / "report.css").open("a", encoding="utf-8") as css:
        css.write("\n/* the construct corpus: one case a page */\nsection.section { break-before: page; }\n")
    result = _run("build", "--project", str(root))
    if result.returncode != 0:
        problem = f"the combined build of the rendered cases failed:\n{result.stderr[-4000:]}"
        return {case.id: CaseOutputs(problem=problem) for case in cases}
    return split_outputs(root / "build" / "en" / "public", {title_of(names[case.id]): case.id for case in cases})


def _built_alone(root: Path) -> CaseOutputs:
    """A case's own build (DOCX, PDF, HTML), in-process."""
    from report.build import build
    from report.errors import ReportError

    try:
        result = build(root)
    except ReportError as exc:
        return CaseOutputs(problem="the build refused a case that check accepted:\n"
                           + "\n".join(d.format() for d in exc.diagnostics))
    return _whole(result.out_dir)


def _whole(out_dir: Path) -> CaseOutputs:
    """A one-section build's text (the title page's too: it holds no Markdown)."""
    paragraphs, notes = docx_parts((out_dir / "report.docx").read_bytes())
    outputs = CaseOutputs()
    for p in paragraphs:
        outputs.docx += p.text + "\n" + "".join(notes.get(n, "") + "\n" for n in p.notes)
        outputs.docx_props |= p.props
    outputs.pdf = "\n".join(pdf_pages((out_dir / "report.pdf").read_bytes()))
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    outputs.css = "\n".join(re.findall(r"<style>(.*?)</style>", page, flags=re.S))
    return outputs


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_construct(case: Case, tmp_path, request):
    root = write_case_project(tmp_path / "project", {"01-intro.md": case.source})
    found, elsewhere, html = case_outcome(root)
    assert elsewhere == [], f"errors outside the section: {elsewhere}"
    assert found == case.diagnostics, "the section's diagnostics"
    if case.refused:
        from report.build import build
        from report.errors import ReportError

        with pytest.raises(ReportError) as refused:
            build(root)
        assert section_diagnostics(refused.value.diagnostics) == case.diagnostics, "report build's diagnostics"
        written = [p for p in (root / "build").rglob("*") if p.is_file() and p.name != ".lock"]
        assert written == [], "a refused build wrote files"
        return
    assert html == case.html, "the HTML fragment"
    outputs = _built_alone(root) if case.xfail else request.getfixturevalue("combined")[case.id]
    assert not outputs.problem, outputs.problem
    for name, text in (("DOCX", outputs.docx), ("PDF", outputs.pdf)):
        assert leaks(case, text) == [], f"markup leaked into the {name}:\n{text}"
        assert missing_words(case, text) == [], f"words missing from the {name}:\n{text}"
    for prop in case.docx:
        assert prop in outputs.docx_props, f"the DOCX text has no w:{prop} (it has {sorted(outputs.docx_props)})"
    for selector in case.css:
        assert selector in outputs.css, f"the stylesheet does not style {selector}"


_LINE = re.compile(r"^sections/(c\d{3}\.md):(\d+):(\d+): (error|warning|info)\[([A-Z]+\d+)\]: .+$")


def _by_section(output: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        match = _LINE.match(line)
        if match:
            name, row, col, severity, code = match.groups()
            found.setdefault(name, []).append(f"{severity}[{code}] {int(row) - (BODY_LINE - 1)}:{col}")
    return {name: sorted(lines, key=diagnostic_order) for name, lines in found.items()}


def test_cli_refuses_every_refused_case(tmp_path):
    """``report check`` and ``report build`` on one project holding every refused case (not
    marked xfail), a section each: both exit 1 and print each case's diagnostics, in the
    ``path:line:col: error[CODE]: message (hint)`` form, located in its own section; the
    build writes nothing."""
    cases = [case for case in CASES if case.refused and not case.xfail]
    names = {f"c{n:03d}.md": case for n, case in enumerate(cases)}
    root = write_case_project(tmp_path / "project", {name: case.source for name, case in names.items()})
    expected = {name: case.diagnostics for name, case in names.items()}
    checked = _run("check", "--project", str(root))
    assert checked.returncode == 1, checked.stderr
    assert _by_section(checked.stderr) == expected
    shown = [line for line in checked.stderr.splitlines() if line.startswith("sections/")]
    assert all(_LINE.match(line) for line in shown), shown
    built = _run("build", "--project", str(root))
    assert built.returncode == 1, built.stderr
    assert _by_section(built.stderr) == expected
    written = [p for p in (root / "build").rglob("*") if p.is_file() and p.name != ".lock"] if (root / "build").exists() else []
    assert written == []
