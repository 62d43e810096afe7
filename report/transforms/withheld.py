"""What the public edition withholds: how a part is marked, the ids and citations a
withheld part takes with it, the text left around it, and the references left pointing
at it.

Helpers of :mod:`report.transforms.editions` (and of the leak check's
:mod:`report.transforms.protected`), on the parsed model.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from report import model as m
from report.diagnostics import Diagnostic, Location, error

CONFIDENTIAL = "confidential"
_BLOCKS = m.Block.__args__


def is_marked(node) -> bool:
    """Whether a node (a span, div, paragraph, figure or section) is marked confidential."""
    return getattr(node, "confidential", False) is True or CONFIDENTIAL in getattr(node, "classes", ())


def ids_in(node):
    """(id, location) of ``node`` (a section, a block or an inline) and of everything in it."""
    if isinstance(node, m.Section):
        yield node.id, node.location
        blocks = node.blocks
    elif isinstance(node, _BLOCKS):
        blocks = (node,)
    else:
        blocks = ()
        for inner in m.descendants((node,)):
            if getattr(inner, "id", None):
                yield inner.id, inner.location
    for block in m.walk_blocks(blocks):
        if getattr(block, "id", None):
            yield block.id, block.location
    for block in blocks:
        for sequence in m.block_inlines(block):
            for inner in m.descendants(sequence):
                if getattr(inner, "id", None):
                    yield inner.id, inner.location


def cite_items_in(node):
    """Every CiteItem in ``node`` (a section, a block or an inline)."""
    if isinstance(node, m.Section):
        sequences = [s for block in node.blocks for s in m.block_inlines(block)]
    elif isinstance(node, _BLOCKS):
        sequences = list(m.block_inlines(node))
    else:
        sequences = [(node,)]
    for sequence in sequences:
        for inner in m.descendants(sequence):
            if isinstance(inner, m.Citation):
                yield from inner.items


def tidy(out: list, following):
    """``following``, the node after one left out, and the text before it (in ``out``)
    with no doubled space, no space before punctuation and no doubled comma."""
    text = following.text if type(following) is m.Text else ""
    opening = text[:1] in ("", "(", "[", "«", "“", "‘", "¿", "¡")
    if not (text[:1].isspace() or (not opening and unicodedata.category(text[0])[0] == "P")):
        return following
    while len(out) > 1 and type(out[-1]) is m.Text and not out[-1].text.strip():
        out.pop()  # a line break's space before the node left out
    if out and type(out[-1]) is m.Text:
        before = out[-1].text.rstrip()
        out[-1] = m.Text(before, out[-1].location)
        if before[-1:] in ",;:" and text.lstrip()[:1] == before[-1:]:  # "his lawyer, [name]{.confidential}, was"
            return m.Text(text.lstrip()[1:], following.location)
    return following


def unlink(document: m.Document, removed: dict[str, Location],
           renamed: dict[str, str] | None = None) -> tuple[m.Document, list[Diagnostic]]:
    """EDN003 (error) at each cross-reference (``@fig-x``, ``@sec-x``, ``@para-x``) or
    ``#id`` link to an id in ``removed``, whose target the public edition leaves out: its
    text would point to nothing. The reference goes (a link keeps its words), so that the
    other transforms see only what remains. A link to an id in ``renamed`` (a heading's,
    made from words left out) follows it to its new id."""
    renamed = renamed or {}
    problems: list[Diagnostic] = []

    def unlinked(label: str, where: Location) -> None:
        problems.append(error("EDN003", f"'{label}' is confidential: the public edition leaves it out, and this "
                                        "reference would point to nothing", where,
                              f"mark the reference confidential too, or reword it; the target is at {removed[label]}"))

    def fix(nodes) -> tuple:
        out = []
        for node in nodes:
            if isinstance(node, m.CrossRef):
                gone = [label for label in node.labels if label in removed]
                for label in gone:
                    unlinked(label, node.location)
                kept = tuple(label for label in node.labels if label not in removed)
                if kept:
                    out.append(dataclasses.replace(node, labels=kept) if gone else node)
                continue
            if isinstance(node, m.Link) and node.href.startswith("#") and node.href[1:] in removed:
                unlinked(node.href[1:], node.location)
                out.extend(fix(node.children))
                continue
            if isinstance(node, m.Link) and node.href[1:] in renamed and node.href.startswith("#"):
                node = dataclasses.replace(node, href="#" + renamed[node.href[1:]])
            if getattr(node, "children", None) is not None:
                node = dataclasses.replace(node, children=fix(node.children))
            out.append(node)
        return tuple(out)

    sections = tuple(dataclasses.replace(s, blocks=tuple(m.map_inlines(b, fix) for b in s.blocks))
                     for s in document.sections)
    return dataclasses.replace(document, sections=sections), problems
