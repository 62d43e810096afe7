"""Aligning two :class:`~report.diff.view.DocView` s: units, footnotes and sections.

Takes the OLD and NEW views; returns an :class:`Alignment`. Units are aligned by
content (difflib's SequenceMatcher on their normalised texts); inside a run of
units that differ, units are paired by word similarity, in order; what is left
is paired across the document when identical or nearly so, and such a pair is a
*move*. Footnotes are aligned the same way on what they say (cited works and
locators, or their text), never on their numbers, so renumbering is no change.
The *script* merges both unit sequences in reading order, deletions before the
insertions they stand next to: the HTML page and the redline walk it.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from report.diff.view import DocView
from report.diff.words import opcodes

SIMILAR = 0.5  # word similarity for two units (or notes) in one changed region to be one, edited
MOVED_SIMILAR = 0.75  # stricter across the document, where a false pair would read as a move
CLEARLY = 0.9  # similar enough to stop looking for a better partner
WINDOW = 50  # units looked at ahead in a changed region
MAX_MOVE_TRIALS = 40_000  # similarity trials for edited-and-moved units; beyond, exact moves only


@dataclass(frozen=True)
class Alignment:
    old: DocView
    new: DocView
    units: dict  # old unit index → new unit index
    moved_units: frozenset  # old indices of pairs out of reading order
    script: tuple  # ("pair", i, j) | ("delete", i, None) | ("insert", None, j)
    notes: dict  # old note number → new note number
    sections: dict  # old section id → new section id
    moved_sections: frozenset  # old ids


def similarity(a: list[str], b: list[str], threshold: float) -> float:
    """difflib's ratio of two word lists, 0 when cheaper bounds show it is below ``threshold``."""
    if not a and not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return 0.0
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes(a, b) if tag == "equal")
    return 2.0 * same / (len(a) + len(b))


def _pair_in_order(olds, news, words, compatible, threshold) -> list[tuple[int, int]]:
    """Pairs (old position, new position) of similar items, both increasing: each old
    item takes the most similar compatible new item after the last one taken."""
    pairs, start = [], 0
    for i, a in enumerate(olds):
        best, best_j = threshold, None
        # A window and an early exit keep a document-wide edit (every paragraph
        # touched) linear: the next unit is nearly always the one.
        for j in range(start, min(len(news), start + WINDOW)):
            if compatible(a, news[j]):
                score = similarity(words(a), words(news[j]), best)
                if score >= best and (best_j is None or score > best):
                    best, best_j = score, j
                    if score >= CLEARLY:
                        break
        if best_j is not None:
            pairs.append((i, best_j))
            start = best_j + 1
    return pairs


def align_sequences(olds, news, key, words, compatible):
    """(chain, moved): ``chain`` holds the in-order pairs (i, j) of equal or similar
    items, ``moved`` the pairs found out of order, equal or very similar."""
    matcher = difflib.SequenceMatcher(None, [key(x) for x in olds], [key(x) for x in news], autojunk=False)
    chain = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            chain.extend(zip(range(i1, i2), range(j1, j2)))
        elif tag == "replace":
            found = _pair_in_order(olds[i1:i2], news[j1:j2], words, compatible, SIMILAR)
            chain.extend((i1 + i, j1 + j) for i, j in found)
    taken_old = {i for i, _ in chain}
    taken_new = {j for _, j in chain}
    left_new = defaultdict(list)
    for j, item in enumerate(news):
        if j not in taken_new:
            left_new[key(item)].append(j)
    moved = []
    for i, item in enumerate(olds):
        if i not in taken_old and left_new.get(key(item)):
            j = left_new[key(item)].pop(0)
            moved.append((i, j))
    taken_old |= {i for i, _ in moved}
    taken_new |= {j for _, j in moved}
    rest_old = [i for i in range(len(olds)) if i not in taken_old]
    rest_new = [j for j in range(len(news)) if j not in taken_new]
    if len(rest_old) * len(rest_new) > MAX_MOVE_TRIALS:
        rest_old = []  # a rewrite, not a few moves: only identical units count as moved
    for i in rest_old:
        best, best_j = MOVED_SIMILAR, None
        for j in rest_new:
            if j not in taken_new and compatible(olds[i], news[j]):
                score = similarity(words(olds[i]), words(news[j]), best)
                if score >= best and (best_j is None or score > best):
                    best, best_j = score, j
        if best_j is not None:
            moved.append((i, best_j))
            taken_new.add(best_j)
    return sorted(chain), sorted(moved)


def _script(chain, n_old: int, n_new: int) -> tuple:
    """Both sequences merged in reading order around the in-order pairs."""
    script, i, j = [], 0, 0
    for ci, cj in chain + [(n_old, n_new)]:
        script.extend(("delete", k, None) for k in range(i, ci))
        script.extend(("insert", None, k) for k in range(j, cj))
        if ci < n_old:
            script.append(("pair", ci, cj))
        i, j = ci + 1, cj + 1
    return tuple(script)


def _align_sections(old: DocView, new: DocView, units: dict) -> tuple[dict, frozenset]:
    """Sections by id, then by title, then by where most of their units went."""
    new_ids = [s.id for s, _, _ in new.sections]
    pairs = {s.id: s.id for s, _, _ in old.sections if s.id in new_ids}
    by_title = {s.title: s.id for s, _, _ in new.sections if s.title and s.id not in pairs.values()}
    owner = {u.index: u.section for u in new.units}
    for section, first, end in old.sections:
        if section.id in pairs:
            continue
        if section.title in by_title and by_title[section.title] not in pairs.values():
            pairs[section.id] = by_title[section.title]
            continue
        votes = defaultdict(int)
        for i in range(first, end):
            if i in units:
                votes[owner[units[i]]] += 1
        if votes:
            target, count = max(sorted(votes.items()), key=lambda kv: kv[1])
            if count * 2 > end - first and target not in pairs.values():
                pairs[section.id] = target
    old_order = [s.id for s, _, _ in old.sections if s.id in pairs]
    new_order = [pairs[sid] for sid in old_order]
    in_new = sorted(new_order, key=new_ids.index)
    matcher = difflib.SequenceMatcher(None, new_order, in_new, autojunk=False)
    kept = {new_order[i + k] for i, _, size in matcher.get_matching_blocks() for k in range(size)}
    moved = frozenset(sid for sid in old_order if pairs[sid] not in kept)
    return pairs, moved


def _words(item) -> list[str]:
    return item.text.split()


def _note_compatible(a, b) -> bool:
    """Two notes may be one edited note when they cite a work in common, or when
    neither cites anything."""
    keys_a, keys_b = {c.key for c in a.cites}, {c.key for c in b.cites}
    return bool(keys_a & keys_b) or (not keys_a and not keys_b)


def align(old: DocView, new: DocView) -> Alignment:
    """The full alignment of two views (see the module doc)."""
    chain, moved = align_sequences(list(old.units), list(new.units), key=lambda u: u.key, words=_words,
                                   compatible=lambda a, b: a.kind == b.kind)
    units = dict(chain + moved)
    olds = [old.notes[n] for n in sorted(old.notes)]
    news = [new.notes[n] for n in sorted(new.notes)]
    note_chain, note_moved = align_sequences(olds, news, key=lambda n: n.signature, words=_words,
                                             compatible=_note_compatible)
    notes = {olds[i].number: news[j].number for i, j in note_chain + note_moved}
    sections, moved_sections = _align_sections(old, new, units)
    return Alignment(old, new, units, frozenset(i for i, _ in moved), _script(chain, len(old.units), len(new.units)),
                     notes, sections, moved_sections)
