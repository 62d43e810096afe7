"""Each character of a unit's text traced back to its place in the Markdown source.

Takes a :class:`~report.review.located.Unit` and the text of its source file;
returns one entry per character of ``unit.text``: the ``(start, end)`` offsets of
the source characters it came from (``\\*`` for ``*``, a line break and its
indentation for a soft break's space, the whole ``[@key, p. 3]`` or ``^[…]`` for a
note call), or None for text the tool made (a list marker, a cross-reference, a
note written by the citation style) and for text that could not be found.

The source is read by a :class:`~report.review.tracer.Tracer` (how it finds each text:
:mod:`.tracer`).

A section's title is traced into its front matter's ``title:``, a box's or callout's
into its div's ``title="…"`` or the callout's first heading (:mod:`.titles`). In a
public edition's review (:mod:`.public`) a pseudonym is traced to the name it stands
for, in any of them, and the confidential spans the edition left out are jumped over.
"""

from __future__ import annotations

import bisect
import re

from report import model as m
from report.review.located import Part, Unit, inline_parts, shown, table_cells
from report.review.sourcefile import SourceFile
from report.review.titles import heading_start, in_div, title_value
from report.review.tracer import Span, Tracer, exactly

_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.M)


def _label_link(tracer: Tracer) -> bool:
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


def _walk(parts, tracer: Tracer, in_note: bool) -> list[Span | None]:
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
        spans = exactly(source, at, at + len(value), part.text) if found is not None else None
        out += spans if spans is not None else [None] * len(part.text)
    return out


def _div_title(unit: Unit, source: SourceFile) -> list[Span | None] | None:
    """A box's or callout's title (:mod:`.titles`): inside its ``title="…"`` (the
    attribute's backslash escapes read as Markdown's), or the callout's first heading;
    None when the unit is not located at its div (a translation's msgstr)."""
    if not in_div(unit, source):
        return None
    value = title_value(unit, source)
    if value is not None:
        return _walk(unit.parts, Tracer(source, value[0], value[1]), False)
    start = heading_start(unit, source)
    return _walk(unit.parts, Tracer(source, start, len(source.text)), False) if start is not None else []


def note_region(note: m.Footnote, source: SourceFile) -> tuple[int, int] | None:
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
    tracer = Tracer(source, at, len(source.text))
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
        region = note_region(unit.node, source)
        if region is None:
            spans = [None] * len(unit.text)
        else:
            start, end = region
            cites = [(a, b + 1) for a, b in source.pairs.items()
                     if start <= a < end and "@" in source.text[a:b] and not source.text.startswith("[^", a)]
            spans = _walk(unit.parts, Tracer(source, start, end, cites), in_note=True)
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
        spans = _walk(unit.parts, Tracer(source, at, len(source.text)), False) if at is not None else []
    if len(spans) != len(unit.text):
        return [None] * len(unit.text)
    return spans
