"""Reading project files as text, with located errors instead of exceptions."""

from __future__ import annotations

from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError


def read_text(root: Path, rel: str, code_missing: str = "SRC001", where: Location | None = None) -> str:
    """The UTF-8 text of ``root/rel``. A missing or unreadable file is reported at
    ``where`` (the place that named it) when given, else at the file itself."""
    path = root / rel
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except OSError:
        inside = False
    if path.exists() and not inside:
        # A symlink (or ../ path) must not pull a file from elsewhere into the report.
        raise ReportError(error("SRC003", f"{rel} points outside the project", where or Location(rel, 1, 1)))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(error(code_missing, f"file not found: {rel}", where or Location(rel, 1, 1))) from None
    except OSError as exc:
        raise ReportError(error("SRC001", f"cannot read {rel}: {exc.strerror}", where or Location(rel, 1, 1))) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReportError(error("SRC002", "not valid UTF-8 text", Location(rel, line, 1))) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
