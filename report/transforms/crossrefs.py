"""Number figures, tables, boxes and (when asked) headings, and resolve cross-references.

Takes the parsed document (with :class:`~report.model.CrossRef` nodes) and the
tool's catalog for the document's language; returns a new document where every
captioned figure and table and every box has its number, headings have theirs
when sections are numbered, and every CrossRef is a :class:`~report.model.Ref`
("Figure 2", "Tables 1 and 3", "section 3.2"), plus the diagnostics:

- XRF001 (error) a reference to a label nothing defines, with the closest label;
- XRF002 (error) a label defined twice;
- XRF004 (error) a label whose prefix names another kind ("fig-" on a table), or
  a reference to an element that has no number (a figure without a caption);
- XRF005 (info) a label nothing refers to.

With ``paragraphs: numbered`` the body's paragraphs are numbered too (UN style), and
``@para-…`` refers to one: "para. 12", "paras. 12 and 14", "paras. 12–14". The items
of recommendation lists are numbered across the report (``@rec-…``: "recommendation 4",
report.transforms.recommendations), and annexes (front matter ``annex: true``) I, II…
(``@sec-…`` to one: "annex II"), their figures and tables within them ("Figure II.1")
when report.yaml says ``annex: {number-within: true}``.

Numbers are the same in every language: they depend on the order of the elements only.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from report import model as m
from report.diagnostics import Diagnostic, Location, Severity, closest_hint, error
from report.transforms.subparagraphs import SUBPARAGRAPH_LEVELS, roman, subparagraph_chains, subparagraph_number
from report.transforms.recommendations import number_recommendations, recommendations

# kind → (singular, plural) catalog messages
WORDS = {"fig": ("Figure", "Figures"), "tbl": ("Table", "Tables"), "box": ("Box", "Boxes"),
         "sec": ("section", "sections"), "para": ("para.", "paras."),
         "rec": ("recommendation", "recommendations"), "annex": ("annex", "annexes")}
NO_NUMBER_HINTS = {
    "para": "only body paragraphs are numbered, with 'paragraphs: numbered' in report.yaml (not those of a "
            "section with 'numbered: false', nor quotes, lists, boxes or notes)",
}


@dataclass(frozen=True)
class Target:
    kind: str
    number: str  # "" when the element has no number
    title: str   # a heading's text: what an unnumbered section is referred to by
    location: Location
    refused: bool = False  # an element that cannot carry its label, reported where it is defined
    annex: bool = False  # a section that is an annex: referred to as "annex II"


def number_elements(document: m.Document, number_sections: bool = False, annex_within: bool = False) -> m.Document:
    """The document with figures, tables, boxes and (``number_sections``) headings numbered,
    annexes I, II… (their own headings left unnumbered), and with ``annex_within`` an
    annex's figures and tables numbered within it ("II.1")."""
    counters = {"fig": 0, "tbl": 0, "box": 0}
    body = counters
    within = ""  # the annex whose figures and tables are counted apart
    heading_counts: list[int] = []

    def heading_number(level: int) -> str:
        del heading_counts[level:]
        heading_counts.extend([0] * (level - len(heading_counts)))
        heading_counts[level - 1] += 1
        return ".".join(str(n) for n in heading_counts)

    def visit(blocks) -> tuple:
        out = []
        for block in blocks:
            if isinstance(block, m.Figure) and block.caption:
                counters["fig"] += 1
                block = dataclasses.replace(block, number=counters["fig"], within=within)
            elif isinstance(block, m.Table) and block.caption:
                counters["tbl"] += 1
                block = dataclasses.replace(block, number=counters["tbl"], within=within)
            elif isinstance(block, m.Div) and block.kind == "box":
                counters["box"] += 1
                block = dataclasses.replace(block, number=counters["box"])
            elif isinstance(block, m.Heading) and number_sections and block.numbered and not annex:
                block = dataclasses.replace(block, number=heading_number(block.level))
            out.append(m.map_blocks(block, visit))
        return tuple(out)

    sections, annexes = [], 0
    for section in document.sections:
        annex = section.annex
        if annex:
            annexes += 1
            number = roman(annexes).upper()
            within = number if annex_within else ""
            counters = {"fig": 0, "tbl": 0, "box": body["box"]} if annex_within else body
        else:
            number = heading_number(1) if number_sections and section.title is not None else None
            within, counters = "", body
        sections.append(dataclasses.replace(section, blocks=visit(section.blocks), number=number))
        body["box"] = counters["box"]  # boxes run on through the annexes
    return number_recommendations(dataclasses.replace(document, sections=tuple(sections)))


def number_paragraphs(document: m.Document) -> m.Document:
    """The document with its body paragraphs numbered 1, 2, 3… across sections (UN style).

    A paragraph is numbered when it stands in a section's own flow (or in a plain group
    div there) of a section whose front matter does not say ``numbered: false``; headings,
    quotes, tables, figures, boxes, callouts and list items are no paragraphs. A list right
    after a numbered paragraph is its subparagraphs ((a), (b)…), and a list inside one of
    those the next level ((i), (ii)…). The numbers depend on the order of the paragraphs
    only, so every language has the same ones."""
    count = 0

    def sublevel(block, level: int):
        if not isinstance(block, m.ListBlock) or level > SUBPARAGRAPH_LEVELS:
            return block
        items = tuple(tuple(sublevel(child, level + 1) for child in item) for item in block.items)
        return dataclasses.replace(block, subparagraph=level, items=items)

    def visit(blocks) -> tuple:
        nonlocal count
        out = []
        for block in blocks:
            if isinstance(block, m.Paragraph):
                count += 1
                block = dataclasses.replace(block, number=count)
            elif (isinstance(block, m.ListBlock) and not block.recommendations and out
                  and isinstance(out[-1], m.Paragraph) and out[-1].number):
                block = sublevel(block, 1)
            elif isinstance(block, m.Div) and block.kind == "group":
                block = dataclasses.replace(block, children=visit(block.children))
            out.append(block)
        return tuple(out)

    sections = tuple(dataclasses.replace(s, blocks=visit(s.blocks)) if s.paragraphs_numbered else s
                     for s in document.sections)
    return dataclasses.replace(document, sections=sections)


def _consecutive(numbers) -> bool:
    """Whether three or more numbers run on one by one (12, 13, 14): written "12–14"."""
    if len(numbers) < 3 or not all(n.isdigit() for n in numbers):
        return False
    values = [int(n) for n in numbers]
    return all(b == a + 1 for a, b in zip(values, values[1:]))


def targets(document: m.Document) -> tuple[dict[str, Target], list[Diagnostic]]:
    """Every label an element of a numbered document defines, and the problems with them."""
    found: dict[str, Target] = {}
    problems: list[Diagnostic] = []
    language = document.metadata.language
    subparagraphs = {key: subparagraph_number(chain, language)
                     for key, chain in subparagraph_chains(document).items()}

    def add(label: str | None, kind: str, number, title: str, where: Location) -> None:
        if not label:
            return
        prefix = m.crossref_kind(label)
        if prefix is None:
            return  # an ordinary id: links may use it, cross-references may not
        if prefix != kind:
            problems.append(error("XRF004", f"label '{label}' starts with '{prefix}-' but names a {m.CROSSREF_KINDS[kind]}", where,
                                  f"write {kind}-{label.partition('-')[2]}"))
            return
        if label in found:
            problems.append(error("XRF002", f"label '{label}' is defined twice", where,
                                  f"first defined at {found[label].location}"))
            return
        found[label] = Target(kind, "" if number is None else str(number), title, where)

    items = {}  # id(first paragraph of a recommendation) → its number
    for rec in recommendations(document):
        if rec.paragraph_block is not None:
            items[id(rec.paragraph_block)] = rec.number
    for section in document.sections:
        add(section.id, "sec", section.number, section.title or section.id, section.location)
        if section.annex and section.id in found and found[section.id].location == section.location:
            found[section.id] = dataclasses.replace(found[section.id], annex=True)
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Figure):
                add(block.id, "fig", m.shown_number(block) if block.number else None, "", block.location)
            elif isinstance(block, m.Table):
                add(block.id, "tbl", m.shown_number(block) if block.number else None, "", block.location)
            elif isinstance(block, m.Div) and block.kind == "box":
                add(block.id, "box", block.number, "", block.location)
            elif isinstance(block, m.Div) and block.id and m.crossref_kind(block.id):
                found.setdefault(block.id, Target(m.crossref_kind(block.id), "", "", block.location, refused=True))
                problems.append(error("XRF004", f"a div labelled '{block.id}' is not a figure, table or box", block.location,
                                      "a figure is ![Caption](file){#fig-x}, a table a pipe table with ': Caption {#tbl-x}', "
                                      "a box ::: {#box-x .box}"))
            elif isinstance(block, m.Heading):
                add(block.id, "sec", block.number, m.plain_text(block.children), block.location)
            elif isinstance(block, m.Paragraph) and block.id and m.crossref_kind(block.id) == "para":
                # (a paragraph's other ids stay link targets, as before paragraphs had numbers)
                add(block.id, "para", block.number or subparagraphs.get(id(block)), "", block.location)
            elif isinstance(block, m.Paragraph) and block.id and m.crossref_kind(block.id) == "rec":
                if id(block) in items:
                    add(block.id, "rec", items[id(block)], "", block.location)
                else:
                    found.setdefault(block.id, Target("rec", "", "", block.location, refused=True))
                    problems.append(error("XRF004", f"label '{block.id}' is on a paragraph that is no recommendation",
                                          block.location, "a rec- label goes at the end of an item of a list marked "
                                                          "{.recommendations}, or of a list in a div or section so marked"))
    return found, problems


def document_ids(document: m.Document) -> set[str]:
    """Every identifier a link ``[text](#id)`` may point at: sections, headings,
    figures, tables, divs, paragraphs and spans with an id."""
    ids = set()
    for section in document.sections:
        ids.add(section.id)
        for block in m.walk_blocks(section.blocks):
            if getattr(block, "id", None):
                ids.add(block.id)
    ids.update(node.id for node in m.walk_inlines(document) if isinstance(node, m.Span) and node.id)
    return ids


_BRACKETED = re.compile(r"\[([^\[\]\n]+)\]")


def heading_texts(document: m.Document) -> dict[str, str]:
    """A heading's (or a section title's) text, case-folded → its id: Pandoc's implicit
    header references, ``[Findings and law]`` linking to the heading of that text."""
    out: dict[str, str] = {}
    for section in document.sections:
        if section.title and section.id:
            out.setdefault(" ".join(section.title.split()).casefold(), section.id)
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Heading) and block.id:
                out.setdefault(" ".join(m.plain_text(block.children).split()).casefold(), block.id)
    return out


def implicit_heading_links(node: m.Text, headings: dict[str, str]) -> list:
    """``node`` with each ``[heading text]`` in it made a link to that heading."""
    out, at = [], 0
    for match in _BRACKETED.finditer(node.text):
        target = headings.get(" ".join(match.group(1).split()).casefold())
        if target is None:
            continue
        if match.start() > at:
            out.append(m.Text(node.text[at:match.start()], node.location))
        out.append(m.Link("#" + target, (m.Text(match.group(1), node.location),), node.location))
        at = match.end()
    if not out:
        return [node]
    if at < len(node.text):
        out.append(m.Text(node.text[at:], node.location))
    return out


def resolve_crossrefs(document: m.Document, _, number_sections: bool = False,
                      number_paras: bool = False, annex_within: bool = False) -> tuple[m.Document, list[Diagnostic]]:
    """Number the document's elements (its paragraphs too with ``number_paras``, an
    annex's figures and tables within it with ``annex_within``) and turn every CrossRef
    into a Ref. ``_`` is the tool's catalog for the document's language (the words
    "Figure", "Tables", "paras."…)."""
    document = number_elements(document, number_sections, annex_within)
    if number_paras:
        document = number_paragraphs(document)
    found, problems = targets(document)
    referenced: set[str] = set()
    labels = sorted(found)

    def resolve(node: m.CrossRef):
        kinds = {m.crossref_kind(label) for label in node.labels}
        numbers, ok = [], True
        for label in node.labels:
            target = found.get(label)
            if target is None:
                problems.append(error("XRF001", f"unknown cross-reference target '{label}'", node.location,
                                      closest_hint(label, labels)))
                ok = False
                continue
            referenced.add(label)
            if target.refused:
                ok = False  # reported at the element
                continue
            if not target.number and target.kind != "sec":
                problems.append(error("XRF004", f"'{label}' has no number to refer to", node.location,
                                      NO_NUMBER_HINTS.get(target.kind, "give the figure or table a caption: "
                                                                       "only captioned ones are numbered")))
                ok = False
            numbers.append(target.number or target.title)
        annexes = {found[label].annex for label in node.labels if label in found}
        if len(kinds) > 1 or len(annexes) > 1:
            problems.append(error("XRF003", "a group refers to elements of different kinds", node.location,
                                  "write one group per kind: [@fig-a; @fig-b] and [@tbl-c]" if len(kinds) > 1 else
                                  "write one group for the annexes and one for the sections"))
            ok = False
        if not ok:
            return m.Text("", node.location)
        kind = "annex" if annexes == {True} else kinds.pop()
        numbered = all(found[label].number for label in node.labels)
        if node.bare or not numbered:
            words = ""
        elif node.prefix is not None:
            words = node.prefix
        else:
            singular, plural = WORDS[kind]
            words = _(singular if len(numbers) == 1 else plural)
            if node.capital:
                words = words[:1].upper() + words[1:]
        span = kind in ("para", "rec") and _consecutive(numbers)  # "paras. 12–14"
        return m.Ref(kind, words, node.labels, tuple(numbers), node.location, _("and"), span)

    ids = document_ids(document)
    headings = heading_texts(document)

    def fix(inlines) -> tuple:
        out = []
        for node in inlines:
            if isinstance(node, m.Text) and "[" in node.text and headings:
                out.extend(implicit_heading_links(node, headings))
            elif isinstance(node, m.CrossRef):
                out.append(resolve(node))
            elif isinstance(node, m.Link) and node.href.startswith("#") and node.href[1:] not in ids:
                problems.append(error("XRF001", f"a link to '{node.href}', an identifier nothing in the report has",
                                      node.location, closest_hint(node.href[1:], sorted(ids))))
                out.append(dataclasses.replace(node, children=fix(node.children)))
            elif getattr(node, "children", None) is not None and not isinstance(node, m.Ref):
                out.append(dataclasses.replace(node, children=fix(node.children)))
            else:
                out.append(node)
        return tuple(out)

    sections = tuple(dataclasses.replace(s, blocks=tuple(m.map_inlines(b, fix) for b in s.blocks))
                     for s in document.sections)
    for label, target in sorted(found.items(), key=lambda item: item[1].location):
        # (a recommendation's label is also its key in recommendations.csv: it may stand alone)
        if label not in referenced and target.kind not in ("sec", "rec") and not target.refused:
            problems.append(Diagnostic("XRF005", Severity.INFO, f"'{label}' is never referred to", target.location,
                                       f"refer to it with @{label}, or leave the label out"))
    return dataclasses.replace(document, sections=sections), problems
