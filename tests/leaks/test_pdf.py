"""Leaks planted in a real PDF (the small project's, written by WeasyPrint, then changed
with pypdf), and names that WeasyPrint's own layout breaks across lines and pages: each
found once, at its place and page; the PDF as built has none."""

from __future__ import annotations

import io
import json

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link, Text
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject,
                           StreamObject, TextStringObject)

from tests.leaks.conftest import HYPHENATED
from tests.leaks.support import NAME, jpeg, leak, lines, rezip, xmp_packet


def planted(pdf: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def structure_element(writer: PdfWriter) -> tuple[DictionaryObject, int]:
    """A paragraph of the structure tree and its 1-based page."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(writer.pages, 1)}
    for obj in writer._objects:
        if isinstance(obj, DictionaryObject) and obj.get("/S") == "/P" and "/Pg" in obj:
            return obj, pages[obj.raw_get("/Pg").idnum]
    raise AssertionError("no paragraph in the structure tree")


def set_xmp(writer: PdfWriter) -> None:
    stream = DecodedStreamObject()
    stream.set_data(xmp_packet(NAME))
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)


def add_image(writer: PdfWriter) -> None:
    """A JPEG image XObject (DCTDecode: the file's bytes as they are) whose EXIF names the artist."""
    image = StreamObject()
    image._data = jpeg(exif={0x013B: NAME})
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(24), NameObject("/Height"): NumberObject(16),
                  NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8),
                  NameObject("/Filter"): NameObject("/DCTDecode")})
    resources = writer.pages[0]["/Resources"]
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject())
    xobjects[NameObject("/ImLeak")] = writer._add_object(image)


def add_marked_content(writer: PdfWriter) -> None:
    """A marked-content span on page 2 whose /ActualText replaces what it shows."""
    content = DecodedStreamObject()
    content.set_data(b"/Span <</ActualText (" + NAME.encode() + b")>> BDC EMC")
    page = writer.pages[1]
    page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), writer._add_object(content)])


def add_alt(writer: PdfWriter) -> int:
    element, page = structure_element(writer)
    element[NameObject("/Alt")] = TextStringObject(f"Photo of {NAME}")
    return page


def add_actual_text(writer: PdfWriter) -> int:
    element, page = structure_element(writer)
    element[NameObject("/ActualText")] = TextStringObject(NAME)
    return page


PLANTS = {
    "outline": (lambda w: w.add_outline_item(title=f"Testimony of {NAME}", page_number=2), "outline"),
    "document information": (lambda w: w.add_metadata({"/Author": NAME}), "document information"),
    "custom information key": (lambda w: w.add_metadata({"/Witness": NAME}), "document information"),
    "XMP metadata": (set_xmp, "XMP metadata"),
    "attachment": (lambda w: w.add_attachment("witness.txt", f"Interview with {NAME}".encode()),
                   "attachment witness.txt"),
    "attachment's name": (lambda w: w.add_attachment("zarifa-mammadova.txt", b"notes"), "attachment zarifa-mammadova.txt"),
    # JSON escapes and a line break inside the name: read as JSON, they hide nothing.
    "attachment JSON": (lambda w: w.add_attachment("notes.json", json.dumps({"who": "Zarif\u00e1\nMammadova"}).encode()),
                        "attachment notes.json"),
    "link URI": (lambda w: w.add_annotation(1, Link(rect=(50, 50, 200, 80), url="https://example.org/p/Zarifa%20Mammadova")),
                 "link on page 2"),
    "annotation": (lambda w: w.add_annotation(0, Text(rect=(50, 50, 80, 80), text=f"Ask {NAME}")), "annotation on page 1"),
    "image EXIF": (add_image, "image metadata"),
    "marked content": (add_marked_content, "actual text on page 2"),
}


def test_the_pdf_as_built_has_no_leak(small_build):
    assert lines({"report.pdf": small_build["report.pdf"]}) == []


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_a_leak_planted_in_the_pdf_is_found(small_build, kind):
    change, place = PLANTS[kind]
    assert lines({"report.pdf": planted(small_build["report.pdf"], change)}) == [leak(f"report.pdf, {place}")]


@pytest.mark.parametrize("change, label", [(add_alt, "alternative text"), (add_actual_text, "actual text")])
def test_the_structure_trees_alternative_and_actual_text(small_build, change, label):
    pages = []
    pdf = planted(small_build["report.pdf"], lambda writer: pages.append(change(writer)))
    assert lines({"report.pdf": pdf}) == [leak(f"report.pdf, {label} on page {pages[0]}")]


def test_a_docx_attached_to_the_pdf_is_read_as_a_docx(small_build):
    annex = rezip(small_build["report.docx"], lambda members: members.update({"docProps/core.xml": (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{NAME}</dc:creator></cp:coreProperties>').encode()}))
    pdf = planted(small_build["report.pdf"], lambda w: w.add_attachment("annex.docx", annex))
    assert lines({"report.pdf": pdf}) == [
        leak("report.pdf, attachment annex.docx, document properties (docProps/core.xml)")]


def test_cyrillic_in_the_outline_is_found(small_build):
    """pypdf writes a non-Latin title as UTF-16 with its byte order mark."""
    pdf = planted(small_build["report.pdf"], lambda w: w.add_outline_item(title="Показания Ильи Ёлкина", page_number=2))
    assert lines({"report.pdf": pdf}, "ИЛЬИ ЕЛКИНА") == [leak("report.pdf, outline", "ИЛЬИ ЕЛКИНА")]


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def test_a_name_hyphenated_and_broken_across_lines_by_weasyprint(narrow_pdf):
    texts = page_texts(narrow_pdf)
    page = next(n for n, text in enumerate(texts, 1) if "Maximiliane" in text)
    # The layout really breaks it: the first name ends a line, the surname is hyphenated
    # (U+2010, WeasyPrint's hyphen) across the next two lines.
    assert "Maximiliane\nOberhollenzer\u2010\nberger" in texts[page - 1]
    assert not any("Oberhollenzerberger" in text for text in texts)
    assert lines({"report.pdf": narrow_pdf}, HYPHENATED, "Oberhollenzerberger") == [
        leak(f"report.pdf, page {page}", HYPHENATED), leak(f"report.pdf, page {page}", "Oberhollenzerberger")]
    # A fragment is no word: "Oberhollenzer" alone is not there.
    assert lines({"report.pdf": narrow_pdf}, "Oberhollenzer", "berger") == []


def test_a_name_broken_across_two_pages_is_found_on_the_first(page_split_pdf):
    pdf, page = page_split_pdf
    texts = page_texts(pdf)
    assert texts[page - 1].split("\n")[-2] == "Zarifa"  # the body's last line, before "Page 3 of 5"
    assert "Mammadova" in texts[page].split("\n")[:3] and "Zarifa Mammadova" not in "".join(texts)
    assert lines({"report.pdf": pdf}) == [leak(f"report.pdf, page {page}")]


def test_pypdf_reads_the_planted_pdfs(small_build):
    """The planted files are real PDFs (another reader opens them)."""
    pdf = planted(small_build["report.pdf"], PLANTS["attachment"][0])
    assert PdfReader(io.BytesIO(pdf)).attachments == {"witness.txt": [f"Interview with {NAME}".encode()]}
