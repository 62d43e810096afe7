"""No-op rebuilds: are the outputs in ``build/<lang>/<edition>/`` already those of the sources?

Compares the manifest of the last build with the files on disk: same tool version,
every input with the recorded sha256, every requested output present with its
recorded sha256, and (for the DOCX, which names it) the same git revision of the
sources (report.sources.revision). Reads only report.yaml and the manifest (and asks git,
in a git work tree), so it runs before (and instead of) importing the parser, citeproc or
any renderer.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from report import __version__


def _sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def up_to_date(root: Path, language: str, formats: tuple[str, ...], allow_fuzzy: bool = False,
               edition: str = "public") -> bool:
    """True when building ``formats`` of ``edition`` again would write the same files."""
    from report.outputs import edition_folder

    out_dir = edition_folder(root, language, edition)
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("version") != __version__ or not isinstance(manifest.get("inputs"), dict):
        return False
    if manifest.get("source_date_epoch") != os.environ.get("SOURCE_DATE_EPOCH"):
        return False
    if bool(manifest.get("allow_fuzzy")) != allow_fuzzy:
        return False
    outputs = manifest.get("outputs", {})
    # A format the last build did not write (a --format subset kept it) is older than
    # the inputs the manifest records: it is rebuilt.
    built = manifest.get("built") if isinstance(manifest.get("built"), list) else list(outputs)
    if any(f"report.{fmt}" not in outputs or f"report.{fmt}" not in built for fmt in formats):
        return False
    for rel, digest in manifest["inputs"].items():
        if _sha256(root / rel) != digest:
            return False
    if "docx" in formats and _revision_changed(root, manifest):
        return False
    return all(_sha256(out_dir / name) == digest for name, digest in outputs.items())


def _revision_changed(root: Path, manifest: dict) -> bool:
    """The sources were committed (or their commit moved) since the build: its DOCX names
    another revision than they are now (report.sources.revision: git is asked only for a
    project in a git work tree)."""
    from report.sources.revision import source_revision

    return source_revision(root, manifest["inputs"]) != manifest.get("revision")
