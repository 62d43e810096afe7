"""Which paragraph of the build each reviewed paragraph and note is.

Takes the reviewed :class:`~report.review.wordfile.WordFile`, the build's own
report.docx read the same way (or None), and the build's units
(:mod:`report.review.located`); returns a :class:`Pairing`: for each reviewed body
paragraph and each reviewed note, the text the build gave it (``base``) and the model
unit it shows (``unit``), either of which may be missing.

Two alignments by text, in order (difflib over whole paragraphs): the reviewed file
with its changes rejected against the build's DOCX (equal paragraphs pair; in a run
of differing ones, the most alike pair: an untracked edit), then the build's DOCX
against the model's units (equal, or paired by position in a run of equal length).
Notes pair by the order of their calls in the body, as Word numbers them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from report.review.located import Unit
from report.review.wordfile import Para, WordFile

ALIKE = 0.6  # the least similarity for two differing paragraphs to be taken as one edited


@dataclass
class Paired:
    reviewed: Para
    base: str | None
    unit: Unit | None
    label: str  # "body" or "note N" (N: the build's note number)
    built: Para | None = None  # the build's own report.docx's paragraph (its formatting: report.review.untracked)


@dataclass
class Pairing:
    body: list[Paired]
    notes: dict[str, Paired]  # reviewed note id → its pairing
    dropped: list[Unit] = field(default_factory=list)  # units whose paragraph the reviewed file lacks
    built_notes: dict[str, Para] = field(default_factory=dict)  # the build's report.docx's notes, by id


def match(old: list[str], new: list[str]) -> dict[int, int]:
    """Index pairs old → new: equal texts, then in each differing run the most alike."""
    out: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.update(zip(range(i1, i2), range(j1, j2)))
        elif tag == "replace":
            if i2 - i1 == j2 - j1 and all(_alike(old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2))):
                out.update(zip(range(i1, i2), range(j1, j2)))
                continue
            last = j1
            for i in range(i1, i2):
                best = max(range(last, j2), key=lambda j: _ratio(old[i], new[j]), default=None)
                if best is not None and _alike(old[i], new[best]):
                    out[i] = best
                    last = best + 1
    return out


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a or b else 1.0


def _alike(a: str, b: str) -> bool:
    if not a.strip() and not b.strip():
        return True
    quick = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return quick.real_quick_ratio() >= ALIKE and quick.quick_ratio() >= ALIKE and quick.ratio() >= ALIKE


def _calls(body: list[Para]) -> list[str]:
    return [note for p in body for note in p.notes]


def pair(reviewed: WordFile, base: WordFile | None, units: list[Unit], notes: dict[int, Unit]) -> Pairing:
    """See the module doc."""
    if base is not None:
        base_texts = [p.original for p in base.body]
        base_units = match(base_texts, [u.text for u in units])
        base_calls = _calls(base.body)
        base_notes = [base.notes[i].original if i in base.notes else "" for i in base_calls]
        note_numbers = [int(i) if i.isdigit() else None for i in base_calls]
    else:  # no report.docx in the build: its text is the model's
        base_texts = [u.text for u in units]
        base_units = {i: i for i in range(len(units))}
        base_notes = [notes[n].text for n in sorted(notes)]
        note_numbers = sorted(notes)
    body_base = match([p.original for p in reviewed.body], base_texts)
    body = []
    for i, para in enumerate(reviewed.body):
        b = body_base.get(i)
        unit = units[base_units[b]] if b is not None and b in base_units else None
        body.append(Paired(para, base_texts[b] if b is not None else None, unit, "body",
                           base.body[b] if base is not None and b is not None else None))
    paired_units = {id(p.unit) for p in body if p.unit is not None}
    shown = set(base_units.values())  # units the build's DOCX has a paragraph for
    dropped = [u for j, u in enumerate(units) if id(u) not in paired_units and j in shown]
    calls = _calls(reviewed.body)
    reviewed_notes = [reviewed.notes.get(i) for i in calls]
    note_base = match([n.original if n is not None else "" for n in reviewed_notes], base_notes)
    paired_notes = {}
    for k, (note_id, para) in enumerate(zip(calls, reviewed_notes)):
        if para is None:
            continue
        b = note_base.get(k)
        number = note_numbers[b] if b is not None else None
        unit = notes.get(number) if number is not None else None
        paired_notes[note_id] = Paired(para, base_notes[b] if b is not None else None, unit,
                                       f"note {number}" if number is not None else "note",
                                       base.notes.get(base_calls[b]) if base is not None and b is not None else None)
    return Pairing(body, paired_notes, dropped, dict(base.notes) if base is not None else {})
