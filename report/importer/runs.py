"""The text of a Word paragraph: runs, links, fields, tracked changes, note calls.

:class:`RunReader` takes one part's context (styles, the part's relationships and
the import's :class:`~report.importer.log.ImportLog`) and turns a ``w:p`` into a
flat list of :class:`Piece` (text with emphasis and link), :class:`Break` and
:class:`NoteCall`, with markers that carry no text: :class:`FieldMark` where a
field's shown result starts and ends, :class:`Mark` where a bookmark starts, and
(in body paragraphs read with ``pictures=True``) a
:class:`~report.importer.drawing.Picture` for each picture. Tracked changes are
accepted as Word would: inserted and moved-to text kept, deleted and moved-from
text dropped. Comments, other drawings, equations and field codes are left out and
counted in the log. :func:`report.importer.inlines.to_inlines` then builds model
inlines from the pieces (the markers and pictures are the later stages' concern).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.importer.drawing import Picture, read_drawing
from report.importer.styles import run_flags_of, w

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HYPERLINK = re.compile(r'HYPERLINK\s+(?:\\[a-z]\s+)*"([^"]+)"|HYPERLINK\s+(\S+)', re.I)
_DESCEND = {"smartTag", "customXml", "ins", "moveTo", "dir", "bdo", "sdtContent"}
_SKIP = {"pPr", "rPr", "proofErr", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
         "permStart", "permEnd", "sdtPr", "sdtEndPr", "lastRenderedPageBreak", "footnoteRef", "endnoteRef",
         "annotationRef", "commentReference", "softHyphen", "separator", "continuationSeparator", "delText",
         "instrText", "fldChar", "rsid", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
         "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
         "customXmlDelRangeEnd", "dayShort", "monthShort", "yearShort", "dayLong", "monthLong", "yearLong",
         "pgNum"}


@dataclass(frozen=True)
class Piece:
    text: str
    flags: frozenset[str] = frozenset()
    href: str | None = None


@dataclass(frozen=True)
class Break:
    pass


@dataclass(frozen=True)
class NoteCall:
    kind: str  # footnote | endnote
    id: str


@dataclass(frozen=True)
class FieldMark:
    """Where the shown result of the field ``instr`` starts (``start``) or ends."""

    instr: str
    start: bool


@dataclass(frozen=True)
class Mark:
    """Where the bookmark ``name`` starts."""

    name: str


@dataclass(frozen=True)
class XRef:
    """A cross-reference to ``label`` (made from a REF field by :mod:`.captions`);
    ``bare``: the number alone, as ``[-@fig-x]``."""

    label: str
    bare: bool = False


class RunReader:
    """Reads paragraphs of one part. ``links`` maps relationship ids to external URLs."""

    def __init__(self, styles, links: dict[str, str], log):
        self.styles = styles
        self.links = links
        self.log = log
        self._fields: list[dict] = []  # open complex fields: {"instr": str, "result": bool, "shown": bool}
        self.boxes: list = []  # w:txbxContent met in the last paragraph read
        self.in_toc = False  # the last body paragraph belonged to a table of contents
        self._pictures = False  # whether pictures are kept (body paragraphs) or dropped (notes, tables)

    def take_boxes(self) -> list:
        """The text boxes of the paragraph just read (their paragraphs come before it)."""
        boxes, self.boxes = self.boxes, []
        return boxes

    def _graphic(self, node, out) -> None:
        """A drawing, picture or alternate content: its text boxes are kept, a picture
        becomes a :class:`Picture` piece (in the body), the rest is dropped."""
        scope = node
        if node.tag == f"{{{MC_NS}}}AlternateContent":
            scope = node.find(f"{{{MC_NS}}}Choice")
            if scope is None:
                scope = node.find(f"{{{MC_NS}}}Fallback")
        boxes = [] if scope is None else [b for b in scope.iter(w("txbxContent"))
                                           if not any(a.tag == w("txbxContent") for a in b.iterancestors())]
        picture = read_drawing(scope) if scope is not None and not boxes and node.tag != w("object") else None
        if boxes:
            self.boxes.extend(boxes)
            self.log.count("converted", "text box to paragraphs", len(boxes))
        elif picture is not None and self._pictures:
            out.append(picture)
        elif picture is not None:
            self.log.count("dropped", "image in a note or a table")
        else:
            self.log.count("dropped", "chart, shape or other drawing")

    def paragraph(self, p, pictures: bool = False) -> list:
        """The pieces of ``w:p`` ``p``; ``pictures``: keep pictures as :class:`Picture`
        pieces (a body paragraph) instead of dropping them."""
        out: list = []
        self._pictures = pictures
        try:
            self._children(p, out, frozenset(), None)
        finally:
            self._pictures = False
        return out

    def _children(self, parent, out, flags, href) -> None:
        for child in parent:
            self._node(child, out, flags, href)

    def _node(self, node, out, flags, href) -> None:
        if not isinstance(node.tag, str):
            return
        ns, _, tag = node.tag[1:].partition("}")
        if ns == M_NS and tag in ("oMath", "oMathPara"):
            self.log.count("dropped", "equation")
            return
        if ns == MC_NS:
            self._graphic(node, out)
            return
        if ns != w("")[1:-1]:
            return
        if tag == "r":
            self._run(node, out, flags, href)
        elif tag == "hyperlink":
            self._hyperlink(node, out, flags, href)
        elif tag in ("del", "moveFrom"):
            return  # accepted: deleted text goes (counted with the part, see docx.count_changes)
        elif tag == "fldSimple":
            instr = node.get(w("instr"), "")
            out.append(FieldMark(instr, True))
            self._children(node, out, flags, self._field_link(instr) or href)
            out.append(FieldMark(instr, False))
        elif tag in _DESCEND:
            self._children(node, out, flags, href)
        elif tag == "bookmarkStart":
            out.append(Mark(node.get(w("name")) or ""))
        elif tag == "sdt":
            content = node.find(w("sdtContent"))
            if content is not None:
                self._children(content, out, flags, href)
        elif tag in _SKIP:
            return
        else:
            self.log.count("dropped", f"w:{tag} element")

    def _hyperlink(self, node, out, flags, href) -> None:
        rid = node.get(R_ID)
        target = self.links.get(rid) if rid else None
        if target is None and node.get(w("anchor")):
            self.log.count("converted", "link inside the document to plain text")
        self._children(node, out, flags, target or href)

    def _run(self, run, out, flags, href) -> None:
        rpr = run.find(w("rPr"))
        style = rpr.find(w("rStyle")) if rpr is not None else None
        own = set(flags | self.styles.run_flags(style.get(w("val")) if style is not None else None))
        for flag, value in run_flags_of(rpr).items():
            (own.add if value else own.discard)(flag)
        if rpr is not None and rpr.find(w("vanish")) is not None and rpr.find(w("vanish")).get(w("val"), "1") not in ("0", "false"):
            self.log.count("dropped", "hidden text run")
            return
        run_flags = frozenset(own)
        for child in run:
            if not isinstance(child.tag, str):
                continue
            ns, _, tag = child.tag[1:].partition("}")
            if tag == "fldChar":
                self._field_char(child, out)
                continue
            if tag == "instrText" and self._fields:
                self._fields[-1]["instr"] += child.text or ""
                continue
            if self._fields and not self._fields[-1]["result"]:
                continue  # field code, not shown
            link = href or self._current_field_link()
            if ns == MC_NS or tag in ("drawing", "pict", "object"):
                self._graphic(child, out)
            elif tag == "t":
                if child.text:
                    out.append(Piece(child.text, run_flags, link))
            elif tag in ("tab", "ptab"):
                out.append(Piece("\t", run_flags, link))
            elif tag in ("br", "cr"):
                if child.get(w("type")) not in ("page", "column"):
                    out.append(Break())
            elif tag == "noBreakHyphen":
                out.append(Piece("\u2011", run_flags, link))
            elif tag == "sym":
                char = _symbol(child.get(w("char")))
                if char:
                    out.append(Piece(char, run_flags, link))
                else:
                    self.log.count("dropped", "symbol-font character")
            elif tag in ("footnoteReference", "endnoteReference"):
                out.append(NoteCall(tag[:-len("Reference")], child.get(w("id"), "")))
            elif tag in _SKIP:
                continue
            else:
                self.log.count("dropped", f"w:{tag} element")

    def _field_char(self, node, out) -> None:
        """A complex field's begin, separate and end; the result shown (every enclosing
        field in its result too) is marked with :class:`FieldMark` pieces."""
        kind = node.get(w("fldCharType"))
        if kind == "begin":
            self._fields.append({"instr": "", "result": False, "shown": False})
        elif kind == "separate" and self._fields and not self._fields[-1]["result"]:
            field = self._fields[-1]
            field["result"] = True
            field["shown"] = all(f["result"] for f in self._fields)
            if field["shown"]:
                out.append(FieldMark(field["instr"], True))
        elif kind == "end" and self._fields:
            field = self._fields.pop()
            if field["shown"]:
                out.append(FieldMark(field["instr"], False))

    def _current_field_link(self) -> str | None:
        for field in reversed(self._fields):
            link = self._field_link(field["instr"])
            if link:
                return link
        return None

    @staticmethod
    def _field_link(instr: str) -> str | None:
        match = _HYPERLINK.search(instr)
        if not match or "\\l" in instr:
            return None
        return match.group(1) or match.group(2)


def _symbol(code: str | None) -> str | None:
    try:
        value = int(code or "", 16)
    except ValueError:
        return None
    if 0xF000 <= value <= 0xF0FF or value < 0x20:
        return None  # a Symbol/Wingdings glyph: no Unicode character says what it shows
    return chr(value)


__all__ = ["Break", "FieldMark", "Mark", "NoteCall", "Picture", "Piece", "RunReader", "XRef"]
