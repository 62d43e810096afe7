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
            if m.crossref_kind(block.id):
                return block  # a cross-reference label, written by the author: twice is XRF002
            return dataclasses.replace(block, id=fresh(block.id))
        return m.map_blocks(block, lambda blocks: tuple(fix(b) for b in blocks))

    sections = tuple(dataclasses.replace(s, blocks=tuple(fix(b) for b in s.blocks)) for s in document.sections)
    return dataclasses.replace(document, sections=sections)
