"""The construct corpus: fixture files in markdown-it-py's style, and what a case becomes.

A fixture file (``tests/fixtures/constructs/*.md``) starts with free text (what it covers),
then holds cases::

    ## name of case
    xfail: why today's behaviour is wrong     (optional: the case is a known bug)
    // a comment                              (optional, any number)
    docx: smallCaps                           (optional: run properties its DOCX text uses)
    css: .smallcaps                           (optional: selectors the page's stylesheet styles)
    .
    <Markdown input: one section's body>
    .
    <expected>
    .

``<expected>`` is one line per diagnostic the section gets, ``error[CODE] LINE:COL`` (or
``warning[…]``, ``info[…]``; LINE:COL relative to the section body, whose first line is
the input's first), in any order; then, when no line is an error (the case is rendered),
the HTML the input becomes inside the screen page's ``<main>``: the section's blocks,
then the endnote list when there are notes. HTML is compared normalised
(:func:`normalise_html`): line breaks between tags removed, a figure's ``data:`` URI
replaced by ``IMG``, no-break spaces written as ``&#160;`` so that they can be seen.

A ``//`` comment says why a case whose markup characters are shown (``a) one``, a lone
backtick) is right: CommonMark or Pandoc reads them as text, so nothing is lost or leaked.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO, write_project

FIXTURES = REPO / "tests" / "fixtures" / "constructs"
SECTION = "sections/01-intro.md"
FRONT = "---\nid: {id}\n---\n"  # an untitled section (no <h1>); the body starts on file line 4
BODY_LINE = 4
_DIAGNOSTIC = re.compile(r"^(error|warning|info)\[([A-Z]+\d+)\] (\d+):(\d+)$")

REPORT_YAML = ("title: Construct Corpus\norganization: Test Org\nlanguage: en\ndate: 2024-05-01\n"
               "sections:\n{sections}\ncitation-style: templates/notes.csl\n")


@dataclass
class Case:
    file: str
    line: int  # of the "## name" line
    name: str
    source: str
    expected: str
    xfail: str | None = None
    comments: list[str] = field(default_factory=list)
    docx: list[str] = field(default_factory=list)  # run properties the case's DOCX text must use
    css: list[str] = field(default_factory=list)  # selectors the page's stylesheet must style

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def diagnostics(self) -> list[str]:
        """The expected diagnostic lines (errors, warnings, infos), in order."""
        return sorted((line.strip() for line in self.expected.splitlines() if _DIAGNOSTIC.match(line.strip())),
                      key=diagnostic_order)

    @property
    def html(self) -> str:
        """The expected ``<main>`` fragment, normalised ('' for a refused case)."""
        return normalise_html("\n".join(line for line in self.expected.splitlines()
                                        if not _DIAGNOSTIC.match(line.strip())))

    @property
    def refused(self) -> bool:
        """Whether the case expects an error (then nothing is rendered)."""
        return any(line.startswith("error[") for line in self.diagnostics)


def read_cases(path: Path) -> list[Case]:
    """Every case of a fixture file, named by file and line."""
    cases: list[Case] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("## "):
            i += 1
            continue
        start, name = i + 1, lines[i][3:].strip()
        xfail, comments, docx, css = None, [], [], []
        i += 1
        while i < len(lines) and lines[i] != ".":
            header = lines[i].strip()
            if header.startswith("xfail:"):
                xfail = header[len("xfail:"):].strip()
            elif header.startswith("//"):
                comments.append(header[2:].strip())
            elif header.startswith("docx:"):
                docx += header[len("docx:"):].split()
            elif header.startswith("css:"):
                css += header[len("css:"):].split()
            elif header:
                raise ValueError(f"{path.name}:{i + 1}: expected '.', 'xfail:', 'docx:', 'css:' or '//' in a case header")
            i += 1
        parts = []
        for _ in range(2):
            i += 1
            body = []
            while i < len(lines) and lines[i] != ".":
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                raise ValueError(f"{path.name}:{start}: case '{name}' is not closed with '.'")
            parts.append("\n".join(body))
        i += 1
        cases.append(Case(path.name, start, name, parts[0] + "\n", parts[1], xfail, comments, docx, css))
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(FIXTURES.glob("*.md")) for case in read_cases(path)]


def normalise_html(html: str) -> str:
    """``html`` without the line breaks between tags (the writer's and the fixture's; a
    space between two inline elements is kept), its images' data: URIs, and with no-break
    spaces shown as ``&#160;``."""
    html = re.sub(r'src="data:[^"]*"', 'src="IMG"', html)
    html = html.replace("\u00a0", "&#160;")
    return re.sub(r">[ \t]*\n\s*<", "><", html.strip())


def png(color=(200, 40, 40), size=(60, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


IMAGES = ("x", "a", "b", "c")


def write_case_project(root: Path, sources: dict[str, str], titled: bool = False) -> Path:
    """The minimal project (tests/conftest.py) whose sections are ``sources`` (file name →
    body), with small images images/{x,a,b,c}.png. A titled section gets its file name
    as title (to find it again in a combined output); an untitled one has none (no <h1>)."""
    listed = "\n".join(f"  - {name}" for name in sources)
    image = png()
    files: dict[str, str | bytes | None] = {"report.yaml": REPORT_YAML.format(sections=listed), SECTION: None}
    files.update({f"images/{stem}.png": image for stem in IMAGES})
    root.mkdir(parents=True, exist_ok=True)
    write_project(root, files)
    (root / "sections").mkdir(exist_ok=True)
    for name, body in sources.items():  # written as they are (write_project dedents)
        (root / "sections" / name).write_text(_front(name, titled) + body, encoding="utf-8")
    return root


def _front(name: str, titled: bool) -> str:
    if titled:
        return f"---\ntitle: {title_of(name)}\n---\n"
    return FRONT.format(id="s" + name.removesuffix(".md").replace(".", "-"))


def title_of(name: str) -> str:
    return "Case " + name.removesuffix(".md").replace("-", " ")


def section_diagnostics(diagnostics, path: str = SECTION, offset: int = BODY_LINE - 1) -> list[str]:
    """``error[CODE] LINE:COL`` for the diagnostics located in the section, LINE relative to its body."""
    return sorted((f"{d.severity.label}[{d.code}] {d.location.line - offset}:{d.location.col}"
                   for d in diagnostics if d.location.path == path), key=diagnostic_order)


def diagnostic_order(line: str) -> tuple:
    """Diagnostic lines in the order of their place in the source, then by kind and code."""
    match = _DIAGNOSTIC.match(line)
    return (int(match.group(3)), int(match.group(4)), match.group(1), match.group(2)) if match else (0, 0, line, "")


def other_errors(diagnostics, path: str = SECTION) -> list[str]:
    return [d.format() for d in diagnostics if d.location.path != path and d.severity.label == "error"]


def case_outcome(root: Path):
    """(diagnostics in the section, errors elsewhere, <main> HTML or None), in-process:
    report.build.check, then the screen page filled by the project's template."""
    from report.build import build_timestamp, check
    from report.errors import ReportError
    from report.render.base import RenderContext
    from report.render.html import document_html

    try:
        loaded, found = check(root)
    except ReportError as exc:  # a file too broken to read: no document
        return section_diagnostics(exc.diagnostics), other_errors(exc.diagnostics), None
    html = None
    if not any(d.severity.label == "error" for d in found):
        config = loaded.project.config
        page = document_html(loaded.document, RenderContext(config, build_timestamp(config)))
        html = main_fragment(page)
    return section_diagnostics(found), other_errors(found), html


def main_fragment(page: str) -> str:
    """The normalised content of ``<main>`` without the untitled section's wrapper."""
    inner = page[page.index("<main>") + len("<main>"):page.index("</main>")]
    inner = normalise_html(inner)
    opener = '<section class="section untitled">'
    if inner.startswith(opener):
        end = _section_end(inner)
        inner = inner[len(opener):end] + inner[end + len("</section>"):]
    return inner


def _section_end(html: str) -> int:
    """The index of the ``</section>`` closing the first one."""
    depth = 0
    for match in re.finditer(r"<section\b|</section>", html):
        depth += 1 if match.group(0) != "</section>" else -1
        if depth == 0:
            return match.start()
    raise ValueError("unclosed section")
