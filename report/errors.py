"""The few exceptions of the package.

Stages report problems as diagnostics; they raise only when they cannot go on.
"""

from __future__ import annotations

from report.diagnostics import Diagnostic


class ReportError(Exception):
    """Raised by a stage whose input is too broken to continue (bad YAML, a missing
    file, a failed render). Carries every diagnostic collected so far; the CLI prints
    them and exits 1."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):
        # Rebuilt from its diagnostics, so it crosses process boundaries intact.
        return (type(self), (self.diagnostics,))
