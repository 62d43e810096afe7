"""Writing outputs atomically, and the build manifest.

A build's files are written into a fresh staging folder beside ``build/<lang>/<edition>``;
only when every file is on disk is the folder swapped in by two renames (the old
folder aside, the new one in). A reader sees the previous complete set or the new
complete set, never a mix; a failed or killed build leaves the previous outputs,
and its leftovers are cleaned up (or the previous folder put back) by the next.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from report import __version__
from report.diagnostics import Location, error
from report.errors import ReportError

STAGE = ".report-stage-"
ASIDE = ".report-old-"


LOCK_NAME = ".lock"
EDITIONS = ("public", "confidential")  # report.transforms.editions: what each leaves out


def edition_folder(root: Path, language: str, edition: str = "public") -> Path:
    """``build/<lang>/<edition>/``: where one edition of one language is written. Every
    project has both folders' layout, whether or not anything in it is confidential, so
    scripts and links need not change the day something is marked."""
    return root / "build" / language / edition


def retire_old_layout(language_dir: Path) -> None:
    """Remove the outputs an older version wrote straight into ``build/<lang>/`` (the
    files its manifest lists, then the manifest): left there, they would read as a
    current edition. Anything else in the folder is not this tool's and stays."""
    old = language_dir / "manifest.json"
    try:
        listed = json.loads(old.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError, AttributeError):
        return
    for name in sorted(listed) if isinstance(listed, dict) else ():
        path = language_dir / name
        if "/" not in name and path.is_file():
            path.unlink()
    old.unlink(missing_ok=True)


@contextmanager
def build_lock(root: Path, wait: bool = True):
    """Hold ``build/.lock`` for the length of a build, so two builds of one project never
    interleave: the second waits (or, with ``wait=False``, stops with OUT002)."""
    import fcntl

    folder = root / "build"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK_NAME, "a+")
    except OSError as exc:
        raise ReportError(error("OUT001", f"cannot write outputs: {exc.strerror or exc}", Location("build", 1, 1))) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise ReportError(error("OUT002", "another build of this project is running", Location("build/.lock", 1, 1),
                                    "wait for it, or run without --no-wait to queue behind it")) from None
        from report.children import held_locks

        held_locks.append(handle)
        try:
            yield
        finally:
            held_locks.remove(handle)
    finally:
        # Closing releases the lock, also when the process is killed: forked children
        # close their copies at once (report.children), so none can keep it.
        handle.close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_outputs(out_dir: Path, files: dict[str, bytes], shown_as: str | None = None) -> None:
    """Replace ``out_dir`` by a folder holding ``files`` (name → bytes) plus the files of
    the previous build that this one does not rewrite (a ``--format`` subset build)."""
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        recover(out_dir)
        stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{STAGE}", dir=parent))
        try:
            if out_dir.is_dir():
                for old in sorted(out_dir.iterdir()):
                    if old.is_file() and old.name not in files:
                        shutil.copy2(old, stage / old.name)
            for name, data in sorted(files.items()):
                with open(stage / name, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(stage, 0o755)
            _swap(stage, out_dir)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    except OSError as exc:
        where = Location(shown_as or str(out_dir), 1, 1)
        raise ReportError(error("OUT001", f"cannot write outputs: {exc.strerror or exc}", where)) from None


def _swap(stage: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    aside = out_dir.parent / f".{out_dir.name}{ASIDE}{os.getpid()}"
    os.rename(out_dir, aside)
    try:
        os.rename(stage, out_dir)
    except BaseException:
        os.rename(aside, out_dir)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def replace_folder(out_dir: Path, files: dict[str, bytes]) -> None:
    """Replace ``out_dir`` by a folder holding ``files``, all or nothing: staged beside it,
    then renamed in (the old folder renamed aside first, and removed after). OSError
    when it cannot be written; the caller says so in its own words."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-stage-", dir=out_dir.parent))
    try:
        for name, data in sorted(files.items()):
            (stage / name).write_bytes(data)
        os.chmod(stage, 0o755)
        aside = None
        if out_dir.exists():
            aside = out_dir.parent / f".{out_dir.name}-old-{os.getpid()}"
            os.rename(out_dir, aside)
        os.rename(stage, out_dir)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def recover(out_dir: Path) -> None:
    """Clean up after a build that was killed: put the previous outputs back if it died
    between its two renames, and remove its staging folders."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    asides = sorted(parent.glob(f".{out_dir.name}{ASIDE}*"))
    if asides and not out_dir.exists():
        os.rename(asides[-1], out_dir)
        asides = asides[:-1]
    for leftover in asides + sorted(parent.glob(f".{out_dir.name}{STAGE}*")):
        shutil.rmtree(leftover, ignore_errors=True)


def input_digests(root: Path, inputs: list[str]) -> dict[str, str]:
    """The sha256 of each input file (project-relative, or an absolute font path) as it
    is now; a file that cannot be read is left out (its reader reports it)."""
    found = {}
    for rel in inputs:
        try:
            found[rel] = sha256((root / rel).read_bytes())
        except FileNotFoundError:
            found[rel] = None  # absent on purpose (report.sources.project.input_files): added later, it counts
        except OSError:
            continue
    return found


def manifest(inputs: dict[str, str], outputs: dict[str, bytes], built: list[str], allow_fuzzy: bool = False,
             edition: str = "public", revision: str | None = None) -> bytes:
    """``manifest.json``: tool version, the edition, sha256 of every input (``inputs``,
    from :func:`input_digests`) and of every output in the folder, which outputs this
    build wrote (the others are a previous build's), and the git ``revision`` the
    sources were (report.sources.revision; the DOCX names it)."""
    data = {
        "tool": "report",
        "version": __version__,
        "edition": edition,
        "built": sorted(built),
        # Dates in the outputs come from it, so a rebuild with another value is no no-op.
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "allow_fuzzy": allow_fuzzy,  # a draft build and a reviewed one differ
        "revision": revision,  # sources committed since: the DOCX names the commit, so it is built again
        "inputs": dict(sorted(inputs.items())),
        "outputs": {name: sha256(blob) for name, blob in sorted(outputs.items())},
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
