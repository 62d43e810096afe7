"""Changes outside the running text: registry entries, incidents and the provisions
they engage, provision spans in the text, the report's settings, and outputs.

Takes the alignment and both :class:`~report.diff.load.Side` s; returns
:class:`~report.diff.changes.Change` values (``order`` puts them after the
document's) and, for outputs, which files changed by their manifest sha256.
Registry entries are located by scanning the side's registry file for the
entry's id (when the file still matches its manifest), else at a citation.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from report.diagnostics import Location
from report.diff.changes import Change

INCIDENT_FIELDS = ("summary", "date", "place", "victims", "provisions", "sources", "state")
METADATA_FIELDS = ("title", "subtitle", "organization", "date")


def show(value) -> str | None:
    """A registry or incident value as one short line (dates as YYYY-MM-DD)."""
    if value is None:
        return None
    if isinstance(value, dict) and "date-parts" in value:
        return "/".join("-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts))
                        for parts in value["date-parts"])
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, dict) and set(v) <= {"literal", "family", "given"} for v in value):
        return "; ".join(v.get("literal") or ", ".join(filter(None, (v.get("family"), v.get("given")))) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def locate_entry(side, key: str, field: str | None = None) -> Location | None:
    """The line of registry entry ``key`` (of its ``field`` when given) in the side's sources."""
    pattern = re.compile(r"""^(\s*-?\s*)["']?id["']?\s*:\s*["']?%s["']?\s*,?\s*$""" % re.escape(key), re.M)
    for rel, text in side.sources.items():
        match = pattern.search(text)
        if not match:
            continue
        line = text.count("\n", 0, match.start()) + 1
        where = Location(rel, line, len(match.group(1)) + 1)
        if field is None:
            return where
        lines = text.split("\n")
        indent = len(match.group(1))
        for k in range(line, len(lines)):
            row = lines[k]
            stripped = row.lstrip()
            if stripped.startswith("- ") and len(row) - len(stripped) < indent:
                break
            found = re.match(r"""(\s*)["']?%s["']?\s*:""" % re.escape(field), row, re.I)
            if found:
                return Location(rel, k + 1, len(found.group(1)) + 1)
        return where
    return None


def _cite_location(side, key: str) -> Location:
    for note in side.document.footnotes():
        for cite in note.cites:
            if cite.key == key:
                return cite.location
    return Location("model.json")


def registry_changes(old, new) -> list[Change]:
    changes = []
    for key in sorted(set(old.registry) | set(new.registry)):
        a, b = old.registry.get(key), new.registry.get(key)
        if a == b:
            continue
        if a is None:
            where = locate_entry(new, key) or _cite_location(new, key)
            changes.append(Change("registry", "added", where, f"registry entry {key} added"))
            continue
        if b is None:
            where = locate_entry(old, key) or _cite_location(old, key)
            changes.append(Change("registry", "removed", where, f"registry entry {key} removed"))
            continue
        fields = tuple((name, show(a.get(name)), show(b.get(name))) for name in sorted(set(a) | set(b))
                       if a.get(name) != b.get(name))
        first = fields[0][0]
        where = locate_entry(new, key, first) or _cite_location(new, key)
        listed = "; ".join(f"{name}: {old_v or '–'} → {new_v or '–'}" for name, old_v, new_v in fields)
        changes.append(Change("registry", "changed", where, f"registry entry {key}: {listed}", fields=fields))
    return changes


def _where(incident: dict) -> Location:
    loc = incident.get("location") or {}
    return Location(loc.get("path", "model.json"), loc.get("line", 1), loc.get("col", 1))


def _values(incident: dict, name: str):
    value = incident.get(name)
    if name in ("provisions", "sources"):
        return [item[0] for item in value or ()]
    return value


def incident_changes(alignment, old, new) -> list[Change]:
    before = {i["id"]: i for i in old.incidents}
    after = {i["id"]: i for i in new.incidents}
    changes = []
    for iid in sorted(set(before) | set(after)):
        a, b = before.get(iid), after.get(iid)
        if a is None or b is None:
            action, entry = ("added", b) if a is None else ("removed", a)
            changes.append(Change("incidents", action, _where(entry), f"incident {iid} {action}"))
            continue
        fields = tuple((name, show(_values(a, name)), show(_values(b, name))) for name in INCIDENT_FIELDS
                       if _values(a, name) != _values(b, name))
        if not fields:
            continue
        where = _where(b)
        if [f[0] for f in fields] == ["provisions"]:
            was, now = _values(a, "provisions"), _values(b, "provisions")
            gained = [r for r in now if r not in was]
            where = next((loc_of(item) for item in b["provisions"] if item[0] in gained), where)
            edit = ", ".join([f"+{r}" for r in gained] + [f"−{r}" for r in was if r not in now])
            changes.append(Change("provisions", "changed", where, f"incident {iid} engages {edit}", fields=fields))
            continue
        listed = "; ".join(name for name, _, _ in fields)
        changes.append(Change("incidents", "changed", where, f"incident {iid}: {listed} changed", fields=fields))
    return changes + _marker_changes(alignment, set(before) ^ set(after))


def loc_of(item) -> Location:
    loc = item[1] if len(item) > 1 and item[1] else None
    return loc if isinstance(loc, Location) else Location(**{k: v for k, v in (loc or {}).items() if k != "type"})


def _marker_changes(al, skip: set[str]) -> list[Change]:
    """Incidents now marked on another paragraph, or no longer (or newly) marked."""
    old_at = {iid: u.index for u in al.old.units for iid in u.incidents}
    new_at = {iid: u.index for u in al.new.units for iid in u.incidents}
    changes = []
    for iid in sorted((set(old_at) | set(new_at)) - skip):
        i, j = old_at.get(iid), new_at.get(iid)
        if i is not None and j is not None and al.units.get(i) == j:
            continue
        if i is not None and j is not None:
            unit = al.new.units[j]
            changes.append(Change("incidents", "changed", unit.location, f"incident {iid} is now marked on another "
                                  f"{unit.kind}: “{unit.text[:40]}…”", old_location=al.old.units[i].location))
        elif j is not None and j in al.units.values():
            changes.append(Change("incidents", "changed", al.new.units[j].location, f"incident {iid} is now marked"))
        elif i is not None and i in al.units:
            changes.append(Change("incidents", "changed", al.old.units[i].location, f"incident {iid} is no longer "
                                  "marked in the text"))
    return changes


def provision_changes(al) -> list[Change]:
    """Provision spans added, removed or changed inside paired units."""
    changes = []
    for i, j in sorted(al.units.items()):
        a, b = al.old.units[i], al.new.units[j]
        was, now = Counter(r for r, _ in a.provisions), Counter(r for r, _ in b.provisions)
        lost, gained = list((was - now).elements()), list((now - was).elements())
        where = {r: loc for r, loc in b.provisions}
        for old_ref, new_ref in zip(lost, gained):
            changes.append(Change("provisions", "changed", where[new_ref], f"provision {old_ref} → {new_ref}",
                                  fields=(("ref", old_ref, new_ref),)))
        for ref in gained[len(lost):]:
            changes.append(Change("provisions", "added", where[ref], f"provision {ref} argued"))
        for ref in lost[len(gained):]:
            changes.append(Change("provisions", "removed", b.location, f"provision {ref} no longer argued"))
    return changes


def metadata_changes(old, new) -> list[Change]:
    a, b = old.document.metadata, new.document.metadata
    changes = []
    for name in METADATA_FIELDS:
        was, now = getattr(a, name), getattr(b, name)
        if was != now:
            where = Location("report.yaml")
            for rel, text in new.sources.items():
                match = re.search(r"^%s\s*:" % name, text, re.M) if rel.endswith("report.yaml") else None
                if match:
                    where = Location(rel, text.count("\n", 0, match.start()) + 1, 1)
            changes.append(Change("metadata", "changed", where, f"{name}: {was or '–'} → {now or '–'}",
                                  fields=((name, show(str(was) if was else None), show(str(now) if now else None)),)))
    return changes


def output_changes(old, new) -> dict:
    """{"added": [...], "removed": [...], "changed": [...]} by the manifests' sha256."""
    a, b = old.manifest.get("outputs", {}), new.manifest.get("outputs", {})
    return {"added": sorted(set(b) - set(a)), "removed": sorted(set(a) - set(b)),
            "changed": sorted(n for n in set(a) & set(b) if a[n] != b[n])}


def fact_changes(alignment, old, new) -> list[Change]:
    """Every change outside the running text, ordered by place."""
    found = metadata_changes(old, new) + registry_changes(old, new) + incident_changes(alignment, old, new)
    found += provision_changes(alignment)
    ranked = []
    for change in found:
        loc = change.location
        ranked.append(Change(**{**change.__dict__, "order": (1, loc.path, loc.line, loc.col, change.message)}))
    return sorted(ranked, key=lambda c: c.order)
