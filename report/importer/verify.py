"""Settle the notes: build the imported project, render its notes, keep what reproduces.

:func:`settle` takes the imported document, the note plans and the registry; it
writes the project into a scratch folder, loads and checks it exactly as
``report build`` would, and compares every rendered footnote with the Word
note's text (white space collapsed). A note whose citations the style writes
differently (the second of two identical notes gets the short form, a missing
final period, another date order…) goes back to its Word text, and so does a
note whose entry a check rule rejects (the entry is then dropped). This repeats
until nothing changes, since one note's form moves the Ibid. of the next. It
returns the project's files (relative path → bytes) and the final plans.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from report import model as m
from report.diagnostics import Severity
from report.errors import ReportError
from report.importer.notes import REVIEW, NotePlan, Registry
from report.importer.package import fail
from report.importer.writer import project_files

MAX_ROUNDS = 12


@dataclasses.dataclass
class Settled:
    files: dict[str, bytes]
    sections: int
    degraded: int


def settle(doc, plans: list[NotePlan], registry: Registry, templates: Path, source_name: str, log,
           shown: str) -> Settled:
    """See the module doc. ``source_name`` is named in the files' comments, ``shown`` in errors."""
    dropped: set[str] = set()
    for _ in range(MAX_ROUNDS):
        blocks, by_node = _blocks_with(doc.blocks, plans)
        entries, comments = _entries(plans, registry, dropped)
        files, note_places, entry_lines, degraded = project_files(doc, blocks, entries, comments, templates,
                                                                  source_name, by_node)
        rendered, errors = _load(files)
        changed = _compare(plans, rendered, shown)
        changed |= _reject(plans, errors, note_places, entry_lines, dropped)
        if not changed:
            if errors:
                first = errors[0]
                raise fail("IMP010", f"the imported project does not pass its checks: {first.format()}", shown,
                           "please report this with the Word file")
            for plan in plans:
                if plan.free and plan.parts:  # recognised, but its citations would not give its text
                    log.note("kept", f"note {plan.number} as written in Word ({plan.reason})")
            plain = sum(1 for plan in plans if plan.free and not plan.parts)
            if plain:
                log.count("kept", "note as free text (nothing in it reads as a reference)", plain)
            sections = sum(1 for rel in files if rel.startswith("sections/"))
            return Settled(files, sections, degraded)
    raise fail("IMP010", "the notes did not settle into citations the style reproduces", shown)


def _blocks_with(blocks: list, plans: list[NotePlan]):
    """The blocks with each Word note replaced by its plan's node; node id → note number."""
    by_original = {id(plan.original): plan for plan in plans}
    by_node: dict[int, int] = {}

    def replace(nodes) -> tuple:
        out = []
        for node in nodes:
            plan = by_original.get(id(node)) if isinstance(node, m.Note) else None
            if plan is not None:
                new = plan.node()
                by_node[id(new)] = plan.number
                out.append(new)
            elif hasattr(node, "children") and not isinstance(node, m.Note):
                out.append(dataclasses.replace(node, children=replace(node.children)))
            else:
                out.append(node)
        return tuple(out)

    return [m.map_inlines(block, replace) for block in blocks], by_node


def _entries(plans: list[NotePlan], registry: Registry, dropped: set[str]):
    """The entries to write, each marked for review, with the notes it came from as comments."""
    cited_by: dict[str, list[NotePlan]] = {}
    for plan in plans:
        for key in dict.fromkeys(plan.keys):
            cited_by.setdefault(key, []).append(plan)
    entries, comments = {}, {}
    for key, csl in registry.entries.items():
        if key in dropped:
            continue
        users = cited_by.get(key, [])
        uncited = [p.number for p in users if p.free]
        mark = REVIEW
        if users and len(uncited) == len(users):
            mark += f"; not cited: note {', '.join(map(str, uncited))} keeps its Word text"
        entries[key] = {**csl, "annote": mark}
        comments[key] = [f"Word note {p.number}{' (kept as written)' if p.free else ''}: {p.text}" for p in users]
    return entries, comments


def _load(files: dict[str, bytes]):
    """Rendered footnote texts and error diagnostics of the project ``files``."""
    from report.build import check

    with tempfile.TemporaryDirectory(prefix="report-import-check-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        try:
            loaded, found = check(root)
        except ReportError as exc:
            return None, [d for d in exc.diagnostics if d.severity is Severity.ERROR]
    texts = [" ".join(m.plain_text(note.children).split()) for note in loaded.document.footnotes()]
    return texts, [d for d in found if d.severity is Severity.ERROR]


def _compare(plans: list[NotePlan], rendered, shown: str) -> bool:
    if rendered is None:
        return False
    if len(rendered) != len(plans):
        raise fail("IMP010", f"the imported project has {len(rendered)} notes where the Word file has {len(plans)}",
                   shown, "please report this with the Word file")
    changed = False
    for plan, text in zip(plans, rendered):
        if not plan.free and text != plan.text:
            plan.free, plan.pure = True, False
            plan.reason = f"the style would write “{text}”"
            changed = True
    return changed


def _reject(plans, errors, note_places, entry_lines, dropped: set[str]) -> bool:
    """Notes and entries that an error points at go back to text, or are dropped."""
    changed = False
    for error in errors:
        path, line = error.location.path, error.location.line
        if path.endswith("sources.yaml"):
            starts = [start for start in entry_lines if start <= line]
            key = entry_lines[max(starts)] if starts else None
            if key and key not in dropped:
                dropped.add(key)
                changed = True
                for plan in plans:
                    if key in plan.keys and not plan.free:
                        plan.free, plan.reason = True, f"its source was rejected: {error.message}"
        else:
            for plan in plans:
                place = note_places.get(plan.number)
                if not plan.free and place and place[0] == path and place[1] <= line <= place[2]:
                    plan.free, plan.reason = True, f"its citation was rejected: {error.message}"
                    changed = True
    return changed
