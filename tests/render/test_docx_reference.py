"""The DOCX title page, placeholders and document properties from the reference
document, and note references inside hyperlinks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from lxml import etree

from report import model as m
from report.config import load_config
from report.diagnostics import Location
from report.errors import ReportError
from report.render.base import RenderContext
from report.render.docx import DocxRenderer
from tests.render.docx_support import (
    HERE,
    NS,
    R_ID,
    body_of,
    document,
    reference_with,
    render,
    text,
    visible,
    wa,
)

APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
DCTERMS = "{http://purl.org/dc/terms/}"
STATISTICS = ("Pages", "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs", "TotalTime",
              "AppVersion", "HeadingPairs", "TitlesOfParts")


@pytest.fixture
def context(make_project):
    return RenderContext(load_config(make_project()), None)


def title_page(parts):
    """(style, text) of each paragraph before the title page's page break."""
    out = []
    for p in body_of(parts).findall("w:p", NS):
        if p.find("w:r/w:br[@w:type='page']", NS) is not None:
            return out
        style = p.find("w:pPr/w:pStyle", NS)
        out.append((None if style is None else style.get(wa("val")), visible(p)))
    raise AssertionError("no page break after the title page")


def test_title_page_has_subtitle_organization_and_date(context):
    metadata = m.Metadata("The Title", "The Org", "en", dt.date(2024, 5, 1), subtitle="The <Subtitle>")
    parts = render(context, document(metadata=metadata))
    assert title_page(parts) == [("Title", "The Title"), ("Subtitle", "The <Subtitle>"),
                                 ("Organization", "The Org"), ("Date", "May 1, 2024")]
    assert b"{%" not in parts["word/document.xml"] and b"{{" not in parts["word/document.xml"]


def test_empty_title_page_values_leave_no_empty_paragraph(context):
    parts = render(context, document(metadata=m.Metadata("Only a title", None, "en", None)))
    assert title_page(parts) == [("Title", "Only a title")]


@pytest.mark.parametrize("part, placeholder", [("word/document.xml", b"{{ title }}"),
                                               ("word/header1.xml", b"{{ short_title }}")])
def test_a_mistyped_placeholder_is_tpl002_naming_its_part(make_project, part, placeholder):
    def edit(name, data):
        if name == part:
            assert placeholder in data
            return data.replace(placeholder, b"{{ titel }}")
        return None if name == "+" else data

    context = RenderContext(load_config(make_project({"templates/reference.docx": reference_with(edit)})), None)
    with pytest.raises(ReportError) as caught:
        DocxRenderer().render(document(), context)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "TPL002" and diagnostic.location == Location("templates/reference.docx", 1, 1)
    assert "'titel' is undefined" in diagnostic.message and part in diagnostic.message


def test_app_properties_name_report_and_drop_word_statistics(context):
    app = etree.fromstring(render(context, document())["docProps/app.xml"])
    assert app.findtext(f"{APP}Application") == "report"
    assert app.findtext(f"{APP}Company") == "Org & Co"
    assert [name for name in STATISTICS if app.find(APP + name) is not None] == []


def test_no_timestamp_means_no_date_in_core_properties(context):
    data = DocxRenderer().render(document(), context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert core.find(f"{DCTERMS}created") is None and core.find(f"{DCTERMS}modified") is None
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == 'A <Minimal> & "Report"'
    stamped = RenderContext(context.config, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc))
    with zipfile.ZipFile(io.BytesIO(DocxRenderer().render(document(), stamped))) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    assert core.findtext(f"{DCTERMS}created") == core.findtext(f"{DCTERMS}modified") == "2023-11-14T22:13:20Z"


def test_a_note_inside_a_link_is_a_reference_run_of_the_hyperlink(context):
    note = m.Footnote(1, (text("The note."),), (), HERE)
    only = m.Footnote(2, (text("Another."),), (), HERE)
    para = m.Paragraph((m.Link("https://x.org", (text("see"), m.Emph((note,), HERE)), HERE),
                        m.Link("https://y.org/", (only,), HERE)), HERE)
    parts = render(context, document(para))
    first, second = [h for h in body_of(parts).iter(wa("hyperlink")) if h.get(R_ID) is not None]
    runs = first.findall("w:r", NS)
    assert [etree.QName(c).localname for c in runs[1]] == ["rPr", "footnoteReference"]
    assert [r.get(wa("val")) for r in runs[1].find("w:rPr", NS)] == ["FootnoteReference"]
    assert runs[1].find("w:footnoteReference", NS).get(wa("id")) == "1" and runs[1].find("w:t", NS) is None
    assert visible(runs[0]) == "see"
    # A link whose only content is a note shows its address before the reference.
    runs = second.findall("w:r", NS)
    assert visible(runs[0]) == "https://y.org/" and runs[1].find("w:footnoteReference", NS).get(wa("id")) == "2"
    notes = etree.fromstring(parts["word/footnotes.xml"])
    assert [n.get(wa("id")) for n in notes.findall("w:footnote", NS)][-2:] == ["1", "2"]


def test_a_prepared_reference_is_used_once_and_never_when_the_file_changed(make_project):
    """A worker opens reference.docx before the render (template.prepare); the render
    takes it only if the file is unchanged since, and only once."""
    import os

    from report.render.docx import template

    def retitled(name, data):
        if name == "word/document.xml":
            return data.replace(b"{{ title }}", b"Edited {{ title }}")
        return None if name == "+" else data

    context = RenderContext(load_config(make_project()), None)
    path = context.config.template("docx")[0]
    metadata = m.Metadata("The Title", None, "en", None)
    try:
        template.prepare(path)
        assert len(template._prepared) == 1
        assert title_page(render(context, document(metadata=metadata))) == [("Title", "The Title")]
        assert template._prepared == {}  # used up: a second render reads the file again

        template.prepare(path)
        stat = path.stat()
        path.write_bytes(reference_with(retitled))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
        assert title_page(render(context, document(metadata=metadata))) == [("Title", "Edited The Title")]
    finally:
        template._prepared.clear()


def test_preparing_a_broken_reference_leaves_the_error_to_the_render(make_project):
    from report.render.docx import template

    context = RenderContext(load_config(make_project({"templates/reference.docx": b"not a zip"})), None)
    template.prepare(context.config.template("docx")[0])
    assert template._prepared == {}
    with pytest.raises(ReportError) as caught:
        DocxRenderer().render(document(), context)
    assert [d.code for d in caught.value.diagnostics] == ["TPL003"]
