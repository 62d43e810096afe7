"""A reviewed file's changes and comments, each at its place in the sources.

Takes the reviewed :class:`~report.review.wordfile.WordFile`, its
:class:`~report.review.pairing.Pairing` and the source files; returns the
:class:`Finding` list in reading order: every change (tracked, moved or untracked)
with the source edit that makes it or the reason it is not applied (bold and italic
turned on or off: :mod:`.emphasis`; paragraphs split, joined or added: :mod:`.breaks`),
every comment with its author, date and anchor (:mod:`.threads`), and what this
increment cannot carry yet (other formatting). Whole paragraphs deleted, typed or
rewritten: :mod:`.wholefindings` (their blocks, :mod:`.whole`; moved, :mod:`.moves`).
:class:`Finding` itself: :mod:`.finding`. Footnotes a change inserts or whose calls it deletes, tracked or
not, and bold and italic changed without tracking: :mod:`.untracked`.
"""

from __future__ import annotations

import dataclasses

from report.diagnostics import Location
from report.review.breaks import join
from report.review.citations import affix_edit, locator_edit
from report.review.edits import UNTRACKED, Edit, paragraph_edits
from report.review.emphasis import MARKER, restyle
from report.review.finding import Finding, accepted, excerpt, kind_of, short
from report.review.mapping import anchor_location, base_spans, place, to_base
from report.review.moves import Moves, carried, find_moves
from report.review.pairing import Paired, Pairing
from report.review.registry import effect, field_edit
from report.review.sourcefile import SourceFile
from report.review.typed import with_emphasis
from report.review.untracked import beside_calls, deleted_notes, inserted_notes
from report.review.whole import remove
from report.review.wholefindings import added_runs, moved_here, removed
from report.review.wordfile import NOTE, WordFile


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
        self.built_notes: dict = {}  # the build's report.docx's notes by id: new calls beside old ones (collect)

    def paragraph(self, paired: Paired, note_id: str | None = None) -> None:
        para, unit, base = paired.reviewed, paired.unit, paired.base
        if unit is not None:
            self.last = unit.location
        source = self.sources.get(unit.location.path) if unit is not None else None
        if base is None or unit is None or source is None:
            self._unplaced(paired)
            return
        edits = beside_calls(paragraph_edits(para, base), para, base, paired.built, self.built_notes,
                             self.reviewed.notes)
        if id(paired) in self.moves.into:  # a paragraph moved here, before this one: its block written here
            edits = moved_here(self, paired, edits)
        if not (edits or para.joined or para.formatting or para.restyles):
            return  # most paragraphs: nothing to trace
        traced = base_spans(unit, base, source)
        spans = traced.spans
        emptied = bool(edits) and base.strip() and not accepted(base, edits).replace(NOTE, "").strip()
        if emptied and note_id is None and NOTE not in accepted(base, edits):
            removed(self, paired, edits)  # the whole paragraph deleted: its block goes
            return
        inserted = self._inserted_notes(para, base, edits, paired.built)
        for edit in edits:
            placed = with_emphasis(place(edit, traced, unit, source, inserted.get(id(edit))), para, base, source,
                                   unit)
            if placed.source is None and unit.kind == "note":  # the style's note: locator, affix, registry?
                placed = (locator_edit(edit, base, unit, traced, source) or affix_edit(edit, base, unit, traced, source)
                          or field_edit(edit, base, unit, traced, self.registry) or placed)
            if emptied and placed.source is not None:
                placed = dataclasses.replace(placed, source=None,
                                             reason="it deletes all of the paragraph's text (delete it in the source)")
            old, new = excerpt(base, edit.start, edit.end, edit.text)
            for text in reversed(inserted.get(id(edit), ())):  # a new footnote shown by its text
                at = new.rfind("[note]")
                new = new[:at] + "^[" + short(text) + "]" + new[at + 6:] if at >= 0 else new
            moved = placed.source is not None and self.registry is not None and placed.source.path == self.registry.path
            self.found.append(Finding(kind_of(edit), placed.location, edit.authors, edit.date, paired.label, old, new,
                                      source=placed.source, reason=placed.reason,
                                      effect=effect(self.registry, unit, placed.source) if moved
                                      else placed.note if placed.source is not None else ""))
            if note_id is None and edit.start < edit.end:
                self.calls_deleted(para, base, edit)
        end = anchor_location(spans, len(base), source, unit)
        if para.joined:
            self._join(paired, para.joined, end)
        for offset, author, date in para.formatting:
            at = anchor_location(spans, to_base(para.original, base, offset), source, unit)
            self._later(at, (author, date), paired.label, "changes formatting")
        for r in para.restyles:
            self._restyle(r, paired, traced, source)

    def _join(self, paired: Paired, who: tuple[str, str], end: Location) -> None:
        """The paragraph's mark deleted: the blank line before the next paragraph removed."""
        index = next((i for i, p in enumerate(self.body) if p is paired), len(self.body))
        following = self.body[index + 1] if index + 1 < len(self.body) else None
        where, edit, reason = join(paired, following, self.sources)
        tail = (paired.reviewed.accepted.split() or [""])[-1]
        head = ((following.reviewed.accepted.split() if following is not None else None) or [""])[0]
        self.found.append(Finding("change", where or end, (who[0],), who[1], paired.label, short(f"{tail}¶{head}"),
                                  short(f"{tail}{head}"), source=edit, reason=reason))

    def _restyle(self, r, paired: Paired, traced, source: SourceFile) -> None:
        """Bold or italic turned on or off: Markdown emphasis around the words."""
        base, original = paired.base, paired.reviewed.original
        done = restyle(paired.unit, base, traced, source, to_base(original, base, r.start),
                       to_base(original, base, r.end), r.added, r.removed)
        if done is None:
            return
        words = short(done.words)
        marked = MARKER[r.added or r.removed] + words + MARKER[r.added or r.removed]
        old, new = (words, marked) if r.added else (marked, words)
        # one made with tracking off (report.review.untracked) has no author
        self.found.append(Finding("change" if r.author else UNTRACKED, done.location, (r.author,) if r.author else (),
                                  r.date, paired.label, old, new,
                                  source=done.source, reason=done.reason))

    def _inserted_notes(self, para, base: str, edits: list[Edit], built=None) -> dict[int, tuple[str, ...]]:
        """The text of each footnote an edit inserts, tracked or not, by edit; none when
        the calls and the notes do not tally (report.review.untracked; ``built``: the
        build's own paragraph, which tells a new call from an old one beside it)."""
        return inserted_notes(self.reviewed.notes, para, base, edits, built, self.built_notes)

    def calls_deleted(self, para, base: str, edit: Edit) -> None:
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
            self.found.append(Finding(kind_of(edit), placed.location, edit.authors, edit.date, label, old, new,
                                      source=source, reason=reason))

    def _later(self, where: Location, who: tuple[str, str], part: str, what: str) -> None:
        self.found.append(Finding("change", where, (who[0],), who[1], part, reason=f"it {what} (a later increment)"))


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
    work.built_notes = pairing.built_notes
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
    rewritten = added_runs(work, pairing.body, pairing.dropped, list(sources))
    for unit in pairing.dropped:  # deleted with tracking off: its block goes
        if id(unit) in rewritten:
            continue
        where, edit, reason = remove(unit, unit.text, sources.get(unit.location.path))
        work.found.append(Finding(UNTRACKED, where or unit.location, (), "", "body", short(unit.text), "",
                                  source=edit, reason=reason))
    from report.review.threads import comment_findings

    work.found += comment_findings(reviewed, pairing, sources, fallback)
    order = {path: i for i, path in enumerate(sources)}
    if registry is not None:
        order[registry.path] = len(order)
    return sorted(work.found, key=lambda f: (order.get(f.location.path, -1), f.location.line, f.location.col,
                                             f.kind == "comment"))
