"""Cross-references whose targets were renumbered between two builds.

A paragraph inserted before "para. 12" makes it "para. 13": the paragraph itself is
unchanged (numbers are not compared as text, so a renumbering alone is no change), but
every reference to it now shows another number, which matters to whoever cited the
old one (a treaty body's concluding observations, a previous submission). Each such
target is reported once, with how many references show it, at the first of them in
NEW; not each reference, and not as a change of every paragraph that holds one.

Takes both sides' document models; returns :class:`~report.diff.changes.Change`
values of kind "references".
"""

from __future__ import annotations

from report import model as m
from report.diff.changes import Change


# What other documents cite by number: a report's paragraphs and recommendations. A
# renumbered figure, table or section is not reported (its caption and place are).
CITED_BY_NUMBER = ("para", "rec")


def _shown(document: m.Document) -> dict[str, tuple[str, str, list[m.Ref]]]:
    """label → (kind, number shown, the references showing it) over body and notes."""
    found: dict[str, tuple[str, str, list]] = {}
    for node in m.walk_inlines(document):
        if isinstance(node, m.Ref) and node.kind in CITED_BY_NUMBER:
            for label, number in zip(node.targets, node.numbers):
                found.setdefault(label, (node.kind, str(number), []))[2].append(node)
    return found


def renumbered_references(old: m.Document, new: m.Document) -> list[Change]:
    """One change per label that references in both builds show with another number."""
    before, after = _shown(old), _shown(new)
    changes = []
    for label, (kind, number, refs) in after.items():
        if label not in before or before[label][1] == number:
            continue
        was = before[label][1]
        count = len(refs)
        message = (f"references renumbered: {label} is now {number} (was {was}), "
                   f"{count} reference{'s' if count != 1 else ''}")
        changes.append(Change("references", "changed", refs[0].location, message,
                              old_location=before[label][2][0].location, fields=(("number", was, number),)))
    return changes  # in NEW's reading order: its first reference to each
