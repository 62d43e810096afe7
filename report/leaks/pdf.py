"""The text of a PDF: its pages, and every string and embedded file of its objects.

:func:`pdf_chunks` takes the PDF's bytes and returns ``(place, text)`` pairs, the first
one's text a :class:`Pages` (each page's extracted text, in order, searched with the
PDF's line breaks and hyphenation in mind); then what :mod:`report.leaks.pdfobjects`
finds in the objects: the outline, the document information, the XMP metadata, the
attachments, link URIs, the structure tree's /Alt and /ActualText, image metadata.

The page text comes from pdfium (pypdfium2): about 2 ms a page, glyphs mapped to text
through the fonts' ToUnicode maps (WeasyPrint writes one for every subset font).
"""

from __future__ import annotations

from dataclasses import dataclass

from report.leaks.text import Place

PAGES = Place((0,), "")


@dataclass(frozen=True)
class Pages:
    """A PDF's page texts in page order, as pdfium extracts them (lines end in CRLF)."""

    texts: tuple[str, ...]


def page_texts(data: bytes) -> tuple[str, ...]:
    """The text of every page (pdfium's reading order: the body, then the notes, the
    running header and the page number, for WeasyPrint's pages)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return tuple(texts)
    finally:
        pdf.close()


def pdf_chunks(data: bytes, nested) -> list[tuple[Place, str | Pages]]:
    """``(place, text)`` pairs of a PDF (see the module docstring). ``nested(name, data)``
    returns the chunks of an attached file. Pages that pdfium cannot read, or objects
    that pypdf cannot, are searched as the file's raw bytes instead (a damaged PDF is
    published all the same)."""
    from report.leaks.images import raw_texts
    from report.leaks.pdfobjects import object_chunks

    raw = Place((-1,), "")
    try:
        chunks: list[tuple[Place, str | Pages]] = [(PAGES, Pages(page_texts(data)))]
    except Exception:  # noqa: BLE001 - see the docstring
        chunks = [(raw, text) for text in raw_texts(data)]
    try:
        chunks += object_chunks(data, nested)
    except Exception:  # noqa: BLE001 - see the docstring
        if chunks[0][0] != raw:
            chunks += [(raw, text) for text in raw_texts(data)]
    return chunks
