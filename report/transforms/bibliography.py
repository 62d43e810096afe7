"""The list of sources: every work the report cites, as the citation style's bibliography writes it.

Takes the resolved document (its footnotes say which works are cited), the
citation engine (:class:`~report.transforms.citeproc_js.CiteprocJsEngine`, whose
style, locale and registry the notes used), the registry, the config's
``bibliography`` and the tool's catalog for the build's language; returns the
document with one more section, after the last one listed in report.yaml (and so
before the evidence annex, which the build appends later): a heading from the
catalog ("List of sources", or report.yaml's ``title``) and one
:class:`~report.model.Bibliography` block, or one per group of CSL types. Only
cited works appear; the order, the text, "———" for a repeated author and the
hanging indent are the style's ``<bibliography>`` (citeproc-js's
``makeBibliography``). A style without one is STY005 at report.yaml's key.
"""

from __future__ import annotations

import dataclasses
import re

from report import model as m
from report.diagnostics import Diagnostic, error
from report.transforms.csl import html_to_inlines

SECTION_ID = "list-of-sources"

# The groups of ``group-by-type``, in the order they are printed (primary legal sources
# first, as legal bibliographies are ordered, then official documents, then the rest),
# each with the CSL types it takes. "UN and OSCE documents" are found by what they say
# of themselves, not by type: the registry writes them as reports with a symbol
# (README, "The citation registry"). Any type not listed is "Other sources".
GROUPS = (
    ("Legal instruments", frozenset({"treaty", "legislation", "regulation", "bill"})),
    ("Case law", frozenset({"legal_case"})),
    ("UN and OSCE documents", frozenset()),
    ("Reports", frozenset({"report", "pamphlet"})),
    ("Books and articles", frozenset({
        "book", "chapter", "article", "article-journal", "paper-conference", "thesis", "review", "review-book",
        "classic", "collection", "entry", "entry-dictionary", "entry-encyclopedia", "manuscript", "periodical"})),
    ("News", frozenset({"article-newspaper", "article-magazine", "broadcast"})),
    ("Web pages", frozenset({"webpage", "post", "post-weblog"})),
    ("Other sources", frozenset()),
)
# The same test as REG012's (report.checks.registry): the genre, the publisher or an
# institutional author names the UN or the OSCE.
_INTERGOVERNMENTAL = re.compile(r"\b(UN|United Nations|OSCE|Organi[sz]ation for Security and Co-operation in Europe)\b")
_BIBLIOGRAPHY = re.compile(r"<bibliography\b")


def group_of(csl: dict) -> str:
    """The group (its English name, a catalog message) of a registry entry's CSL data."""
    kind = csl.get("type", "")
    if kind in ("report", "document"):
        names = [n.get("literal", "") for n in csl.get("author", []) if isinstance(n, dict)]
        said = " ".join([str(csl.get("genre", "")), str(csl.get("publisher", "")), *names])
        if _INTERGOVERNMENTAL.search(said):
            return "UN and OSCE documents"
    return next((name for name, types in GROUPS if kind in types), "Other sources")


def cited_keys(document: m.Document, registry) -> list[str]:
    """The registry ids of the works the document's notes cite, in order of first citation."""
    keys: dict[str, None] = {}
    for note in document.footnotes():
        for cite in note.cites:
            entry = registry.get(cite.key)
            if entry is not None:
                keys.setdefault(entry.id, None)
    return list(keys)


def add_bibliography(document: m.Document, engine, registry, config, strings,
                     translator=None) -> tuple[m.Document, list[Diagnostic]]:
    """The document with its list of sources when report.yaml asks for one (see the
    module doc), and the problems found (STY005). ``translator`` (a translated build's)
    translates a ``title`` of report.yaml's; the catalog's own title needs none."""
    wanted = config.bibliography
    if wanted is None:
        return document, []
    where = wanted.location
    if not _BIBLIOGRAPHY.search(engine.style):
        return document, [error("STY005", f"the citation style {config.citation_style} has no <bibliography>, "
                                "which 'bibliography' asks for", where,
                                "choose a style that has one, such as chicago-notes-bibliography-17th-edition, "
                                "or remove 'bibliography'")]
    keys = cited_keys(document, registry)
    if not keys:
        return document, []  # nothing cited: no empty list, as an empty list of figures is left out
    groups: list[tuple[str | None, list[str]]] = [(None, keys)]
    if wanted.group_by_type:
        by_group = {name: [k for k in keys if group_of(registry.get(k).csl) == name] for name, _ in GROUPS}
        groups = [(name, found) for name, found in by_group.items() if found]
    made = engine.bibliography(keys, [found for _, found in groups])
    taken = _ids(document)
    blocks = []
    for (name, _), group in zip(groups, made):
        entries = tuple(_entry(key, html, registry.get(key).location) for key, html in group.entries)
        entries = tuple(entry for entry in entries if m.plain_text(entry.children).strip())
        if not entries:
            continue  # the style leaves these works out of its bibliography (Chicago: interviews)
        title = strings(name) if name else None
        blocks.append(m.Bibliography(entries, where, title, _unique(f"{SECTION_ID}-{_slug(name)}", taken) if name else None,
                                     group.hanging_indent, group.second_field_align, group.line_spacing,
                                     group.entry_spacing))
    if not blocks:
        return document, []
    title = wanted.title
    if title is not None and translator is not None:
        title = translator.text("report:bibliography-title", title, where)
    section = m.Section(_unique(SECTION_ID, taken), title or strings("List of sources"), tuple(blocks), where,
                        paragraphs_numbered=False)
    return dataclasses.replace(document, sections=document.sections + (section,)), []


def _entry(key: str, html: str, where) -> m.BibliographyEntry:
    """An entry of citeproc-js's HTML: its text as model inlines (never HTML), and the
    label a ``second-field-align`` style sets apart ("[1]") when it has one."""
    label = ""
    split = re.search(r'<div class="csl-left-margin">(.*?)</div>\s*<div class="csl-right-inline">(.*?)</div>\s*'
                      r'(?:</div>\s*)?$', html, re.S)
    if split:
        label, html = split.group(1), split.group(2)
    inner = re.sub(r'^\s*<div class="csl-entry"[^>]*>|</div>\s*$', "", html.strip())
    return m.BibliographyEntry(key, _trimmed(html_to_inlines(inner, where)), where,
                               _trimmed(html_to_inlines(label, where)) if label else ())


def _trimmed(nodes: tuple) -> tuple:
    """``nodes`` without the white space citeproc-js's HTML layout leaves at either end."""
    nodes = list(nodes)
    for index in (0, -1):
        if nodes and isinstance(nodes[index], m.Text):
            text = nodes[index].text.lstrip() if index == 0 else nodes[index].text.rstrip()
            if text:
                nodes[index] = dataclasses.replace(nodes[index], text=text)
            else:
                nodes.pop(index)
    return tuple(nodes)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _ids(document: m.Document) -> set[str]:
    """The ids the document's sections and headings already have."""
    taken = {section.id for section in document.sections}
    for section in document.sections:
        taken.update(b.id for b in m.walk_blocks(section.blocks) if getattr(b, "id", None))
    return taken


def _unique(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-1``, ``wanted-2``… when an author's heading has it already."""
    found, n = wanted, 0
    while found in taken:
        n += 1
        found = f"{wanted}-{n}"
    taken.add(found)
    return found
