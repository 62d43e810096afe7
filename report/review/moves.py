"""Whole paragraphs a reviewer moved → their Markdown blocks moved, as written.

Word records dragging a paragraph elsewhere as its text and mark moved from its place
(``w:moveFrom``: the paragraph emptied) and moved to the new one (``w:moveTo``: a
paragraph whose text and mark are new, read as text inserted at the start of the
paragraph it now stands before, then a paragraph break); cut and pasted, as a
deletion and an insertion of the same words (so too once LibreOffice saved a move). Written back as typed text,
its citations, notes, emphasis and labels would be lost. :func:`find_moves` takes the
paired body paragraphs and returns the :class:`Moves` whose moved-to text is a
moved-from paragraph's (notes aside: Word gives a moved call a new note), exactly, else
but for a few words changed in the moved copy (words typed into it, tracked: another
insertion among the moved runs); the source edits (:func:`moved_to`) take the block's
Markdown out of its place (:func:`report.review.whole.remove`) and write it before the
block the paragraph now precedes, or at the end of the section it now ends.

What the reviewer changed in the moved paragraph (those words, :func:`retyped`; a
locator in its call's new note) is placed in the block at its old place, which the
move takes out: :func:`carried` makes those edits in the copy the move writes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from report.diagnostics import Location
from report.review.edits import Edit, _script, paragraph_edits
from report.review.mapping import SourceEdit
from report.review.pairing import Paired
from report.review.sourcefile import SourceFile
from report.review.whole import block
from report.review.wordfile import BREAK, NOTE, Para, Revision

SAME = 0.75  # of a moved copy's words, at least this share must be its origin's (a few retyped)


@dataclass
class Moves:
    into: dict[int, tuple[Paired, tuple[Edit, ...]]] = field(default_factory=dict)  # id(paragraph after) → origin, its edits
    out_of: set[int] = field(default_factory=set)  # id(origin paragraph): its block moves (a label with it)
    placed: dict[int, tuple] = field(default_factory=dict)  # id(paragraph after) → (where, the edit, or why not)
    # id(paragraph after) → (the origin's path, its block's start and end, the file's text)
    blocks: dict[int, tuple[str, int, int, str]] = field(default_factory=dict)

    def refused(self, origin: Paired) -> bool:
        """The origin's new place cannot be written (it then stays where it is)."""
        return any(o is origin and self.placed[key][1] is None for key, (o, _) in self.into.items())


def _words(text: str) -> str:
    return " ".join(text.replace(NOTE, " ").split())


def _joined(edits: tuple[Edit, ...]) -> str:
    return "".join(e.text for e in edits)


def _moved_in(edits: list[Edit]) -> tuple[Edit, ...] | None:
    """The moved-to (or pasted) text and the paragraph break after it, at the
    paragraph's start: the insertions there up to the break (the moved runs, words
    another reviewer typed among them, the mark)."""
    taken = []
    for edit in edits:
        if edit.start != 0 or edit.end != 0 or edit.kind not in ("move", "change"):
            return None
        taken.append(edit)
        if BREAK in edit.text:
            break
    text = _joined(tuple(taken))
    if not text.endswith(BREAK) or BREAK in text[:-1] or not text[:-1].strip():
        return None
    return tuple(taken)


def _moved_out(paired: Paired, edits: list[Edit]) -> bool:
    """All of the paragraph's text moved away, or deleted (cut, to be pasted
    elsewhere), and nothing else done to it."""
    base = paired.base or ""
    return bool(edits) and all(e.kind in ("move", "change") and not e.text for e in edits) and \
        sum(e.end - e.start for e in edits) >= len(base.strip()) and bool(_words(base))


def _nearest(words: str, origins: dict[str, list[Paired]]) -> Paired | None:
    """The moved-out paragraph whose words ``words`` are, but for a few retyped."""
    mine, best = words.split(), None
    for key, candidates in origins.items():
        theirs = key.split()
        if not candidates or min(len(mine), len(theirs)) < SAME * max(len(mine), len(theirs)):
            continue
        same = sum(b.size for b in SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks())
        if same >= SAME * max(len(mine), len(theirs)) and (best is None or same > best[0]):
            best = (same, key)
    return origins[best[1]].pop(0) if best is not None else None


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
    exact = {id(p): origins[_words(_joined(f))].pop(0) for p, f in arrivals if origins.get(_words(_joined(f)))}
    for paired, found in arrivals:  # the same words first; then a copy with a few retyped
        origin = exact.get(id(paired)) or _nearest(_words(_joined(found)), origins)
        if origin is not None:
            moves.into[id(paired)] = (origin, found)
            moves.out_of.add(id(origin))
            *placed, span = moved_to(origin, paired, before[id(paired)], sources)
            moves.placed[id(paired)] = tuple(placed)
            if span is not None:
                moves.blocks[id(paired)] = span
    return moves


def moved_to(origin: Paired, after: Paired, before: Paired | None,
             sources: dict[str, SourceFile]) -> tuple[Location, SourceEdit | None, str | None, tuple | None]:
    """The origin's block written before ``after``'s (or, when ``after`` is a section's
    title, at the end of ``before``'s file): (where, the edit, or why not, and the
    block's (path, start, end, its file's text) when it is written)."""
    source = sources.get(origin.unit.location.path)
    found = block(origin.unit, origin.base, source, "moves", labelled=True)
    if not isinstance(found[0], int):
        return found[0] or after.unit.location, None, found[1], None
    moved = source.text[found[0]:found[1]]
    span = (source.path, found[0], found[1], source.text)
    if after.unit.kind == "title":  # the paragraph now ends the section before
        target = sources.get(before.unit.location.path) if before is not None and before.unit is not None else None
        if target is None:
            return after.unit.location, None, "it moves a paragraph before the first section (move it by hand)", None
        kept = len(target.text.rstrip())
        return target.location(kept), SourceEdit(target.path, kept, len(target.text), "\n\n" + moved + "\n"), None, span
    target = sources.get(after.unit.location.path)
    at = block(after.unit, after.base, target, "moves", labelled=True) if after.unit.kind == "paragraph" else None
    if at is None and target is not None and after.unit.kind == "heading":
        offset = target.offset(after.unit.location)
        at = (target.text.rfind("\n", 0, offset) + 1, offset) if offset is not None else None
    if at is None or not isinstance(at[0], int):
        return (after.unit.location, None,
                "it moves a paragraph before one whose place in the source is unclear (move it by hand)", None)
    return target.location(at[0]), SourceEdit(target.path, at[0], at[0], moved + "\n\n"), None, span


def retyped(origin: Paired, moved: tuple[Edit, ...]) -> Paired | None:
    """The moved paragraph as the reviewer left it at its new place, read against its
    old one: ``origin`` with each word changed in the copy a revision (by those who
    typed among the moved runs, else the mover); None when the copy reads as it did."""
    sent, text = origin.reviewed.original, _joined(moved)[:-1]
    if text == sent:
        return None
    typed = [e for e in moved if e.kind != "move" and e.text != BREAK] or list(moved)
    author, date = typed[0].authors[0] if typed[0].authors else "", typed[0].date
    revisions = [Revision(b1, b2, text[o1:o2], author, date, "change")
                 for tag, b1, b2, o1, o2 in _script(sent, text) if tag != "equal"]
    para = Para(sent, text, revisions, list(origin.reviewed.notes), flags=list(origin.reviewed.flags))
    return dataclasses.replace(origin, reviewed=para)


def carried(found: list, moves: Moves) -> list:
    """``found`` (findings in the order collected) with the edits placed inside a
    moved block at its old place (which the move takes out: they would overlap it)
    made in the copy the move writes: the move's source edit then writes the block
    with them, and each of their findings is placed at the block's new place, applied
    with it (its source the move's). One that would break the Markdown there is not."""
    from report.review.verify import refused_edits

    for key, (where, edit, _) in moves.placed.items():
        if edit is None or key not in moves.blocks:
            continue
        path, start, end, whole = moves.blocks[key]
        head = next((i for i, f in enumerate(found) if f.source is edit), None)
        inside = [f for f in found if f.source is not None and f.source is not edit and f.source.path == path
                  and start <= f.source.start and f.source.end <= end
                  and not (f.source.start == start and f.source.end == end)]  # (not the block's removal)
        if head is None or not inside:
            continue
        broken = refused_edits({path: whole}, [f.source for f in inside])
        pieces, at, taken = [], start, {}
        for f in sorted(inside, key=lambda f: (f.source.start, f.source.end)):
            if f.source.start < at or id(f.source) in broken:
                continue  # two edits in one place (as before, not applied), or one that breaks the block
            pieces += [whole[at:f.source.start], f.source.text]
            at = f.source.end
            taken[id(f)] = f
        text = "".join(pieces) + whole[at:end]
        lead = edit.text.index(whole[start:end])
        new = dataclasses.replace(edit, text=edit.text[:lead] + text + edit.text[lead + end - start:])
        found = [dataclasses.replace(f, source=None, reason=broken[id(f.source)]) if f.source is not None
                 and id(f.source) in broken else f for f in found]
        if not taken:
            continue
        rest = [f for f in found if id(f) not in taken]
        head = next(i for i, f in enumerate(rest) if f.source is edit)
        found = rest[:head] + [dataclasses.replace(rest[head], source=new)] + \
            [dataclasses.replace(f, location=where, source=new) for f in taken.values()] + rest[head + 1:]
    return found
