"""The public and the confidential edition of one parsed document.

:func:`public_edition` takes the parsed document (citations and notes unresolved,
figures located, heading ids unique), the registry, the protected people and the
language; it returns the public edition's document and the diagnostics:

- left out: sections with ``confidential: true``, ``::: {.confidential}`` divs,
  paragraphs and figures marked ``{.confidential}``, ``[…]{.confidential}`` spans (or
  their ``public="…"`` wording instead) and the notes inside them, notes marked
  ``^[…]{.confidential}``; a paragraph or list item left empty goes too;
- a citation of a confidential registry entry is written as its ``public-note`` (EDN001,
  info) or removed when it has none (EDN002, warning);
- a cross-reference or a link to something left out is an error (EDN003): the public
  text would point to nothing;
- every protected name is its pseudonym (:mod:`report.transforms.pseudonyms`).

It runs *before* the cross-reference and note transforms (see report.build.load), so
that the public edition's figures, paragraphs and notes are numbered 1, 2, 3… without
gaps and its "Ibid." chains are derived from the notes its readers see: removing a note
after the style had placed them would leave an "Ibid." pointing at a note that is gone.
The notes' text the style writes later can still hold a name (a source's title):
:func:`pseudonymise` takes the resolved document for that.

:func:`confidential_edition` is the document unchanged, marked ``edition="confidential"``.
"""

from __future__ import annotations

import dataclasses
import re

from report import model as m
from report.diagnostics import Diagnostic, Severity, closest_hint, error, warning
from report.sources.people import People
from report.transforms.notes import STANDS_FOR_A_SOURCE
from report.transforms.pseudonyms import Pseudonyms, slug
from report.transforms.withheld import CONFIDENTIAL, cite_items_in, ids_in, is_marked, tidy, unlink

EDITIONS = ("public", "confidential")


def confidential_edition(document: m.Document) -> m.Document:
    return dataclasses.replace(document, metadata=dataclasses.replace(document.metadata, edition="confidential"))


def pseudonymise(document: m.Document, people: People, language: str,
                 source_language: str | None = None) -> m.Document:
    """Every protected name in ``document`` (resolved or not) replaced by its pseudonym.
    ``source_language``: a translation's source (see :class:`Pseudonyms`)."""
    return Pseudonyms(people, language, source_language).document(document) if people else document


def public_edition(source: m.Document, registry, people: People, language: str,
                   source_language: str | None = None) -> tuple[m.Document, list[Diagnostic]]:
    """The public edition of a parsed document (see the module doc), in ``language``
    (a translation of ``source_language``, whose name variants are replaced too). A
    document with nothing marked, no confidential source cited and no protected people
    is returned as it is (the same object)."""
    editor = _Editor(registry, language)
    sections = []
    for section in source.sections:
        if is_marked(section):
            editor.drop(section)
        else:
            sections.append(dataclasses.replace(section, blocks=editor.blocks(section.blocks)))
    if not editor.changed and not people:
        return source, editor.problems
    document = dataclasses.replace(source, sections=tuple(sections))
    if editor.removed or editor.renamed:
        document, found = unlink(document, editor.removed, editor.renamed)
        editor.problems += found
    return pseudonymise(document, people, language, source_language), editor.problems


def public_registry(registry, people: People, language: str, source_language: str | None = None):
    """The registry as the public edition may show it (its model.json): without the
    confidential entries, protected names pseudonymised in the others' fields."""
    names = Pseudonyms(people, language, source_language) if people else None
    entries = tuple(dataclasses.replace(ref, csl=_csl(ref.csl, names)) if names else ref
                    for ref in registry.entries if not ref.confidential)
    if len(entries) == len(registry.entries) and names is None:
        return registry
    return dataclasses.replace(registry, entries=entries)


def _csl(csl: dict, names: Pseudonyms) -> dict:
    out = {}
    for field, value in csl.items():
        if isinstance(value, str) and field != "id":
            value = names.text(value)
        elif isinstance(value, list) and all(isinstance(n, dict) for n in value):  # author, editor…
            value = [_name(n, names) for n in value]
        out[field] = value
    return out


def _name(name: dict, names: Pseudonyms) -> dict:
    """A CSL name; one that is a protected person's, given and family together, is the pseudonym."""
    full = " ".join(str(name[p]) for p in ("given", "family") if name.get(p))
    if full and names.text(full) != full:
        return {"literal": names.text(full)}
    return {k: names.text(v) if isinstance(v, str) else v for k, v in name.items()}


class _Editor:
    """Leaves out what is marked, collecting the ids that go with it (for EDN003)."""

    def __init__(self, registry, language: str):
        self.registry = registry
        self.language = language
        self.problems: list[Diagnostic] = []
        self.removed: dict[str, object] = {}  # id → the location of what held it
        self.renamed: dict[str, str] = {}  # a heading's id made from words left out → its public id
        self.changed = False

    def drop(self, node) -> None:
        """Record that ``node`` (a section, block or inline) is left out, with every id in it."""
        self.changed = True
        for ident, where in ids_in(node):
            self.removed.setdefault(ident, where)
        for item in cite_items_in(node):
            if self.registry.get(item.key) is None:  # the note transform never sees it: said here
                self.problems.append(error("CIT001", f"unknown citation key '{item.key}'", item.location,
                                           closest_hint(item.key, [r.id for r in self.registry.entries])))

    def blocks(self, blocks) -> tuple:
        out = []
        for block in blocks:
            if is_marked(block) and isinstance(block, (m.Div, m.Paragraph, m.Figure)):
                self.drop(block)
                continue
            original = block
            block = m.map_blocks(block, self.blocks)
            block = m.map_inlines(block, self.inlines) if not _has_blocks(block) else _own_inlines(block, self.inlines)
            if isinstance(block, m.ListBlock):
                items = tuple(item for item in block.items if item)
                if not items:
                    continue
                block = dataclasses.replace(block, items=items) if len(items) != len(block.items) else block
            if isinstance(block, m.Paragraph) and _blank(block.children) and not _same(block.children,
                                                                                  original.children):
                self.drop(block)  # everything in it was confidential
                continue
            if isinstance(block, m.Heading) and not _same(block.children, original.children):
                block = self._renamed(block, original)
            out.append(block)
        return tuple(out)

    def _renamed(self, heading: m.Heading, original: m.Heading) -> m.Heading:
        """A heading whose id the parser made from words now left out (``## Met in Ganja``:
        ``met-in-ganja``) gets one made from its public words; the author's own id stays."""
        made = slug(m.plain_text(original.children)) or "section"
        suffix = heading.id[len(made):]
        if not heading.id.startswith(made) or (suffix and not re.fullmatch(r"-\d+", suffix)):
            return heading
        self.renamed[heading.id] = (slug(m.plain_text(heading.children)) or "section") + suffix
        return dataclasses.replace(heading, id=self.renamed[heading.id])

    def inlines(self, nodes, in_note: bool = False) -> tuple:
        out: list = []
        dropped = False
        for node in nodes:
            replaced = self._inline(node, in_note)
            if replaced is None:
                dropped = True
                continue
            if dropped:
                replaced = tidy(out, replaced)
                if not out and type(replaced) is m.Text:
                    replaced = m.Text(replaced.text.lstrip(), replaced.location)
            dropped = False
            out.append(replaced)
        if dropped and out and type(out[-1]) is m.Text:
            out[-1] = m.Text(out[-1].text.rstrip(), out[-1].location)
        return tuple(node for node in out if not (type(node) is m.Text and not node.text))

    def _inline(self, node, in_note: bool):
        """The node in the public edition, or None when it is left out."""
        if isinstance(node, m.Span) and is_marked(node):
            public = dict(node.attributes).get("public")
            if public is None:
                self.drop(node)
                return None
            for child in node.children:  # the span stays, with its id, holding its public wording
                self.drop(child)
            if len(node.children) == 1 and isinstance(node.children[0], m.Note):  # ^[…]{.confidential public="…"}
                return m.Note((m.Text(public, node.location),), node.children[0].location)
            return dataclasses.replace(node, children=(m.Text(public, node.location),), classes=_unmarked(node.classes),
                                       attributes=tuple(p for p in node.attributes if p[0] != "public"))
        if isinstance(node, m.Citation):
            return self._citation(node, in_note)
        if isinstance(node, m.Note):
            children = self.inlines(node.children, in_note=True)
            if _same(children, node.children):
                return node
            self.changed = True
            return None if _blank(children) else dataclasses.replace(node, children=children)  # blank: all confidential
        if getattr(node, "children", None) is not None:
            children = self.inlines(node.children, in_note)
            return node if _same(children, node.children) else dataclasses.replace(node, children=children)
        return node

    def _citation(self, citation: m.Citation, in_note: bool):
        """A group citing confidential sources: each such item becomes its public note
        (text), or goes; the group stays a citation while it holds only citations."""
        if not any(self._confidential(item) for item in citation.items):
            return citation
        self.changed = True
        parts: list = []  # CiteItem or str (a public note)
        for item in citation.items:
            ref = self.registry.get(item.key)
            if not self._confidential(item):
                parts.append(item)
            elif (note := ref.public_note_in(self.language)) is not None:
                parts.append(f"{item.prefix} {note}".strip())
                self.problems.append(Diagnostic("EDN001", Severity.INFO, f"'{ref.id}' is confidential: the public "
                                                f"edition cites it as its public note", item.location))
            else:
                self.problems.append(warning("EDN002", f"'{ref.id}' is confidential and has no public-note: the "
                                             "public edition leaves this citation out", item.location,
                                             "add public-note: \"…\" to its registry entry, e.g. \"Interview with "
                                             "a former detainee, March 2024\""))
        if not parts:
            return None
        if all(isinstance(p, m.CiteItem) for p in parts):
            return dataclasses.replace(citation, items=tuple(parts))
        inlines: list = []
        for i, group in enumerate(_runs(parts)):
            if i:
                inlines.append(m.Text("; ", citation.location))
            inlines.append(m.Span((m.Text(group, citation.location),), None, (STANDS_FOR_A_SOURCE,), (),
                                  citation.location) if isinstance(group, str) else
                           dataclasses.replace(citation, items=group))
        if in_note:
            return m.Span(tuple(inlines), None, (), (), citation.location)
        if not _ends_with_punctuation(m.plain_text(inlines[-1:])) or isinstance(inlines[-1], m.Citation):
            inlines.append(m.Text(".", citation.location))
        return m.Note(tuple(inlines), citation.location)

    def _confidential(self, item: m.CiteItem) -> bool:
        ref = self.registry.get(item.key)
        return ref is not None and ref.confidential


def _has_blocks(block) -> bool:
    return isinstance(block, (m.BlockQuote, m.Div, m.ListBlock, m.DefinitionList))


def _own_inlines(block, fn):
    """A container's own inline sequences (a div's title, a definition list's terms)."""
    if isinstance(block, m.Div):
        return dataclasses.replace(block, title=fn(block.title))
    if isinstance(block, m.DefinitionList):
        return dataclasses.replace(block, items=tuple((fn(term), defs) for term, defs in block.items))
    return block


def _same(new: tuple, old: tuple) -> bool:
    """Whether the transform kept every node of ``old`` as it was (it returns a node it
    does not change as it is: no deep comparison needed)."""
    return len(new) == len(old) and all(a is b for a, b in zip(new, old))


def _blank(inlines) -> bool:
    """No words, note, citation, reference or code in ``inlines``."""
    return not m.plain_text(inlines).strip() and not any(
        isinstance(n, (m.Note, m.Citation, m.CrossRef, m.Code)) for n in m.descendants(inlines))


def _ends_with_punctuation(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and text[-1] in ".!?。！？…"


def _runs(parts: list):
    """Consecutive cite items as one tuple, each public note alone."""
    run: list = []
    for part in parts:
        if isinstance(part, m.CiteItem):
            run.append(part)
            continue
        if run:
            yield tuple(run)
            run = []
        yield part
    if run:
        yield tuple(run)


def _unmarked(classes) -> tuple:
    return tuple(c for c in classes if c != CONFIDENTIAL)
