"""Reading the text a reader sees in each output: the HTML's text content, the DOCX's
``w:t`` runs (body and footnotes), the PDF's extracted text. Shared by the construct
corpus and the session-wide leak scan (tests/constructs/leaks.py)."""

from __future__ import annotations

import html as html_module
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_T, _P, _FOOTREF, _FOOTNOTE, _PSTYLE = (f"{{{W}}}{name}" for name in ("t", "p", "footnoteReference", "footnote", "pStyle"))
_VAL, _ID, _RPR = f"{{{W}}}val", f"{{{W}}}id", f"{{{W}}}rPr"
_BREAKS = {f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n", f"{{{W}}}tab": "\t"}


def _text(element) -> str:
    """The text of a paragraph's runs, breaks and tabs as white space."""
    return "".join(e.text or "" if e.tag == _T else _BREAKS[e.tag] for e in element.iter(_T, *_BREAKS))


def html_text(page: str) -> str:
    """The text content of an HTML page or fragment: no <style>, <script> or tags,
    entities decoded (what a reader sees, give or take white space)."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", page))


@dataclass
class DocxParagraph:
    text: str
    style: str
    notes: list[str] = field(default_factory=list)  # ids of the footnotes it calls
    props: set[str] = field(default_factory=set)  # run properties used in it (b, i, strike, smallCaps…)


def docx_parts(data: bytes) -> tuple[list[DocxParagraph], dict[str, str]]:
    """The body's paragraphs in document order (tables' included) and each footnote's text by id."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        body = etree.fromstring(archive.read("word/document.xml"))
        notes = etree.fromstring(archive.read("word/footnotes.xml")) if "word/footnotes.xml" in names else None
    paragraphs = []
    for p in body.iter(_P):
        style = p.find(f"{{{W}}}pPr/{_PSTYLE}")
        props = {etree.QName(prop).localname for rpr in p.iter(_RPR) for prop in rpr}
        paragraphs.append(DocxParagraph(_text(p),
                                        style.get(_VAL, "") if style is not None else "",
                                        [ref.get(_ID) for ref in p.iter(_FOOTREF)], props))
    footnotes = {}
    if notes is not None:
        for note in notes.iter(_FOOTNOTE):
            footnotes[note.get(_ID)] = " ".join(_text(p) for p in note.iter(_P))
    return paragraphs, footnotes


def docx_text(data: bytes) -> str:
    """Every paragraph's text (body, then footnotes), one a line."""
    paragraphs, footnotes = docx_parts(data)
    return "\n".join([p.text for p in paragraphs] + list(footnotes.values()))


def pdf_pages(data: bytes) -> list[str]:
    """Each page's extracted text (pypdfium2: a few ms a page)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


def read_outputs(folder: Path) -> dict[str, str]:
    """The reader's text of each ``report.{html,docx,pdf}`` in ``folder``, by file name."""
    found = {}
    for name in ("report.html", "report.docx", "report.pdf"):
        path = folder / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if name.endswith(".html"):
            found[name] = html_text(data.decode("utf-8", errors="replace"))
        elif name.endswith(".docx"):
            found[name] = docx_text(data)
        else:
            found[name] = "\n".join(pdf_pages(data))
    return found
