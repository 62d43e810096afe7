"""Word-level edit scripts that stay fast on long paragraphs.

Takes two lists of hashable keys (words, spaces, note calls); returns difflib-style
opcodes ``(tag, i1, i2, j1, j2)``. difflib's SequenceMatcher without its junk
heuristic is quadratic in the occurrences of common tokens (spaces, "the"): a
400-page report edited everywhere took tens of seconds. So: the common prefix and
suffix are trimmed; a small middle goes to SequenceMatcher as is; a large one is
cut into chunks that end at sentence ends or at content-defined points (a checksum
of the token, so an insertion does not shift the later cuts), the chunks are
aligned, and the words are diffed only inside chunks paired up. Deterministic:
zlib.crc32, not Python's salted hash.
"""

from __future__ import annotations

import difflib
import zlib

SMALL = 40_000  # len(a) * len(b) below which difflib runs on the tokens directly
ENDS = frozenset({".", "!", "?", ";", "\n"})
CUT = 24  # on average one content-defined cut every CUT tokens, besides sentence ends


def opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """An edit script turning ``a`` into ``b``, adjacent ops of one kind merged."""
    merged: list[list] = []
    for op in _diff(a, b, 0, len(a), 0, len(b)):
        if merged and merged[-1][0] == op[0]:
            merged[-1][2], merged[-1][4] = op[2], op[4]
        else:
            merged.append(list(op))
    return [tuple(op) for op in merged]


def _diff(a, b, alo, ahi, blo, bhi) -> list:
    """The script of a[alo:ahi] → b[blo:bhi]: common prefix and suffix, then the middle."""
    start_a, start_b = alo, blo
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        alo += 1
        blo += 1
    end_a, end_b = ahi, bhi
    while end_a > alo and end_b > blo and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    head = [("equal", start_a, alo, start_b, blo)] if alo > start_a else []
    tail = [("equal", end_a, ahi, end_b, bhi)] if end_a < ahi else []
    return head + _middle(a, b, alo, end_a, blo, end_b) + tail


def _middle(a, b, alo, ahi, blo, bhi) -> list:
    if alo == ahi and blo == bhi:
        return []
    if alo == ahi:
        return [("insert", alo, alo, blo, bhi)]
    if blo == bhi:
        return [("delete", alo, ahi, blo, blo)]
    if (ahi - alo) * (bhi - blo) <= SMALL:
        return _difflib(a, b, alo, ahi, blo, bhi, junk=False)
    ca, cb = _chunks(a, alo, ahi), _chunks(b, blo, bhi)
    if len(ca) == 1 or len(cb) == 1:
        return _difflib(a, b, alo, ahi, blo, bhi, junk=True)  # no cuts to use: difflib's own heuristic
    ops = []
    matcher = difflib.SequenceMatcher(None, [tuple(a[s:e]) for s, e in ca], [tuple(b[s:e]) for s, e in cb],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", ca[i1][0], ca[i2 - 1][1], cb[j1][0], cb[j2 - 1][1]))
            continue
        # Changed chunks are paired in order and diffed word by word; the rest go whole.
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            ops.extend(_diff(a, b, *ca[i1 + k], *cb[j1 + k]))
        at_a = ca[i1 + pairs - 1][1] if pairs else (ca[i1][0] if i1 < len(ca) else ahi)
        at_b = cb[j1 + pairs - 1][1] if pairs else (cb[j1][0] if j1 < len(cb) else bhi)
        if i2 - i1 > pairs:
            ops.append(("delete", at_a, ca[i2 - 1][1], at_b, at_b))
        elif j2 - j1 > pairs:
            ops.append(("insert", at_a, at_a, at_b, cb[j2 - 1][1]))
    return ops


def _difflib(a, b, alo, ahi, blo, bhi, junk: bool) -> list:
    matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=junk)
    return [(t, i1 + alo, i2 + alo, j1 + blo, j2 + blo) for t, i1, i2, j1, j2 in matcher.get_opcodes()]


def _chunks(seq, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) pieces of seq[lo:hi], cut after sentence ends and content-defined points."""
    cuts, start = [], lo
    for k in range(lo, hi):
        key = seq[k]
        text = key if isinstance(key, str) else repr(key)
        if text.strip() in ENDS or zlib.crc32(text.encode("utf-8", "surrogatepass")) % CUT == 0:
            cuts.append((start, k + 1))
            start = k + 1
    if start < hi:
        cuts.append((start, hi))
    return cuts
