"""A cursor over a stretch of Markdown source that finds, in order, the texts the build shows from it.

Takes a :class:`~report.review.sourcefile.SourceFile` and the stretch a unit's text
comes from (a note's: with the citation groups in it, whose text the style writes);
:meth:`Tracer.find` takes each text node's text in turn and returns the ``(start,
end)`` offsets of the source characters each of its characters came from, or None when
it is not there; :meth:`Tracer.call` gives a note call's whole source,
:meth:`Tracer.skip_ref` and :meth:`Tracer.skip_closers` step over a cross-reference and
closing markup. :func:`exactly` traces a text that is all of a stretch written as is
(a YAML value).

The parser locates inline nodes only roughly (a text node carries its block's
line), so each node's text is looked for from where the previous one ended. Between
them only markup may lie (``*``, ``[``, ``]``, ``{#id .class}``, a link's ``(url)``,
list and quote markers…): a letter in between means the text is not where it was
expected, and it stays untraced rather than be traced to the wrong place. Note
calls are exact: a Footnote carries the column of its ``[`` or ``^[``.
"""

from __future__ import annotations

import html
import re

from report import model as m
from report.parse.citations import KEY, parse_group
from report.review.public import name_spans
from report.review.sourcefile import SourceFile

Span = tuple[int, int]
# What may stand between two traced texts: white space and inline markup, never a letter.
SKIPPABLE = frozenset(" \t\r\n*_~^[]<>!`\\|")
CLOSERS = frozenset("*_~^]>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_KEY_END = re.compile(rf"-?@{KEY}")
_CONTINUATION = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")


class Tracer:
    """Scans ``source`` from ``start`` to ``end``: ``cursor`` is where the next text is looked
    for; ``cites``, a note's citation groups (the style writes their text), are jumped over whole."""

    def __init__(self, source: SourceFile, start: int, end: int, cites: list[Span] = ()):
        self.src, self.text = source, source.text
        self.cursor, self.start, self.end = start, start, end
        self.cites = sorted(cites)
        self.jumps = dict(source.jumps)
        for a, b in cites:
            self.jumps[a] = b

    def made_here(self, node) -> bool:
        """Whether ``node`` (in a note) is the style's: located inside a citation group."""
        at = self.src.offset(node.location) if node is not None else None
        return at is not None and any(a <= at < b for a, b in self.cites)

    def find(self, raw: str, code: bool = False) -> list[Span] | None:
        if not raw:
            return []
        q = self.cursor
        pieces = self.src.public.pieces(raw) if self.src.public is not None else []
        while q < self.end:
            spans = self._named(q, pieces, code) if pieces else self._match(q, raw, code)
            if spans is not None:
                self.cursor = spans[-1][1]
                return spans
            q = self._past(q)
            if q is None:
                return None
        return None

    def _past(self, q: int) -> int | None:
        """Where scanning for traced text goes on after ``q``: past markup jumped over
        whole, or a character the build drops (SKIPPABLE); None when ``q`` is text."""
        if q in self.jumps and self.jumps[q] > q:
            return self.jumps[q]
        return q + 1 if self.text[q] in SKIPPABLE else None

    def _named(self, q: int, pieces, code: bool) -> list[Span] | None:
        """A public edition's text holding pseudonyms (:meth:`PublicEdition.pieces`): each
        pseudonym matches itself or a variant of the name it stands for."""
        spans: list[Span] = []
        for piece, pseudonym in pieces:
            got = self._match(q, piece, code)
            if got is None and pseudonym is not None:
                stop = self.src.public.name_end(self.text, q, pseudonym, self.end)
                got = name_spans((q, stop), pseudonym) if stop is not None else None
            if got is None:
                return None
            spans += got
            q = got[-1][1] if got else q
        return spans

    def _match(self, q: int, raw: str, code: bool) -> list[Span] | None:
        text, end, spans = self.text, self.end, []
        for ch in raw:
            if q >= end:
                return None
            c = text[q]
            if not code and c == "&" and (entity := _ENTITY.match(text, q, end)) and html.unescape(entity[0]) == ch:
                spans.append((q, entity.end()))
                q = entity.end()
            elif c == "\\" and q + 1 < end and (not code and (text[q + 1] == ch or text[q + 1] == " " and ch == "\u00a0")
                                                 or code and ch == "|" == text[q + 1]):
                spans.append((q, q + 2))
                q += 2
            elif c == ch and c != "\n":
                spans.append((q, q + 1))
                q += 1
            elif ch in " \n" and c in " \t\r\n":
                stop = q
                while stop < end and text[stop] in " \t":
                    stop += 1
                if stop < end and text[stop] == "\r":
                    stop += 1
                if stop < end and text[stop] == "\n":
                    stop = _CONTINUATION.match(text, stop + 1).end()
                spans.append((q, stop))
                q = stop
            else:
                return None
        return spans

    def skip_closers(self) -> None:
        q = self.cursor
        while q < self.end:
            if q in self.jumps and self.jumps[q] > q:
                q = self.jumps[q]
            elif self.text[q] in CLOSERS:
                q += 1
            else:
                break
        self.cursor = q

    def call(self, note: m.Footnote) -> Span | None:
        """The source of a note call: its citation group or note, brackets included."""
        at = self.src.note_at(note)
        text = self.text
        if at is None or at < self.start or at >= len(text):
            return None
        opener = at + 1 if text.startswith("^[", at) else at
        close = self.src.pairs.get(opener)
        if text[opener:opener + 1] != "[" or close is None:
            return None
        self.cursor = max(self.cursor, close + 1)
        return (at, close + 1)

    def skip_ref(self, node: m.Ref) -> None:
        at = self.src.offset(node.location)
        if at is None:  # a translation's: its node carries only its PO entry's line (report.review.translation)
            at = self._next_ref()
        if at is None or at < self.cursor:
            return
        if self.text[at:at + 1] == "[" and at in self.src.pairs:
            self.cursor = self.src.pairs[at] + 1
        elif (key := _KEY_END.match(self.text, at)) is not None:
            self.cursor = key.end()

    def _next_ref(self) -> int | None:
        """Where the cross-reference the cursor stands before starts, only markup between:
        a group (``[@fig-a; @fig-b]``, ``[-@tbl-x]``, ``[Map @fig-gate]``) or a bare
        ``@fig-gate``; None when there is none."""
        q, text, pairs = self.cursor, self.text, self.src.pairs
        while q < self.end:
            if text[q] == "[" and q in pairs and text[pairs[q] + 1:pairs[q] + 2] not in ("(", "{"):
                items = parse_group(text[q + 1:pairs[q]], 0)  # as report.parse.citations reads a group
                if items and all(m.crossref_kind(item.key) for item in items):
                    return q
            elif text[q] == "@" and (key := _KEY_END.match(text, q)) and m.crossref_kind(key.group()[1:]):
                return q
            q = self._past(q)
            if q is None:
                return None
        return None


def exactly(source: SourceFile, start: int, end: int, shown_text: str) -> list[Span] | None:
    """The spans of ``shown_text`` when it is all of ``source.text[start:end]``, written
    as is (no Markdown: a YAML value), a pseudonym standing for a variant of its name; else None."""
    tracer = Tracer(source, start, end)
    pieces = source.public.pieces(shown_text) if source.public is not None else []
    spans = tracer._named(start, pieces, True) if pieces else tracer._match(start, shown_text, True)
    if spans is None or (spans[-1][1] if spans else start) != end:
        return None
    return spans
