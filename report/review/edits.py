"""A paragraph's changes as edits of the text the build gave it.

Takes a :class:`~report.review.pairing.Paired` paragraph; returns its :class:`Edit`
list in the coordinates of the build's text (``Paired.base``), in order. Tracked
revisions are ranges of the reviewed file's original text (changes rejected); when
that text equals the build's, they are the edits as they stand. When it does not,
someone changed the text without tracking: the differences (word by word) are
``untracked`` edits, and a revision that touches one of them is merged with it into
one edit carrying both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.diff.words import opcodes
from report.review.wordfile import Para, Revision

UNTRACKED = "untracked"
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Edit:
    """``base[start:end]`` becomes ``text``. ``authors`` are the revisions' authors (none
    for an untracked edit); ``kind`` is change, move or untracked."""

    start: int
    end: int
    text: str
    authors: tuple[str, ...]
    date: str
    kind: str


def _edit(revision: Revision, shift: int) -> Edit:
    return Edit(revision.start + shift, revision.end + shift, revision.text, (revision.author,), revision.date,
                revision.kind)


def _tokens(text: str) -> tuple[list[str], list[int]]:
    words = _TOKEN.findall(text)
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word)
    starts.append(at)
    return words, starts


def _script(base: str, original: str) -> list[tuple[str, int, int, int, int]]:
    """Character-offset opcodes base → original, found word by word."""
    a, sa = _tokens(base)
    b, sb = _tokens(original)
    return [(tag, sa[i1], sa[i2], sb[j1], sb[j2]) for tag, i1, i2, j1, j2 in opcodes(a, b)]


def _apply(text: str, start: int, revisions: list[Revision]) -> str:
    """``text`` (original text from ``start`` on) with ``revisions`` (inside it) accepted."""
    out, at = [], 0
    for r in sorted(revisions, key=lambda r: (r.start, r.end)):
        out.append(text[at:r.start - start])
        out.append(r.text)
        at = r.end - start
    out.append(text[at:])
    return "".join(out)


def paragraph_edits(reviewed: Para, base: str) -> list[Edit]:
    """See the module doc."""
    if reviewed.original == base:
        return [_edit(r, 0) for r in reviewed.revisions]
    script = _script(base, reviewed.original)
    equal = [(b1, o1, o2 - o1) for tag, b1, b2, o1, o2 in script if tag == "equal"]
    gaps = [[b1, b2, o1, o2, []] for tag, b1, b2, o1, o2 in script if tag != "equal"]
    edits = []
    for r in reviewed.revisions:
        inside = next(((b, o) for b, o, n in equal if o <= r.start and r.end <= o + n
                       and not any(g[2] <= r.start <= g[3] or g[2] <= r.end <= g[3] for g in gaps)), None)
        if inside is not None:
            edits.append(_edit(r, inside[0] - inside[1]))
            continue
        gap = next((g for g in gaps if r.start <= g[3] and g[2] <= r.end), None)
        if gap is None:  # between two gaps' reach but touching neither: cannot happen; keep it whole
            gap = min(gaps, key=lambda g: min(abs(g[2] - r.start), abs(g[3] - r.end)))
        gap[4].append(r)
    for b1, b2, o1, o2, revisions in gaps:
        if not revisions:
            edits.append(Edit(b1, b2, reviewed.original[o1:o2], (), "", UNTRACKED))
            continue
        lo, hi = min([o1] + [r.start for r in revisions]), max([o2] + [r.end for r in revisions])
        # the revisions reach past the gap only into equal text, where offsets shift evenly
        start, end = b1 - (o1 - lo), b2 + (hi - o2)
        text = _apply(reviewed.original[lo:hi], lo, revisions)
        authors = tuple(dict.fromkeys([r.author for r in revisions] + [UNTRACKED]))
        edits.append(Edit(start, end, text, authors, revisions[0].date, "change"))
    return sorted(edits, key=lambda e: (e.start, e.end))
