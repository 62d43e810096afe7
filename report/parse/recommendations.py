"""Recommendations: which lists hold the report's recommendations, and to whom.

A list is marked three ways, the nearest mark giving the addressee:

- an attribute line right before it, ``{.recommendations addressee="the Ministry"}``;
- a fenced div around it, ``::: {.recommendations addressee="Parliament"}`` (Pandoc's
  and Quarto's way: their lists take no attributes);
- its section's front matter, ``recommendations: true`` (``addressee:`` there is also
  the default of every recommendation list in the section).

A div or section marks the lists of its own flow (and of plain divs inside it), not
lists nested in list items, quotes, boxes or callouts. The numbering transform
(report.transforms.crossrefs) numbers the items 1, 2, 3… across the report.
"""

from __future__ import annotations

import dataclasses

from report import model as m
from report.parse.attributes import Attributes, parse_attributes

CLASS = "recommendations"
KEYS = ("addressee",)


def list_attributes(line: str) -> Attributes | None:
    """The attributes of the line before a list when they mark it as recommendations
    (``{.recommendations}``, optionally with ``addressee="…"``); None for anything else,
    which a list cannot take."""
    text = line.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    attrs = parse_attributes(text[1:-1])
    if attrs is None or attrs.raw_format or attrs.id or attrs.classes != (CLASS,):
        return None
    if any(key not in KEYS for key, _ in attrs.pairs):
        return None
    return attrs


def mark_lists(blocks, addressee: str | None) -> tuple[tuple, bool]:
    """``blocks`` with every list of their flow (and of plain group divs in it) marked as
    recommendations, addressed to ``addressee`` unless a list names its own; and
    whether there was any list to mark."""
    found = False

    def visit(items) -> tuple:
        nonlocal found
        out = []
        for block in items:
            if isinstance(block, m.ListBlock):
                found = True
                block = dataclasses.replace(block, recommendations=True, addressee=block.addressee or addressee)
            elif isinstance(block, m.Div) and block.kind == "group":
                block = dataclasses.replace(block, children=visit(block.children))
            out.append(block)
        return tuple(out)

    return visit(blocks), found


def default_addressee(blocks, addressee: str | None) -> tuple:
    """``blocks`` with ``addressee`` (the section's) given to every recommendation list
    that has none of its own."""
    if not addressee:
        return tuple(blocks)

    def fix(block):
        if isinstance(block, m.ListBlock) and block.recommendations and not block.addressee:
            block = dataclasses.replace(block, addressee=addressee)
        return m.map_blocks(block, lambda children: tuple(fix(b) for b in children))

    return tuple(fix(b) for b in blocks)
