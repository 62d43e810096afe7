"""The DOCX renderer on small hand-made documents: every node kind, unsafe input,
broken reference documents."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx
import pytest
from lxml import etree

from report import model as m
from report.config import load_config
from report.diagnostics import Location
from report.errors import ReportError
from report.render.base import RenderContext, UnknownNodeError
from report.render.docx import DocxRenderer
from report.render.docx.properties import word_language
from tests.render.docx_support import (HERE, NS, R_ID, W, body_of, document, in_schema_order, paragraph_texts,
                                       reference_with, render, text, visible, wa)


@pytest.fixture
def context(make_project):
    return RenderContext(load_config(make_project()), None)


def test_unsafe_text_is_escaped_and_control_characters_dropped(context):
    parts = render(context, document(m.Paragraph((text('<b>&"\x07 done'),), HERE)))
    assert b"&lt;b&gt;&amp;" in parts["word/document.xml"]
    assert b"\x07" not in parts["word/document.xml"]
    assert '<b>&" done' in paragraph_texts(parts)
    # The title page went through docxtpl's autoescape.
    assert 'A <Minimal> & "Report"' in paragraph_texts(parts)


def test_only_web_and_mail_links_become_hyperlinks(context):
    links = [m.Link(href, (text(label),), HERE) for href, label in
             (("javascript:alert(1)", "js"), ("https://example.org/a?b=1&c=2", "web"),
              ("mailto:a@example.org", "mail"), ("file:///etc/passwd", "file"))]
    parts = render(context, document(m.Paragraph(tuple(links), HERE)))
    body = body_of(parts)
    hyperlinks = body.findall(".//w:p/w:hyperlink", NS)
    assert ["".join(h.itertext()) for h in hyperlinks if h.get(wa("anchor")) is None] == ["web", "mail"]
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {r.get("Target") for r in rels if r.get("TargetMode") == "External"}
    assert targets == {"https://example.org/a?b=1&c=2", "mailto:a@example.org"}
    assert "jsweb" in "".join(paragraph_texts(parts)).replace("mail", "")


def test_inline_formatting(context):
    para = m.Paragraph((m.Emph((text("it"), m.Strong((text("both"),), HERE)), HERE), m.Code("x = 1", HERE),
                        m.Span((text("span"),), None, ("provision",), (), HERE), m.LineBreak(HERE), text("end")), HERE)
    p = [p for p in body_of(render(context, document(para))).iter(wa("p")) if "span" in "".join(p.itertext())][0]
    runs = p.findall("w:r", NS)
    props = [sorted(etree.QName(c).localname for c in r.find("w:rPr", NS)) if r.find("w:rPr", NS) is not None else []
             for r in runs]
    assert props[0] == ["i", "iCs"] and props[1] == ["b", "bCs", "i", "iCs"]
    assert "rFonts" in props[2]
    assert runs[4].find("w:br", NS) is not None


def test_blocks_get_their_styles(context):
    doc = document(
        m.Heading(2, (text("Sub"),), "sub", HERE),
        m.Heading(5, (text("Deep"),), "deep", HERE),
        m.BlockQuote((m.Paragraph((text("quoted"),), HERE),), HERE),
        m.ListBlock(False, 1, ((m.Paragraph((text("apple"),), HERE),),
                               (m.Paragraph((text("pear"),), HERE),
                                m.ListBlock(True, 3, ((m.Paragraph((text("inner"),), HERE),),), HERE))), HERE),
        m.CodeBlock("line 1\n  line 2\n", HERE),
        m.ThematicBreak(HERE),
    )
    body = body_of(render(context, doc))
    by_text = {visible(p): p for p in body.iter(wa("p"))}

    def style(p):
        s = p.find("w:pPr/w:pStyle", NS)
        return None if s is None else s.get(wa("val"))

    assert style(by_text["Intro"]) == "Heading1"
    assert style(by_text["Sub"]) == "Heading2" and style(by_text["Deep"]) == "Heading3"
    assert style(by_text["quoted"]) == "BlockText"
    assert "•\tapple" in by_text and "•\tpear" in by_text and "3.\tinner" in by_text
    outer = int(by_text["•\tapple"].find("w:pPr/w:ind", NS).get(wa("left")))
    inner = int(by_text["3.\tinner"].find("w:pPr/w:ind", NS).get(wa("left")))
    assert inner > outer
    code = [p for t, p in by_text.items() if t.startswith("line 1")][0]
    assert code.find(".//w:br", NS) is not None and code.find("w:pPr/w:jc", NS).get(wa("val")) == "left"
    assert body.find(".//w:pBdr/w:bottom", NS) is not None


def test_untitled_section_has_no_heading_and_empty_contents(context):
    parts = render(context, document(m.Paragraph((text("alone"),), HERE), title=None))
    body = body_of(parts)
    assert body.find(".//w:pStyle[@w:val='Heading1']", NS) is None
    assert [f.get(wa("fldCharType")) for f in body.iter(wa("fldChar"))] == ["begin", "separate", "end"]


def test_links_and_formatting_inside_notes(context):
    note = m.Footnote(1, (text("See "), m.Emph((text("A Book"),), HERE), text(", "),
                          m.Link("https://example.org/x", (text("https://example.org/x"),), HERE)), (), HERE)
    parts = render(context, document(m.Paragraph((text("Claim"), note, text(".")), HERE)))
    notes = etree.fromstring(parts["word/footnotes.xml"])
    link = notes.find(".//w:hyperlink", NS)
    rels = etree.fromstring(parts["word/_rels/footnotes.xml.rels"])
    assert [r.get("Target") for r in rels if r.get("Id") == link.get(R_ID)] == ["https://example.org/x"]
    assert notes.find(".//w:footnote[@w:id='1']//w:i", NS) is not None


@pytest.mark.parametrize("node", [
    m.Citation((m.CiteItem("x", HERE),), HERE),
    m.Note((text("unnumbered"),), HERE),
])
def test_unresolved_nodes_fail_loudly(context, node):
    with pytest.raises(UnknownNodeError):
        DocxRenderer().render(document(m.Paragraph((node,), HERE)), context)


def test_a_footnote_inside_a_note_fails_loudly(context):
    inner = m.Footnote(2, (text("inner"),), (), HERE)
    outer = m.Footnote(1, (inner,), (), HERE)
    with pytest.raises(UnknownNodeError):
        DocxRenderer().render(document(m.Paragraph((outer,), HERE)), context)


def test_date_and_timestamp(make_project):
    import datetime as dt

    context = RenderContext(load_config(make_project()), dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc))
    metadata = m.Metadata("T", None, "en", dt.date(2024, 5, 1))
    data = DocxRenderer().render(document(metadata=metadata), context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 5, 1, 0, 0, 0)}
        assert b"May 1, 2024" in archive.read("word/document.xml")
        assert b"2024-05-01T00:00:00Z" in archive.read("docProps/core.xml")


@pytest.mark.parametrize("tag, expected", [
    ("en", "en-US"), ("en-GB", "en-GB"), ("az", "az-Latn-AZ"), ("ru", "ru-RU"), ("az-Cyrl", "az-Cyrl-AZ"),
    ("sr-Latn", "sr-Latn-RS"), ("zh", "zh-CN"), ("xx", "xx"),
])
def test_word_language(tag, expected):
    assert word_language(tag) == expected


# --- tables --------------------------------------------------------------------

def chronology(note=None):
    rows = [((text(str(1990 + i)),), (text(f"event {i}"),)) for i in range(3)]
    rows[1] = ((text("1991"),), (text("ceasefire"), note) if note else (text("ceasefire"),))
    header = ((text("Year"),), (m.Strong((text("Event <&>"),), HERE),))
    return m.Table(header, tuple(rows) + (((text("short row"),),),), HERE, caption=(text("Table 1 & co"),))


def test_table_is_a_word_table_with_a_repeating_bold_header(context, tmp_path):
    note = m.Footnote(1, (text("In a cell."),), (), HERE)
    parts = render(context, document(m.Paragraph((text("before"),), HERE), chronology(note)))
    body = body_of(parts)
    [tbl] = body.findall("w:tbl", NS)
    caption = tbl.getprevious()
    assert caption.find("w:pPr/w:pStyle", NS).get(wa("val")) == "Caption" and visible(caption) == "Table 1 & co"
    for element in [tbl, tbl.find("w:tblPr", NS), *tbl.iter(wa("tr"), wa("tc"), wa("tcPr"))]:
        assert in_schema_order(element), etree.QName(element).localname
    props = tbl.find("w:tblPr", NS)
    assert props.find("w:tblStyle", NS).get(wa("val")) == "TableGrid"
    assert (props.find("w:tblW", NS).get(wa("type")), props.find("w:tblW", NS).get(wa("w"))) == ("pct", "5000")
    cols = [c.get(wa("w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert len(cols) == 2 and len(set(cols)) == 1
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == 5 and [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True] + [False] * 4
    assert all(len(r.findall("w:tc", NS)) == 2 for r in rows)  # the short row is padded
    assert all(tc.find("w:p", NS) is not None and tc.find("w:tcPr/w:tcW", NS) is not None for tc in tbl.iter(wa("tc")))
    header_runs = [r for r in rows[0].iter(wa("r")) if r.find("w:t", NS) is not None]
    assert header_runs and all(r.find("w:rPr/w:b", NS) is not None for r in header_runs)
    assert "Event <&>" in [visible(p) for p in rows[0].iter(wa("p"))]
    reference = rows[2].find(".//w:footnoteReference", NS)
    assert reference is not None and reference.get(wa("id")) == "1"
    notes = etree.fromstring(parts["word/footnotes.xml"])
    assert "In a cell." in "".join(notes.find("w:footnote[@w:id='1']", NS).itertext())
    # python-docx (Word's object model) reads the table back.
    path = tmp_path / "t.docx"
    path.write_bytes(DocxRenderer().render(document(chronology(note)), context))
    table = docx.Document(str(path)).tables[0]
    assert table.rows[0].cells[0].text == "Year" and table.rows[0].cells[1].text == "Event <&>"
    assert table.rows[2].cells[1].text == "ceasefire" and table.rows[4].cells[1].text == ""


def test_tables_without_grid_style_touching_or_opening_the_body(make_project):
    def edit(name, data):
        if name == "word/styles.xml":
            return data.replace(b'w:styleId="TableGrid"', b'w:styleId="TableGridGone"')
        return None if name == "+" else data

    context = RenderContext(load_config(make_project({"templates/reference.docx": reference_with(edit)})), None)
    bare = dataclasses.replace(chronology(), caption=())
    body = body_of(render(context, document(bare, bare, m.BlockQuote((bare,), HERE), title=None)))
    tables = body.findall("w:tbl", NS)
    assert len(tables) == 3
    for tbl in tables:
        assert tbl.find("w:tblPr/w:tblStyle", NS) is None
        assert [etree.QName(b).localname for b in tbl.find("w:tblPr/w:tblBorders", NS)] == [
            "top", "left", "bottom", "right", "insideH", "insideV"]
        # Never two tables in a row (Word would join them), never a break inside a table.
        assert tbl.getprevious().tag == wa("p")
    assert tables[0].getprevious().find("w:pPr/w:pageBreakBefore", NS) is not None
    assert tables[2].find("w:tblPr/w:tblInd", NS).get(wa("w")) == "567"
    assert tables[2].find("w:tblPr/w:tblW", NS).get(wa("type")) == "dxa"


def test_an_empty_table_writes_no_rowless_table(context):
    body = body_of(render(context, document(m.Table((), (), HERE, caption=(text("Nothing"),)))))
    assert body.find(".//w:tbl", NS) is None and "Nothing" in [visible(p) for p in body.iter(wa("p"))]


# --- broken reference documents ---------------------------------------------------


def render_with_reference(make_project, data):
    root = make_project({"templates/reference.docx": data})
    context = RenderContext(load_config(root), None)
    with pytest.raises(ReportError) as caught:
        DocxRenderer().render(document(), context)
    return caught.value.diagnostics[0], context


@pytest.mark.parametrize("data, code", [
    (b"this is not a zip file", "TPL003"),
    (lambda n, d: None if n == "word/document.xml" else (None if n == "+" else d), "TPL003"),
    (lambda n, d: None if n == "+" else (b"<w:document" if n == "word/document.xml" else d), "TPL003"),
])
def test_corrupt_reference_is_located_error(make_project, data, code):
    payload = data if isinstance(data, bytes) else reference_with(data)
    diagnostic, context = render_with_reference(make_project, payload)
    assert diagnostic.code == code
    assert diagnostic.location == context.config.template("docx")[1]


def test_missing_reference_is_tpl001(make_project):
    # A reference document report.yaml names must exist (one it does not name falls
    # back to the package's: tests/test_default_templates.py).
    import textwrap

    from tests.conftest import MINIMAL

    yaml = textwrap.dedent(MINIMAL["report.yaml"]) + "templates:\n  docx: templates/reference.docx\n"
    root = make_project({"report.yaml": yaml})
    (root / "templates" / "reference.docx").unlink()
    context = RenderContext(load_config(root), None)
    with pytest.raises(ReportError) as caught:
        DocxRenderer().render(document(), context)
    assert caught.value.diagnostics[0].code == "TPL001"


def test_jinja_error_in_reference_is_tpl002(make_project):
    def edit(name, data):
        if name == "word/document.xml":
            return data.replace(b"{{ organization }}", b"{% if organization %}{{ organization }}")
        return None if name == "+" else data

    diagnostic, _ = render_with_reference(make_project, reference_with(edit))
    assert diagnostic.code == "TPL002"
    assert diagnostic.location == Location("templates/reference.docx", 1, 1)


def test_reference_footnotes_keep_separators_drop_notes(make_project):
    footnotes = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/>'
                 '</w:r><w:r><w:t>DESIGNER-SEP</w:t></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" '
                 'w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p>'
                 '<w:r><w:t>DESIGNER-NOTE</w:t></w:r></w:p></w:footnote></w:footnotes>').encode()
    rel = (b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'footnotes" Target="footnotes.xml"/></Relationships>')
    override = (b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.wordprocessingml.footnotes+xml"/></Types>')

    def edit(name, data):
        if name == "+":
            return {"word/footnotes.xml": footnotes}
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", rel)
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", override)
        return data

    root = make_project({"templates/reference.docx": reference_with(edit)})
    context = RenderContext(load_config(root), None)
    note = m.Footnote(1, (text("Ours"),), (), HERE)
    parts = render(context, document(m.Paragraph((text("Claim"), note), HERE)))
    notes = etree.fromstring(parts["word/footnotes.xml"]).findall("w:footnote", NS)
    assert [(n.get(wa("type")), n.get(wa("id"))) for n in notes] == [
        ("separator", "-1"), ("continuationSeparator", "0"), (None, "1")]
    assert "DESIGNER-SEP" in "".join(notes[0].itertext())
    assert b"DESIGNER-NOTE" not in parts["word/footnotes.xml"]
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert len(re.findall("relationships/footnotes", rels)) == 1
