"""Number the report's recommendations and list them.

Takes a document whose recommendation lists are marked (report.parse.recommendations);
:func:`number_recommendations` returns it with each such list's ``first_recommendation``
set, so that its items are numbered 1, 2, 3… across the report, whatever list or
section they stand in (the numbers depend on the order of the items only, so every
language has the same). :func:`recommendations` lists them for cross-references and
``recommendations.csv``: number, item, addressee and the numbered paragraph the list
follows in its section (UN style: "12. The Committee recommends that the State
party:" then the recommendations), None when paragraphs are not numbered.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from report import model as m


@dataclass(frozen=True)
class Recommendation:
    number: int
    item: tuple  # the list item's blocks
    addressee: str | None
    paragraph: int | None  # the numbered paragraph the list follows in its section
    section: m.Section

    @property
    def label(self) -> str | None:
        """The item's ``{#rec-…}`` label (on its first paragraph), or None."""
        first = self.item[0] if self.item else None
        return first.id if isinstance(first, m.Paragraph) and m.crossref_kind(first.id or "") == "rec" else None

    @property
    def paragraph_block(self) -> m.Paragraph | None:
        """The item's first paragraph (what a reference and the DOCX number go to)."""
        first = self.item[0] if self.item else None
        return first if type(first) is m.Paragraph else None


def number_recommendations(document: m.Document) -> m.Document:
    """The document with each recommendation list's first item numbered, the count
    running on from list to list and section to section."""
    count = 0

    def visit(blocks) -> tuple:
        nonlocal count
        out = []
        for block in blocks:
            if isinstance(block, m.ListBlock) and block.recommendations:
                block = dataclasses.replace(block, first_recommendation=count + 1)
                count += len(block.items)
            out.append(m.map_blocks(block, visit))
        return tuple(out)

    sections = tuple(dataclasses.replace(s, blocks=visit(s.blocks)) for s in document.sections)
    return dataclasses.replace(document, sections=sections)


def recommendations(document: m.Document) -> list[Recommendation]:
    """Every recommendation of a numbered document, in reading order."""
    found: list[Recommendation] = []
    for section in document.sections:
        paragraph = None  # the last numbered paragraph read in this section
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Paragraph) and block.number is not None:
                paragraph = block.number
            elif isinstance(block, m.ListBlock) and block.recommendations and block.first_recommendation:
                for index, item in enumerate(block.items):
                    found.append(Recommendation(block.first_recommendation + index, item, block.addressee,
                                                paragraph, section))
    return found
