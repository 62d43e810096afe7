"""The leak check in real public builds: a protected name or confidential text planted
where an author could put it (a template's header, the Word template's properties, an
SVG's text, an unmarked repetition that a narrow PDF column breaks across lines) stops
the build with LEAK001 at the source of the leak, and the previous public outputs stay
as they were; a photograph's EXIF never reaches the outputs, so it is no leak."""

from __future__ import annotations

import hashlib
import re

import pdfplumber
from click.testing import CliRunner

from report.cli import main
from tests.editions.support import make_edition_project
from tests.leaks.conftest import ONE_WORD_A_LINE
from tests.leaks.support import edit_part, jpeg, rezip

LEYLA = "references/people.yaml:6:9"  # where people.yaml lists Leyla Aliyeva
FARID = "references/people.yaml:1:9"


def build(root, *extra):
    result = CliRunner().invoke(main, ["build", "--project", str(root), *extra])
    return result.exit_code, [line for line in result.stderr.splitlines() if "[LEAK" in line]


def digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_name_in_the_html_template_stops_the_build_at_its_line_and_keeps_the_previous_outputs(tmp_path):
    root = make_edition_project(tmp_path / "project")
    assert build(root) == (0, [])
    before = digests(root / "build" / "en" / "public")
    template = root / "templates" / "report.html.j2"
    text = template.read_text(encoding="utf-8")
    anchor = '<h1 class="report-title">{{ title }}</h1>\n'
    template.write_text(text.replace(anchor, anchor + '<p class="prepared">Prepared with Leyla Aliyeva</p>\n'),
                        encoding="utf-8")
    line = text[:text.index(anchor)].count("\n") + 2
    column = len('<p class="prepared">Prepared with ') + 1
    code, leaks = build(root)
    assert code == 1
    hint = f"(a protected name, listed at {LEYLA})"
    assert leaks == [f'templates/report.html.j2:{line}:{column}: error[LEAK001]: "Leyla Aliyeva" would be published in '
                     f"{where} {hint}" for where in ("report.html, text", "report.pdf, page 1")]
    assert digests(root / "build" / "en" / "public") == before
    assert not (root / "build" / "en" / "confidential").exists()
    # The confidential edition is not searched: it holds the names by design.
    assert build(root, "--edition", "confidential") == (0, [])


def test_a_name_in_the_word_templates_header_and_properties_is_found_in_the_docx(tmp_path):
    root = make_edition_project(tmp_path / "project")
    reference = root / "templates" / "reference.docx"
    planted = rezip(reference.read_bytes(), edit_part("word/header1.xml", "{{ short_title }}",
                                                      "{{ short_title }} for Leyla Aliyeva"))
    planted = rezip(planted, edit_part("docProps/core.xml", "<cp:category/>",
                                       "<cp:category/><cp:contentStatus>Checked by Farid Mammadov</cp:contentStatus>"))
    reference.write_bytes(planted)
    code, leaks = build(root, "--format", "docx")
    assert code == 1
    assert leaks == [
        f'templates/reference.docx:1:1: error[LEAK001]: "Farid Mammadov" would be published in report.docx, '
        f"document properties (docProps/core.xml) (a protected name, listed at {FARID})",
        f'templates/reference.docx:1:1: error[LEAK001]: "Leyla Aliyeva" would be published in report.docx, '
        f"header (word/header1.xml) (a protected name, listed at {LEYLA})"]
    assert not (root / "build" / "en" / "public").exists()


MAP = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect width="200" height="100" fill="#eeeeee"/>
  <text x="10" y="50" font-family="Noto Serif" font-size="12">Home of Farid Mammadov</text>
</svg>
"""

ANNEX = """\
---
title: Annex
---

![The district](images/map.svg){#fig-map fig-alt="A map of the district"}
"""


def test_a_name_drawn_in_an_svg_figure_is_found_in_every_format_at_the_svgs_line(tmp_path):
    root = make_edition_project(tmp_path / "project", files={"images/map.svg": MAP, "sections/02-annex.md": ANNEX})
    code, leaks = build(root)
    assert code == 1
    column = MAP.splitlines()[2].index("Farid") + 1
    assert [re.sub(r"page \d+", "page N", line) for line in leaks] == [
        f'images/map.svg:3:{column}: error[LEAK001]: "Farid Mammadov" would be published in {where} '
        f"(a protected name, listed at {FARID})"
        for where in ("report.docx, part (word/media/image3.svg)", "report.html, data: URI", "report.pdf, page N")]


def test_a_photographs_exif_never_reaches_the_outputs_so_it_is_no_leak(tmp_path):
    photo = jpeg(exif={0x013B: "Farid Mammadov", 0x010E: "Leyla Aliyeva at the gate"})  # Artist, ImageDescription
    annex = ANNEX.replace("images/map.svg", "images/gate.jpg")
    root = make_edition_project(tmp_path / "project", files={"images/gate.jpg": photo, "sections/02-annex.md": annex})
    assert build(root) == (0, [])
    for path in (root / "build" / "en" / "public").iterdir():
        assert b"Mammadov" not in path.read_bytes() and b"Aliyeva" not in path.read_bytes(), path.name


SECTION = """\
---
title: Introduction
---

The lawyer [Zarifa Karimova]{.confidential} visited the camp[@un-2020, p. 3].

The camp holds many people, and its guards told
the visitors that Zarifa Karimova had come twice.
"""


def test_an_unmarked_repetition_split_across_pdf_lines_is_found_at_its_own_line(make_project):
    from tests.conftest import REPO

    css = (REPO / "templates" / "report.css").read_text(encoding="utf-8") + ONE_WORD_A_LINE
    root = make_project({"sections/01-intro.md": SECTION, "templates/report.css": css})
    code, leaks = build(root)
    assert code == 1
    hint = "(marked confidential at sections/01-intro.md:5:12)"
    assert [re.sub(r"page \d+", "page N", line) for line in leaks] == [
        f'sections/01-intro.md:8:19: error[LEAK001]: "Zarifa Karimova" would be published in {where} {hint}'
        for where in ("model.json", "report.docx, document (word/document.xml)", "report.html, text",
                      "report.pdf, page N")]
    # One word a line: in the PDF the two names never share a line.
    assert build(root, "--edition", "confidential") == (0, [])
    with pdfplumber.open(root / "build" / "en" / "confidential" / "report.pdf") as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    assert "Zarifa" in lines and "Karimova" in lines
    assert not any("Zarifa Karimova" in line for line in lines)
