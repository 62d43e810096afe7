"""A reviewed file's changes and comments, each at its place in the sources.

Takes the reviewed :class:`~report.review.wordfile.WordFile`, its
:class:`~report.review.pairing.Pairing` and the source files; returns the
:class:`Finding` list in reading order: every change (tracked, moved or untracked)
with the source edit that makes it or the reason it is not applied (bold and italic
turned on or off: :mod:`.emphasis`; paragraphs split, joined or added: :mod:`.breaks`),
every comment with its author, date and anchor (:mod:`.threads`), and what this
increment cannot carry yet (other formatting). Whole paragraphs deleted, typed or
rewritten: :mod:`.whole`; moved: :mod:`.moves`. Footnotes a change inserts or whose calls it deletes, tracked or
not, and bold and italic changed without tracking: :mod:`.untracked`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from report.diagnostics import Location
from report.review.breaks import join
from report.review.citations import affix_edit, locator_edit
from report.review.edits import UNTRACKED, Edit, paragraph_edits
from report.review.emphasis import MARKER, restyle
from report.review.mapping import SourceEdit, anchor_location, base_spans, place, to_base
from report.review.pairing import Paired, Pairing
from report.review.registry import effect, field_edit
from report.review.sourcefile import SourceFile
from report.review.located import Unit
from report.review.untracked import deleted_notes, inserted_notes
from report.review.moves import Moves, carried, find_moves, retyped
from report.review.typed import with_emphasis
from report.review.whole import add, remove, rewrite
from report.review.wordfile import BREAK, NOTE, WordFile

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
    effect: str = ""  # a registry edit's: the other notes it changes (report.review.registry)
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
    return _short(old), _short(new)


def _short(text: str) -> str:
    text = text.replace(NOTE, "[note]").replace("\n", "\\n").replace("\t", "\\t").replace(BREAK, "¶")
    return text if len(text) <= SHOWN else text[:SHOWN // 2 - 1] + "…" + text[-(SHOWN // 2 - 1):]


class _Collect:
    def __init__(self, reviewed: WordFile, sources: dict[str, SourceFile], fallback: Location, registry=None,
                 front=None):
        self.reviewed, self.sources, self.fallback, self.registry = reviewed, sources, fallback, registry
        self.front = front  # report.review.titlepage.Front: the title page's, headers' and contents' sources
        self.found: list[Finding] = []
        self.deleted_calls: set[str] = set()
        self.last = fallback
        self.body: list[Paired] = []
        self.typed: list[Paired] = []  # body paragraphs the build does not have (added without tracking)
        self.moves = Moves()  # whole paragraphs moved (report.review.moves)
        self.moved_notes: list[tuple[str, str]] = []  # (a moved call's new note, the note it was) (collect)

    def paragraph(self, paired: Paired, note_id: str | None = None) -> None:
        para, unit, base = paired.reviewed, paired.unit, paired.base
        if unit is not None:
            self.last = unit.location
        source = self.sources.get(unit.location.path) if unit is not None else None
        if base is None or unit is None or source is None:
            self._unplaced(paired)
            return
        edits = paragraph_edits(para, base)
        if id(paired) in self.moves.into:  # a paragraph moved here, before this one: its block written here
            edits = self._moved_here(paired, edits)
        if not (edits or para.joined or para.formatting or para.restyles):
            return  # most paragraphs: nothing to trace
        traced = base_spans(unit, base, source)
        spans = traced.spans
        emptied = bool(edits) and base.strip() and not _accepted(base, edits).replace(NOTE, "").strip()
        if emptied and note_id is None and NOTE not in _accepted(base, edits):
            self._removed(paired, edits)  # the whole paragraph deleted: its block goes
            return
        inserted = self._inserted_notes(para, base, edits)
        for edit in edits:
            placed = with_emphasis(place(edit, traced, unit, source, inserted.get(id(edit))), para, base, source,
                                   unit.kind)
            if placed.source is None and unit.kind == "note":  # the style's note: locator, affix, registry?
                placed = (locator_edit(edit, base, unit, traced, source) or affix_edit(edit, base, unit, traced, source)
                          or field_edit(edit, base, unit, traced, self.registry) or placed)
            if emptied and placed.source is not None:
                placed = dataclasses.replace(placed, source=None,
                                             reason="it deletes all of the paragraph's text (delete it in the source)")
            old, new = excerpt(base, edit.start, edit.end, edit.text)
            for text in reversed(inserted.get(id(edit), ())):  # a new footnote shown by its text
                at = new.rfind("[note]")
                new = new[:at] + "^[" + _short(text) + "]" + new[at + 6:] if at >= 0 else new
            moved = placed.source is not None and self.registry is not None and placed.source.path == self.registry.path
            self.found.append(Finding(_kind(edit), placed.location, edit.authors, edit.date, paired.label, old, new,
                                      source=placed.source, reason=placed.reason,
                                      effect=effect(self.registry, unit, placed.source) if moved else ""))
            if note_id is None and edit.start < edit.end:
                self._calls_deleted(para, base, edit)
        end = anchor_location(spans, len(base), source, unit)
        if para.joined:
            self._join(paired, para.joined, end)
        for offset, author, date in para.formatting:
            at = anchor_location(spans, to_base(para.original, base, offset), source, unit)
            self._later(at, (author, date), paired.label, "changes formatting")
        for r in para.restyles:
            self._restyle(r, paired, traced, source)

    def _removed(self, paired: Paired, edits: list[Edit]) -> None:
        """All of a paragraph's text deleted (tracked, or with tracking off): its block
        taken out of the source (report.review.whole), its notes with it."""
        base = paired.base
        moved = id(paired) in self.moves.out_of
        where, edit, reason = remove(paired.unit, base, self.sources.get(paired.unit.location.path), labelled=moved)
        if (moved and self.moves.refused(paired)) or (not moved and all(e.kind == "move" for e in edits)):
            # moved where the tool cannot write it (or to no paragraph it could match): it stays
            edit, reason = None, "it moves the paragraph to a place the tool cannot write it (move it by hand)"
        authors = tuple(dict.fromkeys(a for e in edits for a in e.authors))
        kind = UNTRACKED if all(e.kind == UNTRACKED for e in edits) else _kind(edits[0])
        self.found.append(Finding(kind, where or paired.unit.location, authors, edits[0].date, paired.label,
                                  _short(base), "", source=edit, reason=reason))
        self._calls_deleted(paired.reviewed, base, Edit(0, len(base), "", authors, "", kind))

    def _moved_here(self, paired: Paired, edits: list[Edit]) -> list[Edit]:
        """The finding of a paragraph moved before ``paired`` (report.review.moves);
        returns ``paired``'s other edits."""
        origin, moved = self.moves.into[id(paired)]
        where, edit, reason = self.moves.placed[id(paired)]
        text = "".join(e.text for e in moved)
        self.found.append(Finding(_kind(moved[0]), where, moved[0].authors, moved[0].date, "body", "", _short(text),
                                  source=edit, reason=reason))
        # Word gives each moved call a new note, a copy of the old one: what the reviewer
        # changed in it is read against the note it was (its call's block moves as written)
        copies = paired.reviewed.inserted_notes[:text.count(NOTE)]
        self.moved_notes += zip(copies, origin.reviewed.notes)
        again = retyped(origin, moved)  # words changed in the moved copy: placed in its block (moves.carried)
        if again is not None:
            last = self.last  # (read at its old place: what follows here keeps this place)
            self.paragraph(again)
            self.last = last
        return [e for e in edits if e not in moved]  # (recomputed: equal, not the same objects)

    def added(self, run: list[Paired], before: Paired | None, after: Paired | None, instead: Unit | None) -> None:
        """Paragraphs typed with tracking off (the build has none of them), one after
        another: in place of ``instead`` (a paragraph gone from where they stand: it was
        rewritten), else written as new paragraphs after the one before them
        (report.review.whole); before every section (the title page, the contents), listed."""
        texts = [p.reviewed.original for p in run]
        where = before.unit.location if before is not None and before.unit is not None else self.fallback
        old = ""
        if instead is not None:
            at, edit, reason = rewrite(instead, texts, self.sources.get(instead.location.path))
            where, old = at or instead.location, _short(instead.text)
        elif before is None:
            edit, reason = None, ("a paragraph typed or rewritten with tracking off on the title page or in the "
                                  "contents (apply it by hand)")
        else:
            placed = add(texts, before, after, self.sources, where)
            edit, reason = (None, placed) if isinstance(placed, str) else (placed.source, None)
            where = where if isinstance(placed, str) else placed.location
        self.found.append(Finding(UNTRACKED, where, (), "", "body", old, _short(BREAK.join(texts)), source=edit,
                                  reason=reason))
        for paired in run:  # changes tracked inside a paragraph typed with tracking off: with it
            for r in paired.reviewed.revisions:
                old, new = excerpt(paired.reviewed.original, r.start, r.end, r.text)
                self.found.append(Finding(r.kind, where, (r.author,), r.date, "body", old, new,
                                          reason="it is inside a paragraph added without tracking (apply it by hand)"))

    def _join(self, paired: Paired, who: tuple[str, str], end: Location) -> None:
        """The paragraph's mark deleted: the blank line before the next paragraph removed."""
        index = next((i for i, p in enumerate(self.body) if p is paired), len(self.body))
        following = self.body[index + 1] if index + 1 < len(self.body) else None
        where, edit, reason = join(paired, following, self.sources)
        tail = (paired.reviewed.accepted.split() or [""])[-1]
        head = ((following.reviewed.accepted.split() if following is not None else None) or [""])[0]
        self.found.append(Finding("change", where or end, (who[0],), who[1], paired.label, _short(f"{tail}¶{head}"),
                                  _short(f"{tail}{head}"), source=edit, reason=reason))

    def _restyle(self, r, paired: Paired, traced, source: SourceFile) -> None:
        """Bold or italic turned on or off: Markdown emphasis around the words."""
        base, original = paired.base, paired.reviewed.original
        done = restyle(paired.unit, base, traced, source, to_base(original, base, r.start),
                       to_base(original, base, r.end), r.added, r.removed)
        if done is None:
            return
        words = _short(done.words)
        marked = MARKER[r.added or r.removed] + words + MARKER[r.added or r.removed]
        old, new = (words, marked) if r.added else (marked, words)
        # one made with tracking off (report.review.untracked) has no author
        self.found.append(Finding("change" if r.author else UNTRACKED, done.location, (r.author,) if r.author else (),
                                  r.date, paired.label, old, new,
                                  source=done.source, reason=done.reason))

    def _inserted_notes(self, para, base: str, edits: list[Edit]) -> dict[int, tuple[str, ...]]:
        """The text of each footnote an edit inserts, tracked or not, by edit; none when
        the calls and the notes do not tally (report.review.untracked)."""
        return inserted_notes(self.reviewed.notes, para, base, edits)

    def _calls_deleted(self, para, base: str, edit: Edit) -> None:
        """The notes whose calls a body edit deletes (their own text goes with them)."""
        self.deleted_calls.update(deleted_notes(para, base, edit))

    def _unplaced(self, paired: Paired) -> None:
        """A paragraph the build's text has no counterpart for (the title page, the
        contents, a paragraph added without tracking): its changes are listed, not applied."""
        para = paired.reviewed
        if self.front is not None and self.last is self.fallback and paired.base is not None:
            self.front_paragraph(para, paired.base, paired.label)  # the title page or the contents
            return
        where = paired.unit.location if paired.unit is not None else self.last
        if paired.base is None and para.original.strip() and paired.label == "body" and (
                self.last is not self.fallback or not para.revisions):
            self.typed.append(paired)  # added without tracking: written in with its neighbours (collect)
            return
        for r in para.revisions:
            old, new = excerpt(para.original, r.start, r.end, r.text)
            reason = ("it is on the title page or in the contents, which report.yaml and the build make"
                      if self.last is self.fallback else "the paragraph could not be matched to the sources")
            self.found.append(Finding(r.kind, where, (r.author,), r.date, paired.label, old, new, reason=reason))

    def front_paragraph(self, para, base: str, label: str, header: bool = False) -> None:
        """A title-page, contents, header or footer paragraph's changes: to report.yaml (a
        translation's PO entry) or a section's title, or why not (report.review.titlepage)."""
        for placed in self.front.place(para, base, self.sources, header):
            edit, source, reason = placed.edit, placed.source, placed.reason
            if source is not None and any(f.source == source for f in self.found):
                source, reason = None, "the same change as on the title page, made there"
            old, new = excerpt(base, edit.start, edit.end, edit.text)
            self.found.append(Finding(_kind(edit), placed.location, edit.authors, edit.date, label, old, new,
                                      source=source, reason=reason))

    def _later(self, where: Location, who: tuple[str, str], part: str, what: str) -> None:
        self.found.append(Finding("change", where, (who[0],), who[1], part, reason=f"it {what} (a later increment)"))


def _added_runs(work: _Collect, body: list[Paired], dropped: list[Unit], paths: list[str]) -> set[int]:
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
            work.added(run, before, after, instead)
            run = []
        if paired is not None and paired.unit is not None and paired.base is not None:
            before = paired
    return taken


def _accepted(base: str, edits: list[Edit]) -> str:
    out, at = [], 0
    for edit in edits:
        out += [base[at:edit.start], edit.text]
        at = max(at, edit.end)
    return "".join(out) + base[at:]


def _kind(edit: Edit) -> str:
    return edit.kind if edit.kind in ("move", UNTRACKED) else "change"


def collect(reviewed: WordFile, pairing: Pairing, sources: dict[str, SourceFile], fallback: Location,
            registry=None, front=None) -> list[Finding]:
    """See the module doc. ``fallback`` locates what stands before the report's text
    (the title page and contents: report.yaml); ``registry``: the project's
    :class:`~report.review.registry.RegistryFile`, where a title, author or year fixed in
    a note the style wrote goes (its findings come last), or None; ``front``: the
    :class:`~report.review.titlepage.Front` that places changes on the title page, in
    the contents and in the running headers, or None (they are listed)."""
    work = _Collect(reviewed, sources, fallback, registry, front)
    work.body = pairing.body
    work.moves = find_moves(pairing.body, sources)
    for paired in pairing.body:
        work.paragraph(paired)
    for note_id, paired in pairing.notes.items():
        if note_id not in work.deleted_calls:
            work.paragraph(paired, note_id)
    for copy, note_id in work.moved_notes:
        if note_id in pairing.notes and copy in reviewed.notes:
            work.paragraph(dataclasses.replace(pairing.notes[note_id], reviewed=reviewed.notes[copy]), copy)
    work.found = carried(work.found, work.moves)  # what was changed in a moved paragraph: with it
    for label, para in front.headers if front is not None else ():
        work.front_paragraph(para, para.original, label, header=True)
    rewritten = _added_runs(work, pairing.body, pairing.dropped, list(sources))
    for unit in pairing.dropped:  # deleted with tracking off: its block goes
        if id(unit) in rewritten:
            continue
        where, edit, reason = remove(unit, unit.text, sources.get(unit.location.path))
        work.found.append(Finding(UNTRACKED, where or unit.location, (), "", "body", _short(unit.text), "",
                                  source=edit, reason=reason))
    from report.review.threads import comment_findings

    work.found += comment_findings(reviewed, pairing, sources, fallback)
    order = {path: i for i, path in enumerate(sources)}
    if registry is not None:
        order[registry.path] = len(order)
    return sorted(work.found, key=lambda f: (order.get(f.location.path, -1), f.location.line, f.location.col,
                                             f.kind == "comment"))
