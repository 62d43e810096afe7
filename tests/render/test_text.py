"""Text shared by the backends: what no output may carry, and which links go live."""

from __future__ import annotations

import io
import textwrap
import zipfile

import lxml.html
import pdfplumber
import pytest

from report.render import html_writer
from report.render.docx import DocxRenderer
from report.render.docx import inlines as docx_inlines
from report.render.html import HtmlRenderer
from report.render.pdf import PdfRenderer
from report.render.text import plain_label, safe_href, visible
from tests.conftest import MINIMAL
from tests.render.htmlpdf_support import loaded

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e"


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_bidi_embeddings_and_overrides_are_dropped(control):
    assert visible(f"Report{control} of the UN") == "Report of the UN"


def test_other_text_is_kept():
    kept = "Aze\u0301rbaijan \u0622\u0630\u0631 \u2066isolated\u2069 \u200fmark \u00a0nbsp \u2029 \U0001F99C"
    assert visible(kept) == kept
    assert visible("bell\x07 c1\x85 nonchar\ufffe\U0001fffe") == "bell c1 nonchar"
    assert plain_label(" A\n\tB \u202e C ") == "A B C"


def test_one_link_rule_for_every_backend():
    assert html_writer.safe_href is safe_href and docx_inlines.safe_href is safe_href
    assert safe_href(" HTTPS://x.org/a ") == "HTTPS://x.org/a" and safe_href("mailto:a@b.org") == "mailto:a@b.org"
    for href in ("javascript:alert(1)", "java\nscript:alert(1)", " JaVa\tScript:x", "data:text/html,x",
                 "file:///etc/passwd", "/relative", "ftp://x.org/", "http://[::1"):
        assert safe_href(href) is None, href
    assert safe_href("https://x.org/\u202e\x07a") == "https://x.org/a"

# The minimal project's registry, its first title wrapped in a right-to-left override.
REGISTRY = textwrap.dedent(MINIMAL["references/sources.yaml"]).replace(
    "title: A Report", 'title: "Annual \u202eReport\u202c on Detention"')


def test_a_registry_title_with_an_override_renders_without_it(make_project):
    root = make_project({"references/sources.yaml": REGISTRY})
    document, context = loaded(root)
    [note] = [n for n in document.footnotes() if n.cites and n.cites[0].key == "un-2020"]

    html = HtmlRenderer().render(document, context).decode("utf-8")
    assert not set(BIDI_CONTROLS) & set(html)
    endnote = lxml.html.document_fromstring(html).get_element_by_id(f"fn-{note.number}").text_content()
    assert "Annual Report on Detention" in endnote

    with zipfile.ZipFile(io.BytesIO(DocxRenderer().render(document, context))) as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
    assert not set(BIDI_CONTROLS) & set(notes) and "Annual " in notes and "Report" in notes

    with pdfplumber.open(io.BytesIO(PdfRenderer().render(document, context))) as pdf:
        text = " ".join(" ".join((page.extract_text() or "") for page in pdf.pages).split())
    assert not set(BIDI_CONTROLS) & set(text)
    assert "Annual Report on Detention" in text


def test_metadata_and_section_titles_pass_through_visible(make_project):
    yaml = ("title: The \u202eReport\nsubtitle: Sub\u202dtitle\norganization: Org\u202b\nlanguage: en\n"
            "sections: [01-intro.md]\ncitation-style: templates/notes.csl\n")
    section = "---\ntitle: Intro\u202e duction\n---\n\nText.\n"
    root = make_project({"report.yaml": yaml, "sections/01-intro.md": section})
    document, context = loaded(root)
    html = HtmlRenderer().render(document, context).decode("utf-8")
    assert not set(BIDI_CONTROLS) & set(html)
    tree = lxml.html.document_fromstring(html)
    assert tree.findtext(".//title") == "The Report" and tree.xpath("//nav//a")[0].text == "Intro duction"
    with zipfile.ZipFile(io.BytesIO(DocxRenderer().render(document, context))) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                assert not set(BIDI_CONTROLS) & set(archive.read(name).decode("utf-8")), name
