"""The list of abbreviations, put where the author asks for it.

An author asks with an empty fenced div, where the list goes (in the front matter's
section, or an annex)::

    ## Abbreviations

    ::: {.abbreviations}
    :::

Takes the resolved document and the project's :class:`~report.sources.abbreviations.
Abbreviations`; returns the document with each such div holding a definition list (the
abbreviation, then its expansion, in the build's language) of the abbreviations the
report uses, sorted, and the diagnostics: ABB004 for such a div that holds text (the
list is made, not written), ABB005 when there is nothing to list. Every renderer
already draws a definition list, so none needs to know about abbreviations.
"""

from __future__ import annotations

import dataclasses
import re

from report import model as m
from report.diagnostics import Diagnostic, error, warning

CLASS = "abbreviations"


def is_list(block) -> bool:
    """Whether ``block`` is an author's ``::: {.abbreviations}`` div."""
    return isinstance(block, m.Div) and block.kind == "group" and CLASS in block.classes


def used_in(text: str, abbreviation: str) -> re.Match | None:
    """The first use of ``abbreviation`` as a word of ``text`` (not inside a longer word)."""
    return re.search(rf"(?<!\w){re.escape(abbreviation)}(?!\w)", text)


def document_text(document: m.Document) -> list[tuple[str, object]]:
    """(text, location) of every Text node in reading order, notes at their calls, the
    lists of abbreviations left out."""
    out = []

    def blocks(items) -> None:
        for block in items:
            if is_list(block):
                continue
            for inlines in m.own_inlines(block):
                out.extend((node.text, node.location) for node in m.descendants(inlines) if isinstance(node, m.Text))
            for inner in m.child_blocks(block):
                blocks(inner)

    for section in document.sections:
        blocks(section.blocks)
    return out


def fill_abbreviation_lists(document: m.Document, abbreviations, language: str,
                            source_language: str) -> tuple[m.Document, list[Diagnostic]]:
    """``document`` with each abbreviations div filled (see the module doc)."""
    problems: list[Diagnostic] = []
    if not any(is_list(b) for s in document.sections for b in m.walk_blocks(s.blocks)):
        return document, problems
    text = " ".join(chunk for chunk, _ in document_text(document))
    entries = sorted(((abbr, expansion, where) for abbr, expansion, where
                      in abbreviations.in_language(language, source_language) if used_in(text, abbr)),
                     key=lambda e: (e[0].casefold(), e[0]))

    def fill(block):
        if not is_list(block):
            return block
        if block.children:
            problems.append(error("ABB004", "the list of abbreviations is made from references/abbreviations.yaml: "
                                  "leave its div empty", block.location,
                                  "move the text out of the ::: {.abbreviations} div"))
        if not entries:
            problems.append(warning("ABB005", "the list of abbreviations is empty: references/abbreviations.yaml "
                                    "has no abbreviation the report uses", block.location))
            return dataclasses.replace(block, children=())
        items = tuple(((m.Text(abbr, where),), ((m.Paragraph((m.Text(expansion, where),), block.location),),))
                      for abbr, expansion, where in entries)
        return dataclasses.replace(block, children=(m.DefinitionList(items, block.location),))

    sections = tuple(dataclasses.replace(s, blocks=tuple(_deep(b, fill) for b in s.blocks)) for s in document.sections)
    return dataclasses.replace(document, sections=sections), problems


def _deep(block, fill):
    """``block`` with ``fill`` applied to it and to every block inside it."""
    block = fill(block)
    if is_list(block):
        return block
    if isinstance(block, (m.Div, m.BlockQuote)):
        return dataclasses.replace(block, children=tuple(_deep(b, fill) for b in block.children))
    return block
