"""The DOCX of the shipped report: real footnotes, styles, contents, properties, bytes."""

from __future__ import annotations

import re

import dataclasses
import zipfile

import docx
import pytest
from lxml import etree

from report import model as m
from report.build import build, build_timestamp, load
from report.render.base import RenderContext
from report.render.docx import DocxRenderer
from tests.conftest import copy_shipped_project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "dc": "http://purl.org/dc/elements/1.1/",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
NOTES = 14


def wa(name):
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped project built once (DOCX only) in a copy, and its loaded model."""
    root = copy_shipped_project(tmp_path_factory.mktemp("shipped"))
    build(root, ("docx",))
    path = root / "build" / "en" / "public" / "report.docx"
    loaded = load(root)
    context = RenderContext(loaded.project.config, build_timestamp(loaded.project.config))
    return path, loaded.document, context


@pytest.fixture(scope="module")
def parts(built):
    with zipfile.ZipFile(built[0]) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(parts, name):
    return etree.fromstring(parts[name])


def style_of(paragraph):
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(wa("val"))


def test_footnotes_part_has_separators_then_notes_in_order(parts):
    notes = xml(parts, "word/footnotes.xml").findall("w:footnote", NS)
    assert [(n.get(wa("type")), n.get(wa("id"))) for n in notes[:2]] == [("separator", "-1"), ("continuationSeparator", "0")]
    assert notes[0].find(".//w:separator", NS) is not None
    assert notes[1].find(".//w:continuationSeparator", NS) is not None
    real = notes[2:]
    assert [n.get(wa("id")) for n in real] == [str(i) for i in range(1, NOTES + 1)]
    for note in real:
        p = note.find("w:p", NS)
        assert p.find("w:pPr/w:pStyle", NS).get(wa("val")) == "FootnoteText"
        first, space = p.findall("w:r", NS)[:2]
        assert first.find("w:rPr/w:rStyle", NS).get(wa("val")) == "FootnoteReference"
        assert first.find("w:footnoteRef", NS) is not None
        assert space.findtext("w:t", namespaces=NS) == " "


def test_note_text_matches_the_model(parts, built):
    notes = xml(parts, "word/footnotes.xml").findall("w:footnote", NS)[2:]
    for note, footnote in zip(notes, built[1].footnotes()):
        text = "".join(note.itertext()).strip()
        assert text == m.plain_text(footnote.children).strip()


def test_links_in_notes_are_hyperlinks_of_the_footnotes_part(parts):
    links = xml(parts, "word/footnotes.xml").findall(".//w:hyperlink", NS)
    assert links
    rels = xml(parts, "word/_rels/footnotes.xml.rels")
    targets = {r.get("Id"): r for r in rels}
    for link in links:
        rel = targets[link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
        assert rel.get("TargetMode") == "External" and rel.get("Target").startswith("https://")
        assert link.find("w:r/w:rPr/w:rStyle", NS).get(wa("val")) == "Hyperlink"


def test_calls_are_footnote_reference_runs_in_order(parts):
    refs = xml(parts, "word/document.xml").findall(".//w:footnoteReference", NS)
    assert [r.get(wa("id")) for r in refs] == [str(i) for i in range(1, NOTES + 1)]
    for ref in refs:
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(wa("val")) == "FootnoteReference"


def test_settings_name_the_separators_before_compat(parts):
    settings = xml(parts, "word/settings.xml")
    tags = [etree.QName(child).localname for child in settings]
    assert tags.index("footnotePr") < tags.index("compat")
    ids = [f.get(wa("id")) for f in settings.findall("w:footnotePr/w:footnote", NS)]
    assert ids == ["-1", "0"]
    assert settings.find("w:updateFields", NS) is None
    assert settings.find("w:themeFontLang", NS).get(wa("val")) == "en-US"


def test_section_titles_are_heading1_with_bookmarks(parts, built):
    body = xml(parts, "word/document.xml").find("w:body", NS)
    headings = [p for p in body.findall("w:p", NS) if style_of(p) == "Heading1"]
    titles = [s.title for s in built[1].sections if s.title]
    assert ["".join(p.itertext()) for p in headings] == titles
    assert all(p.find("w:bookmarkStart", NS) is not None for p in headings)


def test_title_page_contents_then_body(parts):
    body = xml(parts, "word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    styles = [style_of(p) for p in paragraphs]
    # No subtitle and no date in the shipped report: their paragraphs are gone, not empty.
    assert styles[:2] == ["Title", "Organization"] and "Date" not in styles and "Subtitle" not in styles
    assert "".join(paragraphs[0].itertext()).startswith("REPORT ON")
    assert "".join(paragraphs[1].itertext()) == "Strategic Communications Centre"
    assert paragraphs[2].find("w:r/w:br[@w:type='page']", NS) is not None
    toc_heading = styles.index("TOCHeading")
    assert "".join(paragraphs[toc_heading].itertext()) == "Contents"
    instr = body.findall(".//w:instrText", NS)
    toc_entries = [p for p, s in zip(paragraphs, styles) if s == "TOC1"]
    # The contents field, then in each entry a PAGEREF to the bookmark of its heading.
    marks = [p.find("w:bookmarkStart", NS).get(wa("name")) for p in paragraphs if style_of(p) == "Heading1"]
    assert [i.text for i in instr] == [' TOC \\o "1-3" \\h \\z \\u '] + [f" PAGEREF {m} \\h " for m in marks]
    kinds = [f.get(wa("fldCharType")) for f in body.findall(".//w:fldChar", NS)]
    assert kinds == ["begin", "separate"] + ["begin", "separate", "end"] * len(marks) + ["end"]
    texts = ["".join(t.text or "" for t in p.iter(wa("t"))) for p in toc_entries]
    assert texts[0].startswith("FIRST KARABAKH WAR")
    pages = [int(re.search(r"(\d+)$", t).group(1)) for t in texts]
    assert pages[0] == 3 and pages == sorted(pages)  # title page, contents, then the first section
    first_body = paragraphs[styles.index("TOC1") + len(toc_entries)]
    assert first_body.find("w:pPr/w:pageBreakBefore", NS) is not None
    assert body[-1].tag == wa("sectPr")


def test_header_placeholder_rendered(parts):
    headers = b"".join(v for k, v in parts.items() if k.startswith("word/header"))
    assert b"{{" not in headers and b"REPORT ON SYSTEMATIC" in headers


def test_properties_and_language(parts):
    core = xml(parts, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS).startswith("REPORT ON")
    assert core.findtext("dc:language", namespaces=NS) == "en"
    assert core.findtext("dc:creator", namespaces=NS) == "Strategic Communications Centre"
    assert core.findtext("cp:revision", namespaces=NS) == "1"
    assert b"<Company>Strategic Communications Centre</Company>" in parts["docProps/app.xml"]
    lang = xml(parts, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(wa("val")) == "en-US"


def test_zip_members_sorted_with_fixed_dates(built):
    with zipfile.ZipFile(built[0]) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}  # no date in the built report


def test_two_renders_are_byte_identical(built):
    _, document, context = built
    renderer = DocxRenderer()
    assert renderer.render(document, context) == renderer.render(document, context)


def test_python_docx_reopens_it(built):
    reopened = docx.Document(str(built[0]))
    assert any(p.style.style_id == "Heading1" for p in reopened.paragraphs)


def _scaled(document, copies):
    """``document`` with its sections repeated, notes renumbered through."""
    count = 0

    def renumber(nodes):
        nonlocal count
        out = []
        for node in nodes:
            if isinstance(node, m.Footnote):
                count += 1
                node = dataclasses.replace(node, number=count)
            out.append(node)
        return tuple(out)

    sections = [dataclasses.replace(s, id=f"{s.id}-{k}", blocks=tuple(m.map_inlines(b, renumber) for b in s.blocks))
                for k in range(copies) for s in document.sections]
    return dataclasses.replace(document, sections=tuple(sections))
