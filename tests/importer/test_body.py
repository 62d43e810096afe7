"""The body: sections, emphasis, links, lists, block quotes, tables, and text that looks like
Markdown, from Word files made with python-docx (styles and numbering as Word writes them)."""

from __future__ import annotations

import docx
import pytest
import yaml
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from report import model as m
from report.diagnostics import Location
from report.importer import import_docx
from report.importer.markdown import MarkdownWriter, _parse, signature
from tests.importer.support import read_docx, rebuild, squeeze

TRICKY = [
    "5 * 3 = 15 and a_b_c and **not bold**", "[not a link](x) and [@key, p. 3] and ^[not a note]",
    "<!-- not a comment --> <b>tag</b> &amp; &#169;", "# not a heading", "1. not a list", "2) nor this",
    "- not a bullet", "+ nor this", "> not a quote", "{#not-an-id .class}", "back\\slash and trailing \\",
    "`ticks` and ``more``", "=== and ---", "~~~ fence", "pipes | and \\| too", "@key alone",
    "ibid. in text is fine", "[text]{.class}", "*", "_", "***", "   indented", "a  double  space",
]
HERE = Location("sections/x.md", 1, 1)


def hyperlink(paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def word_file(path):
    document = docx.Document()
    document.add_heading("Report Title", 0)
    document.add_paragraph("An opening paragraph before any chapter.")
    document.add_heading("Chapter One", 1)
    p = document.add_paragraph("Plain, ")
    p.add_run("bold").bold = True
    p.add_run(", ")
    p.add_run("italic").italic = True
    p.add_run(" and ")
    hyperlink(p, "https://example.org/a_b?c=d", "a link")
    p.add_run(".")
    for text in TRICKY:
        document.add_paragraph(text)
    for text in ("first bullet", "second bullet"):
        document.add_paragraph(text, style="List Bullet")
    document.add_paragraph("nested bullet", style="List Bullet 2")
    for text in ("first step", "second step"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("A quoted paragraph.", style="Quote")
    document.add_heading("A subheading", 2)
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ("Head A", "Head | B", "cell 1", "cell *2*")):
        cell.text = text
    document.add_heading("Chapter Two", 1)
    document.add_paragraph("The end.")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("body")
    source = word_file(tmp / "in.docx")
    result = import_docx(source, tmp / "out")
    return {"result": result, "source": source, "project": tmp / "out"}


def test_sections_and_title(imported):
    project = imported["project"]
    config = yaml.safe_load((project / "report.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "Report Title"
    assert config["sections"] == ["01-preamble.md", "02-chapter-one.md", "03-chapter-two.md"]
    assert (project / "sections" / "02-chapter-one.md").read_text(encoding="utf-8").startswith(
        "---\ntitle: Chapter One\n---\n\nPlain, **bold**, *italic* and [a link](https://example.org/a_b?c=d).\n")


def test_structure_is_kept(imported):
    text = (imported["project"] / "sections" / "02-chapter-one.md").read_text(encoding="utf-8")
    assert "- first bullet\n- second bullet\n  - nested bullet\n" in text
    assert "1. first step\n2. second step\n" in text
    assert "> A quoted paragraph.\n" in text
    assert "## A subheading\n" in text
    assert "| Head A | Head \\| B |\n| --- | --- |\n| cell 1 | cell \\*2\\* |\n" in text


def test_round_trip_keeps_every_character(imported):
    original = read_docx(imported["source"].read_bytes())
    rebuilt = read_docx(rebuild(imported["project"]), rebuilt=True)
    assert squeeze(rebuilt["body"]) == squeeze(original["body"])
    for text in TRICKY:
        assert squeeze(text) in squeeze(rebuilt["body"])
    assert rebuilt["headings"] == ["Chapter One", "A subheading", "Chapter Two"]


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_escapes_render_as_the_text(text):
    block = m.Paragraph((m.Text(text.strip(), HERE),), HERE)
    writer = MarkdownWriter()
    written = writer.write_block(block)
    assert signature(_parse(written)) == signature([block])
    assert writer.degraded == 0


def test_emphasis_markdown_cannot_say_is_dropped_not_the_text():
    block = m.Paragraph((m.Text("a", HERE), m.Emph((m.Text("*b", HERE),), HERE), m.Strong((m.Text("c", HERE),), HERE)), HERE)
    writer = MarkdownWriter()
    written = writer.write_block(block)
    assert m.plain_text(_parse(written)[0].children) == "a*bc"


def test_capitals_split_sections_without_heading_styles(tmp_path):
    document = docx.Document()
    for text in ("A Report Typed Without Styles", "INTRODUCTION", "Some text.", "FIRST KARABAKH WAR", "More text.",
                 "NOT A HEADING BECAUSE IT IS A VERY LONG LINE OF CAPITALS THAT GOES ON AND ON FOR MORE THAN FIFTEEN WORDS"):
        document.add_paragraph(text)
    document.save(tmp_path / "in.docx")
    result = import_docx(tmp_path / "in.docx", tmp_path / "out")
    config = yaml.safe_load((tmp_path / "out" / "report.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "A Report Typed Without Styles"
    assert config["sections"] == ["01-introduction.md", "02-first-karabakh-war.md"]
    assert "converted: 2 all-capitals paragraphs to section headings" in result.statements
