"""Paragraph records → model blocks: headings, lists, block quotes, code and tables.

Takes the records :mod:`report.importer.docx` read (paragraphs with a role, list
position and inlines; tables still as ``w:tbl`` elements) and returns
:mod:`report.model` blocks. Consecutive list paragraphs become one (nested)
:class:`~report.model.ListBlock` whose numbering continues Word's; consecutive
quote paragraphs one :class:`~report.model.BlockQuote`; consecutive code
paragraphs one :class:`~report.model.CodeBlock`. A table's first row is its header;
merged cells repeat as empty cells so every row has the table's width. Figure
records become :class:`~report.model.Figure` blocks, and a caption
:mod:`report.importer.captions` found is the figure's or the table's. ``refs``
turns REF fields in captions and cells into cross-references (see :mod:`.captions`).
"""

from __future__ import annotations

import dataclasses

from report import model as m
from report.diagnostics import Location
from report.importer.inlines import pieces_text, to_inlines
from report.importer.runs import Piece
from report.importer.styles import w


def build_blocks(records, styles, notes, refs=lambda pieces: pieces) -> list:
    blocks: list = []
    counters: dict = {}
    i = 0
    while i < len(records):
        record = records[i]
        if isinstance(record, tuple):
            block = _figure(record[1], notes, refs) if record[0] == "figure" else \
                _table(record[1], record[2], notes, refs, record[3] if len(record) > 3 else None)
            if block is not None:
                blocks.append(block)
            i += 1
            continue
        role = record.role or ""
        if role == "toc":
            i += 1
            continue
        if role.startswith("heading:"):
            blocks.append(m.Heading(int(role.split(":")[1]), record.inlines, "", record.where))
            i += 1
            continue
        j = i + 1
        if record.list_key or record.marker:
            while j < len(records) and _para(records[j]) and (records[j].list_key or records[j].marker):
                j += 1
            blocks.extend(_lists(records[i:j], styles, counters))
        elif role == "quote":
            while j < len(records) and _para(records[j]) and records[j].role == "quote" and not records[j].list_key:
                j += 1
            blocks.append(m.BlockQuote(tuple(m.Paragraph(r.inlines, r.where) for r in records[i:j]), record.where))
        elif role == "code" and not any(isinstance(n, m.Note) for n in m.descendants(record.inlines)):
            while j < len(records) and _para(records[j]) and records[j].role == "code":
                j += 1
            text = "\n".join(pieces_text(r.pieces).replace("\t", "    ") for r in records[i:j])
            blocks.append(m.CodeBlock(text, record.where))
        else:
            blocks.append(m.Paragraph(record.inlines, record.where))
        i = j
    return blocks


def _para(record) -> bool:
    return not isinstance(record, tuple) and not (record.role or "").startswith("heading:") and record.role != "toc"


def _lists(records, styles, counters) -> list:
    """Numbered paragraphs → nested lists; ``counters`` carries Word's numbering on."""
    items = []
    for r in records:
        if r.list_key:
            num_id, level = r.list_key
            ordered, start, indent = styles.list_format(num_id, level)
            number = counters.get((num_id, level), start - 1) + 1
            counters[(num_id, level)] = number
            for key in [k for k in counters if k[0] == num_id and k[1] > level]:
                del counters[key]
            items.append([r.indent or indent, ordered, number, num_id, r])
        else:
            ordered, number = r.marker
            items.append([r.indent, ordered, number, "typed", r])
    # Nesting follows the indentation Word shows ("List Bullet 2" is a list of its own, indented).
    indents = sorted({item[0] for item in items})
    for item in items:
        item[0] = indents.index(item[0])
    return _build([tuple(item) for item in items])


def _build(items) -> list:
    blocks = []
    i = 0
    while i < len(items):
        base, ordered, start, key, first = items[i]
        entries: list[list] = []
        while i < len(items) and items[i][0] >= base:
            level, item_ordered, _, item_key, record = items[i]
            if level == base:
                if entries and (item_ordered != ordered or item_key != key):
                    break
                entries.append([m.Paragraph(record.inlines, record.where)])
                i += 1
                continue
            j = i
            while j < len(items) and items[j][0] > base:
                j += 1
            nested = _build(items[i:j])
            if entries:
                entries[-1].extend(nested)
            else:
                entries.append(nested)
            i = j
        blocks.append(m.ListBlock(ordered, start if ordered else 1, tuple(tuple(e) for e in entries), first.where))
    return blocks


def _figure(record, notes, refs) -> m.Figure:
    caption = _one_line(to_inlines(refs(record.caption), record.where, notes), record.where)
    return m.Figure(record.src, caption, record.alt, record.where, record.label if caption else None, record.width)


def _table(tbl, reader, notes, refs, caption=None) -> m.Table | None:
    where = Location("word/document.xml", 1, 1)
    rows = []
    for tr in tbl.iter(w("tr")):
        if _nearest_table(tr) is not tbl:
            continue
        trpr = tr.find(w("trPr"))
        if trpr is not None and trpr.find(w("del")) is not None:
            continue
        row = []
        for tc in tr.findall(w("tc")):
            pieces: list = []
            for p in tc.iter(w("p")):
                if pieces:
                    pieces.append(Piece(" "))
                pieces.extend(reader.paragraph(p))
            tcpr = tc.find(w("tcPr"))
            merge = tcpr.find(w("vMerge")) if tcpr is not None else None
            if merge is not None and merge.get(w("val"), "continue") == "continue" and not pieces_text(pieces).strip():
                pieces = []
            cell = tuple(n if not isinstance(n, m.LineBreak) else m.Text(" ", where)
                         for n in to_inlines(refs(pieces), where, notes))
            row.append(_strip(cell, where))
            span = tcpr.find(w("gridSpan")) if tcpr is not None else None
            extra = int(span.get(w("val"), "1")) - 1 if span is not None and (span.get(w("val")) or "").isdigit() else 0
            row.extend([()] * min(extra, 63))
        rows.append(row)
    rows = [r for r in rows if r]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [tuple(r) + ((),) * (width - len(r)) for r in rows]
    table = m.Table(rows[0], tuple(rows[1:]), where)
    if caption is not None:
        inlines = _one_line(to_inlines(refs(caption.pieces), where, notes), where)
        table = dataclasses.replace(table, caption=inlines, id=caption.label if inlines else None)
    return table


def _one_line(inlines: tuple, where) -> tuple:
    """A caption's inlines on one line: line breaks made spaces, no space at either end."""
    return _strip(tuple(n if not isinstance(n, m.LineBreak) else m.Text(" ", where) for n in inlines), where)


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != w("tbl"):
        parent = parent.getparent()
    return parent


def _strip(cell: tuple, where) -> tuple:
    nodes = list(cell)
    if nodes and type(nodes[0]) is m.Text:
        nodes[0] = m.Text(nodes[0].text.lstrip(), where)
    if nodes and type(nodes[-1]) is m.Text:
        nodes[-1] = m.Text(nodes[-1].text.rstrip(), where)
    return tuple(n for n in nodes if not (type(n) is m.Text and not n.text))
