"""The PDF backend: notes on their call's page, outline, metadata, determinism,
and a URL fetcher that loads nothing outside the project."""

from __future__ import annotations

import collections
import datetime as dt
import io
import os
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from report import model as m
from report.errors import ReportError
from report.render.pdf import PdfRenderer, confined_fetcher
from tests.render.htmlpdf_support import L, context_for, loaded, shipped_project
from tests.render.weasyprint_support import besides_fallback_note


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return shipped_project(tmp_path_factory)


@pytest.fixture(scope="module")
def pdf(shipped):
    _, document, context = shipped
    renderer = PdfRenderer()
    data = renderer.render(document, context)
    return data, renderer


def page_notes(data: bytes):
    """Per page: the note numbers called there (superscript digits well below the
    body size) and the note numbers whose "N." marker starts a line in note size."""
    calls, markers, texts = {}, {}, {}
    with pdfplumber.open(io.BytesIO(data)) as doc:
        pages = [page.extract_words(extra_attrs=["size"]) for page in doc.pages]
        sizes = collections.Counter(round(w["size"], 1) for words in pages for w in words)
        body = sizes.most_common(1)[0][0]
        left = min(w["x0"] for words in pages for w in words)
        for index, (page, words) in enumerate(zip(doc.pages, pages)):
            calls[index] = [int(w["text"]) for w in words if w["size"] < 0.7 * body and w["text"].isdigit()]
            markers[index] = [int(w["text"][:-1]) for w in words if re.fullmatch(r"\d+\.", w["text"])
                              and 0.7 * body <= w["size"] < 0.9 * body and abs(w["x0"] - left) < 1]
            texts[index] = " ".join((page.extract_text() or "").split())
    return calls, markers, texts


def test_every_note_lands_on_its_calls_page(pdf, shipped):
    data, _ = pdf
    _, document, _ = shipped
    calls, markers, texts = page_notes(data)
    call_page = {n: i for i, ns in calls.items() for n in ns}
    note_page = {n: i for i, ns in markers.items() for n in ns}
    numbers = [f.number for f in document.footnotes()]
    assert sorted(call_page) == numbers and sorted(note_page) == numbers
    assert {n: note_page[n] for n in numbers} == {n: call_page[n] for n in numbers}
    for note in document.footnotes():
        start = " ".join(m.plain_text(note.children).split())[:30]
        assert start in texts[call_page[note.number]]


def test_layout_title_contents_header_footer(pdf, shipped):
    data, _ = pdf
    _, document, _ = shipped
    with pdfplumber.open(io.BytesIO(data)) as doc:
        pages = [" ".join((p.extract_text() or "").split()) for p in doc.pages]
    assert len(pages) >= 4
    assert document.metadata.title in pages[0] and "Page 1" not in pages[0]
    assert "CONTENTS" in pages[1]
    for i, text in enumerate(pages[1:], start=2):
        assert f"Page {i} of {len(pages)}" in text
        assert text.startswith(document.metadata.title[:40])  # the running header
    # The contents give each section's real page.
    reader = PdfReader(io.BytesIO(data))
    for item in reader.outline:
        assert re.search(re.escape(item.title) + r"[ .]*" + str(reader.get_destination_page_number(item) + 1), pages[1])


def test_outline_and_metadata(pdf, shipped):
    data, _ = pdf
    _, document, _ = shipped
    reader = PdfReader(io.BytesIO(data))
    titled = [s.title for s in document.sections if s.title]
    assert [item.title for item in reader.outline] == titled
    assert reader.metadata.title == document.metadata.title
    assert reader.metadata.author == document.metadata.organization
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    # The shipped report has no date and this build no SOURCE_DATE_EPOCH: no date at all.
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata


def test_only_the_configured_family_is_embedded(pdf, shipped):
    data, renderer = pdf
    fonts = {f["/BaseFont"] for page in PdfReader(io.BytesIO(data)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("Noto-Serif" in name for name in fonts)
    assert besides_fallback_note(renderer.diagnostics) == []


def test_two_renders_are_byte_identical(pdf, shipped):
    _, document, context = shipped
    assert PdfRenderer().render(document, context) == pdf[0]


def test_timestamp_becomes_the_pdf_dates(make_project):
    root = make_project()
    document, _ = loaded(root)
    stamp = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    meta = PdfReader(io.BytesIO(PdfRenderer().render(document, context_for(root, stamp)))).metadata
    assert meta.creation_date == stamp and meta.modification_date == stamp


def test_note_numbers_come_from_the_model(make_project):
    root = make_project()
    _, context = loaded(root)
    notes = [m.Footnote(n, (m.Text(f"Note number {n}.", L),), (), L) for n in (5, 6)]
    para = m.Paragraph((m.Text("A claim of the report " * 10, L), notes[0], m.Text(" and claim", L), notes[1], m.Text(".", L)), L)
    doc = m.Document(m.Metadata("T", None, "en", None), (m.Section("s", "S", (para,), L),))
    calls, markers, texts = page_notes(PdfRenderer().render(doc, context))
    assert [n for ns in calls.values() for n in ns] == [5, 6]
    assert [n for ns in markers.values() for n in ns] == [5, 6]


def test_nothing_is_printed(make_project, capfd):
    root = make_project({"templates/report.css": "p { colr: red }\n"})
    document, context = loaded(root)
    renderer = PdfRenderer()
    renderer.render(document, context)
    assert capfd.readouterr() == ("", "")
    found = besides_fallback_note(renderer.diagnostics)
    assert [w.code for w in found] == ["PDF003"]
    assert (found[0].location.path, found[0].location.line) == ("templates/report.css", 1)


def render_error(root):
    document, context = loaded(root)
    with pytest.raises(ReportError) as caught:
        PdfRenderer().render(document, context)
    return caught.value.diagnostics


CSS = (
    "body { background: url(file:///etc/passwd); }\n",
    "body { background: url(../../../../../../../../etc/passwd); }\n",
    "body { background: url(https://example.org/bg.png); }\n",
    "body { background: url(data:image/png;base64,iVBORw0KGgo=); }\n",
    "body { background: url(/etc/passwd); }\n",
)


def test_an_import_is_refused(make_project):
    [diagnostic] = render_error(make_project({"templates/report.css": "@import url(https://example.org/x.css);\n"}))
    assert diagnostic.code == "PDF001" and (diagnostic.location.path, diagnostic.location.line) == ("templates/report.css", 1)


@pytest.mark.parametrize("css", CSS)
def test_css_urls_outside_the_project_are_refused(make_project, css):
    root = make_project({"templates/report.css": "p { color: black }\n" + css})
    [diagnostic] = render_error(root)
    assert diagnostic.code == "PDF001" and "cannot load" in diagnostic.message
    assert (diagnostic.location.path, diagnostic.location.line) == ("templates/report.css", 2)


def test_an_image_in_the_template_is_refused(make_project):
    template = '<!DOCTYPE html><html lang="{{ lang }}"><title>{{ title }}</title>\n<img src="file:///etc/passwd" alt="">\n{{ body }}\n'
    [diagnostic] = render_error(make_project({"templates/report.html.j2": template}))
    assert diagnostic.code == "PDF001" and "file:///etc/passwd" in diagnostic.message
    assert (diagnostic.location.path, diagnostic.location.line) == ("templates/report.html.j2", 2)


def test_a_symlink_out_of_the_project_is_refused(make_project):
    root = make_project({"templates/report.css": "body { background: url(templates/bg.png); }\n"})
    os.symlink("/etc/passwd", root / "templates" / "bg.png")
    [diagnostic] = render_error(root)
    assert diagnostic.code == "PDF001" and "outside the project folder" in diagnostic.message


def test_a_missing_project_file_is_an_error_not_a_skip(make_project):
    [diagnostic] = render_error(make_project({"templates/report.css": "body { background: url(nope.png); }\n"}))
    assert diagnostic.code == "PDF001" and "No such file" in diagnostic.message


def test_fetcher_rules(tmp_path):
    font = tmp_path / "elsewhere" / "font.ttf"
    font.parent.mkdir()
    font.write_bytes(b"x")
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "a.png").write_bytes(b"x")
    fetcher = confined_fetcher(tmp_path / "root", [font])
    assert fetcher.refusal((tmp_path / "root" / "a.png").as_uri()) is None
    assert fetcher.refusal(font.as_uri()) is None
    for url in ("file:///etc/passwd", (tmp_path / "root" / ".." / "elsewhere" / "x").as_uri(),
                "http://example.org/", "data:text/plain,x", "ftp://x/y", "file://host/etc/passwd"):
        assert fetcher.refusal(url), url


def test_font_fallback_is_an_error(make_project):
    root = make_project({"templates/report.css": "p { font-family: monospace; }\n"})
    problems = render_error(root)
    assert {d.code for d in problems} == {"FNT002"}
    assert problems[0].message.startswith("font fallback used: ") and problems[0].location.path == "report.yaml"


def test_a_glyph_no_font_has_is_an_error(make_project):
    root = make_project({"sections/01-intro.md": "---\ntitle: Intro\n---\n\nText with \U0001F99C here.\n"})
    assert "FNT003" in {d.code for d in render_error(root)}


def test_a_long_table_repeats_its_header_on_each_page(make_project):
    root = make_project()
    _, context = loaded(root)
    note = m.Footnote(1, (m.Text("A note called from a cell.", L),), (), L)
    header = tuple((m.Text(word, L),) for word in ("Yearcolumn", "Eventcolumn", "Sourcecolumn"))
    rows = tuple(((m.Text(f"row{i:02d}", L),), (m.Text(f"Event {i} " + "long text " * (i % 5), L),),
                  (m.Text("UN", L), note) if i == 30 else (m.Text(f"ref {i}", L),)) for i in range(40))
    table = m.Table(header, rows, L, caption=(m.Text("Table 1. Chronology", L),))
    doc = m.Document(m.Metadata("T", None, "en", None), (m.Section("s", "S", (table,), L),))
    renderer = PdfRenderer()
    calls, markers, texts = page_notes(renderer.render(doc, context))
    assert besides_fallback_note(renderer.diagnostics) == []
    pages = [i for i, text in texts.items() if "row" in text]
    assert len(pages) >= 2
    for i in pages:  # the header row starts every page the table runs over
        assert texts[i].index("Yearcolumn Eventcolumn Sourcecolumn") < texts[i].index("row")
    body = " ".join(texts[i] for i in pages)
    assert [body.count(f"row{i:02d}") for i in range(40)] == [1] * 40 and body.count("Table 1. Chronology") == 1
    # The note called from a cell sits at the foot of that cell's page.
    [call_page] = [i for i, ns in calls.items() if 1 in ns]
    assert "row30" in texts[call_page] and 1 in markers[call_page]


def font_project(make_project, files: str, extra: dict):
    yaml = ("title: T\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\n"
            f"fonts:\n  family: X\n  files:\n{files}")
    return make_project({"report.yaml": yaml, **extra})


def test_a_font_file_that_cannot_be_loaded_is_fnt002_at_its_face(make_project):
    noto = "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"
    root = font_project(make_project, f"    bold: {noto}\n    regular: my.ttf\n", {"my.ttf": "garbage\n"})
    [diagnostic] = render_error(root)
    assert diagnostic.code == "FNT002" and "my.ttf" in diagnostic.message and "regular" in diagnostic.message
    assert (diagnostic.location.path, diagnostic.location.line) == ("report.yaml", 9)
    # Two broken faces: one error each, at each face's own line.
    root = font_project(make_project, "    regular: my.ttf\n    italic: fonts/it.otf\n",
                        {"my.ttf": "garbage\n", "fonts/it.otf": b"\x00\x01\x00\x00junk"})
    problems = sorted(render_error(root), key=lambda d: d.location)
    assert [(d.code, d.location.line) for d in problems] == [("FNT002", 8), ("FNT002", 9)]
    assert "my.ttf" in problems[0].message and "fonts/it.otf" in problems[1].message


def test_bookmarks_leave_footnotes_out(make_project):
    section = "---\ntitle: Intro\n---\n\nText.\n\n## Sub *heading*^[The heading's note.]\n\nMore text.\n"
    root = make_project({"sections/01-intro.md": section})
    document, context = loaded(root)
    reader = PdfReader(io.BytesIO(PdfRenderer().render(document, context)))
    [intro, children] = reader.outline
    assert intro.title == "Intro" and [child.title for child in children] == ["Sub heading"]


def test_full_garbage_collections_are_rare_while_weasyprint_works_and_as_before_after(shipped, monkeypatch):
    import gc

    import weasyprint

    _, document, context = shipped
    seen = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render",
                        lambda self, *a, **k: seen.append(gc.get_threshold()) or render(self, *a, **k))
    before = gc.get_threshold()
    PdfRenderer().render(document, context)
    assert seen and seen[0][:2] == before[:2] and seen[0][2] >= 100
    assert gc.get_threshold() == before
