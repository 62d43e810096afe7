"""Whole paragraphs in a review → findings: deleted, moved here, typed or rewritten.

The :mod:`.findings` collector's steps for whole paragraphs (``work``: its state: the
findings so far, the sources, the moves). A paragraph all of whose text went
(:func:`removed`: its block out, :mod:`.whole`; or moved away, :mod:`.moves`); one
moved before another (:func:`moved_here`: its block written there, what was changed in
it and in its notes read too); paragraphs typed with tracking off (:func:`added_runs`,
:func:`added`: written in after their neighbour, or in place of one gone from between
the same neighbours: rewritten).
"""

from __future__ import annotations

from report.review.edits import UNTRACKED, Edit
from report.review.finding import Finding, excerpt, kind_of, short
from report.review.located import Unit
from report.review.moves import retyped
from report.review.pairing import Paired
from report.review.whole import add, remove, rewrite
from report.review.wordfile import BREAK, NOTE


def removed(work, paired: Paired, edits: list[Edit]) -> None:
    """All of a paragraph's text deleted (tracked, or with tracking off): its block
    taken out of the source (report.review.whole), its notes with it."""
    base = paired.base
    moved = id(paired) in work.moves.out_of
    where, edit, reason = remove(paired.unit, base, work.sources.get(paired.unit.location.path), labelled=moved)
    if (moved and work.moves.refused(paired)) or (not moved and all(e.kind == "move" for e in edits)):
        # moved where the tool cannot write it (or to no paragraph it could match): it stays
        edit, reason = None, "it moves the paragraph to a place the tool cannot write it (move it by hand)"
    authors = tuple(dict.fromkeys(a for e in edits for a in e.authors))
    kind = UNTRACKED if all(e.kind == UNTRACKED for e in edits) else kind_of(edits[0])
    work.found.append(Finding(kind, where or paired.unit.location, authors, edits[0].date, paired.label,
                              short(base), "", source=edit, reason=reason))
    work.calls_deleted(paired.reviewed, base, Edit(0, len(base), "", authors, "", kind))


def moved_here(work, paired: Paired, edits: list[Edit]) -> list[Edit]:
    """The finding of a paragraph moved before ``paired`` (report.review.moves);
    returns ``paired``'s other edits."""
    origin, moved = work.moves.into[id(paired)]
    where, edit, reason = work.moves.placed[id(paired)]
    text = "".join(e.text for e in moved)
    work.found.append(Finding(kind_of(moved[0]), where, moved[0].authors, moved[0].date, "body", "", short(text),
                              source=edit, reason=reason))
    # Word gives each moved call a new note, a copy of the old one: what the reviewer
    # changed in it is read against the note it was (its call's block moves as written)
    copies = paired.reviewed.inserted_notes[:text.count(NOTE)]
    work.moved_notes += zip(copies, origin.reviewed.notes)
    again = retyped(origin, moved)  # words changed in the moved copy: placed in its block (moves.carried)
    if again is not None:
        last = work.last  # (read at its old place: what follows here keeps this place)
        work.paragraph(again)
        work.last = last
    return [e for e in edits if e not in moved]  # (recomputed: equal, not the same objects)


def added(work, run: list[Paired], before: Paired | None, after: Paired | None, instead: Unit | None) -> None:
    """Paragraphs typed with tracking off (the build has none of them), one after
    another: in place of ``instead`` (a paragraph gone from where they stand: it was
    rewritten), else written as new paragraphs after the one before them
    (report.review.whole); before every section (the title page, the contents), listed."""
    texts = [p.reviewed.original for p in run]
    where = before.unit.location if before is not None and before.unit is not None else work.fallback
    old = ""
    if instead is not None:
        at, edit, reason = rewrite(instead, texts, work.sources.get(instead.location.path))
        where, old = at or instead.location, short(instead.text)
    elif before is None:
        edit, reason = None, ("a paragraph typed or rewritten with tracking off on the title page or in the "
                              "contents (apply it by hand)")
    else:
        placed = add(texts, before, after, work.sources, where)
        edit, reason = (None, placed) if isinstance(placed, str) else (placed.source, None)
        where = where if isinstance(placed, str) else placed.location
    work.found.append(Finding(UNTRACKED, where, (), "", "body", old, short(BREAK.join(texts)), source=edit,
                              reason=reason))
    for paired in run:  # changes tracked inside a paragraph typed with tracking off: with it
        for r in paired.reviewed.revisions:
            old, new = excerpt(paired.reviewed.original, r.start, r.end, r.text)
            work.found.append(Finding(r.kind, where, (r.author,), r.date, "body", old, new,
                                      reason="it is inside a paragraph added without tracking (apply it by hand)"))


def added_runs(work, body: list[Paired], dropped: list[Unit], paths: list[str]) -> set[int]:
    """Each run of consecutive paragraphs added without tracking, with the paired
    paragraphs around it and the first paragraph gone from between them (rewritten:
    the run takes its place); returns the ids of the units so taken."""
    order = {path: i for i, path in enumerate(paths)}

    def key(unit: Unit) -> tuple:
        return order.get(unit.location.path, len(order)), unit.location.line, unit.location.col

    typed, taken = {id(p) for p in work.typed}, set()
    run: list[Paired] = []
    before = None
    for paired in body + [None]:
        if paired is not None and id(paired) in typed:
            run.append(paired)
            continue
        if run:
            after = paired if paired is not None and paired.unit is not None and paired.base is not None else None
            low, high = key(before.unit) if before else (-1,), key(after.unit) if after else (len(order) + 1,)
            instead = next((u for u in dropped if id(u) not in taken and low < key(u) < high), None)
            if instead is not None:
                taken.add(id(instead))
            added(work, run, before, after, instead)
            run = []
        if paired is not None and paired.unit is not None and paired.base is not None:
            before = paired
    return taken
