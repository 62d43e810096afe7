"""What ``report review`` prints and writes: one line per finding, a summary, review.json.

Takes :class:`~report.review.finding.Finding` values; returns text lines, or the
bytes of review.json (stable: keys sorted, findings in reading order).

    sections/03-x.md:7:112: change[Reviewer A]: "were killed" → "were shot"
    sections/02-y.md:5:40: comment[Reviewer A, 2026-12-01]: Source for this date? (resolved)
    sections/02-y.md:5:40: comment[Reviewer B, 2026-12-02, reply to Reviewer A]: HRW, p. 4.
    sections/04-z.md:9:1: untracked: "in 1994" → "in 1995"
    sections/04-z.md:9:310: change[Reviewer B]: "Ibid., p. 288" → "Ibid., p. 289" (not applied: …)
    sections/03-x.md:7:12: conflict[Reviewer A]: "killed" → "shot"; the source now reads "reported killed" (not applied)
"""

from __future__ import annotations

import json

from report.review.edits import UNTRACKED

CONFLICT = "conflict"  # report.review.merge's kind


def _who(finding) -> str:
    names = [a for a in finding.authors if a != UNTRACKED]
    if UNTRACKED in finding.authors:
        names.append("and untracked")
    return ", ".join(names)


def finding_line(finding) -> str:
    """One finding as ``path:line:col: kind[who]: …``."""
    where = str(finding.location)
    if finding.kind == "comment":
        text = " ¶ ".join(line.strip() for line in finding.text.splitlines() if line.strip())
        date = finding.date[:10]
        reply = f", reply to {finding.reply_to_author}" if finding.reply_to else ""
        line = f"{where}: comment[{_who(finding)}{', ' + date if date else ''}{reply}]: {text}"
        if finding.resolved:
            line += " (resolved)"
        return line + (f" (not kept in the source: {finding.reason})" if finding.reason else "")
    label = UNTRACKED if finding.kind == UNTRACKED else f"{finding.kind}[{_who(finding)}]"
    what = f'"{finding.old}" → "{finding.new}"' if finding.old or finding.new else "(no text)"
    line = f"{where}: {label}: {what}"
    if finding.part != "body":
        line += f" in {finding.part}"
    if finding.kind == CONFLICT:  # both versions: the reviewer's, and the source's since the build
        return line + f'; the source now reads "{finding.now}" (not applied)'
    if finding.source is None:
        line += f" (not applied: {finding.reason})"
    elif getattr(finding, "effect", ""):  # a registry edit: the other notes citing the work; or what is not kept
        line += f" ({finding.effect})"
    return line


def annotation(finding) -> str:
    """One finding as a GitHub Actions workflow command, at its place in the sources: a
    conflict an error, a change not applied a warning, a change placed or a comment a notice."""
    from report.diagnostics import Diagnostic, Severity, format_github

    if finding.kind == CONFLICT:
        severity = Severity.ERROR
    elif finding.kind != "comment" and finding.source is None:
        severity = Severity.WARNING
    else:
        severity = Severity.INFO
    line = finding_line(finding)
    message = line[len(str(finding.location)) + 2:]  # the line without its place, which the annotation carries
    return format_github(Diagnostic(f"review {finding.kind}", severity, message, finding.location))


def summary(findings, written: tuple[str, ...], out_shown: str, applied: tuple[str, ...],
            merged: tuple[str, ...] = ()) -> list[str]:
    changes = [f for f in findings if f.kind != "comment"]
    placed = sum(1 for f in changes if f.source is not None)
    comments = len(findings) - len(changes)
    lines = [f"{len(changes)} change(s): {placed} placed in the sources, {len(changes) - placed} not applied; "
             f"{comments} comment(s)"]
    if merged:
        conflicts = sum(1 for f in changes if f.kind == CONFLICT)
        lines.append(f"merged three ways into {', '.join(merged)} (changed since the build): {conflicts} conflict(s)"
                     + (" with edits made since, not applied" if conflicts else ""))
    kept = sum(1 for f in findings if f.kind == "comment" and f.source is not None)
    if kept:
        lines.append(f"{kept} comment(s) kept in the sources as <!-- review … --> comments")
    lines.append(f"wrote {', '.join(written)} in {out_shown}/")
    if applied:
        lines.append(f"applied {placed} change(s) and {kept} comment(s) to {', '.join(applied)}" if kept
                     else f"applied {placed} change(s) to {', '.join(applied)}")
    elif placed or kept:
        lines.append(f"apply them with --apply, or: git apply {out_shown}/changes.patch")
    return lines


def _finding_data(finding) -> dict:
    loc = finding.location
    data = {"kind": finding.kind, "path": loc.path, "line": loc.line, "col": loc.col,
            "authors": list(finding.authors), "date": finding.date, "part": finding.part}
    if finding.kind == "comment":
        data["text"] = finding.text
        data["id"] = finding.id  # the reviewed file's w:id: what a reply's reply_to names
        data["reply_to"] = finding.reply_to or None
        data["reply_to_author"] = finding.reply_to_author or None
        data["resolved"] = finding.resolved
        if finding.source is not None:  # --comments-in-source
            data["source"] = {"path": finding.source.path, "start": finding.source.start,
                              "end": finding.source.end, "text": finding.source.text}
        elif finding.reason:
            data["reason"] = finding.reason
        return data
    data.update({"old": finding.old, "new": finding.new, "applied": finding.source is not None,
                 "reason": finding.reason})
    if finding.kind == CONFLICT:
        data["now"] = finding.now
    if getattr(finding, "effect", ""):
        data["effect"] = finding.effect
    if finding.source is not None:
        s = finding.source
        data["source"] = {"path": s.path, "start": s.start, "end": s.end, "text": s.text}
    return data


def review_json(reviewed: str, build: str, identity: str, findings, files: list[str]) -> bytes:
    changes = [_finding_data(f) for f in findings if f.kind != "comment"]
    comments = [_finding_data(f) for f in findings if f.kind == "comment"]
    data = {
        "reviewed": reviewed, "build": build, "identity": identity, "files": files,
        "summary": {"changes": len(changes), "placed": sum(1 for c in changes if c["applied"]),
                    "not_applied": sum(1 for c in changes if not c["applied"]), "comments": len(comments),
                    "conflicts": sum(1 for c in changes if c["kind"] == CONFLICT)},
        "changes": changes, "comments": comments,
    }
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
