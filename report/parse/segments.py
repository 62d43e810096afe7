"""Translatable segments of a section: its title, and the Markdown source of every
heading and paragraph, as the translator sees and returns them.

A segment's context (``msgctxt``) is the section id (``<id>:title`` for the
title), so identical text in two sections stays two entries, and the context
survives reordering and edits elsewhere; its message (``msgid``) is the
Markdown source, citations and markers included.

A figure (a paragraph that is one image) is offered as its pieces, not as the
paragraph: the caption's Markdown and the ``fig-alt`` text; a fenced div's
``title`` is offered on its own. These are the strings the model builder looks up
(:mod:`report.parse.markdown`), found with the same recognisers
(:mod:`report.parse.constructs`), so that each entry is byte for byte what a
translated build asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.parse.constructs import caption_text, div_attributes, figure_parts
from report.parse.markdown import make_parser
from report.parse.recommendations import list_attributes
from report.sources.sections import SectionSource


@dataclass(frozen=True)
class Segment:
    context: str
    text: str
    path: str
    line: int
    comment: str = ""


KEEP = "Keep citations [@key, p. 1], notes ^[...], markers {...} and URLs as they are."
FIGURE = "Figure caption. " + KEEP
ALT = "Alternative text of a figure: what the image shows, for readers who cannot see it."
BOX = "Box title."
ADDRESSEE = "To whom the recommendations are addressed (recommendations.csv)."
TABLE = "Table caption: keep the ': ' (or 'Table: ') it starts with. " + KEEP


def section_segments(source: SectionSource) -> list[Segment]:
    """The section's title, then each heading, paragraph, figure caption and alternative
    text, and box title in reading order, de-duplicated."""
    found: list[Segment] = []
    if source.title:
        found.append(Segment(f"{source.id}:title", source.title, source.path, source.location.line, "Section title."))
    if source.addressee:
        found.append(Segment(f"{source.id}:addressee", source.addressee, source.path, source.location.line, ADDRESSEE))
    tokens = make_parser().parse(source.body, {})
    lines = source.body.split("\n")

    def add(text: str, token, comment: str) -> None:
        line = source.body_line + (token.map[0] if token.map else 0)
        found.append(Segment(source.id, text, source.path, line, comment))

    for i, token in enumerate(tokens):
        if token.type == "div_open":
            # As the builder reads it: a div whose attributes it takes, with a title.
            attrs = div_attributes(token.meta.get("attrs", ""))
            title = attrs.get("title") if attrs is not None and not attrs.raw_format else None
            if title:
                add(title, token, BOX)
            addressee = attrs.get("addressee") if attrs is not None and not attrs.raw_format else None
            if addressee and addressee.strip() and "recommendations" in attrs.classes:
                add(addressee, token, ADDRESSEE)
            continue
        if token.type in ("bullet_list_open", "ordered_list_open") and set(token.attrs) - {"start"}:
            # {.recommendations addressee="…"} on the line before the list
            at = token.map[0] - 1 if token.map else -1
            attrs = list_attributes(lines[at]) if at >= 0 else None
            addressee = attrs.get("addressee") if attrs is not None else None
            if addressee and addressee.strip():
                found.append(Segment(source.id, addressee, source.path, source.body_line + at, ADDRESSEE))
            continue
        if token.type != "inline" or not token.content.strip():
            continue
        opener = tokens[i - 1] if i else None
        if opener is not None and opener.type == "paragraph_open":
            parts = figure_parts(token)
            if parts is not None:
                if parts.caption.strip():
                    add(parts.caption, opener, FIGURE)
                alt = parts.attrs.get("fig-alt")
                if alt and alt.strip():
                    add(alt, opener, ALT)
                continue
            if caption_text(token.content) is not None and _beside_table(tokens, i):
                add(token.content, opener, TABLE)
                continue
        kind = "Heading." if opener is not None and opener.type == "heading_open" else "Paragraph."
        add(token.content, token, f"{kind} {KEEP}")
    seen, unique = set(), []
    for segment in found:
        if (segment.context, segment.text) not in seen:
            seen.add((segment.context, segment.text))
            unique.append(segment)
    return unique


def _beside_table(tokens, inline: int) -> bool:
    """Whether the paragraph of the inline token at ``inline`` is right before or after
    a pipe table (what makes ``: Caption`` a table's caption)."""
    before = tokens[inline - 2].type if inline >= 2 else ""
    after = tokens[inline + 2].type if inline + 2 < len(tokens) else ""
    return before == "table_close" or after == "table_open"
