"""The user's cache folder (``$XDG_CACHE_HOME/report``): what one build worked out
from installed libraries and keeps so the next starts sooner (WeasyPrint's compiled
C declarations, hyphenation patterns, CLDR month names).

Every file is keyed by what it was made from and written whole or not at all; a
missing or unwritable folder only means the work is done again. The folder is the
user's own and trusted like the installed libraries, never the project's files.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "report"


def keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; no cache folder is no error."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):  # a cache "folder" that is a file: nothing to clean
            partial.unlink(missing_ok=True)
