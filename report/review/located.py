"""The build's document as its DOCX shows it: one :class:`Unit` per Word paragraph and note.

Takes a resolved :class:`~report.model.Document` (a build's model.json); returns the
body's units in the order the DOCX backend writes their paragraphs
(:func:`body_units`) and one unit per footnote (:func:`note_units`). A unit's
``text`` is what Word shows: note calls are :data:`~report.review.wordfile.NOTE`,
cross-references and numbers are their rendered text, a note starts with the space
after its number. Its ``parts`` say where each piece of that text comes from: source
text of a model node, text the tool made (a list marker, a rendered citation, a
cross-reference), or a note call; :mod:`report.review.trace` turns them into source
offsets, character by character.
"""

from __future__ import annotations

from dataclasses import dataclass

from report import model as m
from report.diagnostics import Location
from report.render.text import visible
from report.review.wordfile import NOTE

WORDS = {"table": "Table", "figure": "Figure", "box": "Box"}


@dataclass(frozen=True)
class Part:
    """A piece of a unit's text. ``kind``: ``text`` (a Text node's, from the source),
    ``code`` (a Code node's), ``title`` (a section's, from its front matter), ``raw``
    (source text not traced yet: a code block's), ``made`` (the tool's), ``call`` (a
    note call), ``open`` and ``close`` (a container's markup around its children)."""

    kind: str
    text: str
    node: object = None


@dataclass(frozen=True)
class Unit:
    kind: str  # title | paragraph | heading | item | cell | caption | note | made
    text: str
    parts: tuple[Part, ...]
    location: Location
    node: object  # the block, section or Footnote
    number: int | None = None  # a note's
    index: int = 0  # a table cell's place among its table's cells, a term's among its list's terms


def _ref_text(node: m.Ref) -> str:
    numbers = list(node.numbers)
    if not numbers:
        joined = ""
    elif len(numbers) == 1:
        joined = numbers[0]
    else:
        joined = ", ".join(numbers[:-1]) + f" {node.conjunction} " + numbers[-1]
    return (node.words + "\u00a0" if node.words else "") + joined


def inline_parts(nodes, out: list[Part]) -> None:
    """``nodes`` as parts, in the order InlineWriter writes them."""
    for node in nodes:
        kind = type(node)
        if kind is m.Text:
            out.append(Part("text", node.text, node))
        elif kind is m.Code:
            out.append(Part("code", node.text, node))
        elif kind is m.LineBreak:
            out.append(Part("made", "\n", node))
        elif kind is m.Footnote:
            out.append(Part("call", NOTE, node))
        elif kind is m.Ref:
            out.append(Part("made", _ref_text(node), node))
        elif kind is m.Link and not m.plain_text(node.children).strip() and not node.href.startswith("#"):
            out.append(Part("made", node.href, node))
            inline_parts(node.children, out)
        elif hasattr(node, "children"):
            out.append(Part("open", "", node))
            inline_parts(node.children, out)
            out.append(Part("close", "", node))


def shown(part: Part) -> str:
    """The text Word shows for a part (soft line breaks are spaces; XML-forbidden
    characters are dropped, as the DOCX backend drops them)."""
    if part.kind in ("text", "code"):
        return visible(part.text.replace("\r", "").replace("\n", " "))
    return part.text


def containers(unit: Unit) -> list[tuple[int, ...]]:
    """For each character of the unit's text, the containers (emphasis, spans, links…)
    it is inside, outermost first, each named by the index of its ``open`` part."""
    out: list[tuple[int, ...]] = []
    stack: list[int] = []
    for index, part in enumerate(unit.parts):
        if part.kind == "open":
            stack.append(index)
        elif part.kind == "close":
            stack.pop()
        else:
            out += [tuple(stack)] * len(shown(part))
    return out


def _unit(kind: str, parts: list[Part], location: Location, node, number: int | None = None) -> Unit:
    return Unit(kind, "".join(shown(p) for p in parts), tuple(parts), location, node, number)


def _inline_unit(kind: str, nodes, location: Location, node, prefix: str = "", index: int = 0) -> Unit:
    parts = [Part("made", prefix)] if prefix else []
    inline_parts(nodes, parts)
    unit = _unit(kind, parts, location, node)
    return Unit(unit.kind, unit.text, unit.parts, location, node, None, index) if index else unit


def table_cells(table: m.Table) -> list:
    """A table's cells in reading order (the header's, then each row's)."""
    return [cell for row in (table.header,) + table.rows for cell in row]


def _shown(block):
    """A figure's or table's number as its caption shows it ("II.1" within annex II), or None."""
    return m.shown_number(block) if block.number is not None else None


def _label(kind: str, number) -> str:
    return f"{WORDS[kind]}\u00a0{number}: " if number is not None else ""


class _Body:
    def __init__(self):
        self.units: list[Unit] = []

    def made(self, text: str, location: Location, node) -> None:
        self.units.append(_unit("made", [Part("made", text)] if text else [], location, node))

    def block(self, block) -> None:
        kind, add = type(block), self.units.append
        if kind is m.Paragraph:
            add(_inline_unit("paragraph", block.children, block.location, block))
        elif kind is m.Heading:
            add(_inline_unit("heading", block.children, block.location, block,
                             f"{block.number} " if block.number else ""))
        elif kind is m.BlockQuote:
            for child in block.children:
                self.block(child)
        elif kind is m.ListBlock:
            for number, item in enumerate(block.items, start=block.start):
                marker = (f"{number}." if block.ordered else "•") + "\t"
                if block.subparagraph or block.recommendations:
                    marker = ""  # numbered by Word's list numbering, not written as text
                rest = item
                if item and type(item[0]) is m.Paragraph:
                    add(_inline_unit("item", item[0].children, item[0].location, item[0], marker))
                    rest = item[1:]
                else:
                    self.made(marker, block.location, block)
                for child in rest:
                    self.block(child)
        elif kind is m.Table:
            if block.caption:
                add(_inline_unit("caption", block.caption, block.location, block, _label("table", _shown(block))))
            for index, cell in enumerate(table_cells(block)):
                add(_inline_unit("cell", cell, block.location, block, index=index))
        elif kind is m.Figure:
            self.made("", block.location, block)
            if block.caption or block.number is not None:
                add(_inline_unit("caption", block.caption, block.location, block, _label("figure", _shown(block))))
        elif kind is m.Div:
            if block.kind == "box":
                add(_inline_unit("caption", block.title, block.location, block, _label("box", block.number)))
            elif block.kind != "group":
                word = block.kind.removeprefix("callout-").capitalize()
                if block.title:
                    add(_inline_unit("caption", block.title, block.location, block))
                else:
                    self.made(word, block.location, block)
            for child in block.children:
                self.block(child)
        elif kind is m.DefinitionList:
            for index, (term, definitions) in enumerate(block.items):
                add(_inline_unit("term", term, block.location, block, index=index))
                for definition in definitions:
                    for child in definition:
                        self.block(child)
        elif kind is m.LineBlock:
            parts: list[Part] = []
            for i, line in enumerate(block.lines):
                if i:
                    parts.append(Part("made", "\n"))
                inline_parts(line, parts)
            add(_unit("paragraph", parts, block.location, block))
        elif kind is m.CodeBlock:
            self.units.append(_unit("made", [Part("raw", block.text.rstrip("\n"), block)], block.location, block))
        elif kind is m.Bibliography:  # the list of sources: the style's text from the registry, not the sources'
            if block.title is not None:
                self.made(block.title, block.location, block)
            for entry in block.entries:
                label = m.plain_text(entry.label) + "\t" if entry.label else ""
                self.made(label + m.plain_text(entry.children), entry.location, block)
        else:  # a rule, or a block the DOCX shows without text
            self.made("", block.location, block)


def body_units(document: m.Document) -> list[Unit]:
    """Every paragraph the DOCX body shows for the document's sections, in order."""
    body = _Body()
    for section in document.sections:
        if section.title is not None:
            prefix = [Part("made", f"{section.number} ")] if section.number else []
            if section.annex:  # "Annex II", a line break, the title (report.render.docx.body)
                prefix = [Part("made", f"Annex {section.number}\n")]
            # the list of sources' title is the tool's (its catalog's), not a front matter's
            made = any(type(block) is m.Bibliography for block in section.blocks)
            title = Part("made" if made else "title", section.title, None if made else section)
            body.units.append(_unit("made" if made else "title", prefix + [title], section.location, section))
        for block in section.blocks:
            body.block(block)
    return body.units


def note_units(document: m.Document) -> dict[int, Unit]:
    """Each footnote as its DOCX note shows it: the space after its number, then its text."""
    out = {}
    for note in document.footnotes():
        parts = [Part("made", " ")]
        inline_parts(note.children, parts)
        out[note.number] = _unit("note", parts, note.location, note, note.number)
    return out
