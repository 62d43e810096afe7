"""Unique element ids: two headings with the same text, or a heading named like a
section, would otherwise share an id and break the contents' links.

Takes a document; returns it with each later duplicate heading id suffixed
``-2``, ``-3``… (as Pandoc does). Section ids are checked when sections are read.
"""

from __future__ import annotations

import dataclasses

from report import model as m


def unique_heading_ids(document: m.Document) -> m.Document:
    used = {section.id for section in document.sections}

    def fresh(base: str) -> str:
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        return candidate

    def fix(block):
        if isinstance(block, m.Heading):
            return dataclasses.replace(block, id=fresh(block.id))
        if isinstance(block, m.BlockQuote):
            return dataclasses.replace(block, children=tuple(fix(b) for b in block.children))
        if isinstance(block, m.ListBlock):
            return dataclasses.replace(block, items=tuple(tuple(fix(b) for b in item) for item in block.items))
        return block

    sections = tuple(dataclasses.replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in document.sections)
    return dataclasses.replace(document, sections=sections)
