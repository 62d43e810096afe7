"""A Word document's body and notes → model blocks with the notes in place.

Takes an opened :class:`~report.importer.package.Package` and an
:class:`~report.importer.log.ImportLog`; returns an :class:`ImportedDocument`:
the title-page values, the body as :mod:`report.model` blocks (headings, paragraphs,
lists, block quotes, code, tables, figures) with each note call replaced by an
:class:`~report.model.Note` holding the footnote's or endnote's text, and the images
its figures show (project path → bytes, see :mod:`.figures`); captions and
cross-references to them are read by :mod:`.captions`. Endnotes become
footnotes; tracked changes are accepted; tables of contents, empty paragraphs,
comments, drawings that are no pictures and equations are left out (and counted in
the log). When the
file has no heading styles at all, short all-capitals paragraphs become level-1
headings, as in reports typed without styles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from report import model as m
from report.diagnostics import Location
from report.importer.blocks import build_blocks
from report.importer.captions import arrange
from report.importer.figures import place_pictures
from report.importer.package import Package, fail
from report.importer.front import caps_headings, front_matter, has_note
from report.importer.inlines import pieces_text, to_inlines
from report.importer.runs import Break, NoteCall, Piece, RunReader
from report.importer.styles import _int, read_styles, w

_LIST_MARKER = re.compile(r"^\s*(?:([•◦▪‣∙·●○■□➢✓\-–—*])|(\d{1,3})[.)]|[a-zA-Z][.)])\t")


@dataclass
class Para:
    """One body paragraph as read: its role, list position and content."""

    role: str | None
    pieces: list
    where: Location
    inlines: tuple = ()
    list_key: tuple | None = None  # (numId, level) for numbered paragraphs
    marker: tuple | None = None    # (ordered, number) for typed markers such as "•\t"
    indent: int = 0


@dataclass
class ImportedDocument:
    title: str | None = None
    subtitle: str | None = None
    organization: str | None = None
    date: dt.date | None = None
    language: str | None = None
    blocks: list = field(default_factory=list)
    caps_headings: bool = False
    images: dict = field(default_factory=dict)  # project path → bytes


class _Notes:
    """Footnote and endnote texts, read on first use, as model Note nodes."""

    def __init__(self, pkg: Package, main: str, styles, log):
        self.pkg, self.main, self.styles, self.log = pkg, main, styles, log
        self.parts: dict[str, dict] = {}

    def _part(self, kind: str) -> dict:
        if kind not in self.parts:
            name = self.pkg.related(self.main, kind + "s")
            notes = {}
            if name is not None:
                links = {rid: t for rid, (_, t, ext) in self.pkg.rels(name).items() if ext}
                reader = RunReader(self.styles, links, self.log)
                for note in self.pkg.xml(name).iter(w(kind)):
                    if note.get(w("type")) in (None, "normal"):
                        notes[note.get(w("id"))] = (note, reader, name)
            self.parts[kind] = notes
        return self.parts[kind]

    def __call__(self, call: NoteCall):
        found = self._part(call.kind).get(call.id)
        if found is None:
            self.log.count("dropped", f"call to a missing {call.kind}")
            return None
        note, reader, name = found
        pieces: list = []
        for child in note:
            if child.tag == w("p"):
                if pieces:
                    pieces.append(Break())
                pieces.extend(p for p in reader.paragraph(child) if not isinstance(p, NoteCall))
            elif child.tag == w("tbl"):
                cells = [" ".join(pieces_text(reader.paragraph(p)).split()) for p in child.iter(w("p"))]
                pieces.append(Piece(" " + " ".join(c for c in cells if c) + " "))
                self.log.count("converted", "table in a note flattened to text")
        where = Location(name, 1, 1)
        inlines = _trim(to_inlines(pieces, where))
        if not m.plain_text(inlines).strip():
            self.log.count("dropped", "empty note")
            return None
        if call.kind == "endnote":
            self.log.count("converted", "endnote to a footnote")
        return m.Note(inlines, where)


def main_part(pkg: Package) -> str:
    for rel_type, target, external in pkg.rels("").values():
        if not external and rel_type.endswith("/officeDocument") and pkg.has(target):
            return target
    if pkg.has("word/document.xml"):
        return "word/document.xml"
    raise fail("IMP002", f"{pkg.shown} is not a Word document (no main document part)", pkg.shown,
               "save it from Word as .docx")


def read_document(pkg: Package, log) -> ImportedDocument:
    main = main_part(pkg)
    styles_name, numbering_name = pkg.related(main, "styles"), pkg.related(main, "numbering")
    styles = read_styles(pkg.xml(styles_name) if styles_name else None,
                         pkg.xml(numbering_name) if numbering_name else None)
    root = pkg.xml(main)
    body = root.find(w("body"))
    if root.tag != w("document") or body is None:
        raise fail("IMP002", f"{main} is not a WordprocessingML document", pkg.shown)
    links = {rid: t for rid, (_, t, ext) in pkg.rels(main).items() if ext}
    reader = RunReader(styles, links, log)
    notes = _Notes(pkg, main, styles, log)
    records, images = place_pictures(list(_records(body, reader, styles, main, log, [])), pkg, main, log)
    records, refs = arrange(records)
    _count_comments(pkg, main, log)
    count_changes([root] + [pkg.xml(n) for n in (pkg.related(main, "footnotes"), pkg.related(main, "endnotes")) if n], log)
    doc = ImportedDocument(language=styles.language or _core(pkg, "language"), images=images)
    for record in records:
        if isinstance(record, Para):
            record.inlines = _trim(to_inlines(refs(record.pieces), record.where, notes))
    records = [r for r in records if not isinstance(r, Para) or m.plain_text(r.inlines).strip()
               or has_note(r)]
    records = front_matter(records, doc)
    if not any(isinstance(r, Para) and (r.role or "").startswith("heading:") for r in records):
        doc.caps_headings = caps_headings(records, log)
    doc.blocks = build_blocks(records, styles, notes, refs)
    if doc.title is None:
        heading = next((b for b in doc.blocks if isinstance(b, m.Heading)), None)
        doc.title = (" ".join(m.plain_text(heading.children).split()) if heading else None) or _core(pkg, "title")
    return doc


def _records(parent, reader, styles, part, log, pending):
    """Paragraph and table records in reading order. ``pending`` carries the text
    of a paragraph whose mark was deleted (a tracked merge) into the next one."""
    for child in parent:
        tag = child.tag
        if tag == w("p"):
            if _style_role(child, styles) == "toc":
                if not reader.in_toc:  # a table of contents is made again by the build
                    log.count("dropped", "table of contents")
                reader.in_toc = True
                continue
            reader.in_toc = False
            own = reader.paragraph(child, pictures=True)
            for box in reader.take_boxes():
                yield from _records(box, reader, styles, part, log, [])
            pieces = pending + own
            pending.clear()
            ppr = child.find(w("pPr"))
            mark = ppr.find(f"{w('rPr')}/{w('del')}") if ppr is not None else None
            if mark is not None:
                pending.extend(pieces)
                continue
            yield _para(child, ppr, pieces, styles, Location(part, 1, 1))
        elif tag == w("tbl"):
            yield ("table", child, reader)
        elif tag == w("sdt"):
            gallery = child.find(f".//{w('docPartGallery')}")
            if gallery is not None and "contents" in (gallery.get(w("val")) or "").lower():
                if not reader.in_toc:
                    log.count("dropped", "table of contents")
                reader.in_toc = True
                continue
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _records(content, reader, styles, part, log, pending)
        elif tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from _records(child, reader, styles, part, log, pending)
        elif tag == w("altChunk"):
            log.count("dropped", "embedded document (altChunk)")


def _style_role(p, styles) -> str | None:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return styles.role(style.get(w("val"))) if style is not None else None


def _para(p, ppr, pieces, styles, where) -> Para:
    style = ppr.find(w("pStyle")) if ppr is not None else None
    style_id = style.get(w("val")) if style is not None else None
    record = Para(styles.role(style_id), pieces, where)
    num = ppr.find(w("numPr")) if ppr is not None else None
    key = None
    if num is not None and num.find(w("numId")) is not None:
        level = num.find(w("ilvl"))
        key = (num.find(w("numId")).get(w("val"), "0"), _int(level.get(w("val")) if level is not None else 0))
    else:
        key = styles.numbering_of(style_id)
    if key and key[0] != "0" and record.role in (None, "quote"):
        record.list_key = key
    ind = ppr.find(w("ind")) if ppr is not None else None
    if ind is not None:
        record.indent = _int(ind.get(w("left")) or ind.get(w("start")))
    if record.list_key is None and record.role is None:
        _typed_marker(record)
    return record


def _typed_marker(record: Para) -> None:
    """A paragraph opening with a typed "•" or "3." and a tab is a list item."""
    match = _LIST_MARKER.match(pieces_text(record.pieces))
    if not match:
        return
    record.marker = (match.group(2) is not None, int(match.group(2) or 1))
    drop = match.end()
    kept = []
    for piece in record.pieces:
        if drop and isinstance(piece, Piece):
            cut = min(drop, len(piece.text))
            drop -= cut
            if piece.text[cut:]:
                kept.append(Piece(piece.text[cut:], piece.flags, piece.href))
        elif not drop:
            kept.append(piece)
    record.pieces = kept


def _trim(inlines: tuple) -> tuple:
    """No line breaks or spaces at either end of a paragraph."""
    nodes = list(inlines)
    while nodes and isinstance(nodes[0], m.LineBreak):
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], m.LineBreak):
        nodes.pop()
    if nodes and type(nodes[0]) is m.Text:
        nodes[0] = m.Text(nodes[0].text.lstrip(), nodes[0].location)
    if nodes and type(nodes[-1]) is m.Text:
        nodes[-1] = m.Text(nodes[-1].text.rstrip(), nodes[-1].location)
    return tuple(n for n in nodes if not (type(n) is m.Text and not n.text))


def count_changes(roots, log) -> None:
    """Tracked changes, all accepted: insertions kept, deletions dropped, moves made."""
    for tag, what in (("ins", "tracked insertion"), ("del", "tracked deletion"), ("moveTo", "tracked move"),
                      ("rPrChange", "tracked formatting change"), ("pPrChange", "tracked formatting change")):
        count = sum(sum(1 for _ in root.iter(w(tag))) for root in roots)
        if count:
            log.count("accepted", what, count)


def _count_comments(pkg: Package, main: str, log) -> None:
    name = pkg.related(main, "comments")
    if name is not None:
        count = sum(1 for _ in pkg.xml(name).iter(w("comment")))
        if count:
            log.count("dropped", "comment", count)


def _core(pkg: Package, what: str) -> str | None:
    for rel_type, target, external in pkg.rels("").values():
        if not external and rel_type.endswith("/core-properties") and pkg.has(target):
            root = pkg.xml(target)
            for element in root.iter("{http://purl.org/dc/elements/1.1/}" + what):
                text = " ".join((element.text or "").split())
                return text or None
    return None
