"""Writing outputs atomically, and the build manifest.

Every output is first written to a temporary file beside its target; only
when all outputs of a build exist are they renamed into place, so a failed
build leaves the previous outputs untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from report import __version__
from report.diagnostics import Location, error
from report.errors import ReportError

TEMP_PREFIX = ".report-tmp-"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_outputs(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (name → bytes) into ``out_dir``: all to temporary files, then renamed."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        staged = []
        try:
            for name, data in sorted(files.items()):
                fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=out_dir)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, 0o644)
                staged.append((tmp, out_dir / name))
        except BaseException:
            for tmp, _ in staged:
                Path(tmp).unlink(missing_ok=True)
            raise
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        where = Location(str(out_dir), 1, 1)
        raise ReportError(error("OUT001", f"cannot write outputs: {exc.strerror or exc}", where)) from None


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of an interrupted earlier build."""
    for leftover in out_dir.glob(TEMP_PREFIX + "*"):
        leftover.unlink(missing_ok=True)


def manifest(root: Path, inputs: list[str], outputs: dict[str, bytes]) -> bytes:
    """``manifest.json``: tool version, sha256 of every input and output, sorted."""
    data = {
        "tool": "report",
        "version": __version__,
        "inputs": {rel: sha256((root / rel).read_bytes()) for rel in sorted(inputs)},
        "outputs": {name: sha256(blob) for name, blob in sorted(outputs.items())},
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
