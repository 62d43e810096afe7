"""Translatable segments of a section: its title, and the Markdown source of every
heading and paragraph, as the translator sees and returns them.

A segment's context (``msgctxt``) is the section id (``<id>:title`` for the
title), so identical text in two sections stays two entries, and the context
survives reordering and edits elsewhere; its message (``msgid``) is the
Markdown source, citations and markers included.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.parse.markdown import make_parser
from report.sources.sections import SectionSource


@dataclass(frozen=True)
class Segment:
    context: str
    text: str
    path: str
    line: int
    comment: str = ""


KEEP = "Keep citations [@key, p. 1], notes ^[...], markers {...} and URLs as they are."


def section_segments(source: SectionSource) -> list[Segment]:
    """The section's title, then each heading and paragraph in order, de-duplicated."""
    found: list[Segment] = []
    if source.title:
        found.append(Segment(f"{source.id}:title", source.title, source.path, source.location.line, "Section title."))
    tokens = make_parser().parse(source.body, {})
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.content.strip():
            continue
        opener = tokens[i - 1].type if i else ""
        kind = "Heading." if opener == "heading_open" else "Paragraph."
        line = source.body_line + (token.map[0] if token.map else 0)
        found.append(Segment(source.id, token.content, source.path, line, f"{kind} {KEEP}"))
    seen, unique = set(), []
    for segment in found:
        if (segment.context, segment.text) not in seen:
            seen.add((segment.context, segment.text))
            unique.append(segment)
    return unique
