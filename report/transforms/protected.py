"""What must not appear in a public output, each with the place it was marked.

:func:`protected_strings` takes the *marked* source document (``Loaded.source``: parsed,
every confidential part still in it), the registry, the protected people and the
language; it returns :class:`Protected` (text, location, kind) records for the leak
check, which reports a hit "at the source of the leak":

- ``name``: every name and variant in people.yaml, of every language (a Russian
  variant in an English edition is a leak too), at its line in people.yaml;
- ``source``: the title, each author and the URL of a confidential registry entry;
- ``span``, ``note``, ``paragraph``, ``block``, ``section``, ``figure``: the text of
  what is marked, in pieces a search of extracted text can match (below), at the
  paragraph, span or note it is in; a confidential figure's caption, alternative text
  and image file name.

Pieces. A PDF's text breaks lines and pages anywhere, hyphenates words and puts
footnotes and running heads between the two halves of a sentence, so a whole paragraph
would never match, even leaked. A short text (at most 8 words: a marked name, a
place, a date) is one piece, whole. A longer one is cut into its sentences, each of at
most 8 words whole, and longer ones into runs of 6 words (the last run takes the
remainder): a leaked paragraph is then found by most of its runs, whichever lines and
pages they fall on, while a run of 6 words is rarely common phrase. Runs and sentences
of fewer than 4 words are dropped, and so is any piece of a long text that the public
edition itself contains (``in the city of``, a quotation also given publicly): it is no
secret, and the check would stop every publication. (A short marked text is kept even
then: the author marked those very words.) Chinese and Japanese text, which has no
spaces, counts each character as a word, with runs of 10.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from report import model as m
from report.diagnostics import Location
from report.sources.people import People
from report.transforms.editions import public_edition
from report.transforms.withheld import is_marked
from report.transforms.pseudonyms import fold

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’\-][^\W_{_CJK}]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")
SHORT, RUN, LEAST = 8, 6, 4  # words: a text kept whole, a run, the least a piece has


class Protected(NamedTuple):
    text: str
    location: Location
    kind: str


def protected_strings(source: m.Document, registry, people: People, language: str | None = None,
                      public: m.Document | None = None) -> list[Protected]:
    """Every string the public edition of ``source`` must not show (see the module doc),
    names first, each text once (at its first place). ``public`` is the public edition
    (resolved or not) whose own text is no secret; it is made from ``source`` when not
    given. ``language`` is the edition's (names are protected in every language)."""
    if public is None:
        public, _ = public_edition(source, registry, people, language or source.metadata.language)
    found: list[Protected] = []
    for person in people.persons:
        found += [Protected(variant.text, variant.location, "name") for variant in person.variants]
    for ref in registry.entries:
        if ref.confidential:
            found += _source(ref)
    collector = _Collector(_public_text(public))
    for section in source.sections:
        if is_marked(section):
            if section.title:
                collector.add(section.title, section.location, "section", whole=True)
            collector.blocks(section.blocks, "section")
        else:
            collector.blocks(section.blocks, None)
    found += collector.found
    seen: set[str] = set()
    unique = []
    for item in found:
        key = " ".join(fold(item.text)[0].split())
        if key and key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _source(ref) -> list[Protected]:
    found = []
    if ref.csl.get("title"):
        found.append(Protected(str(ref.csl["title"]), ref.where("title"), "source"))
    for field in ("author", "interviewer", "recipient", "editor", "translator"):
        for name in ref.csl.get(field, []):
            text = name.get("literal") or " ".join(p for p in (name.get("given"), name.get("family")) if p)
            if text:
                found.append(Protected(text, ref.where(field), "source"))
    if ref.csl.get("URL"):
        found.append(Protected(str(ref.csl["URL"]), ref.where("URL"), "source"))
    return found


def _public_text(document: m.Document) -> str:
    """The public edition's words, folded, for telling a secret from a common phrase."""
    parts = [document.metadata.title, document.metadata.subtitle or ""]
    for section in document.sections:
        parts.append(section.title or "")
        for block in m.walk_blocks(section.blocks):
            parts += [_text(seq, notes=True) for seq in m.own_inlines(block)]
            parts.append(getattr(block, "alt", None) or "")
    return " ".join(fold(" ".join(" ".join(parts).split()))[0].split())


class _Collector:
    """Pieces of the marked parts of a document, walked once."""

    def __init__(self, public_text: str):
        self.public = public_text
        self.found: list[Protected] = []

    def add(self, text: str, where: Location, kind: str, whole: bool = False) -> None:
        for piece, is_whole in pieces(text):
            if whole or is_whole or " ".join(fold(piece)[0].split()) not in self.public:
                self.found.append(Protected(piece, where, kind))

    def blocks(self, blocks, kind: str | None) -> None:
        """``kind`` is the kind of marked part ``blocks`` are in, or None outside one."""
        for block in blocks:
            inner = kind
            if is_marked(block) and isinstance(block, (m.Div, m.Paragraph, m.Figure)):
                inner = kind or {m.Div: "block", m.Paragraph: "paragraph", m.Figure: "figure"}[type(block)]
            if isinstance(block, m.Figure) and inner:
                self.add(block.alt or "", block.location, inner)
                self.add(block.src.rsplit("/", 1)[-1], block.location, inner, whole=True)
            if isinstance(block, m.CodeBlock) and inner:
                self.add(block.text, block.location, inner)
            for sequence in m.own_inlines(block):
                self.inlines(sequence, inner, block.location)
            for children in m.child_blocks(block):
                self.blocks(children, inner)

    def inlines(self, nodes, kind: str | None, where: Location) -> None:
        """Inline nodes in a marked part of ``kind`` (all their words and notes), or outside
        one (None: the marked spans among them, and in the notes)."""
        if kind:
            self.add(_text(nodes, notes=False), where, kind)
            self._notes(nodes)
            return
        for node in nodes:
            if isinstance(node, m.Span) and is_marked(node):
                self.add(_text(node.children, notes=False), node.location, "span")
                self._notes(node.children)
            elif getattr(node, "children", None) is not None:
                self.inlines(node.children, None, where)

    def _notes(self, nodes) -> None:
        """The notes among a marked part's inline nodes: confidential with it."""
        for node in m.descendants(nodes, into_notes=False):
            if isinstance(node, m.Note):
                self.add(_text(node.children, notes=False), node.location, "note")


def pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, whether it is the whole text) for the pieces of ``text`` (see the module doc)."""
    text = " ".join(text.split())
    words = _WORD.findall(text)
    cjk = sum(len(w) == 1 and re.match(f"[{_CJK}]", w) is not None for w in words) * 2 > len(words)
    short, run, least = (16, 10, 6) if cjk else (SHORT, RUN, LEAST)
    if not words:
        return []
    if len(words) <= short:
        return [(text, True)]
    found = []
    for sentence in _SENTENCE_END.split(text):
        spans = [w.span() for w in _WORD.finditer(sentence)]
        if len(spans) < least:
            continue
        if len(spans) <= short:
            found.append((sentence.strip(), False))
            continue
        starts = list(range(0, len(spans), run))
        if len(spans) - starts[-1] < least:
            starts.pop()
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(spans)
            found.append((sentence[spans[start][0]:spans[end - 1][1]], False))
    return found


def _text(nodes, notes: bool) -> str:
    """The words of inline nodes; with ``notes``, the notes' (and footnotes') too."""
    out = []
    for node in nodes:
        if isinstance(node, (m.Note, m.Footnote)):
            if notes:
                out.append(" " + _text(node.children, notes) + " ")
        elif isinstance(node, m.Citation):
            continue
        elif isinstance(node, (m.Text, m.Code)):
            out.append(node.text)
        elif isinstance(node, m.LineBreak):
            out.append(" ")
        elif isinstance(node, m.Ref):
            out.append(node.text())
        elif getattr(node, "children", None) is not None:
            out.append(_text(node.children, notes))
    return "".join(out)
