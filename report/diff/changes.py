"""The change list: what a reviewer must read, each edit once, located.

Takes an :class:`~report.diff.align.Alignment` and both sides; returns the
:class:`Change` list in reading order (document changes first, then registry,
incidents and settings) and the summary of counts per kind. Consequences are not
reported again: the paragraphs of an added section, the notes of a removed
paragraph, a note whose text changed only because the style re-derived its form
(Ibid., short form) or because its registry entry changed, a note moving with
its paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.diagnostics import Location
from report.diff.view import Call, Token, token, word_key, word_ops
from report.diff.words import opcodes

KINDS = ("sections", "paragraphs", "footnotes", "citations", "references", "registry", "incidents", "provisions",
         "metadata")
ACTIONS = ("added", "removed", "changed", "moved")
EXCERPT = 60


@dataclass(frozen=True)
class Change:
    kind: str
    action: str
    location: Location  # in NEW's sources, or OLD's for what was removed
    message: str
    old_location: Location | None = None
    units: tuple = (None, None)  # (old unit index, new unit index) the change belongs to
    notes: tuple = (None, None)  # (old note number, new note number)
    words: tuple = ()  # (op, old text, new text) for text edits
    fields: tuple = ()  # (name, old value, new value)
    order: tuple = ()


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(ops) -> str:
    """The edits of a word script in a few words: ``"old" → "new"``, ``+"new"``, ``−"old"``."""
    parts = []
    for op, old, new in ops:
        if op == "~":
            parts.append(f"“{excerpt(old, 30)}” → “{excerpt(new, 30)}”")
        elif op == "-" and old.strip():
            parts.append(f"−“{excerpt(old, 30)}”")
        elif op == "+" and new.strip():
            parts.append(f"+“{excerpt(new, 30)}”")
    return ", ".join(parts[:3]) + (f" and {len(parts) - 3} more" if len(parts) > 3 else "")


def first_edit(old_tokens, new_tokens, fallback: Location) -> Location:
    """Where the first word edit falls in NEW's source (the word after a deletion)."""
    a = [word_key(t) for t in old_tokens if isinstance(t, Token)]
    new = [t for t in new_tokens if isinstance(t, Token)]
    for tag, _, _, j1, _ in opcodes(a, [word_key(t) for t in new]):
        if tag != "equal":
            return new[j1].location if j1 < len(new) else (new[-1].location if new else fallback)
    return fallback


class Collector:
    """Builds the document changes of one alignment (sections, paragraphs, notes)."""

    def __init__(self, alignment, changed_keys: set[str]):
        self.al = alignment
        self.changed_keys = changed_keys  # registry entries whose fields changed
        self.changes: list[Change] = []
        script = alignment.script
        self.old_pos = {i: p for p, (_, i, _) in enumerate(script) if i is not None}
        self.new_pos = {j: p for p, (_, _, j) in enumerate(script) if j is not None}
        self.new_unit = set(alignment.units.values())
        self.absorbed_old: set[int] = set()
        self.absorbed_new: set[int] = set()
        self._calls: dict[tuple[int, int], set[int]] = {}

    def add(self, kind, action, location, message, units=(None, None), sub=0, **extra) -> None:
        i, j = units
        pos = self.new_pos[j] if j is not None else self.old_pos.get(i, 0)
        self.changes.append(Change(kind, action, location, message, units=units, order=(0, pos, sub), **extra))

    def sections(self) -> None:
        al = self.al
        paired_new = set(al.sections.values())
        news = {s.id: (s, first, end) for s, first, end in al.new.sections}
        for section, first, end in al.old.sections:
            name = section.title or section.id
            if section.id not in al.sections:
                self.absorbed_old.update(range(first, end))
                self.add("sections", "removed", section.location, f"section removed: {name} ({end - first} units)",
                         (first, None), fields=(("title", section.title, None),))
                continue
            target, new_first, new_end = news[al.sections[section.id]]
            where = (first, new_first)
            if section.id in al.moved_sections:
                self.absorbed_old.update(i for i in range(first, end) if new_first <= al.units.get(i, -1) < new_end)
                self.add("sections", "moved", target.location, f"section moved: {name}", where,
                         old_location=section.location)
            if (section.title or "") != (target.title or ""):
                ops = word_ops(self._title_tokens(section), self._title_tokens(target))
                self.add("sections", "changed", target.location,
                         f"section renamed: “{section.title or ''}” → “{target.title or ''}”", where, sub=1,
                         old_location=section.location, words=tuple(ops))
        for sid, (section, first, end) in news.items():
            if sid not in paired_new:
                self.absorbed_new.update(range(first, end))
                self.add("sections", "added", section.location,
                         f"section added: {section.title or section.id} ({end - first} units)", (None, first))

    @staticmethod
    def _title_tokens(section):
        return [token(w, section.location) for w in (section.title or "").split(" ")]

    def units(self) -> None:
        al = self.al
        for i, unit in enumerate(al.old.units):
            if unit.kind == "title":
                continue
            j = al.units.get(i)
            if j is None:
                if i not in self.absorbed_old:
                    self.add("paragraphs", "removed", unit.location, f"{unit.kind} removed: “{excerpt(unit.text)}”",
                             (i, None))
                continue
            new = al.new.units[j]
            ops = tuple(word_ops(unit.tokens, new.tokens)) if unit.text != new.text else ()
            if i in al.moved_units:
                if i not in self.absorbed_old:
                    edited = f", edited: {describe(ops)}" if ops else ""
                    self.add("paragraphs", "moved", new.location,
                             f"{new.kind} moved: “{excerpt(new.text)}”{edited}", (i, j),
                             old_location=unit.location, words=ops)
            elif ops:
                where = first_edit(unit.tokens, new.tokens, new.location)
                self.add("paragraphs", "changed", where, f"{new.kind} changed: {describe(ops)}", (i, j),
                         old_location=unit.location, words=ops)
        for j, unit in enumerate(al.new.units):
            if unit.kind != "title" and j not in self.new_unit and j not in self.absorbed_new:
                self.add("paragraphs", "added", unit.location, f"{unit.kind} added: “{excerpt(unit.text)}”",
                         (None, j))

    def _aligned_calls(self, i: int, j: int) -> set[int]:
        """NEW note numbers whose call stays at its place in the paired units i, j."""
        if (i, j) not in self._calls:
            self._calls[i, j] = self._find_aligned_calls(i, j)
        return self._calls[i, j]

    def _find_aligned_calls(self, i: int, j: int) -> set[int]:
        old_u, new_u = self.al.old.units[i], self.al.new.units[j]

        def keys(tokens, number):
            return [("call", number(t.number)) if isinstance(t, Call) else word_key(t) for t in tokens]

        a = keys(old_u.tokens, lambda n: self.al.notes.get(n, ("old", n)))
        b = keys(new_u.tokens, lambda n: n)
        if a == b:  # the usual case, and difflib is quadratic on long paragraphs
            return set(new_u.notes)
        aligned = set()
        for tag, _, _, j1, j2 in opcodes(a, b):
            if tag == "equal":
                aligned.update(key[1] for key in b[j1:j2] if isinstance(key, tuple))
        return aligned

    def notes(self) -> None:
        al = self.al
        paired_new = set(al.notes.values())
        for number, note in sorted(al.new.notes.items()):
            unit = note.unit
            if number not in paired_new and unit in self.new_unit and unit not in self.absorbed_new:
                self.add("footnotes", "added", note.location, f"note {number} added: “{excerpt(note.text)}”",
                         (None, unit), sub=number, notes=(None, number))
        for number, note in sorted(al.old.notes.items()):
            target = al.notes.get(number)
            if target is None:
                if note.unit in al.units and note.unit not in self.absorbed_old:
                    self.add("footnotes", "removed", note.location,
                             f"note {number} removed: “{excerpt(note.text)}”", (note.unit, al.units[note.unit]),
                             sub=number, notes=(number, None))
                continue
            self._pair(note, al.new.notes[target])

    def _pair(self, old, new) -> None:
        al = self.al
        units = (old.unit, new.unit)
        numbers = (old.number, new.number)
        label = f"note {old.number}" + (f" (now {new.number})" if new.number != old.number else "")
        if al.units.get(old.unit) != new.unit or new.number not in self._aligned_calls(old.unit, new.unit):
            self.add("footnotes", "moved", new.location, f"{label} moved: “{excerpt(new.text)}”", units,
                     sub=new.number, old_location=old.location, notes=numbers)
        if _triples(old) != _triples(new):
            self._cites(old, new, label, units, numbers)
        elif old.text != new.text:
            # A form the style re-derived (first → short → Ibid.) or a registry entry
            # that changed is not an edit of this note.
            derived = any(a.position != b.position for a, b in zip(old.cites, new.cites))
            if not derived and not any(c.key in self.changed_keys for c in new.cites):
                ops = tuple(word_ops(old.tokens, new.tokens))
                self.add("footnotes", "changed", first_edit(old.tokens, new.tokens, new.location),
                         f"{label} changed: {describe(ops)}", units, sub=new.number, notes=numbers, words=ops)

    def _cites(self, old, new, label, units, numbers) -> None:
        before = {c.key: c for c in old.cites}
        after = {c.key: c for c in new.cites}
        for key, cite in after.items():
            if key not in before:
                self.add("citations", "added", cite.location, f"{label}: citation of {key} added", units,
                         sub=new.number, notes=numbers)
            elif (before[key].locator_label, before[key].locator) != (cite.locator_label, cite.locator):
                was, now = _locator(before[key]), _locator(cite)
                self.add("citations", "changed", cite.location, f"{label}: {key} locator {was} → {now}", units,
                         sub=new.number, notes=numbers, fields=(("locator", was, now),))
        for key in before:
            if key not in after:
                self.add("citations", "removed", new.location, f"{label}: citation of {key} removed", units,
                         sub=new.number, notes=numbers)


def _triples(note) -> tuple:
    return tuple((c.key, c.locator_label, c.locator) for c in note.cites)


def _locator(cite) -> str:
    return f"{cite.locator_label} {cite.locator}" if cite.locator else "none"


def document_changes(alignment, changed_keys: set[str]) -> list[Change]:
    collect = Collector(alignment, changed_keys)
    collect.sections()
    collect.units()
    collect.notes()
    return collect.changes


def summarize(changes) -> dict:
    """Counts per kind and action, every kind and action present (zeros included)."""
    summary = {kind: {action: 0 for action in ACTIONS} for kind in KINDS}
    for change in changes:
        summary[change.kind][change.action] += 1
    return summary
