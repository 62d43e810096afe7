"""Whole paragraphs a reviewer moved → their Markdown blocks moved, as written.

Word records dragging a paragraph elsewhere as its text and mark moved from its place
(``w:moveFrom``: the paragraph emptied) and moved to the new one (``w:moveTo``: a
paragraph whose text and mark are new, read as text inserted at the start of the
paragraph it now stands before, then a paragraph break); cut and pasted, as a
deletion and an insertion of the same words (so too once LibreOffice saved a move). Written back as typed text,
its citations, notes, emphasis and labels would be lost. :func:`find_moves` takes the
paired body paragraphs and returns the :class:`Moves` whose moved-to text is exactly a
moved-from paragraph's (notes aside: Word gives a moved call a new note); the source
edits (:func:`moved_to`) take the block's Markdown out of its place
(:func:`report.review.whole.remove`) and write it, unchanged, before the block the
paragraph now precedes, or at the end of the section it now ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from report.diagnostics import Location
from report.review.edits import Edit, paragraph_edits
from report.review.mapping import SourceEdit
from report.review.pairing import Paired
from report.review.sourcefile import SourceFile
from report.review.whole import block
from report.review.wordfile import BREAK, NOTE


@dataclass
class Moves:
    into: dict[int, tuple[Paired, tuple[Edit, ...]]] = field(default_factory=dict)  # id(paragraph after) → origin, its edits
    out_of: set[int] = field(default_factory=set)  # id(origin paragraph): its block moves (a label with it)
    placed: dict[int, tuple] = field(default_factory=dict)  # id(paragraph after) → (where, the edit, or why not)

    def refused(self, origin: Paired) -> bool:
        """The origin's new place cannot be written (it then stays where it is)."""
        return any(o is origin and self.placed[key][1] is None for key, (o, _) in self.into.items())


def _words(text: str) -> str:
    return " ".join(text.replace(NOTE, " ").split())


def _moved_in(edits: list[Edit]) -> tuple[Edit, ...] | None:
    """The moved-to (or pasted) text and the paragraph break after it, at the
    paragraph's start: one edit, or two (a move, then the mark)."""
    first = edits[0] if edits else None
    if first is None or first.start != 0 or first.end != 0 or first.kind not in ("move", "change"):
        return None
    if first.text.endswith(BREAK) and BREAK not in first.text[:-1] and first.text[:-1].strip():
        return (first,)
    if len(edits) >= 2 and edits[1].start == edits[1].end == 0 and edits[1].text == BREAK and \
            first.text.strip() and BREAK not in first.text:
        return first, edits[1]
    return None


def _moved_out(paired: Paired, edits: list[Edit]) -> bool:
    """All of the paragraph's text moved away, or deleted (cut, to be pasted
    elsewhere), and nothing else done to it."""
    base = paired.base or ""
    return bool(edits) and all(e.kind in ("move", "change") and not e.text for e in edits) and \
        sum(e.end - e.start for e in edits) >= len(base.strip()) and bool(_words(base))


def find_moves(body: list[Paired], sources: dict[str, SourceFile]) -> Moves:
    """See the module doc."""
    moves = Moves()
    origins: dict[str, list[Paired]] = {}
    arrivals = []
    before = {}
    last = None
    for paired in body:
        before[id(paired)] = last
        if paired.unit is not None and paired.base is not None:
            last = paired
        if paired.unit is None or paired.base is None or not paired.reviewed.revisions:
            continue
        edits = paragraph_edits(paired.reviewed, paired.base)
        if _moved_out(paired, edits):
            origins.setdefault(_words(paired.base), []).append(paired)
        found = _moved_in(edits)
        if found is not None:
            arrivals.append((paired, found))
    for paired, found in arrivals:
        candidates = origins.get(_words(found[0].text))
        if candidates:
            origin = candidates.pop(0)
            moves.into[id(paired)] = (origin, found)
            moves.out_of.add(id(origin))
            moves.placed[id(paired)] = moved_to(origin, paired, before[id(paired)], sources)
    return moves


def moved_to(origin: Paired, after: Paired, before: Paired | None,
             sources: dict[str, SourceFile]) -> tuple[Location, SourceEdit | None, str | None]:
    """The origin's block written before ``after``'s (or, when ``after`` is a section's
    title, at the end of ``before``'s file): (where, the edit, or why not)."""
    source = sources.get(origin.unit.location.path)
    found = block(origin.unit, origin.base, source, "moves", labelled=True)
    if not isinstance(found[0], int):
        return found[0] or after.unit.location, None, found[1]
    moved = source.text[found[0]:found[1]]
    if after.unit.kind == "title":  # the paragraph now ends the section before
        target = sources.get(before.unit.location.path) if before is not None and before.unit is not None else None
        if target is None:
            return after.unit.location, None, "it moves a paragraph before the first section (move it by hand)"
        kept = len(target.text.rstrip())
        return target.location(kept), SourceEdit(target.path, kept, len(target.text), "\n\n" + moved + "\n"), None
    target = sources.get(after.unit.location.path)
    at = block(after.unit, after.base, target, "moves", labelled=True) if after.unit.kind == "paragraph" else None
    if at is None and target is not None and after.unit.kind == "heading":
        offset = target.offset(after.unit.location)
        at = (target.text.rfind("\n", 0, offset) + 1, offset) if offset is not None else None
    if at is None or not isinstance(at[0], int):
        return after.unit.location, None, "it moves a paragraph before one whose place in the source is unclear (move it by hand)"
    return target.location(at[0]), SourceEdit(target.path, at[0], at[0], moved + "\n\n"), None
