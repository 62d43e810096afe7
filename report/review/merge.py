"""Three-way merge: a review read against its build's sources, carried onto the sources as they are now.

A reviewed file is traced against the text each section had when its build was made
(:func:`built_text` finds that text in the project's git history by the sha256 the
build's manifest recorded; :mod:`.base` reads it). When a section changed since,
:func:`merge` takes the findings placed in that old text and each file's text old and
new, and returns the findings placed in the new text: a source edit whose words the
later edits left alone moves with the offsets and applies; one whose words a later
edit changed, or touches (an insertion right where the reviewer changed a word), is a
**conflict**: not applied, reported at its place with what the reviewer wrote and what
the source reads now. Comments and changes not applied keep their place, moved the same
way. Where two texts differ is found line by line, then word by word inside the
changed lines, as a reader would mark it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import shutil
import subprocess
from pathlib import Path

from report.outputs import sha256
from report.review.findings import SHOWN
from report.review.sourcefile import SourceFile

CONFLICT = "conflict"
COLLIDES = "it collides with an edit made in the sources since the build"
COMMITS = 200  # versions of a file searched for the one the build read, newest first
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def built_text(root: Path, path: str, digest: str | None) -> str | None:
    """The text of ``path`` (project-relative) whose sha256 is ``digest`` (as the manifest writes it):
    the version in git's index, then those committed, newest first (at most
    :data:`COMMITS`); None when git or the repository is missing or none matches."""
    if not digest or shutil.which("git") is None:
        return None

    def blob(spec: str) -> bytes | None:
        done = subprocess.run(["git", "cat-file", "blob", spec], cwd=root, capture_output=True)
        return done.stdout if done.returncode == 0 else None

    def matches(data: bytes | None) -> str | None:
        if data is None or sha256(data) != digest:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    found = matches(blob(f":./{path}"))
    if found is not None:
        return found
    log = subprocess.run(["git", "log", f"-n{COMMITS}", "--format=%H", "--", path], cwd=root,
                         capture_output=True, text=True)
    if log.returncode != 0:
        return None
    for commit in log.stdout.split():
        found = matches(blob(f"{commit}:./{path}"))
        if found is not None:
            return found
    return None


def hunks(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Where ``new`` differs from ``old``: (old start, old end, new start, new end) of
    each changed stretch, in order; lines first, then words inside changed lines."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    a_at, b_at = _starts(a), _starts(b)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        o1, n1 = a_at[i1], b_at[j1]
        x, y = _TOKEN.findall("".join(a[i1:i2])), _TOKEN.findall("".join(b[j1:j2]))
        x_at, y_at = _starts(x), _starts(y)
        for t, k1, k2, l1, l2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
            if t != "equal":
                out.append((o1 + x_at[k1], o1 + x_at[k2], n1 + y_at[l1], n1 + y_at[l2]))
    return out


def _starts(pieces: list[str]) -> list[int]:
    """The offset of each piece in their concatenation, and its length last."""
    at, out = 0, [0]
    for piece in pieces:
        at += len(piece)
        out.append(at)
    return out


class Moves:
    """Offsets in a file's old text → offsets in its new text."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        self.hunks = hunks(old, new)

    def shift(self, x: int, inclusive: bool = False) -> int:
        """What the changes before ``x`` add (with ``inclusive``, also an insertion at ``x``)."""
        return sum((n2 - n1) - (a2 - a1) for a1, a2, n1, n2 in self.hunks
                   if a2 <= x and (a1 < x or inclusive and a1 == x))

    def offset(self, x: int) -> int:
        """Where ``x`` is now: moved with the text, or the start of what replaced it."""
        for a1, a2, n1, _ in self.hunks:
            if a1 < x < a2:
                return n1
        return x + self.shift(x)

    def colliding(self, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """The later changes an edit of old[start:end] overlaps or touches."""
        return [h for h in self.hunks if h[0] <= end and h[1] >= start]

    def now_reads(self, start: int, end: int, collided: list) -> str:
        """The new text where old[start:end] and the changes it collides with stand,
        widened to whole words."""
        lo, hi = min([start] + [h[0] for h in collided]), max([end] + [h[1] for h in collided])
        lo, hi = lo + self.shift(lo), hi + self.shift(hi, inclusive=True)
        while lo > 0 and self.new[lo - 1].isalnum():
            lo -= 1
        while hi < len(self.new) and self.new[hi].isalnum():
            hi += 1
        text = self.new[lo:hi].replace("\n", "\\n")
        return text if len(text) <= SHOWN else text[:SHOWN // 2 - 1] + "…" + text[-(SHOWN // 2 - 1):]


def merge(findings: list, old: dict[str, str], new: dict[str, str]) -> list:
    """``findings`` placed in the ``old`` texts → placed in the ``new`` ones (only the
    files in ``new`` changed); see the module doc."""
    moves = {path: Moves(old[path], text) for path, text in new.items() if path in old}
    files = {path: (SourceFile(path, old[path]), SourceFile(path, new[path])) for path in moves}
    out = []
    for finding in findings:
        location, path = finding.location, finding.location.path
        if path in moves:
            before, after = files[path]
            at = before.offset(location)
            location = after.location(moves[path].offset(at)) if at is not None else location
        edit = finding.source
        if edit is None or edit.path not in moves:
            out.append(dataclasses.replace(finding, location=location))
            continue
        move = moves[edit.path]
        collided = move.colliding(edit.start, edit.end)
        if collided:
            out.append(dataclasses.replace(finding, kind=CONFLICT, location=location, source=None, reason=COLLIDES,
                                           now=move.now_reads(edit.start, edit.end, collided)))
            continue
        shift = move.shift(edit.start)
        moved = dataclasses.replace(edit, start=edit.start + shift, end=edit.end + shift)
        out.append(dataclasses.replace(finding, location=location, source=moved))
    return out
