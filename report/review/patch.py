"""Source edits → new file texts, a unified diff, and writing them all or nothing.

:func:`apply_edits` takes the source texts and the :class:`~report.review.mapping.SourceEdit`
list; returns the new texts and the edits it had to refuse (one overlapping another).
:func:`unified_diff` makes the patch ``git apply`` and ``patch -p1`` accept
(``a/``/``b/`` paths relative to the project, ``\\ No newline at end of file`` where
it applies). :func:`write_sources` and :func:`write_folder` write through temporary
files renamed into place: a failure leaves every file as it was.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError
from report.review.mapping import SourceEdit

CONTEXT = 3


def apply_edits(texts: dict[str, str], edits: list[SourceEdit]) -> tuple[dict[str, str], list[SourceEdit]]:
    """(path → new text for every changed file, edits refused because they overlap an
    earlier one). Two insertions at one place keep their order."""
    by_path: dict[str, list[tuple[int, SourceEdit]]] = {}
    for order, edit in enumerate(edits):
        by_path.setdefault(edit.path, []).append((order, edit))
    out, refused = {}, []
    for path, items in sorted(by_path.items()):
        text, pieces, at = texts[path], [], 0
        for _, edit in sorted(items, key=lambda item: (item[1].start, item[1].end, item[0])):
            if edit.start < at:
                refused.append(edit)
                continue
            pieces.append(text[at:edit.start])
            pieces.append(edit.text)
            at = edit.end
        pieces.append(text[at:])
        new = "".join(pieces)
        if new != text:
            out[path] = new
    return out, refused


def _hunk_lines(lines: list[str], prefix: str) -> list[str]:
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(prefix + line)
        else:
            out.append(prefix + line + "\n\\ No newline at end of file\n")
    return out


def unified_diff(old: dict[str, str], new: dict[str, str]) -> str:
    """A unified diff of every file in ``new`` against ``old``, paths sorted."""
    chunks = []
    for path in sorted(new):
        a, b = old[path].splitlines(keepends=True), new[path].splitlines(keepends=True)
        groups = difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(CONTEXT)
        body = []
        for group in groups:
            i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
            body.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
            for tag, a1, a2, b1, b2 in group:
                if tag == "equal":
                    body += _hunk_lines(a[a1:a2], " ")
                else:
                    body += _hunk_lines(a[a1:a2], "-") + _hunk_lines(b[b1:b2], "+")
        if body:
            chunks.append(f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n" + "".join(body))
    return "".join(chunks)


def _range(start: int, end: int) -> str:
    length = end - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def write_sources(root: Path, new: dict[str, str], expected: dict[str, str]) -> None:
    """Write ``new`` (path → text) into the project, all or nothing. ``expected`` is
    each file's text as read: a file changed since (an editor saved it) is not
    overwritten, and nothing is written (REV011)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for rel in sorted(new):
            target = root / rel
            if target.read_bytes().decode("utf-8", errors="replace") != expected[rel]:
                raise ReportError(error("REV011", f"{rel} changed while the review was read; nothing applied",
                                        Location(rel), "run report review again"))
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".review", dir=target.parent)
            staged.append((Path(temp), target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(new[rel])
            shutil.copymode(target, temp)
        for temp, target in staged:
            os.replace(temp, target)
        staged = []
    except OSError as exc:
        raise ReportError(error("REV011", f"cannot write the sources: {exc.strerror or exc}; nothing applied",
                                Location(str(getattr(exc, 'filename', None) or root)))) from None
    finally:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)


def write_folder(out_dir: Path, files: dict[str, bytes]) -> None:
    """Replace ``out_dir`` by a folder holding ``files``, staged beside it and renamed in."""
    from report.outputs import replace_folder

    try:
        replace_folder(out_dir, files)
    except OSError as exc:
        raise ReportError(error("REV011", f"cannot write the review: {exc.strerror or exc}",
                                Location(str(out_dir)))) from None
