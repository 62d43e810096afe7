"""Resolve citations and number the notes.

Takes a source :class:`Document` (with Citation and Note nodes) and the CSL
engine; returns a new Document where every citation group in running text and
every free-text note is a numbered :class:`Footnote` holding the style's text,
plus the diagnostics found (unknown keys, with the closest key as a hint).
"""

from __future__ import annotations

import dataclasses

from report import model as m
from report.diagnostics import Diagnostic, closest_hint, error
from report.transforms.positions import CiteRef, compute_positions


def _note_sites(document: m.Document):
    """(section index, note) for every note in reading order: a top-level Citation or a Note."""
    def visit(inlines):
        for node in inlines:
            if isinstance(node, (m.Citation, m.Note)):
                yield node
            elif isinstance(node, (m.Footnote,)):
                continue
            elif hasattr(node, "children"):
                yield from visit(node.children)

    for index, section in enumerate(document.sections):
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                for site in visit(inlines):
                    yield index, site


# A span of this class stands for a source the edition does not name (the public note of
# a confidential one, report.transforms.editions): no Ibid. may refer across it.
STANDS_FOR_A_SOURCE = "public-note"
_UNNAMED = "\x00unnamed source"


def _citations_of(site, unnamed: bool = False) -> list:
    """The citations of a note site in order; with ``unnamed``, the spans that stand for a
    source (STANDS_FOR_A_SOURCE) among them."""
    if isinstance(site, m.Citation):
        return [site]
    found = []

    def visit(inlines):
        for node in inlines:
            if isinstance(node, m.Citation) or (unnamed and isinstance(node, m.Span)
                                                and STANDS_FOR_A_SOURCE in node.classes):
                found.append(node)
            elif isinstance(node, m.Note):
                continue  # a note inside a note is reported by the parser
            elif hasattr(node, "children"):
                visit(node.children)

    visit(site.children)
    return found


def resolve_notes(document: m.Document, engine, registry, rules=None) -> tuple[m.Document, list[Diagnostic]]:
    """``rules`` is the config's NoteRules (house rules for Ibid.); None means CSL's defaults.
    ``engine`` renders the cites: :class:`~report.transforms.citeproc_js.CiteprocJsEngine`
    (all at once), or citeproc-py's :class:`~report.transforms.csl.CslEngine` (one by one)."""
    problems: list[Diagnostic] = []
    located_sites = list(_note_sites(document))
    sites = [site for _, site in located_sites]
    refs: list[CiteRef] = []
    known: list[m.CiteItem] = []  # the items of ``refs``, in the same order
    sizes: dict[int, int] = {}
    known_keys = [ref.id for ref in registry.entries]
    citation_index = 0
    for number, (section_index, site) in enumerate(located_sites, start=1):
        for citation in _citations_of(site, unnamed=True):
            if isinstance(citation, m.Span):  # a source of its own for the positions, never rendered
                sizes[citation_index] = 1
                refs.append(CiteRef(_UNNAMED, (None, None), number, citation_index, section_index))
                citation_index += 1
                continue
            sizes[citation_index] = len(citation.items)
            for item in citation.items:
                if registry.get(item.key) is None:
                    problems.append(error("CIT001", f"unknown citation key '{item.key}'", item.location,
                                          closest_hint(item.key, known_keys)))
                    continue
                refs.append(CiteRef(item.key, (item.locator_label, item.locator), number, citation_index, section_index))
                known.append(item)
            citation_index += 1
    options = {}
    if rules is not None:
        options = {"ibid": rules.ibid, "ibid_after_several": rules.ibid_after_several,
                   "restart_per_section": rules.restart == "section"}
    computed = [pos for ref, pos in zip(refs, compute_positions(refs, sizes, **options)) if ref.key != _UNNAMED]
    cites = [(item, pos.position, pos.near_note, pos.first_note) for item, pos in zip(known, computed)]
    texts = iter(engine.texts(cites) if hasattr(engine, "texts") else [engine.cite_text(*cite) for cite in cites])
    positions = iter(computed)

    rendered: dict[int, tuple] = {}
    resolved_cites: dict[int, list] = {}
    for number, site in enumerate(sites, start=1):
        resolved_cites[number] = []
        for citation in _citations_of(site):
            parts = []
            for item in citation.items:
                if registry.get(item.key) is None:
                    parts.append((m.Text(f"{item.key}?", item.location),))
                    continue
                pos = next(positions)
                parts.append(engine.inlines(item, next(texts)))
                resolved_cites[number].append(m.ResolvedCite(
                    item.key, item.locator_label, item.locator, pos.position, pos.reason, item.location))
            joined: list = []
            for i, part in enumerate(parts):
                if i:
                    joined.append(m.Text(engine.delimiter, citation.location))
                joined.extend(part)
            rendered[id(citation)] = tuple(joined)

    counter = iter(range(1, len(sites) + 1))

    def replace(inlines):
        out = []
        for node in inlines:
            if isinstance(node, m.Citation):
                number = next(counter)
                # "Blah blah [@key]." as Pandoc users write it: the note call takes the
                # place of the space before it, as Pandoc's citeproc does ("blah¹.").
                if out and isinstance(out[-1], m.Text) and out[-1].text[-1:].isspace():
                    kept = out[-1].text.rstrip()
                    out[-1:] = [dataclasses.replace(out[-1], text=kept)] if kept else []
                body = _affix(engine, rendered[id(node)], node.location)
                out.append(m.Footnote(number, _capitalise(body), tuple(resolved_cites[number]), node.location))
            elif isinstance(node, m.Note):
                number = next(counter)
                body = _in_note(node.children, rendered)
                # Only a note that opens with a citation is the style's to capitalise
                # ("ibid." → "Ibid."); an author's own words stay as written.
                opens_with_cite = bool(node.children) and isinstance(node.children[0], m.Citation)
                body = _capitalise(body) if opens_with_cite else body
                out.append(m.Footnote(number, body, tuple(resolved_cites[number]), node.location))
            elif isinstance(node, _CONTAINERS):
                out.append(dataclasses.replace(node, children=replace(node.children)))
            else:
                out.append(node)
        return tuple(out)

    sections = tuple(
        dataclasses.replace(section, blocks=tuple(m.map_inlines(b, replace) for b in section.blocks))
        for section in document.sections
    )
    return dataclasses.replace(document, sections=sections), problems


# Inline nodes whose children may hold citations and notes.
_CONTAINERS = (m.Emph, m.Strong, m.Link, m.Span, m.Strikeout, m.Superscript, m.Subscript)


def _in_note(inlines, rendered) -> tuple:
    out = []
    for node in inlines:
        if isinstance(node, m.Citation):
            out.extend(rendered[id(node)])
        elif isinstance(node, _CONTAINERS):
            out.append(dataclasses.replace(node, children=_in_note(node.children, rendered)))
        else:
            out.append(node)
    return tuple(out)


def _affix(engine, body: tuple, where) -> tuple:
    """A note that is only a citation group gets the style's layout prefix and suffix."""
    text = m.plain_text(body)
    out = list(body)
    if engine.prefix:
        out.insert(0, m.Text(engine.prefix, where))
    if engine.suffix and not text.rstrip().endswith(engine.suffix):
        last = out[-1] if out else None
        if (getattr(engine, "punctuation_in_quote", False) and engine.suffix in (".", ",")
                and isinstance(last, m.Text) and last.text.endswith(("”", "’"))):
            # American English puts the final period inside the closing quote ("Night.”"), as
            # the style would have with its layout's suffix, which the caller applies here.
            out[-1] = m.Text(last.text[:-1] + engine.suffix + last.text[-1], last.location)
        else:
            out.append(m.Text(engine.suffix, where))
    return tuple(out)


def _capitalise(body: tuple) -> tuple:
    """Upper-case the note's first letter ("ibid." → "Ibid."), as Pandoc does."""
    if not body:
        return body
    first = body[0]
    if isinstance(first, m.Text):
        text = first.text
        for i, ch in enumerate(text):
            if ch.isalpha():
                return (dataclasses.replace(first, text=text[:i] + ch.upper() + text[i + 1:]),) + body[1:]
            if not ch.isspace() and ch not in "“‘\"'(":
                break
        return body
    if isinstance(first, (m.Emph, m.Strong, m.Span)):
        return (dataclasses.replace(first, children=_capitalise(first.children)),) + body[1:]
    return body
