"""A document as the diff sees it: a flat list of units and of footnotes, with words.

Takes a resolved :class:`~report.model.Document`; returns a :class:`DocView`. A
*unit* is what is aligned and rendered as one piece: a section's title or one
top-level block (a paragraph, heading, list, quote, code block, rule or table).
Its *tokens* are words, spaces and punctuation, each with the source location it
came from, plus one :class:`Call` per footnote call, so word-level changes can be
located and note calls placed in the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from report import model as m
from report.diagnostics import Location

WORD = re.compile(r"\w+|\s+|[^\w\s]")


class Call(NamedTuple):
    """A footnote call inside a unit's tokens."""

    number: int


class Token(NamedTuple):
    """A word, a run of spaces or a punctuation mark, and where it starts. A tuple, not
    a dataclass: a long report has a million of them."""

    text: str
    path: str
    line: int
    col: int

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.col)


def token(text: str, where: Location) -> Token:
    return Token(text, where.path, where.line, where.col)


@dataclass(frozen=True)
class Unit:
    index: int
    section: str
    kind: str  # title | paragraph | heading | list | quote | code | rule | table
    block: object  # the model block, or the Section for a title
    text: str  # visible text, white space collapsed, notes left out
    tokens: tuple  # Token and Call, in reading order
    notes: tuple[int, ...]
    location: Location
    incidents: tuple[str, ...]  # incident ids marked on or inside this unit
    provisions: tuple[tuple[str, Location], ...]  # (ref, where) of provision spans

    @property
    def key(self) -> str:
        return f"{self.kind}\x00{self.text}"


@dataclass(frozen=True)
class NoteView:
    number: int
    unit: int
    text: str
    tokens: tuple
    cites: tuple  # ResolvedCite
    location: Location

    @property
    def signature(self) -> tuple:
        """What a note *says*, independent of its number and of the form the style
        chose (full, short, Ibid.): its cited works and locators, or its text."""
        if self.cites:
            return ("cites",) + tuple((c.key, c.locator_label, c.locator) for c in self.cites)
        return ("text", self.text)


@dataclass(frozen=True)
class DocView:
    document: m.Document
    units: tuple[Unit, ...]
    notes: dict  # number → NoteView
    sections: tuple  # (Section, first unit index, end unit index)


def norm(text: str) -> str:
    return " ".join(text.split())


class Relocator:
    """Finds where a text node's words really start in its source file.

    The parser locates some text nodes only by their paragraph (after a span, say);
    when the side's source file is at hand, each node is searched for from the end
    of the previous one, so a word-level change points at its column. Takes the
    side's sources (path → text); a node not found keeps its model location."""

    WINDOW = 4000  # characters searched past the cursor: a node is never far from the previous one

    def __init__(self, sources: dict):
        self._sources = sources
        self._starts: dict[str, list[int]] = {}
        self.cursor: tuple[str, int] | None = None

    def _line_starts(self, path: str) -> list[int] | None:
        if path not in self._sources:
            return None
        if path not in self._starts:
            text = self._sources[path]
            self._starts[path] = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        return self._starts[path]

    def start(self, location: Location) -> None:
        starts = self._line_starts(location.path)
        self.cursor = None
        if starts and location.line <= len(starts):
            self.cursor = (location.path, starts[location.line - 1] + location.col - 1)

    def find(self, text: str, location: Location) -> Location:
        probe = text.split("\n", 1)[0][:40]
        if self.cursor is None or location.path != self.cursor[0] or not probe.strip():
            return location
        path, at = self.cursor
        found = self._sources[path].find(probe, at, at + self.WINDOW + len(probe))
        if found < 0:
            return location
        self.cursor = (path, found + len(probe))
        starts = self._starts[path]
        line = bisect.bisect_right(starts, found)
        return Location(path, line, found - starts[line - 1] + 1)


class _Collector:
    """Walks inline nodes into tokens, note calls, incident ids and provision spans."""

    def __init__(self, relocate: Relocator | None = None):
        self.relocate = relocate
        self.tokens: list = []
        self.incidents: list[str] = []
        self.provisions: list[tuple[str, Location]] = []

    def inlines(self, nodes) -> None:
        for node in nodes:
            kind = type(node)
            if kind in (m.Text, m.Code):
                self.text(node.text, node.location)
            elif kind is m.LineBreak:
                self.tokens.append(token("\n", node.location))
            elif kind is m.Footnote:
                self.tokens.append(Call(node.number))
            elif kind is m.Span:
                if node.id and "incident" in node.classes:
                    self.incidents.append(node.id)
                if "provision" in node.classes:
                    ref = dict(node.attributes).get("ref", "")
                    self.provisions.extend((r, node.location) for r in ref.split())
                self.inlines(node.children)
            elif hasattr(node, "children"):
                self.inlines(node.children)

    def text(self, text: str, where: Location) -> None:
        if self.relocate is not None:
            where = self.relocate.find(text, where)
        path, line, col = where.path, where.line, where.col
        for match in WORD.finditer(text):
            word = match.group()
            self.tokens.append(Token(word, path, line, col))
            if "\n" in word:
                line, col = line + word.count("\n"), len(word) - word.rindex("\n")
            else:
                col += len(word)


def _kind(block) -> str:
    return {m.Paragraph: "paragraph", m.Heading: "heading", m.ListBlock: "list", m.BlockQuote: "quote",
            m.CodeBlock: "code", m.ThematicBreak: "rule", m.Table: "table", m.Figure: "figure", m.Div: "box",
            m.DefinitionList: "list", m.LineBlock: "paragraph"}.get(type(block), "block")


def _unit(index: int, section: str, kind: str, block, location: Location, inline_seqs,
          relocate: Relocator) -> Unit:
    relocate.start(location)
    collect = _Collector(relocate)
    if isinstance(block, m.Paragraph) and block.id and "incident" in block.classes:
        collect.incidents.append(block.id)
    for i, seq in enumerate(inline_seqs):
        if i:
            collect.tokens.append(token("\n", location))
        collect.inlines(seq)
    if isinstance(block, m.CodeBlock):
        collect.text(block.text.rstrip("\n"), block.location)
    if isinstance(block, m.Figure):
        # The image by its content (a replaced photograph is a change; a renumbered figure
        # is not: numbers are never compared) and its alternative text.
        collect.tokens.append(token("\n", location))
        collect.text(f"[image {block.digest[:12]}] {block.alt or ''}".rstrip(), block.location)
    tokens = tuple(collect.tokens)
    text = norm("".join(t.text for t in tokens if isinstance(t, Token)))
    notes = tuple(t.number for t in tokens if isinstance(t, Call))
    return Unit(index, section, kind, block, text, tokens, notes, location, tuple(collect.incidents),
                tuple(collect.provisions))


def build_view(document: m.Document, sources: dict | None = None) -> DocView:
    """The units and footnotes of ``document`` in reading order; ``sources`` (path →
    text, optional) sharpens the locations of words (see :class:`Relocator`)."""
    relocate = Relocator(sources or {})
    units: list[Unit] = []
    sections = []
    for section in document.sections:
        first = len(units)
        if section.title is not None:
            title = (m.Text(section.title, section.location),)
            units.append(_unit(len(units), section.id, "title", section, section.location, [title], relocate))
        for block in section.blocks:
            units.append(_unit(len(units), section.id, _kind(block), block, block.location,
                               list(m.block_inlines(block)), relocate))
        sections.append((section, first, len(units)))
    notes = {}
    for unit in units:
        seqs = [] if unit.kind == "title" else m.block_inlines(unit.block)
        for seq in seqs:
            for node in _footnotes(seq):
                collect = _Collector()
                collect.inlines(node.children)
                tokens = tuple(collect.tokens)
                text = norm("".join(t.text for t in tokens if isinstance(t, Token)))
                notes[node.number] = NoteView(node.number, unit.index, text, tokens, node.cites, node.location)
    return DocView(document, tuple(units), notes, tuple(sections))


def _footnotes(nodes):
    return (node for node in m.descendants(nodes, into_notes=False) if isinstance(node, m.Footnote))


def word_ops(old_tokens, new_tokens, same=None) -> list[tuple[str, str, str]]:
    """Word-level edit script between two token sequences: (op, old text, new text)
    with op one of ``=``, ``-``, ``+``, ``~`` (replaced). Calls are left out; ``same``
    maps a token to its comparison key (default: its text)."""
    from report.diff.words import opcodes

    a = [t for t in old_tokens if isinstance(t, Token)]
    b = [t for t in new_tokens if isinstance(t, Token)]
    key = same or word_key
    ops = []
    for tag, i1, i2, j1, j2 in opcodes([key(t) for t in a], [key(t) for t in b]):
        old = "".join(t.text for t in a[i1:i2])
        new = "".join(t.text for t in b[j1:j2])
        ops.append((OPS[tag], old, new))
    return ops


OPS = {"equal": "=", "delete": "-", "insert": "+", "replace": "~"}


def word_key(token: Token) -> str:
    """Comparison key of a token: any run of white space counts as one space (a soft
    line break in the source is a space in every output)."""
    return " " if token.text.isspace() else token.text
