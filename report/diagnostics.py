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
