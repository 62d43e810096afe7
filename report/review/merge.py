"""Three-way merge: a review read against its build's sources, carried onto the sources as they are now.

A reviewed file is traced against the text each section had when its build was made
(:func:`built_text` finds that text in the project's git history by the sha256 the
build's manifest recorded, whatever the file was called then; :func:`renamed` says
where a file renamed since stands now, and :func:`moved_to` puts the findings there;
:mod:`.base` reads them). When a section changed since,
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
from report.review.finding import SHOWN
from report.review.sourcefile import SourceFile
from report.sources.revision import git

CONFLICT = "conflict"
COLLIDES = "it collides with an edit made in the sources since the build"
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def built_text(root: Path, path: str, digest: str | None) -> str | None:
    """The text of ``path`` (project-relative) whose sha256 is ``digest`` (as the manifest
    writes it): the version in git's index, then every version git holds of the file on
    any branch, across renames, newest first; None when git or the repository is missing
    or none matches."""
    found = _built(root, path, digest)
    return found[1] if found is not None else None


def renamed(root: Path, path: str, digest: str | None) -> str | None:
    """Where the file the build read as ``path`` (gone now) stands now: the path git's
    rename detection gives it between the commit that holds the version whose sha256 is
    ``digest`` and the working tree (``git mv``, committed or not); None when git holds
    no such version or the file was not renamed (deleted, or rewritten beyond
    recognition)."""
    found = _built(root, path, digest)
    if found is None or found[0] is None:
        return None
    commit, _, then = found
    done = git(root, "diff", "--relative", "--find-renames", "--name-status", "-z", commit, "--")
    fields = done.split("\0") if done is not None else []
    for k, status in enumerate(fields[:-2]):
        if status.startswith("R") and fields[k + 1] == then and (root / fields[k + 2]).is_file():
            return fields[k + 2]
    return None


def _built(root: Path, path: str, digest: str | None) -> tuple[str | None, str, str] | None:
    """(the commit holding it, or None for the index; the text; the file's path there) of
    the version of ``path`` whose sha256 is ``digest``.

    Git names a blob by the SHA-1 of its bytes, not their SHA-256, so the blob cannot be
    looked up by the manifest's digest directly: the candidates are the blobs the file
    ever had, listed by one ``git log --all --follow --raw`` (git's own walk, however
    long the history), and read one at a time through one ``git cat-file --batch``,
    newest first, until one has the digest."""
    if not digest or shutil.which("git") is None:
        return None
    candidates: dict[str, tuple[str | None, str]] = {}
    staged = git(root, "ls-files", "-s", "-z", "--", path)
    for entry in (staged or "").split("\0"):
        if "\t" in entry and entry.split("\t", 1)[1] == path and len(entry.split()) >= 3:
            candidates.setdefault(entry.split()[1], (None, path))
    # --relative: paths as the project names them, when it is a folder of a larger repository
    log = git(root, "-c", "core.quotePath=false", "log", "--all", "--follow", "-m", "--raw", "--no-abbrev",
               "--relative", "--format=%x00%H", "--", path)
    commit = None
    for line in (log or "").splitlines():
        if line.startswith("\0"):
            commit = line[1:]
        elif line.startswith(":") and commit is not None and "\t" in line:
            meta, names = line.split("\t", 1)
            fields = meta.split()
            if len(fields) >= 5:
                where = names.split("\t")[-1]  # a rename's new name: where the new blob is
                candidates.setdefault(fields[3], (commit, where))
    candidates = {blob: found for blob, found in candidates.items() if blob.strip("0")}
    match = _first_with_digest(root, list(candidates), digest)
    if match is None:
        return None
    blob, data = match
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return candidates[blob][0], text, candidates[blob][1]


def _first_with_digest(root: Path, blobs: list[str], digest: str) -> tuple[str, bytes] | None:
    """The first of ``blobs`` whose bytes have the sha256 ``digest``, and its bytes: one
    ``git cat-file --batch`` asked for each in turn (it stops at the first that matches)."""
    if not blobs:
        return None
    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        for blob in blobs:
            process.stdin.write(blob.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3:  # "<id> missing": gone (a shallow clone's history)
                continue
            data = process.stdout.read(int(header[2]))
            process.stdout.read(1)  # the newline after each object
            if header[1] == b"blob" and sha256(data) == digest:
                return blob, data
        return None
    except (OSError, ValueError):
        return None
    finally:
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:  # it ended early: nothing left to flush
                pass
        process.wait()


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


def moved_to(findings: list, texts: dict[str, str], moved: dict[str, str]) -> tuple[list, dict[str, str]]:
    """The findings and the source texts of files renamed since the build (``moved``:
    the path the build read → the path now, :func:`renamed`) under their names now, so
    that the review is printed, patched and applied where the files are."""
    if not moved:
        return findings, texts

    def now(location):
        return dataclasses.replace(location, path=moved[location.path]) if location.path in moved else location

    out = []
    for finding in findings:
        edit = finding.source
        if edit is not None and edit.path in moved:
            edit = dataclasses.replace(edit, path=moved[edit.path])
        out.append(dataclasses.replace(finding, location=now(finding.location), source=edit))
    return out, {moved.get(path, path): text for path, text in texts.items()}
