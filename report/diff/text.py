"""The terminal forms of a diff: text (counts, then each change with its location)
and JSON (``summary`` with counts per kind, ``outputs``, ``changes``).

Takes a :class:`~report.diff.Comparison`; returns a string. Both are stable: the
same two builds give the same bytes.
"""

from __future__ import annotations

import json

from report.diff.changes import ACTIONS


def change_id(index: int) -> str:
    """The anchor of the index-th change (0-based) in diff.html and in the JSON."""
    return f"c{index + 1}"


def change_data(index: int, change) -> dict:
    loc = change.location
    data = {"id": change_id(index), "kind": change.kind, "action": change.action, "location": str(loc),
            "path": loc.path, "line": loc.line, "col": loc.col,
            "old_location": str(change.old_location) if change.old_location else None,
            "message": change.message}
    if change.notes != (None, None):
        data["note"] = {"old": change.notes[0], "new": change.notes[1]}
    if change.words:
        data["words"] = [list(op) for op in change.words]
    if change.fields:
        data["fields"] = [{"name": n, "old": a, "new": b} for n, a, b in change.fields]
    return data


def to_json(result) -> str:
    data = {
        "old": result.old.label, "new": result.new.label, "language": result.new.document.metadata.language,
        "summary": result.summary, "outputs": result.outputs,
        "changes": [change_data(i, c) for i, c in enumerate(result.changes)],
        "files": sorted(result.files),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def counts_line(kind: str, counts: dict) -> str | None:
    shown = [f"{counts[a]} {a}" for a in ACTIONS if counts[a]]
    return f"  {kind}: {', '.join(shown)}" if shown else None


def to_text(result) -> str:
    n = len(result.changes)
    lines = [f"{result.old.label} → {result.new.label} ({result.new.document.metadata.language}): "
             f"{n} change{'s' if n != 1 else ''}"]
    lines += [line for kind, counts in result.summary.items() if (line := counts_line(kind, counts))]
    for action in ("changed", "added", "removed"):
        if result.outputs[action]:
            lines.append(f"  outputs {action}: {', '.join(result.outputs[action])}")
    for change in result.changes:
        moved = f" (was {change.old_location})" if change.action == "moved" and change.old_location else ""
        lines.append(f"{change.location}: {change.message}{moved}")
    return "\n".join(lines)
