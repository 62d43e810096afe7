"""Bold and italic turned on or off by a reviewer → Markdown emphasis around the words.

Takes one :class:`~report.review.paragraphs.Restyle` (in the build's text of a unit),
the unit's :class:`~report.review.mapping.Traced` text and its source file; returns a
:class:`Restyled`: where it is, and either the :class:`~report.review.mapping.SourceEdit`
that makes it (one edit over the words: ``words`` → ``*words*``, ``**words**``, or an
emphasis's delimiters taken away) or why it is not applied.

The words are trimmed of spaces and note calls at their ends (Markdown emphasis
cannot start or end with a space). The markers go only where the words' source is
whole: every character traced, nothing between them but the markup of containers
that lie wholly inside the words (a link, a span, a note call: ``*see [the
report](url)*``), never inside a citation group, a note, an attribute block or a
link. Removing bold or italic takes away the delimiters of an emphasis whose text is
exactly the words. Then the file is parsed with the edit made, and the edit kept only
when the paragraph reads the same words with exactly the formatting the reviewer
gave them (a delimiter Markdown would not read as one is refused, not written).
"""

from __future__ import annotations

from dataclasses import dataclass

from report import model as m
from report.diagnostics import Location
from report.review.located import Part, Unit, inline_parts, shown
from report.review.mapping import SourceEdit, Traced
from report.review.markup import after_closers, before_openers
from report.review.sourcefile import SourceFile
from report.review.wordfile import NOTE

KINDS = ("paragraph", "item", "heading", "note")  # units whose words Markdown can emphasise
MARKER = {frozenset("i"): "*", frozenset("b"): "**", frozenset("bi"): "***"}
_FLAG = {m.Emph: "i", m.Strong: "b"}
_OPENER = {m.Emph: 1, m.Strong: 2}
_SKIP = (m.Footnote, m.Note, m.Citation, m.Ref, m.CrossRef)


@dataclass(frozen=True)
class Restyled:
    location: Location
    words: str
    source: SourceEdit | None
    reason: str | None


def _trim(base: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (base[start].isspace() or base[start] == NOTE):
        start += 1
    while end > start and (base[end - 1].isspace() or base[end - 1] == NOTE):
        end -= 1
    return start, end


def _flags(unit: Unit, stack) -> frozenset:
    return frozenset(_FLAG[type(unit.parts[i].node)] for i in stack if type(unit.parts[i].node) in _FLAG)


def restyle(unit: Unit, base: str, traced: Traced, source: SourceFile, start: int, end: int,
            added: frozenset, removed: frozenset) -> Restyled | None:
    """See the module doc; None when the words are only spaces or note calls."""
    start, end = _trim(base, start, end)
    if start >= end:
        return None
    spans = traced.spans[start:end]
    first = next((s for s in spans if s is not None), None)
    where = source.location(first[0]) if first is not None else unit.location
    words = base[start:end]

    def refused(reason: str) -> Restyled:
        return Restyled(where, words, None, reason)

    if unit.kind not in KINDS:
        return refused("it changes the formatting of text whose formatting the template sets (apply it by hand)")
    if any(s is None for s in spans):
        return refused("its text is not all from the sources (a number, a cross-reference, a note the style wrote)")
    if added and removed:
        return refused("it changes bold into italic or back (apply it by hand)")
    edit = _add(traced, source, start, end, added) if added else _remove(unit, traced, source, start, end,
                                                                          removed, base)
    if isinstance(edit, str):
        return refused(edit)
    if not _reads_as_wanted(unit, traced, source, edit, start, end, added, removed):
        return refused("Markdown would not read the emphasis there (apply it by hand)")
    return Restyled(where, words, edit, None)


def _whole(traced: Traced, start: int, end: int) -> bool:
    """Whether every container some of the words are in, and not all, lies wholly inside them."""
    stacks = traced.stacks
    common = set.intersection(*(set(s) for s in stacks[start:end]))
    partial = set().union(*(set(s) for s in stacks[start:end])) - common
    return not any(partial & set(s) for k, s in enumerate(stacks) if not start <= k < end)


def _add(traced: Traced, source: SourceFile, start: int, end: int, flags: frozenset) -> SourceEdit | str:
    spans, stacks, text = traced.spans, traced.stacks, source.text
    if not _whole(traced, start, end):
        return "it covers part of a link, a span or an emphasis (apply it by hand)"
    common = set.intersection(*(set(s) for s in stacks[start:end]))
    a, b = spans[start][0], spans[end - 1][1]
    if set(stacks[start]) - common:
        a = before_openers(text, a)
    if set(stacks[end - 1]) - common:
        b = after_closers(text, b, source.jumps)
    marker = MARKER[flags]
    return SourceEdit(source.path, a, b, marker + text[a:b] + marker)


def _remove(unit, traced: Traced, source: SourceFile, start: int, end: int, flags: frozenset,
            base: str) -> SourceEdit | str:
    """The delimiters taken off the innermost emphasis of each kind whose text is exactly the words."""
    stacks, spans, text = traced.stacks, traced.spans, source.text
    common = set.intersection(*(set(s) for s in stacks[start:end]))
    stack = stacks[start]
    chosen = [next((i for i in reversed(stack) if i in common and _FLAG.get(type(unit.parts[i].node)) == flag), None)
              for flag in sorted(flags)]
    if None in chosen:
        return "the words are bold or italic by the template, not by the sources (apply it by hand)"
    outside = [k for k in range(len(stacks)) if not start <= k < end and not (base[k].isspace() or base[k] == NOTE)]
    if any(i in stacks[k] for i in chosen for k in outside) or set(stacks[start]) != set(stacks[end - 1]):
        return "it takes the formatting off part of an emphasis (apply it by hand)"
    outermost = min(stack.index(i) for i in chosen)
    if any(type(unit.parts[i].node) not in _OPENER for i in stack[outermost:]):
        return "the emphasis holds a link or a span at its edge (apply it by hand)"
    a, b = spans[start][0], spans[end - 1][1]
    cut = []
    for i in reversed(stack[outermost:]):  # the delimiters, counted outward from the words
        size = _OPENER[type(unit.parts[i].node)]
        opener, closer = text[a - size:a], text[b:b + size]
        if opener != closer or len(opener) != size or set(opener) - set("*_") or len(set(opener)) != 1:
            return "its emphasis is not written with * or _ there (apply it by hand)"
        if i in chosen:
            cut += [(a - size, a), (b, b + size)]
        a, b = a - size, b + size
    lo, hi = min(c[0] for c in cut), max(c[1] for c in cut)
    kept = "".join(text[k] for k in range(lo, hi) if not any(x <= k < y for x, y in cut))
    return SourceEdit(source.path, lo, hi, kept)


def _model_flags(nodes, flags: frozenset, out: list) -> None:
    """(character, bold/italic) of every source text in ``nodes``, notes and citations left out."""
    for node in nodes:
        if isinstance(node, _SKIP):
            continue
        if type(node) in (m.Text, m.Code):
            parts: list[Part] = []
            inline_parts([node], parts)
            out += [(ch, flags) for ch in shown(parts[0])]
        elif hasattr(node, "children") and not isinstance(node.children, str):
            _model_flags(node.children, flags | ({_FLAG[type(node)]} if type(node) in _FLAG else set()), out)


def _unit_flags(unit: Unit, traced: Traced, start: int, end: int, added, removed) -> list:
    """The unit's traced source text with its formatting as the reviewer left it."""
    out = []
    for k, span in enumerate(traced.spans):
        index = traced.parts[k]
        if span is None or index < 0 or unit.parts[index].kind not in ("text", "code"):
            continue
        flags = _flags(unit, traced.stacks[k])
        if start <= k < end:
            flags = (flags | added) - removed
        out.append((span, flags))
    return out


def _reads_as_wanted(unit, traced: Traced, source: SourceFile, edit: SourceEdit, start: int, end: int,
                     added, removed) -> bool:
    """Whether the file with ``edit`` made still reads the unit's words, with the
    reviewer's formatting (the section parsed as a build parses it)."""
    from report.errors import ReportError
    from report.parse.markdown import parse_section
    from report.sources.sections import section_from_text

    new = source.text[:edit.start] + edit.text + source.text[edit.end:]
    try:
        section, _ = parse_section(section_from_text(source.path, new))
    except ReportError:
        return False
    node = _find(section.blocks, unit)
    if node is None:
        return False
    got: list = []
    _model_flags(node.children, frozenset(), got)
    wanted = [(source.text[a:b], flags) for (a, b), flags in _unit_flags(unit, traced, start, end, added, removed)]
    text = "".join(ch for ch, _ in got)
    # only what was traced is compared: the source texts' characters, in order, and their formatting
    at, joined = 0, []
    for chars, flags in wanted:
        shown_as = text.find(_plain(chars), at) if chars else at
        if shown_as < 0:
            return False
        joined.append((shown_as, len(_plain(chars)), flags))
        at = shown_as + len(_plain(chars))
    return all(all(got[i][1] == flags for i in range(pos, pos + size)) for pos, size, flags in joined)


def _plain(chars: str) -> str:
    """A traced source piece as the text it reads as (an escape, an entity, a soft break)."""
    import html

    if chars.startswith("\\") and len(chars) == 2:
        return "\u00a0" if chars[1] == " " else chars[1]
    if chars.startswith("&"):
        return html.unescape(chars)
    if not chars.strip():
        return " "
    return chars


def _find(blocks, unit: Unit):
    """The node of the newly parsed section that is ``unit``'s: the block (or note) that
    starts on the same line, of the same kind."""
    line = unit.location.line
    want = m.Note if unit.kind == "note" else type(unit.node)
    for node in _walk(blocks):
        if type(node) is want and node.location.line == line and (
                unit.kind != "note" or node.location.col == unit.location.col):
            return node
    return None


def _walk(nodes):
    for node in nodes:
        yield node
        for name in ("children", "blocks", "items"):
            value = getattr(node, name, None)
            if isinstance(value, tuple):
                for child in value:
                    if isinstance(child, tuple):
                        yield from _walk(child)
                    elif not isinstance(child, str):
                        yield from _walk([child])
