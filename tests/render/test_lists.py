"""Lists of figures and tables (report.yaml's lof and lot, as Pandoc spells them) and
the page numbers of the DOCX contents and lists, which must be right when the file
is first opened: compared with LibreOffice's own pagination of the same file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from report.cli import main
from tests.conftest import REPO, write_project
from tests.render.figure_support import build_in, figure_files, png

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LIST_YAML = "lof: true\nlot: true\nnumber-sections: true\n"
FIGURE_ENTRIES = ["Figure 1: The main gate of the facility", "Figure 2: The exercise yard",
                  "Figure 3: A map of the district"]


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _with_lists(files: dict, extra: str = LIST_YAML) -> dict:
    return {**files, "report.yaml": textwrap.dedent(files["report.yaml"]) + extra}


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("lists") / "p", _with_lists(figure_files()))
    result = build_in(root)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return root / "build" / "en" / "public"


def normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def shown(p) -> str:
    """A paragraph's text as Word shows it (field results, not instructions; a tab as a space)."""
    return normal("".join((t.text or "") if t.tag == w("t") else " " for t in p.iter(w("t"), w("tab"))))


def docx_lists(path: Path) -> dict[str, list[tuple[str, int | None, str]]]:
    """heading → [(entry text, cached page, PAGEREF bookmark)] of the contents and each list."""
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(w("body"))
    out, current = {}, None
    for p in body.findall(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        style = style.get(w("val")) if style is not None else None
        if style == "TOCHeading":
            current = out.setdefault(shown(p), [])
        elif style in ("TOC1", "TableofFigures") and current is not None:
            instr = " ".join(i.text for i in p.iter(w("instrText")))
            mark = re.search(r"PAGEREF (\S+) \\h", instr)
            match = re.match(r"(.*?) (\d+)$", shown(p))
            if mark and match:
                current.append((match.group(1), int(match.group(2)), mark.group(1)))
        elif current is not None and style not in ("TOC1", "TableofFigures"):
            current = None
    return out


def test_html_lists_link_to_every_numbered_figure_and_table(listed):
    page = lxml_html.fromstring((listed / "report.html").read_bytes())
    nav = page.xpath("//nav[@class='toc']")[0]
    assert [normal(h.text_content()) for h in nav.xpath(".//h2")] == ["Contents", "List of figures", "List of tables"]
    assert [normal(a.text_content()) for a in nav.xpath("./ol[1]//a")] == ["1 Findings", "2 Details"]
    figures = nav.xpath(".//ol[@class='list-of-figures']//a")
    assert [normal(a.text_content()) for a in figures] == FIGURE_ENTRIES
    for a in figures + nav.xpath(".//ol[@class='list-of-tables']//a"):
        target = page.get_element_by_id(a.get("href")[1:])
        assert target.tag in ("figure", "table")
        caption = target.xpath("./figcaption | ./caption")[0]
        assert normal(caption.text_content()) == normal(a.text_content())
    assert [normal(a.text_content()) for a in nav.xpath(".//ol[@class='list-of-tables']//a")] == ["Table 1: Detentions by year"]


def test_pdf_lists_give_the_page_of_each_caption(listed):
    pages = [normal(p.extract_text()) for p in PdfReader(listed / "report.pdf").pages]
    contents = pages[1]
    assert "LIST OF FIGURES" in contents.replace("L IST", "LIST") and "Table 1: Detentions by year" in contents
    for entry in FIGURE_ENTRIES + ["Table 1: Detentions by year"]:
        listed_page = int(re.search(re.escape(entry) + r" [. ]*(\d+)", contents).group(1))
        body_page = next(i + 1 for i, text in enumerate(pages) if i > 1 and entry in text)
        assert listed_page == body_page, entry


def test_docx_lists_are_table_of_figures_fields_with_page_numbers(listed):
    path = listed / "report.docx"
    lists = docx_lists(path)
    assert list(lists) == ["Contents", "List of figures", "List of tables"]
    assert [e[0] for e in lists["Contents"]] == ["1 Findings", "2 Details"]
    assert [e[0] for e in lists["List of figures"]] == FIGURE_ENTRIES
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    instructions = [i.text for i in root.iter(w("instrText"))]
    assert ' TOC \\h \\z \\c "Figure" ' in instructions and ' TOC \\h \\z \\c "Table" ' in instructions
    # Each PAGEREF points at a bookmark around the caption paragraph with its SEQ field.
    starts = {b.get(w("name")): b.getparent() for b in root.iter(w("bookmarkStart"))}
    for text, _, mark in lists["List of figures"] + lists["List of tables"]:
        caption = starts[mark]
        assert caption.find("w:pPr/w:pStyle", NS).get(w("val")) == "Caption"
        assert shown(caption) == text
        assert any(i.text.split()[0] == "SEQ" for i in caption.iter(w("instrText")))
    ids = {s.get(w("styleId")) for s in styles.iter(w("style"))}
    assert {"TOC1", "TableofFigures"} <= ids


def test_a_template_that_does_not_show_the_lists_is_refused(tmp_path):
    files = _with_lists(figure_files(), "lof: true\n")
    root = write_project(tmp_path / "p", files)
    template = root / "templates" / "report.html.j2"
    template.unlink()
    text = (REPO / "templates" / "report.html.j2").read_text(encoding="utf-8")
    start, end = text.index("{%- for list in lists %}"), text.index("{%- endfor %}\n</nav>")
    template.write_text((text[:start] + text[end + len("{%- endfor %}\n"):]).replace("toc or lists", "toc"),
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code != 0
    line = next(l for l in result.stderr.splitlines() if "TPL004" in l)
    assert re.match(r"report\.yaml:\d+:1: error\[TPL004\]: templates/report\.html\.j2 does not show 'lists'", line)
    assert "Traceback" not in result.stderr


def test_lof_must_be_true_or_false(tmp_path):
    root = write_project(tmp_path / "p", _with_lists(figure_files(), "lof: figures\n"))
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert result.exit_code != 0 and "error[CFG005]: 'lof' must be true or false" in result.stderr


def test_an_unlabelled_captioned_figure_is_listed_under_an_anchor_of_its_own(tmp_path):
    files = {
        "report.yaml": "title: T\nlanguage: en\nsections: [01-a.md]\ncitation-style: templates/notes.csl\nlof: true\n",
        "sections/01-a.md": "---\ntitle: A\n---\n\n## Figure 1 {#figure-1}\n\nText.\n\n"
                            "![A chart](chart.png){fig-alt=\"Bars\"}\n\n![Another](chart.png){#fig-b fig-alt=\"Bars\"}\n",
        "sections/chart.png": png((200, 100)),
    }
    root = write_project(tmp_path / "p", files)
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    page = lxml_html.fromstring((root / "build/en/public/report.html").read_bytes())
    links = [a.get("href") for a in page.xpath("//ol[@class='list-of-figures']//a")]
    assert links == ["#figure-1-2", "#fig-b"]  # "figure-1" is the heading's own id
    assert page.get_element_by_id("figure-1-2").tag == "figure"
    assert page.get_element_by_id("figure-1").tag == "h2"


# --- page numbers compared with LibreOffice ---------------------------------

def _libreoffice_pages(docx: Path, work: Path) -> list[str]:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                   check=True, capture_output=True, timeout=600)
    return [p.extract_text() for p in PdfReader(work / (docx.stem + ".pdf")).pages]


def _page_of(pages: list[str], text: str, after: int) -> int | None:
    key = normal(text)[:40]
    for n in range(after, len(pages)):
        lines = [normal(line) for line in pages[n].splitlines()]
        if any(line.startswith(key) and "...." not in line for line in lines):
            return n + 1
    return None


def _compare(docx: Path, work: Path) -> list[tuple[str, int, int | None]]:
    pages = _libreoffice_pages(docx, work)
    rows = []
    for entries in docx_lists(docx).values():
        at = 2
        for text, estimate, _ in entries:
            actual = _page_of(pages, text, at)
            rows.append((text, estimate, actual))
            at = (actual or at + 1) - 1
    return rows


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


def _long_report() -> dict:
    """Twelve sections of paragraphs of differing lengths, notes, a figure and a table each."""
    words = ("detention", "witness", "report", "facility", "district", "evidence", "the", "of", "and", "a")
    sections, names = {}, []
    for s in range(1, 13):
        body = []
        for k in range(3 + s % 4):
            n = 40 + (s * 37 + k * 53) % 160
            text = " ".join(words[(s * k + i * 7) % len(words)] for i in range(n)).capitalize()
            note = f"^[Note {s}.{k}: " + " ".join(words[(i + s) % 10] for i in range(10 + (k * 29) % 70)) + ".]"
            body.append(text + "." + (note if k % 2 == 0 else ""))
        body.insert(2, f"![Photograph {s} of the site](chart.png){{#fig-s{s} fig-alt=\"A chart\" width={40 + s * 4}%}}")
        body.insert(1, f"| Year | Count |\n|---|--:|\n| 2020 | {s} |\n| 2021 | {s * 3} |\n\n: Counts in district {s} {{#tbl-s{s}}}")
        name = f"{s:02d}-part-{s}.md"
        names.append(name)
        sections[f"sections/{name}"] = f"---\ntitle: Section {s}\n---\n\n" + "\n\n".join(body) + "\n"
    yaml = ("title: A Long Report\nlanguage: en\ncitation-style: templates/notes.csl\nlof: true\nlot: true\n"
            "sections: [" + ", ".join(names) + "]\n")
    return {"report.yaml": yaml, "sections/01-intro.md": None, "sections/chart.png": png((800, 600)), **sections}


@needs_libreoffice
def test_docx_page_numbers_match_libreoffice_on_a_report_with_figures_tables_and_notes(tmp_path):
    root = write_project(tmp_path / "p", _long_report())
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "docx"])
    assert result.exit_code == 0, result.stderr
    rows = _compare(root / "build/en/public/report.docx", tmp_path)
    assert len(rows) == 36 and all(actual is not None for _, _, actual in rows), rows
    off = [(text, estimate, actual) for text, estimate, actual in rows if estimate != actual]
    assert all(abs(e - a) <= 1 for _, e, a in off) and len(off) <= 2, off


@needs_libreoffice
def test_docx_contents_pages_match_libreoffice_on_a_long_report(tmp_path):
    sys.path.insert(0, str(REPO / "tools"))
    from synthetic import make_synthetic

    root = make_synthetic(REPO, tmp_path / "p", 10)
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "docx"])
    assert result.exit_code == 0, result.stderr
    rows = _compare(root / "build/en/public/report.docx", tmp_path)
    assert len(rows) == 50 and rows[-1][1] > 50
    assert [(t, e) for t, e, a in rows if e != a] == []
