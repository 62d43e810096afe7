"""Word files with pictures, captions and cross-references, made as Word writes them.

python-docx writes the picture (``wp:inline`` with ``wp:docPr``, ``a:blip r:embed`` and
a relationship to ``word/media/image1.png``); the captions are Word's: a *Caption*
paragraph "Figure " + a complex ``SEQ Figure`` field + ": text", inside a ``_Ref``
bookmark, and a reference is a ``REF _Ref… \\h`` field whose result is "Figure 1" (or
"1" after the typed word). :func:`rewrite` edits a saved file's parts for the hostile cases.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm
from PIL import Image

ALT = "A barrier across the road"


def png(width: int = 120, height: int = 80, colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _run(paragraph, text: str | None = None, char: str | None = None, instr: str | None = None):
    run = OxmlElement("w:r")
    if char:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), char)
        run.append(element)
    elif instr is not None:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instr
        run.append(element)
    else:
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = text
        run.append(element)
    paragraph._p.append(run)


def field(paragraph, instr: str, result: str, simple: bool = False) -> None:
    """A field as Word writes it: complex (begin, code, separate, result, end) or ``w:fldSimple``."""
    if simple:
        element = OxmlElement("w:fldSimple")
        element.set(qn("w:instr"), f" {instr} ")
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = result
        run.append(t)
        element.append(run)
        paragraph._p.append(element)
        return
    _run(paragraph, char="begin")
    _run(paragraph, instr=f" {instr} ")
    _run(paragraph, char="separate")
    _run(paragraph, result)
    _run(paragraph, char="end")


def bookmark(paragraph, mark_id: int, name: str | None) -> None:
    """A bookmark start (``name``) or end (``name`` None) at the paragraph's end."""
    element = OxmlElement("w:bookmarkStart" if name else "w:bookmarkEnd")
    element.set(qn("w:id"), str(mark_id))
    if name:
        element.set(qn("w:name"), name)
    paragraph._p.append(element)


def caption(document, word: str, number: str, text: str, mark: tuple[int, str] | None = None,
            seq: str | None = None, simple: bool = False, separator: str = ": "):
    """"Figure 1: text" in the Caption style, its label and number inside ``mark``."""
    paragraph = document.add_paragraph(style="Caption")
    if mark:
        bookmark(paragraph, mark[0], mark[1])
    _run(paragraph, word + " ")
    field(paragraph, f"SEQ {seq or word} \\* ARABIC", number, simple)
    if mark:
        bookmark(paragraph, mark[0], None)
    _run(paragraph, separator + text)
    return paragraph


def reference(document, before: str, mark: str, result: str, after: str, simple: bool = False):
    paragraph = document.add_paragraph(before)
    field(paragraph, f"REF {mark} \\h", result, simple)
    _run(paragraph, after)
    return paragraph


def picture(document, data: bytes, alt: str | None = ALT, width=Cm(8)):
    shape = document.add_picture(io.BytesIO(data), width=width)
    if alt is not None:
        shape._inline.docPr.set("descr", alt)
    return shape


def gate_document(path, reference_result: str = "Figure 1", typed: str = "As "):
    """The brief's file: a reference, a picture and its caption after it."""
    document = docx.Document()
    document.add_heading("Findings", 1)
    reference(document, typed, "_Ref123456789", reference_result, " shows, the gate is closed.")
    picture(document, png())
    caption(document, "Figure", "1", "Gate of the prison", (7, "_Ref123456789"))
    document.add_paragraph("The end.")
    document.save(path)
    return path


def table_document(path):
    """A table with its caption above it (a simple SEQ field), referred to twice."""
    document = docx.Document()
    document.add_heading("Counts", 1)
    reference(document, "See ", "_Ref2", "Table 1", " for the counts.", simple=True)
    caption(document, "Table", "1", "Journalists held, by quarter", (3, "_Ref2"), simple=True)
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ("Quarter", "Held", "January–March", "4")):
        cell.text = text
    reference(document, "As table ", "_Ref2", "1", " shows, four were held.")
    document.save(path)
    return path


def rewrite(path, changes: dict[str, bytes | None]) -> None:
    """Replace (bytes) or remove (None) parts of the saved file at ``path``."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in changes.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def part(path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">'
       b'<rect width="120" height="80" fill="#c81e1e"/></svg>')


def with_svg(document, shape, data: bytes = SVG) -> None:
    """Word 2016's SVG picture: the PNG blip keeps an ``asvg:svgBlip`` to an SVG part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    asvg = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
    svg_part = Part(PackURI("/word/media/image9.svg"), "image/svg+xml", data, document.part.package)
    rid = document.part.relate_to(svg_part, RT.IMAGE)
    blip = shape._inline.find(f".//{{{a}}}blip")
    ext = etree.SubElement(etree.SubElement(blip, f"{{{a}}}extLst"), f"{{{a}}}ext",
                           uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}")
    etree.SubElement(ext, f"{{{asvg}}}svgBlip", nsmap={"asvg": asvg}).set(qn("r:embed"), rid)


def anchored(shape) -> None:
    """Make an inline picture a floating one (``wp:anchor``), as "Wrap text: Square" does."""
    from lxml import etree

    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    inline = shape._inline
    anchor = etree.Element(f"{{{wp}}}anchor", behindDoc="0", distT="0", distB="0", distL="114300", distR="114300",
                           simplePos="0", locked="0", layoutInCell="1", allowOverlap="1", relativeHeight="1")
    etree.SubElement(anchor, f"{{{wp}}}simplePos", x="0", y="0")
    for axis, relative in (("H", "column"), ("V", "paragraph")):
        position = etree.SubElement(anchor, f"{{{wp}}}position{axis}", relativeFrom=relative)
        etree.SubElement(position, f"{{{wp}}}posOffset").text = "0"
    for child in list(inline):
        anchor.append(child)
    wrap = etree.Element(f"{{{wp}}}wrapSquare", wrapText="bothSides")
    after = anchor.find(f"{{{wp}}}effectExtent")
    (after if after is not None else anchor.find(f"{{{wp}}}extent")).addnext(wrap)
    inline.getparent().replace(inline, anchor)
