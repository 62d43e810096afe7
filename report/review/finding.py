"""One thing a review found: a change (placed in the sources, or why not) or a comment.

:class:`Finding` is what every stage after :mod:`.findings` reads and writes (the merge,
the patch, the printed lines, review.json, review.html); :func:`excerpt` and
:func:`short` give the words a change touches as a reader sees them.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.diagnostics import Location
from report.review.edits import UNTRACKED, Edit
from report.review.mapping import SourceEdit
from report.review.wordfile import BREAK, NOTE

SHOWN = 80  # characters of a change shown on its line, at most


@dataclass(frozen=True)
class Finding:
    kind: str  # change | move | untracked | comment | conflict (report.review.merge)
    location: Location
    authors: tuple[str, ...]
    date: str
    part: str  # body | note N
    old: str = ""  # the changed words before and after, for the reader
    new: str = ""
    text: str = ""  # a comment's
    source: SourceEdit | None = None
    reason: str | None = None  # why a change is not applied
    now: str = ""  # a conflict's: what the source reads there now (report.review.merge)
    effect: str = ""  # a registry edit's: the other notes it changes (report.review.registry); an applied
    # change's: what it could not carry (report.review.typed: the typed words' bold or italic)
    reply_to: str = ""  # a reply's: the id of the comment it answers
    resolved: bool = False  # a comment's: it or its thread marked resolved in Word
    id: str = ""  # a comment's: its id in the reviewed file (w:comment's w:id), which replies name
    reply_to_author: str = ""  # a reply's: the author of the comment it answers

    @property
    def applied(self) -> bool:
        return self.source is not None


def excerpt(base: str, start: int, end: int, text: str) -> tuple[str, str]:
    """The words a change touches, before and after it; an insertion or a deletion
    shows the word before it too, so neither side is empty."""
    def word(ch: str) -> bool:
        return ch.isalnum() or ch in "'’-"

    lo, hi = start, end
    while lo > 0 and word(base[lo - 1]):
        lo -= 1
    while hi < len(base) and word(base[hi]):
        hi += 1
    if start == end or not text:
        while lo > 0 and not word(base[lo - 1]):
            lo -= 1
        while lo > 0 and word(base[lo - 1]):
            lo -= 1
    old, new = base[lo:hi], base[lo:start] + text + base[end:hi]
    return short(old), short(new)


def short(text: str) -> str:
    """``text`` on one line (notes, breaks and tabs shown), cut in the middle past :data:`SHOWN`."""
    text = text.replace(NOTE, "[note]").replace("\n", "\\n").replace("\t", "\\t").replace(BREAK, "¶")
    return text if len(text) <= SHOWN else text[:SHOWN // 2 - 1] + "…" + text[-(SHOWN // 2 - 1):]


def accepted(base: str, edits: list[Edit]) -> str:
    """``base`` with ``edits`` (in order, not overlapping) made."""
    out, at = [], 0
    for edit in edits:
        out += [base[at:edit.start], edit.text]
        at = max(at, edit.end)
    return "".join(out) + base[at:]


def kind_of(edit: Edit) -> str:
    """How an edit's finding is printed: move, untracked, or change."""
    return edit.kind if edit.kind in ("move", UNTRACKED) else "change"
