"""The text of a DOCX (and of any zip: an XLSX, an ODT, an EPUB), part by part.

:func:`zip_chunks` takes the zip's bytes and returns ``(place, text)`` pairs: for every
XML part its paragraphs (each built from its runs, so a name split across runs is one
string), its field codes (``w:instrText``), its other text (properties, math) and every
attribute value (alternative texts ``descr``/``title``, bookmark names, comment authors,
link targets in the ``.rels`` parts); for every image its metadata; for anything else
what :func:`report.leaks.files.file_chunks` finds in it. The zip's member names and
comment are searched too.
"""

from __future__ import annotations

import io
import re
import zipfile

from report.leaks.images import image_texts, is_image
from report.leaks.text import Place, with_unquoted
from report.leaks.xmltext import parser, raw_markup, xml_texts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_PARAGRAPHS = {f"{{{W}}}p", f"{{{A}}}p", f"{{{M}}}oMathPara"}
_TEXTS = {f"{{{ns}}}t" for ns in (W, A, M)} | {f"{{{W}}}delText"}
_SPACES = {f"{{{W}}}{name}" for name in ("tab", "br", "cr", "ptab")} | {f"{{{A}}}br"}
_INSTR = {f"{{{W}}}instrText", f"{{{W}}}delInstrText"}
_HYPHENS = {f"{{{W}}}noBreakHyphen": "-", f"{{{W}}}softHyphen": "\u00ad"}
_OTHER_TEXT = ("//text()[not(parent::w:t or parent::w:delText or parent::w:instrText or parent::w:delInstrText"
               " or parent::a:t or parent::m:t)]")

# What a reader would call each part, for the message ("report.docx, comments (word/comments.xml)").
_KINDS = [(r"word/document\d*\.xml$", "document"), (r"word/footnotes\.xml$", "footnotes"),
          (r"word/endnotes\.xml$", "endnotes"), (r"word/comments\w*\.xml$", "comments"),
          (r"word/header\d*\.xml$", "header"), (r"word/footer\d*\.xml$", "footer"),
          (r"docProps/", "document properties"), (r"\.rels$", "relationships"), (r"customXml/", "custom XML")]


def part_place(name: str, order: int) -> Place:
    kind = next((label for pattern, label in _KINDS if re.search(pattern, name)), "part")
    return Place((1, order), f"{kind} ({name})")


def zip_chunks(data: bytes, nested) -> list[tuple[Place, str]]:
    """``(place, text)`` for every member of the zip in ``data`` (see the module docstring).
    ``nested(name, data)`` returns the chunks of a member that is a file of another kind."""
    chunks: list[tuple[Place, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        listing = [m.filename for m in members] + [archive.comment.decode("utf-8", "replace")]
        chunks.append((Place((0,), "zip entries"), "\n|\n".join(listing + [m.comment.decode("utf-8", "replace")
                                                                           for m in members])))
        for order, member in enumerate(members):
            if member.is_dir():
                continue
            place = part_place(member.filename, order)
            try:
                part = archive.read(member)
            except Exception:  # noqa: BLE001 - a damaged member: the zip's bytes as they are
                stored = data[member.header_offset:member.header_offset + member.compress_size + 256]
                chunks += [(place, text) for text in raw_markup(stored)]
                continue
            chunks += member_chunks(member.filename, part, place, nested)
    return chunks


def member_chunks(name: str, part: bytes, place: Place, nested) -> list[tuple[Place, str]]:
    head = part[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if is_image(part):
        return [(Place(place.order, f"image metadata ({name})"), text) for text in image_texts(part)]
    if name.endswith((".xml", ".rels", ".vml")) or head.startswith(b"<"):
        if name.endswith(".svg") or b"<svg" in head:
            return [(place, text) for text in xml_texts(part)]
        return [(place, text) for text in ooxml_texts(part)]
    return [(Place(place.order, f"{name}, {inner.label}" if inner.label else name), text)
            for inner, text in nested(name, part)]


def ooxml_texts(part: bytes) -> list[str]:
    """An Office XML part's text: paragraphs from their runs, field codes, other text
    nodes, attribute values. Raw text when it does not parse."""
    from lxml import etree

    try:
        root = etree.fromstring(part, parser())
    except Exception:  # noqa: BLE001 - not well-formed: searched as raw text
        return raw_markup(part)
    paragraphs: list[str] = []
    fields: list[str] = []
    text: list[str] = []
    instr: list[str] = []
    # One pass in document order: a paragraph starts at its element (a text box's
    # paragraphs inside it start their own), its runs' text and field codes gathered apart.
    for element in root.iter(*(_PARAGRAPHS | _TEXTS | _INSTR | _SPACES | set(_HYPHENS))):
        tag = element.tag
        if tag in _PARAGRAPHS:
            paragraphs.append("".join(text))
            fields.append("".join(instr))
            text, instr = [], []
        elif tag in _TEXTS:
            text.append(element.text or "")
        elif tag in _INSTR:
            instr.append(element.text or "")
        elif tag in _SPACES:
            text.append(" ")
        elif tag in _HYPHENS:
            text.append(_HYPHENS[tag])
    paragraphs.append("".join(text))
    fields.append("".join(instr))
    others = root.xpath(_OTHER_TEXT, namespaces={"w": W, "a": A, "m": M})
    values = sorted(set(root.xpath("//@*")))
    return ["\n|\n".join(p for p in paragraphs if p), "\n|\n".join(with_unquoted([f for f in fields if f])),
            "\n|\n".join(str(t) for t in others if t.strip()), "\n|\n".join(with_unquoted(values))]
