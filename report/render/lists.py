"""The lists of figures and of tables that may follow the contents (report.yaml's
``lof`` and ``lot``), format-neutral: each backend lays them out its own way.

Takes the numbered document (the numbering transform has run) and returns, per
list asked for, its entries in reading order: the number, the caption as plain
text (footnote calls left out, as Word's table of figures leaves them out) and
the anchor the entry links to. A captioned figure or table without a label gets
an anchor of its own (``figure-3``), kept apart from every id the document uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from report import model as m

KINDS = {"figures": (m.Figure, "Figure", "List of figures"), "tables": (m.Table, "Table", "List of tables")}


@dataclass(frozen=True)
class ListEntry:
    number: int
    caption: str
    anchor: str
    block: object  # the Figure or Table itself (identity: the DOCX bookmark of its caption)

    @property
    def shown(self) -> str:
        """The number as the caption shows it: "3", or "II.1" within annex II."""
        return m.shown_number(self.block)


@dataclass(frozen=True)
class BlockList:
    kind: str       # "figures" or "tables"
    word: str       # "Figure", "Table": the catalog's word before each number
    title: str      # "List of figures": the catalog's heading
    entries: tuple[ListEntry, ...]


def numbered_blocks(document: m.Document):
    """Every numbered figure and table, in reading order."""
    for section in document.sections:
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, (m.Figure, m.Table)) and block.number is not None:
                yield block


def anchors(document: m.Document) -> dict[int, str]:
    """``id(block)`` → the HTML id of each numbered figure and table: its label, or
    ``figure-N`` / ``table-N`` (with a suffix if the document already uses that id)."""
    used = {section.id for section in document.sections}
    for section in document.sections:
        used.update(b.id for b in m.walk_blocks(section.blocks) if getattr(b, "id", None))
    out = {}
    for block in numbered_blocks(document):
        if block.id:
            out[id(block)] = block.id
            continue
        base = f"{'figure' if isinstance(block, m.Figure) else 'table'}-{m.shown_number(block)}"
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        out[id(block)] = anchor
    return out


def block_lists(document: m.Document, kinds: tuple[str, ...], _=lambda text: text) -> list[BlockList]:
    """The lists ``kinds`` asks for ("figures", "tables"), with ``_`` translating
    their words; a list with no entry is left out (no empty heading is printed)."""
    marks = anchors(document)
    out = []
    for kind in kinds:
        cls, word, title = KINDS[kind]
        entries = tuple(ListEntry(b.number, m.plain_text(b.caption).strip(), marks[id(b)], b)
                        for b in numbered_blocks(document) if isinstance(b, cls))
        if entries:
            out.append(BlockList(kind, _(word), _(title), entries))
    return out
