"""What a reviewer did with tracking off that a paragraph's words alone do not say.

:mod:`.edits` finds text typed or deleted without tracking by comparing the reviewed
file's text (changes rejected) with the build's. This module carries the rest of that
comparison, for :mod:`.findings`:

- :func:`restyled`: takes a :class:`~report.review.pairing.Pairing` whose paragraphs and
  notes carry the build's own report.docx paragraph (``Paired.built``); returns it with
  each reviewed paragraph's bold and italic compared with the build's, character by
  character (both as sent: a formatting revision's old properties), each difference an
  untracked :class:`~report.review.paragraphs.Restyle` (no author), which
  :mod:`.emphasis` writes as tracked ones are;
- :func:`inserted_notes`: footnotes a change inserts, tracked (Word's new notes) or not
  (a call the build's text does not have): the text of each, by edit, in the order of
  their calls, so that each becomes a ``^[…]`` note at its call;
- :func:`deleted_notes`: the notes whose calls a body edit deletes, found by where
  each call of the build's text stands in the reviewed file's (a call deleted with
  tracking off is gone from it, and so is its note).
"""

from __future__ import annotations

import dataclasses
import difflib

from report.review.edits import Edit, _script as word_script
from report.review.pairing import Paired, Pairing
from report.review.paragraphs import NOTE, Para, Restyle


def restyled(pairing: Pairing) -> Pairing:
    """See the module doc; a paragraph the build's DOCX has no counterpart for is left as it is."""
    def one(paired: Paired) -> Paired:
        extra = _restyles(paired.reviewed, paired.built) if paired.built is not None else []
        if not extra:
            return paired
        para = dataclasses.replace(paired.reviewed, restyles=sorted(paired.reviewed.restyles + extra,
                                                                    key=lambda r: (r.start, r.end)))
        return dataclasses.replace(paired, reviewed=para)

    return dataclasses.replace(pairing, body=[one(p) for p in pairing.body],
                               notes={note_id: one(p) for note_id, p in pairing.notes.items()})


def _restyles(reviewed: Para, built: Para) -> list[Restyle]:
    """Bold and italic turned on or off without tracking: runs of characters (in the
    reviewed text) whose formatting differs from the build's in the same way. A note
    call inside such a run belongs to it (its run is formatted with the words around
    it, or not), so it neither starts nor ends one."""
    if len(reviewed.flags) != len(reviewed.original) or len(built.flags) != len(built.original):
        return []  # a paragraph read without its formatting
    changes: dict[int, tuple[frozenset, frozenset]] = {}
    if reviewed.original == built.original:
        blocks = [(0, 0, len(built.original))]
    else:
        blocks = difflib.SequenceMatcher(None, built.original, reviewed.original, autojunk=False).get_matching_blocks()
    for a, b, n in blocks:
        for k in range(n):
            was, now = built.flags[a + k], reviewed.flags[b + k]
            if was != now and reviewed.original[b + k] != NOTE:
                changes[b + k] = (now - was, was - now)
    out: list[Restyle] = []
    run: list = []  # [start, end, added, removed]
    for k in sorted(changes):
        added, removed = changes[k]
        between = reviewed.original[run[1]:k] if run else ""
        if run and (added, removed) == (run[2], run[3]) and set(between) <= {NOTE}:
            run[1] = k + 1
            continue
        if run:
            out.append(Restyle(run[0], run[1], run[2], run[3], "", ""))
        run = [k, k + 1, added, removed]
    if run:
        out.append(Restyle(run[0], run[1], run[2], run[3], "", ""))
    return out


def inserted_notes(notes: dict[str, Para], para: Para, base: str, edits: list[Edit]) -> dict[int, tuple[str, ...]]:
    """The text of each footnote ``edits`` (of the build's text ``base``) insert, by the
    edit's id: Word's tracked new notes (``para.inserted_notes``, in the order of their
    revisions) and calls in the reviewed text the build's does not have (typed with
    tracking off; ``para.notes``), together in the order of their calls. None for any
    edit when the calls and the notes do not tally (the edit is then listed)."""
    wanted = sum(edit.text.count(NOTE) for edit in edits)
    if not wanted:
        return {}
    found: list[tuple[tuple, str]] = []  # (where its call stands in the reviewed text, note id)
    pending = list(para.inserted_notes)
    for r in para.revisions:
        for k in range(r.text.count(NOTE)):
            if not pending:
                return {}
            found.append(((r.start, 0, k), pending.pop(0)))
    if pending:
        return {}
    if para.original != base:
        calls = _calls(para)
        for tag, _, _, o1, o2 in word_script(base, para.original):
            if tag != "equal":
                found += [((at, 1, 0), calls[at]) for at in range(o1, o2) if at in calls]
    if len(found) != wanted:
        return {}
    texts = [notes[i].accepted.strip() if i in notes else "" for _, i in sorted(found, key=lambda f: f[0])]
    out, at = {}, 0
    for edit in edits:
        count = edit.text.count(NOTE)
        if count:
            out[id(edit)] = tuple(texts[at:at + count])
            at += count
    return out


def deleted_notes(para: Para, base: str, edit: Edit) -> list[str]:
    """The ids of the reviewed file's notes whose calls (in the build's text ``base``)
    ``edit`` deletes."""
    inside = [at for at in range(edit.start, min(edit.end, len(base))) if base[at] == NOTE]
    if not inside:
        return []
    calls = _calls(para)
    if para.original == base:
        where = {at: at for at in inside}
    else:  # each call of the build's text where the reviewed text has it (an equal stretch), if it does
        where = {}
        for tag, b1, b2, o1, _ in word_script(base, para.original):
            if tag == "equal":
                where.update({at: o1 + at - b1 for at in inside if b1 <= at < b2})
    return [calls[where[at]] for at in inside if where.get(at) in calls]


def _calls(para: Para) -> dict[int, str]:
    """Each note call of the reviewed text (changes rejected): its offset → its note's id."""
    offsets = [i for i, ch in enumerate(para.original) if ch == NOTE]
    return dict(zip(offsets, para.notes))
