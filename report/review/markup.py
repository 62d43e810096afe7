"""Where an edit goes relative to the Markdown markup around the text it touches.

Takes source text and offsets found by :mod:`report.review.trace`; returns offsets.
An insertion at the edge of emphasis, a span or a link goes outside it (the
markup stays whole: ``*word* new``, never ``*word new*`` or ``< new…>``); a deletion
of all of a container's text deletes its markup too (``*word*`` goes, not leaving
``**`` behind), except a span with attributes, whose ``{#id .class}`` carries data
(the edit is then refused by :mod:`report.review.verify` if what is left does not parse).
"""

from __future__ import annotations

OPENERS = frozenset("[*_~^<`")
PAIRED = frozenset("*_~^`")


def before_openers(text: str, at: int) -> int:
    """``at`` moved back over the markup that opens containers (``[``, ``*``, ``<``…)."""
    while at > 0 and text[at - 1] in OPENERS and not _escaped(text, at - 1):
        at -= 1
    return at


def after_closers(text: str, at: int, jumps: dict[int, int]) -> int:
    """``at`` moved on over the markup that closes containers: ``*``, ``]``, ``>``, and
    the attribute blocks and link destinations after them (``jumps``)."""
    while at < len(text):
        if at in jumps and jumps[at] > at:
            at = jumps[at]
        elif text[at] in "*_~^]>`" and not _escaped(text, at):
            at += 1
        else:
            break
    return at


def _escaped(text: str, at: int) -> bool:
    slashes = 0
    while at - slashes - 1 >= 0 and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def widen_deletion(text: str, start: int, end: int, levels: int, pairs: dict[int, int]) -> tuple[int, int]:
    """A deletion of ``text[start:end]``, the whole text of ``levels`` nested containers,
    widened to delete their markup too. Stops at a span with attributes (its data)."""
    for _ in range(levels):
        if start == 0 or end >= len(text):
            break
        before, after = text[start - 1], text[end]
        if before == " " == after and start >= 2 and text[start - 2] == "`" == text[end + 1:end + 2]:
            start, end = start - 1, end + 1  # a code span's padding: `` a`b ``
            before = after = "`"
        if before in PAIRED and after == before:
            while start > 0 and end < len(text) and text[start - 1] == before and text[end] == before:
                start, end = start - 1, end + 1
        elif before == "<" and after == ">":
            start, end = start - 1, end + 1
        elif before == "[" and after == "]" and pairs.get(start - 1) == end:
            close = end + 1
            if text.startswith("(", close) or text.startswith("[", close):
                inner = pairs.get(close) if text[close] == "[" else _paren_close(text, close)
                if inner is None:
                    break
                close = inner + 1
            elif text.startswith("{", close):
                break  # a span's attributes are data: keep them, and the span
            start, end = start - 1, close
        else:
            break
    return start, end


def _paren_close(text: str, at: int) -> int | None:
    """The ``)`` closing the ``(`` at ``at`` on its line (escapes skipped), or None."""
    depth, i = 0, at
    while i < min(len(text), at + 2000):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "\n":
            return None
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return i
        i += 1
    return None
