"""The git revision a build's sources are, when there is one.

Takes the project folder and the project-relative paths of the build's inputs (the
manifest's); returns the id of the last commit that changed any of them, when every one
of them reads as that commit holds it (tracked, not modified, staged or ignored), else
None: the project is not in a git work tree, git is not installed, or the sources hold
work not committed. The DOCX records it (``ReportRevision``) so that ``report review``
can build that revision again when ``build/`` no longer holds the file's build.

The last commit that *changed the inputs*, not HEAD: a commit of other files (the tool's
code, CI settings) leaves the revision, and so the outputs, byte-identical.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def _in_work_tree(root: Path) -> bool:
    """A ``.git`` (folder, or the file of a linked worktree) in ``root`` or above: looked
    up without starting git, so a project outside git costs nothing."""
    return any((folder / ".git").exists() for folder in (root, *root.parents))


def source_revision(root: Path, inputs) -> str | None:
    """See the module doc."""
    # Fonts installed on the system are inputs too (their digests are in the manifest),
    # but no commit holds them: the revision names the project's own files.
    paths = sorted({path for path in inputs if not Path(path).is_absolute() and ".." not in Path(path).parts})
    if not paths or not _in_work_tree(root.resolve()) or shutil.which("git") is None:
        return None

    def git(*args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(["git", "-C", str(root), *args, "--", *paths], capture_output=True, text=True,
                                  timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None

    status = git("status", "--porcelain", "--ignored", "--untracked-files=all")
    if status is None or status.returncode != 0 or status.stdout.strip():
        return None  # not a work tree after all, or work not committed: no revision names these sources
    last = git("log", "-1", "--format=%H")
    if last is None or last.returncode != 0:
        return None
    commit = last.stdout.strip()
    return commit if len(commit) in (40, 64) and all(c in "0123456789abcdef" for c in commit) else None
