"""Each broken project ends in one located diagnostic line and exit status 1, no traceback."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from report.cli import main

SECTION = "sections/01-intro.md"

CASES = {
    "malformed report.yaml": (
        {"report.yaml": "title: [unclosed\nlanguage: en\n"},
        "report.yaml:2:9: error[CFG002]: malformed YAML: expected ',' or ']', but got ':'"),
    "unknown key in report.yaml": (
        {"report.yaml": "titel: X\ntitle: X\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\n"},
        "report.yaml:1:1: error[CFG004]: unknown key 'titel' (did you mean 'title'?)"),
    "missing required key": (
        {"report.yaml": "title: X\nsections: [01-intro.md]\n"},
        "report.yaml:1:1: error[CFG006]: missing required key 'language'"),
    "bad language tag": (
        {"report.yaml": "title: X\nlanguage: english!\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\n"},
        "report.yaml:2:1: error[CFG007]: 'english!' is not a BCP 47 language tag (e.g. en, az, ru)"),
    "section listed but missing": (
        {"report.yaml": "title: X\nlanguage: en\nsections:\n  - 01-intro.md\n  - 02-gone.md\ncitation-style: templates/notes.csl\n"},
        "report.yaml:5:5: error[SEC001]: file not found: sections/02-gone.md"),
    "malformed front matter": (
        {SECTION: "---\ntitle: [x\n---\n\nText.\n"},
        "sections/01-intro.md:2:10: error[SEC002]: malformed YAML: expected ',' or ']', but got '<stream end>'"),
    "unclosed front matter": (
        {SECTION: "---\ntitle: X\n\nText.\n"},
        "sections/01-intro.md:1:1: error[SEC007]: front matter is not closed with '---'"),
    "unknown front matter key": (
        {SECTION: "---\ntitle: X\nauthor: Y\n---\n\nText.\n"},
        "sections/01-intro.md:3:1: error[SEC004]: unknown front matter key 'author' (allowed: title, id, numbered, confidential, annex, recommendations, addressee)"),
    "malformed registry": (
        {"references/sources.yaml": "- id: a\n  type: report\n  title: \"unterminated\n"},
        "references/sources.yaml:4:1: error[REG002]: malformed YAML: found unexpected end of stream"),
    "duplicate registry key": (
        {"references/sources.yaml": "- id: un-2020\n  type: report\n- id: ngo-2021\n  type: report\n- id: UN-2020\n  type: report\n"},
        "references/sources.yaml:5:3: error[REG005]: duplicate key 'UN-2020' (first defined at references/sources.yaml:1:3)"),
    "registry entry without type": (
        {"references/sources.yaml": "- id: un-2020\n  type: report\n- id: ngo-2021\n  title: T\n"},
        "references/sources.yaml:3:3: error[REG006]: entry 'ngo-2021' has no valid CSL 'type' (got None)"),
    "impossible registry date (YAML timestamp)": (
        {"references/sources.yaml": "- id: un-2020\n  type: report\n  issued: 2020-02-30\n- id: ngo-2021\n  type: report\n"},
        "references/sources.yaml:3:11: error[REG002]: malformed YAML value: day is out of range for month"),
    "impossible registry date (EDTF text)": (
        {"references/sources.yaml": "- id: un-2020\n  type: report\n  issued: '2020-02-30'\n- id: ngo-2021\n  type: report\n"},
        "references/sources.yaml:3:3: error[REG007]: 'issued' of 'un-2020' is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or date-parts)"),
    "unknown citation key": (
        {SECTION: "---\ntitle: X\n---\n\nA claim[@un-2021, p. 3] and[@ngo-2021].\n"},
        "sections/01-intro.md:5:9: error[CIT001]: unknown citation key 'un-2021' (did you mean 'un-2020'?)"),
    "unterminated citation": (
        {SECTION: "---\ntitle: X\n---\n\nA claim [@un-2020, p. 3 that never closes.\n"},
        "sections/01-intro.md:5:9: error[CIT002]: unterminated citation: '[' without a closing ']' (close the citation with ']')"),
    "section not UTF-8": (
        {SECTION: b"---\ntitle: X\n---\n\nBad \xff byte.\n"},
        "sections/01-intro.md:5:1: error[SRC002]: not valid UTF-8 text"),
    "unknown stock style": (
        {"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md]\ncitation-style: chicago-notes-bibliografy\n"},
        "report.yaml:4:1: error[STY002]: unknown citation style 'chicago-notes-bibliografy' (did you mean 'chicago-notes-bibliography'?)"),
    "missing project style": (
        {"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/mine.csl\n"},
        "report.yaml:4:1: error[STY001]: citation style not found: templates/mine.csl"),
    "missing template": (
        {"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\ntemplates:\n  docx: templates/house.docx\n"},
        "report.yaml:6:3: error[TPL001]: template not found: templates/house.docx"),
    "missing font": (
        {"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\nfonts:\n  family: House Serif\n  files:\n    regular: fonts/house.ttf\n"},
        "report.yaml:8:5: error[FNT001]: font file for 'regular' not found: {root}/fonts/house.ttf (install fonts-noto-core or point fonts.files at the project's fonts)"),
}


MORE_CASES = {
    "empty title": ({"report.yaml": "title: ''\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\n"},
                    "report.yaml:1:1: error[CFG005]: 'title' must not be empty"),
    "no sections": ({"report.yaml": "title: X\nlanguage: en\nsections: []\ncitation-style: templates/notes.csl\n"},
                    "report.yaml:3:1: error[CFG008]: 'sections' lists no section"),
    "section listed twice": ({"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md, 01-intro.md]\ncitation-style: templates/notes.csl\n"},
                             "report.yaml:3:25: error[CFG008]: section '01-intro.md' is listed twice (first at report.yaml:3:12)"),
    "no outputs": ({"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md]\noutputs: []\ncitation-style: templates/notes.csl\n"},
                   "report.yaml:4:1: error[CFG009]: 'outputs' lists no format (e.g. [docx, pdf, html])"),
    "two sections with one id": ({"report.yaml": "title: X\nlanguage: en\nsections: [01-intro.md, 02-more.md]\ncitation-style: templates/notes.csl\n",
                                  "sections/02-more.md": "---\ntitle: More\nid: intro\n---\n\nText.\n"},
                                 "sections/02-more.md:1:1: error[SEC008]: section id 'intro' is also the id of sections/01-intro.md (give one of them another id in its front matter)"),
    "a note inside a note": ({SECTION: "---\ntitle: X\n---\n\nA[@un-2020][@ngo-2021].^[Outer ^[inner] text.]\n"},
                             "sections/01-intro.md:5:32: error[MD004]: a note inside a note (notes cannot be nested)"),
}
CASES.update(MORE_CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_project_gives_one_located_error(make_project, name):
    files, expected = CASES[name]
    root = make_project(files)
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--format", "docx,html"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.strip().splitlines() if ": error[" in line]
    assert errors == [expected.format(root=root)]
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(make_project):
    result = CliRunner().invoke(main, ["build", "--project", str(make_project()), "--format", "odt"])
    assert result.exit_code == 2
    assert "unknown format odt" in result.stderr


def test_all_problems_are_collected_before_stopping(make_project):
    root = make_project({SECTION: "---\ntitle: X\n---\n\nOne[@nope-1] two[@nope-2].\n"})
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--format", "html"])
    assert result.exit_code == 1
    errors = [line.split(": ")[1] for line in result.stderr.splitlines() if ": error[" in line]
    assert errors == ["error[CIT001]", "error[CIT001]"]




def test_a_section_symlinked_outside_the_project_is_refused(make_project, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n\nroot:x:0:0\n", encoding="utf-8")
    root = make_project()
    (root / SECTION).unlink()
    (root / SECTION).symlink_to(outside)
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--format", "html"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "report.yaml:6:5: error[SRC003]: sections/01-intro.md points outside the project"


def test_duplicate_heading_ids_are_made_unique(make_project):
    from report.build import load
    from report import model as m

    root = make_project({SECTION: "---\ntitle: Intro\n---\n\n## Background\n\nA[@un-2020].\n\n## Background\n\nB[@ngo-2021].\n\n## Intro\n"})
    headings = [b.id for b in load(root).document.sections[0].blocks if isinstance(b, m.Heading)]
    assert headings == ["background", "background-2", "intro-2"]


def test_report_error_survives_pickling():
    """Errors raised in worker processes (parallel formats and locales) keep their diagnostics."""
    import pickle

    from report.diagnostics import Location, error
    from report.errors import ReportError

    original = ReportError([error("CIT001", "unknown citation key 'x'", Location("sections/a.md", 3, 4), "a hint")])
    copy = pickle.loads(pickle.dumps(original))
    assert copy.diagnostics == original.diagnostics and str(copy) == str(original)


def _built(root):
    out = root / "build" / "en" / "public"
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())} if out.is_dir() else {}


_DYING = {}  # what _dies_in_worker needs; module-level so the worker can unpickle the function


def _dies_in_worker(name, *args, **kwargs):
    import os

    if name == _DYING["format"] and os.getpid() != _DYING["parent"]:
        os._exit(9)
    return _DYING["original"](name, *args, **kwargs)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_render_worker_that_dies_is_one_located_line(make_project, monkeypatch, fmt):
    """The worker rendering the slowest format is killed (as by the OOM killer): one
    REN001 line at report.yaml's outputs, exit 1, the previous build intact."""
    import os

    from report.render import run

    root = make_project()
    assert CliRunner().invoke(main, ["build", "--project", str(root), "--format", f"{fmt},html"]).exit_code == 0
    before = _built(root)
    monkeypatch.setitem(_DYING, "format", fmt)
    monkeypatch.setitem(_DYING, "parent", os.getpid())
    monkeypatch.setitem(_DYING, "original", run._render_one)
    monkeypatch.setattr(run, "_render_one", _dies_in_worker)
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--format", f"{fmt},html", "--force"])
    assert result.exit_code == 1, result.output
    assert re.fullmatch(rf"report\.yaml:\d+:\d+: error\[REN001\]: cannot render the {fmt.upper()}: its worker "
                        r"process stopped \(killed, or out of memory\) \(build again; [^\n]+\)", result.stderr.strip())
    assert _built(root) == before


def test_a_renderer_whose_libraries_are_missing_is_one_located_line(make_project, monkeypatch):
    from report.render import base

    def missing(fmt):
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(base, "get_renderer", missing)
    root = make_project()
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--format", "pdf"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.fullmatch(r"report\.yaml:\d+:\d+: error\[REN001\]: cannot render the PDF: its libraries cannot be "
                        r"loaded: cannot load library 'libpango-1\.0-0'[^\n]+\(run scripts/setup, which installs them\)",
                        result.stderr.strip())
