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
  tracking off is gone from it, and so is its note);
- :func:`beside_calls`: a footnote inserted with tracking off right beside a call the
  build has (``word.[new][old]``, ``[old][new]``), which the words' diff cannot tell
  from it: the build's own report.docx has the old call's id and its note's text, and
  the call it has neither of is the new one; its edit is moved to where that call
  stands, and :func:`inserted_notes` gives it that call's note.
"""

from __future__ import annotations

import dataclasses
import difflib

from report.review.edits import UNTRACKED, Edit, _script as word_script
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


def inserted_notes(notes: dict[str, Para], para: Para, base: str, edits: list[Edit], built: Para | None = None,
                   built_notes: dict[str, Para] | None = None) -> dict[int, tuple[str, ...]]:
    """The text of each footnote ``edits`` (of the build's text ``base``) insert, by the
    edit's id: Word's tracked new notes (``para.inserted_notes``, in the order of their
    revisions) and calls in the reviewed text the build's does not have (typed with
    tracking off; ``para.notes``; beside a call the build has, told apart by
    :func:`beside_calls`' rule: ``built``, the build's own paragraph, ``built_notes``
    its notes by id), together in the order of their calls. None for any edit when
    the calls and the notes do not tally (the edit is then listed)."""
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
        found += [((at, 1, 0), calls[at]) for at in sorted(_typed_calls(para, base, built, built_notes or {}, notes))]
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


def beside_calls(edits: list[Edit], para: Para, base: str, built: Para | None, built_notes: dict[str, Para],
                 notes: dict[str, Para]) -> list[Edit]:
    """``edits`` (of the build's text ``base``) with each untracked one that only inserts
    note calls beside calls the build has put where the new calls stand (see the module
    doc): one edit for each stretch of new calls. ``built``: the build's own paragraph
    (None: ``edits`` as they are), ``built_notes``: its notes by id, ``notes``: the
    reviewed file's."""
    if built is None or para.original == base or not any(_calls_only(e) for e in edits):
        return edits
    typed = _typed_calls(para, base, built, built_notes, notes)
    script = word_script(base, para.original)
    out = []
    for edit in edits:
        gap = next(((o1, o2) for tag, b1, _, o1, o2 in script if tag == "insert" and b1 == edit.start
                    and para.original[o1:o2] == edit.text), None) if _calls_only(edit) else None
        if gap is None:
            out.append(edit)
            continue
        lo, hi = _run(para.original, *gap)
        if {k for k in range(lo, hi) if k in typed} == set(range(*gap)):
            out.append(edit)  # the diff's calls are the new ones
            continue
        at = _run(base, edit.start, edit.start)[0]  # where the build's calls of the run start
        for k in range(lo, hi):
            if k not in typed:
                at += 1  # a call the build has
            elif k > lo and k - 1 in typed:
                out[-1] = dataclasses.replace(out[-1], text=out[-1].text + NOTE)
            else:
                out.append(dataclasses.replace(edit, start=at, end=at, text=NOTE))
    return sorted(out, key=lambda e: (e.start, e.end))


def _calls_only(edit: Edit) -> bool:
    """Whether ``edit`` is made with tracking off and only inserts note calls."""
    return edit.kind == UNTRACKED and edit.start == edit.end and bool(edit.text) and set(edit.text) == {NOTE}


def _run(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` widened over the note calls beside it."""
    while start > 0 and text[start - 1] == NOTE:
        start -= 1
    while end < len(text) and text[end] == NOTE:
        end += 1
    return start, end


def _typed_calls(para: Para, base: str, built: Para | None, built_notes: dict[str, Para],
                 notes: dict[str, Para]) -> set[int]:
    """The offsets of the reviewed text's calls typed with tracking off: those the words'
    diff finds inserted, except that where it inserts calls only, beside calls the build
    has, the old calls are those :func:`_old_calls` finds (when it finds them all)."""
    calls = _calls(para)
    script = word_script(base, para.original)
    typed = {at for tag, _, _, o1, o2 in script if tag != "equal" for at in range(o1, o2) if at in calls}
    if built is None or built.original != base:
        return typed
    built_calls = _calls(built)
    for tag, b1, _, o1, o2 in script:
        if tag != "insert" or set(para.original[o1:o2]) != {NOTE}:
            continue
        (lo, hi), (b_lo, b_hi) = _run(para.original, o1, o2), _run(base, b1, b1)
        if b_lo == b_hi or hi - lo != b_hi - b_lo + o2 - o1:
            continue  # no call of the build's beside it, or other calls changed there too
        old = _old_calls([calls[k] for k in range(lo, hi)], [built_calls[k] for k in range(b_lo, b_hi)],
                         built_notes, notes)
        if old is not None:
            typed = (typed - set(range(lo, hi))) | {lo + k for k in range(hi - lo) if k not in old}
    return typed


def _old_calls(reviewed: list[str], build: list[str], built_notes: dict[str, Para],
               notes: dict[str, Para]) -> set[int] | None:
    """Which of ``reviewed`` (note ids of adjacent calls) are the build's calls ``build``
    (its ids there), as indexes: first a call with the same id and note text, then the
    same note text (Word may number the notes anew on saving), then the same id (a note
    whose text was also edited); None unless each of ``build`` is found once, in order."""
    def text(part: dict[str, Para], note_id: str) -> str | None:
        return part[note_id].original if note_id in part else None

    rules = (lambda r, b: r == b and text(notes, r) == text(built_notes, b),
             lambda r, b: text(notes, r) is not None and text(notes, r) == text(built_notes, b),
             lambda r, b: r == b)
    found: dict[int, int] = {}
    for same in rules:
        for k, note_id in enumerate(reviewed):
            j = next((j for j, b in enumerate(build) if j not in found.values() and same(note_id, b)), None)
            if k not in found and j is not None:
                found[k] = j
    if len(found) != len(build) or sorted(found, key=found.get) != sorted(found):
        return None
    return set(found)
