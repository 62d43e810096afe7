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


def git(top: Path, *args: str) -> str | None:
    """What ``git -C top ARGS`` prints (bytes that are not UTF-8, such as a file name,
    kept as surrogates), or None when it fails, git is not installed or it hangs."""
    try:
        done = subprocess.run(["git", "-C", str(top), *args], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def source_revision(root: Path, inputs) -> str | None:
    """See the module doc."""
    # Fonts installed on the system are inputs too (their digests are in the manifest),
    # but no commit holds them: the revision names the project's own files.
    relative = [path for path in inputs if not Path(path).is_absolute() and ".." not in Path(path).parts]
    if not relative or not _in_work_tree(root.resolve()) or shutil.which("git") is None:
        return None
    found = git(root, "rev-parse", "--show-toplevel")
    if found is None:
        return None
    top = Path(found.strip()).resolve()
    paths = set()
    for path in relative:
        # Through symbolic links (a project's templates/ linked to a shared folder): the
        # files git holds are the ones the links point to, and the links themselves.
        for candidate in ((root / path).resolve(), (root / path).absolute()):
            if candidate.is_relative_to(top):
                paths.add(candidate.relative_to(top).as_posix())
    if not paths:
        return None
    files = sorted(paths)
    status = git(top, "status", "--porcelain", "--ignored", "--untracked-files=all", "--", *files)
    if status is None or status.strip():
        return None  # work not committed (or a path git cannot read): no revision names these sources
    last = git(top, "log", "-1", "--format=%H", "--", *files)
    if last is None:
        return None
    commit = last.strip()
    return commit if len(commit) in (40, 64) and all(c in "0123456789abcdef" for c in commit) else None
