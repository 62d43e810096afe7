"""Located diagnostics: what every stage reports instead of raising.

A stage returns ``Diagnostic`` values; only :func:`exit_status` decides what
they mean for the process, so severity policy lives in exactly one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: project-relative POSIX path, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a stable code, a severity, a message, where, and an optional hint."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None

    def format(self) -> str:
        """The one-line form ``path:line:col: error[CODE]: message (hint)``."""
        text = f"{self.location}: {self.severity.label}[{self.code}]: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def error(code: str, message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, location, hint)


def warning(code: str, message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, location, hint)


def closest_hint(word: str, candidates) -> str | None:
    """"did you mean 'x'?" for the candidate closest to ``word``, or None."""
    import difflib

    match = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1)
    return f"did you mean '{match[0]}'?" if match else None


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def exit_status(diagnostics, strict: bool = False) -> int:
    """0 when clean, 1 when any error (or, with ``strict``, any warning)."""
    worst = max((d.severity for d in diagnostics), default=None)
    if worst is Severity.ERROR or (strict and worst is Severity.WARNING):
        return 1
    return 0


def sort_key(diagnostic: Diagnostic):
    return (diagnostic.location, diagnostic.code, diagnostic.message)


# --- policy: select, ignore, suppress ---------------------------------------


def matches(code: str, patterns) -> bool:
    """ruff-style code selection: a pattern is a whole code or a prefix ("CIT", "TYP00")."""
    return any(code.startswith(p) for p in patterns)


def apply_policy(diagnostics, select=(), ignore=(), suppressions=None) -> list[Diagnostic]:
    """Keep diagnostics that are selected (all when ``select`` is empty), not ignored,
    and not suppressed in their source. Errors that stop a build outright (malformed
    files) are never filtered: ``select``/``ignore`` only apply to check rules."""
    kept = []
    for d in diagnostics:
        if select and not matches(d.code, select):
            continue
        if ignore and matches(d.code, ignore):
            continue
        if suppressions is not None and suppressions.suppresses(d):
            continue
        kept.append(d)
    return kept


# --- output formats ---------------------------------------------------------

_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}


def format_text(diagnostic: Diagnostic, colour: bool = False) -> str:
    if not colour:
        return diagnostic.format()
    d = diagnostic
    label = f"{_COLOURS[d.severity]}{d.severity.label}[{d.code}]\x1b[0m"
    text = f"\x1b[1m{d.location}\x1b[0m: {label}: {d.message}"
    return text + (f" \x1b[2m({d.hint})\x1b[0m" if d.hint else "")


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command (``::error file=…,line=…,col=…::message``)."""
    d = diagnostic
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[d.severity]

    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    message = f"{d.message} ({d.hint})" if d.hint else d.message
    return (f"::{level} file={esc(d.location.path, True)},line={d.location.line},col={d.location.col},"
            f"title={esc(d.code, True)}::{esc(message)}")


def to_json(diagnostics) -> list[dict]:
    return [
        {"code": d.code, "severity": d.severity.label, "message": d.message, "hint": d.hint,
         "path": d.location.path, "line": d.location.line, "col": d.location.col}
        for d in diagnostics
    ]
