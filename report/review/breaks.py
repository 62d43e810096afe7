"""Paragraph marks a reviewer inserted or deleted → blank lines in the Markdown.

:func:`split` takes an edit of a paragraph's text that holds paragraph breaks
(:data:`~report.review.wordfile.BREAK`: Enter pressed inside a paragraph, or a new
paragraph typed after it) and returns the source edit that writes a blank line at
each break: ``conflict. Many`` → ``conflict.`` / blank line / ``Many`` (the spaces
around a break go with it), a new paragraph after the last one's attribute block
(which stays with the paragraph it was on).

:func:`join` takes two paired paragraphs, the first's mark deleted (Word's "joined
with the next"), and returns the source edit that removes the blank line between
them, so they read as one, as Word shows them: nothing else is added (a space the
reviewer typed at the join is its own change).

Both only touch plain paragraphs of one file, with nothing between them in the
source but white space (and emphasis closing or opening): a list item, a quote, a
table, an attribute block between them, or a break inside emphasis or a link is
reported where it is, with the reason, and not applied.
"""

from __future__ import annotations

import re

from report import model as m
from report.diagnostics import Location
from report.review.located import Unit
from report.review.mapping import Placed, SourceEdit, Traced, base_spans, escape
from report.review.sourcefile import SourceFile
from report.review.wordfile import BREAK, NOTE

_GAP = re.compile(r"(?P<close>[*_~^`]*)(?P<space>[ \t]*\r?\n(?:[ \t]*\r?\n)+[ \t]*)(?P<open>[*_~^`]*)")
_CLOSERS = frozenset("*_~^]>`")


def _plain(unit: Unit | None) -> bool:
    return unit is not None and unit.kind == "paragraph" and type(unit.node) is m.Paragraph


def _block_end(text: str, at: int, jumps: dict[int, int]) -> int | None:
    """The end of the paragraph's source line from ``at`` (its last text): past closing
    markup and attribute blocks; None when other text follows on the line."""
    while at < len(text):
        if text[at] in " \t":
            at += 1
        elif at in jumps and jumps[at] > at:
            at = jumps[at]
        elif text[at] in _CLOSERS:
            at += 1
        else:
            break
    return at if at == len(text) or text[at] in "\r\n" else None


def split(edit, traced: Traced, unit: Unit, source: SourceFile, where: Location) -> Placed:
    """An edit whose new text holds paragraph breaks, as a source edit (see the module doc)."""
    from report.review.mapping import _range

    added = edit.start == edit.end and edit.text.strip(BREAK) and BREAK in (edit.text[0], edit.text[-1])
    what = "adds a paragraph" if added else "splits a paragraph"
    if not _plain(unit):
        return Placed(edit, where, None, f"it {what} inside a list, a quote, a table or a note (apply it by hand)")
    if NOTE in edit.text or "\n" in edit.text or "\t" in edit.text:
        return Placed(edit, where, None, f"it {what} with a footnote, a line break or a tab in it (apply it by hand)")
    stacks, text = traced.stacks, source.text
    outer = set(stacks[edit.start - 1]) if edit.start > 0 else set()
    if outer & set(stacks[edit.end] if edit.end < len(stacks) else ()):
        return Placed(edit, where, None, f"it {what} inside emphasis, a span or a link (apply it by hand)")
    probe = type(edit)(edit.start, edit.end, edit.text.replace(BREAK, "x"), edit.authors, edit.date, edit.kind)
    found = _range(probe, traced, source, unit)
    if isinstance(found, str):
        return Placed(edit, where, None, "its place could not be traced to the source (apply it by hand)"
                      if found == "untraced" else found)
    start, end = found
    if edit.end == len(traced.spans) and edit.text.startswith(BREAK):  # after the paragraph: past its attributes
        last = next((s for s in reversed(traced.spans) if s is not None), None)
        at = _block_end(text, max(end, last[1] if last else end), source.jumps)
        if at is None:
            return Placed(edit, where, None, f"it {what} where the source line goes on (apply it by hand)")
        start = end = at
    pieces = edit.text.split(BREAK)
    if not pieces[0].strip(" "):  # the break at the edit's start: the spaces before it go with it
        floor = traced_start(traced)
        while start > floor and text[start - 1] in " \t\r\n":
            start -= 1
    if not pieces[-1].strip(" "):
        while end < len(text) and text[end] in " \t":
            end += 1
    lines = [piece.strip(" ") if 0 < k < len(pieces) - 1 else piece.rstrip(" ") if k == 0 else piece.lstrip(" ")
             for k, piece in enumerate(pieces)]
    at_line_start = start == 0 or text[start - 1] == "\n"
    new = "\n\n".join(escape(line, at_line_start if k == 0 else True) for k, line in enumerate(lines))
    return Placed(edit, source.location(start), SourceEdit(source.path, start, end, new), None)


def traced_start(traced: Traced) -> int:
    """Where the unit's first traced character is in the source (a split never reaches before it)."""
    first = next((s for s in traced.spans if s is not None), None)
    return first[0] if first is not None else 0


def join(first, second, sources: dict[str, SourceFile]) -> tuple[Location | None, SourceEdit | None, str | None]:
    """The blank line between two paired paragraphs removed: (where, the edit, or why not)."""
    unit, other = first.unit, second.unit if second is not None else None
    source = sources.get(unit.location.path) if unit is not None else None
    if source is None or first.base is None:
        return None, None, "it joins this paragraph with the next (the paragraph could not be matched to the sources)"
    spans = base_spans(unit, first.base, source).spans
    last = next((s for s in reversed(spans) if s is not None), None)
    where = source.location(last[1]) if last is not None else unit.location
    if not (_plain(unit) and _plain(other)) or other.location.path != unit.location.path or second.base is None:
        return where, None, "it joins paragraphs that are not both plain paragraphs of one file (apply it by hand)"
    following = base_spans(other, second.base, source).spans
    head = next((s for s in following if s is not None), None)
    if last is None or head is None or spans[-1] is None or following[0] is None or head[0] <= last[1]:
        return where, None, "it joins paragraphs whose ends the tool writes (apply it by hand)"
    gap = _GAP.fullmatch(source.text, last[1], head[0])
    if gap is None:
        return where, None, "something stands between the two paragraphs in the source (apply it by hand)"
    spaced = first.reviewed.accepted[-1:].isspace() or second.reviewed.accepted[:1].isspace()
    if (gap["close"] or gap["open"]) and not spaced:
        return where, None, "it would join emphasis to emphasis with no space between (apply it by hand)"
    return where, SourceEdit(source.path, gap.start("space"), gap.end("space"), ""), None
