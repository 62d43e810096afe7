"""Source edits checked before they are written: an edited section must still parse.

Takes the section texts and the :class:`~report.review.mapping.SourceEdit` list;
returns ``{id(edit): reason}`` for the edits to leave out. Each edited file is parsed
before and after (front matter and Markdown, as a build reads them); when the edits
bring a new error (an attribute block left alone by a deletion, a marker a deletion
joined to a word…), the edits that bring it on their own are left out with that
error as their reason, and if the rest still do together, all of that file's are.
"""

from __future__ import annotations

from collections import Counter

from report.diagnostics import Severity
from report.errors import ReportError
from report.review.mapping import SourceEdit
from report.review.patch import apply_edits


def _errors(path: str, text: str) -> list:
    from report.parse.markdown import parse_section
    from report.sources.sections import section_from_text

    try:
        _, found = parse_section(section_from_text(path, text))
    except ReportError as exc:
        found = exc.diagnostics
    return [d for d in found if d.severity is Severity.ERROR]


def _new(before: list, after: list) -> list:
    """The diagnostics of ``after`` beyond those of ``before`` (by code)."""
    extra = Counter(d.code for d in after) - Counter(d.code for d in before)
    return [d for d in after if extra.get(d.code)]


def refused_edits(texts: dict[str, str], edits: list[SourceEdit]) -> dict[int, str]:
    """See the module doc."""
    out: dict[int, str] = {}
    changed, _ = apply_edits(texts, edits)
    for path, text in changed.items():
        if path.endswith((".yaml", ".yml")):  # the registry: report.review.registry checked its edit
            continue
        before = _errors(path, texts[path])
        if not _new(before, _errors(path, text)):
            continue
        mine = [e for e in edits if e.path == path]
        for edit in mine:
            alone, _ = apply_edits(texts, [edit])
            broken = _new(before, _errors(path, alone.get(path, texts[path])))
            if broken:
                out[id(edit)] = f"it would break the Markdown ({broken[0].code}: {broken[0].message})"
        rest = [e for e in mine if id(e) not in out]
        together, _ = apply_edits(texts, rest)
        if rest and _new(before, _errors(path, together.get(path, texts[path]))):
            for edit in rest:
                out[id(edit)] = "together with the other changes to this file it would break the Markdown"
    return out
