"""Suppression comments: ``noqa: CODE`` in a source silences one occurrence.

In Markdown write ``<!-- noqa: TYP003 -->``, in YAML ``# noqa: REG011``. The
comment silences diagnostics with that code on its own line, and, when the
comment stands alone on its line, on the next line too. Several codes may be
listed, separated by commas or spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.diagnostics import Diagnostic

_NOQA = re.compile(r"(?:<!--|#)\s*noqa:\s*([A-Z]{2,4}\d{3}(?:[\s,]+[A-Z]{2,4}\d{3})*)")


@dataclass(frozen=True)
class Suppressions:
    """(path, line) → codes silenced there."""

    by_line: dict

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        codes = self.by_line.get((diagnostic.location.path, diagnostic.location.line), ())
        return diagnostic.code in codes


def scan(files: dict[str, str]) -> Suppressions:
    """Find the noqa comments in ``files`` (project-relative path → text)."""
    by_line: dict = {}
    for path, text in files.items():
        for number, line in enumerate(text.split("\n"), start=1):
            for match in _NOQA.finditer(line):
                codes = tuple(re.split(r"[\s,]+", match.group(1).strip()))
                by_line.setdefault((path, number), ())
                by_line[(path, number)] += codes
                alone = line[: match.start()].strip() == ""
                if alone:
                    by_line.setdefault((path, number + 1), ())
                    by_line[(path, number + 1)] += codes
    return Suppressions(by_line)
