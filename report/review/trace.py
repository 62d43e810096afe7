"""Each character of a unit's text traced back to its place in the Markdown source.

Takes a :class:`~report.review.located.Unit` and the text of its source file;
returns one entry per character of ``unit.text``: the ``(start, end)`` offsets of
the source characters it came from (``\\*`` for ``*``, a line break and its
indentation for a soft break's space, the whole ``[@key, p. 3]`` or ``^[…]`` for a
note call), or None for text the tool made (a list marker, a cross-reference, a
note written by the citation style) and for text that could not be found.

The parser locates inline nodes only roughly (a text node carries its block's
line), so each node's text is looked for from where the previous one ended. Between
them only markup may lie (``*``, ``[``, ``]``, ``{#id .class}``, a link's ``(url)``,
list and quote markers…): a letter in between means the text is not where it was
expected, and it stays untraced rather than be traced to the wrong place. Note
calls are exact: a Footnote carries the column of its ``[`` or ``^[``.

A section's title is traced into its front matter's ``title:``, a box's or callout's
into its div's ``title="…"`` or the callout's first heading (:mod:`.titles`). In a
public edition's review (:mod:`.public`) a pseudonym is traced to the name it stands
for, in any of them, and the confidential spans the edition left out are jumped over.
"""

from __future__ import annotations

import bisect
import html
import re

from report import model as m
from report.parse.citations import parse_group
from report.review.located import Part, Unit, inline_parts, shown, table_cells
from report.review.public import name_spans
from report.review.sourcefile import SourceFile
from report.review.titles import heading_start, in_div, title_value

Span = tuple[int, int]
# What may stand between two traced texts: white space and inline markup, never a letter.
SKIPPABLE = frozenset(" \t\r\n*_~^[]<>!`\\|")
CLOSERS = frozenset("*_~^]>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_KEY_END = re.compile(r"-?@[\w:.#$%&+?<>~/-]*\w")
_CONTINUATION = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.M)


class _Tracer:
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


def _label_link(tracer: _Tracer) -> bool:
    """Whether the link just traced is ``[text][]`` or ``[text]``, whose text names its target."""
    text, q = tracer.text, tracer.cursor
    while q < tracer.end and text[q] in "*_~^":
        q += 1
    return text.startswith("][]", q) or text.startswith("]", q) and not text.startswith(("](", "]["), q)


def _per_character(part: Part, spans: list[Span] | None) -> list[Span | None]:
    """Spans of ``part.text``'s characters → spans of the characters Word shows."""
    out = []
    for i, ch in enumerate(part.text):
        if ch == "\r":
            continue
        out.append(spans[i] if spans is not None else None)
    return out if len(out) == len(shown(part)) else [None] * len(shown(part))


def _walk(parts, tracer: _Tracer, in_note: bool) -> list[Span | None]:
    out: list[Span | None] = []
    opened: list[int] = []  # where each open container's text starts in ``out``
    for part in parts:
        kind = part.kind
        if kind == "open":
            opened.append(len(out))
        elif kind == "close":
            start = opened.pop() if opened else 0
            if isinstance(part.node, m.Link) and _label_link(tracer):
                out[start:] = [None] * (len(out) - start)  # its text is its label: changing it breaks the link
        if kind in ("text", "code"):
            if in_note and tracer.made_here(part.node):
                out += [None] * len(shown(part))
            else:
                out += _per_character(part, tracer.find(part.text, code=kind == "code"))
        elif kind == "call":
            out.append(tracer.call(part.node))
        elif kind == "close":
            if not (in_note and tracer.made_here(part.node)):
                tracer.skip_closers()
        elif kind in ("made", "raw"):
            if isinstance(part.node, m.Ref):
                tracer.skip_ref(part.node)
            out += [None] * len(part.text)
    return out


def _title(unit: Unit, source: SourceFile) -> list[Span | None]:
    """A section title, traced into its front matter's ``title:`` value (a public
    edition's pseudonym in it to the name it stands for)."""
    text = source.text
    head = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    out: list[Span | None] = []
    for part in unit.parts:
        if part.kind != "title":
            out += [None] * len(part.text)
            continue
        if not source.front_matter:  # a translation's title: its PO entry's msgstr (report.review.translation)
            at = source.title_at(part.text)
            out += [(at + i, at + i + 1) if at is not None else None for i in range(len(part.text))]
            continue
        found = _TITLE.search(text, head.start(1), head.end(1)) if head else None
        value, at = (found.group(1), found.start(1)) if found else ("", 0)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, at = value[1:-1], at + 1
        spans = _exactly(source, at, at + len(value), part.text) if found is not None else None
        out += spans if spans is not None else [None] * len(part.text)
    return out


def _exactly(source: SourceFile, start: int, end: int, shown_text: str) -> list[Span] | None:
    """The spans of ``shown_text`` when it is all of ``source.text[start:end]``, written
    as is (no Markdown: a YAML value), a pseudonym standing for a variant of its name; else None."""
    tracer = _Tracer(source, start, end)
    pieces = source.public.pieces(shown_text) if source.public is not None else []
    spans = tracer._named(start, pieces, True) if pieces else tracer._match(start, shown_text, True)
    if spans is None or (spans[-1][1] if spans else start) != end:
        return None
    return spans


def _div_title(unit: Unit, source: SourceFile) -> list[Span | None] | None:
    """A box's or callout's title (:mod:`.titles`): inside its ``title="…"`` (the
    attribute's backslash escapes read as Markdown's), or the callout's first heading;
    None when the unit is not located at its div (a translation's msgstr)."""
    if not in_div(unit, source):
        return None
    value = title_value(unit, source)
    if value is not None:
        return _walk(unit.parts, _Tracer(source, value[0], value[1]), False)
    start = heading_start(unit, source)
    return _walk(unit.parts, _Tracer(source, start, len(source.text)), False) if start is not None else []


def _note_region(note: m.Footnote, source: SourceFile) -> tuple[int, int] | None:
    """Where a note's own text is: inside ``^[…]``, or a ``[^label]``'s definition.
    None for a note that is a citation group (the style writes all of it)."""
    text, at = source.text, source.note_at(note)
    if at is None:
        return None
    if text.startswith("^[", at) and at + 1 in source.pairs:
        return at + 2, source.pairs[at + 1]
    label = re.match(r"\[\^([^\]\s]+)\]", text[at:at + 200])
    if label:
        definition = re.search(r"^[ \t]{0,3}\[\^" + re.escape(label.group(1)) + r"\]:[ \t]*", text, re.M)
        if definition:
            end = re.compile(r"\n[ \t]*\n").search(text, definition.end())
            return definition.end(), end.start() if end else len(text)
    return None


def _cell(unit: Unit, source: SourceFile) -> list[Span | None]:
    """A table cell: the table's cells are traced in turn from the table's start, since
    they all carry the table's location."""
    at = source.offset(unit.location)
    if at is None:
        return []
    tracer = _Tracer(source, at, len(source.text))
    for index, cell in enumerate(table_cells(unit.node)):
        parts: list[Part] = []
        inline_parts(cell, parts)
        spans = _walk(parts, tracer, False)
        if index == unit.index:
            return spans
    return []


def _line_of(unit: Unit, source: SourceFile, at: int) -> int | None:
    """Where a definition list's term or a table's caption starts (they carry their
    block's location): the first line from just before the block on that opens with
    its words."""
    first = next((p.text for p in unit.parts if p.kind == "text" and p.text.strip()), "")
    if not first:
        return None
    opener = r"(?:Table)?:[ \t]+" if unit.kind == "caption" else ""
    line = bisect.bisect_right(source.starts, at) - 1
    pattern = re.compile(r"^[ \t]*" + opener + re.escape(first.strip()[:20]), re.M)
    found = pattern.search(source.text, source.starts[max(line - 2, 0)])
    return found.start() if found else None


def trace(unit: Unit, source: SourceFile) -> list[Span | None]:
    """One entry per character of ``unit.text`` (see the module doc)."""
    if unit.kind == "title":
        spans = _title(unit, source)
    elif unit.kind == "note":
        region = _note_region(unit.node, source)
        if region is None:
            spans = [None] * len(unit.text)
        else:
            start, end = region
            cites = [(a, b + 1) for a, b in source.pairs.items()
                     if start <= a < end and "@" in source.text[a:b] and not source.text.startswith("[^", a)]
            spans = _walk(unit.parts, _Tracer(source, start, end, cites), in_note=True)
    elif unit.kind == "cell":
        spans = _cell(unit, source)
    elif unit.kind == "caption" and type(unit.node) is m.Div and (titled := _div_title(unit, source)) is not None:
        spans = titled
    else:
        at = source.offset(unit.location)
        if at is not None:  # from its line's start: before the column are only indentation and markers
            at = source.starts[bisect.bisect_right(source.starts, at) - 1]
        if at is not None and unit.kind in ("term", "caption") and isinstance(unit.node, (m.DefinitionList, m.Table)):
            at = _line_of(unit, source, at)
        spans = _walk(unit.parts, _Tracer(source, at, len(source.text)), False) if at is not None else []
    if len(spans) != len(unit.text):
        return [None] * len(unit.text)
    return spans
