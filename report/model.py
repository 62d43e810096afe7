"""The format-neutral document model: frozen dataclasses between parsing and rendering.

Every node carries the :class:`Location` it came from. The parser produces a
*source* document whose inline content may hold :class:`Citation` groups and
:class:`Note` free-text notes; the note transform turns those into numbered
:class:`Footnote` nodes. Renderers accept only the resolved form and fail loudly
on a node they do not know.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass
from typing import Union

from report.diagnostics import Location

# --- inline nodes -----------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    location: Location


@dataclass(frozen=True)
class Emph:
    children: tuple["Inline", ...]
    location: Location


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]
    location: Location


@dataclass(frozen=True)
class Code:
    text: str
    location: Location


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple["Inline", ...]
    location: Location


@dataclass(frozen=True)
class LineBreak:
    location: Location


@dataclass(frozen=True)
class Span:
    """Bracketed text with Pandoc attributes, e.g. ``[Article 12]{.provision ref=cat:12}``.
    Renders as its children; the attributes are data for checks."""

    children: tuple["Inline", ...]
    id: str | None
    classes: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]
    location: Location


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation group: ``see @key, pp. 25–26, emphasis added``.

    ``locator_label`` is a CSL locator label (``page``, ``paragraph``…), ``locator``
    its value as written (``25–26``)."""

    key: str
    location: Location
    prefix: str = ""
    locator_label: str | None = None
    locator: str | None = None
    suffix: str = ""
    suppress_author: bool = False  # Pandoc's [-@key]


@dataclass(frozen=True)
class Citation:
    """A bracketed citation group ``[@a, p. 3; @b]``. In running text it becomes one
    footnote; inside a free-text note it is rendered in place."""

    items: tuple[CiteItem, ...]
    location: Location


@dataclass(frozen=True)
class Note:
    """A free-text note ``^[...]``, unnumbered until the note transform runs."""

    children: tuple["Inline", ...]
    location: Location


@dataclass(frozen=True)
class ResolvedCite:
    """A citation item after the style has placed it: the CSL position it got and why."""

    key: str
    locator_label: str | None
    locator: str | None
    position: str  # first | subsequent | ibid | ibid-with-locator
    reason: str
    location: Location


@dataclass(frozen=True)
class Footnote:
    """A numbered note at its call site. ``children`` is the note's rendered text."""

    number: int
    children: tuple["Inline", ...]
    cites: tuple[ResolvedCite, ...]
    location: Location


@dataclass(frozen=True)
class Strikeout:
    children: tuple["Inline", ...]
    location: Location


@dataclass(frozen=True)
class Superscript:
    children: tuple["Inline", ...]
    location: Location


@dataclass(frozen=True)
class Subscript:
    children: tuple["Inline", ...]
    location: Location


# Label prefixes that name a numbered element rather than a cited work (Quarto's), and
# what each names.
CROSSREF_KINDS = {"fig": "figure", "tbl": "table", "sec": "section", "box": "box", "para": "paragraph",
                  "rec": "recommendation"}


def crossref_kind(label: str) -> str | None:
    """The kind of element a label names ("fig" for ``fig-gate`` or ``Fig-gate``), or None
    for anything else (a citation key, an ordinary id)."""
    prefix, dash, rest = label.partition("-")
    kind = prefix.lower()
    return kind if dash and rest and kind in CROSSREF_KINDS else None


@dataclass(frozen=True)
class CrossRef:
    """A reference to a numbered element as written: ``@fig-gate``, ``[@fig-a; @fig-b]``,
    ``[-@fig-gate]`` (the number alone: ``bare``), ``[Map @fig-gate]`` (its own ``prefix``),
    ``@Fig-gate`` (``capital``). The cross-reference transform resolves it to a :class:`Ref`."""

    labels: tuple[str, ...]
    location: Location
    prefix: str | None = None
    bare: bool = False
    capital: bool = False


@dataclass(frozen=True)
class Ref:
    """A resolved cross-reference: ``words`` before the numbers ("Figure", "Figures", a
    prefix of the author's, or ""), then each target's number, linked to ``targets``.
    ``conjunction`` joins the last two numbers ("and"); earlier ones are joined by ", "."""

    kind: str
    words: str
    targets: tuple[str, ...]
    numbers: tuple[str, ...]
    location: Location
    conjunction: str = "and"
    span: bool = False  # consecutive numbers written as a range: "paras. 12–14" (first and last shown)

    def text(self) -> str:
        """The reference as plain text: "Figure 2", "Tables 1, 2 and 3", "2", "paras. 12–14"."""
        numbers = list(self.numbers)
        if self.span:
            joined = f"{numbers[0]}\u2013{numbers[-1]}"
        else:
            joined = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} {self.conjunction} {numbers[-1]}"
        return f"{self.words} {joined}" if self.words else joined


Inline = Union[Text, Emph, Strong, Code, Link, LineBreak, Span, Citation, Note, Footnote,
               Strikeout, Superscript, Subscript, CrossRef, Ref]

# --- block nodes ------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    id: str
    location: Location
    numbered: bool = True  # False for ``{-}`` / ``{.unnumbered}``
    number: str | None = None  # "3.2", set by the numbering transform when sections are numbered


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    location: Location
    id: str | None = None
    classes: tuple[str, ...] = ()
    # set by the numbering transform when paragraphs are numbered (report.yaml ``paragraphs: numbered``)
    number: int | None = None


@dataclass(frozen=True)
class BlockQuote:
    children: tuple["Block", ...]
    location: Location


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple["Block", ...], ...]
    location: Location
    # set by the numbering transform: 1 for the subparagraphs (a), (b)… of a numbered
    # paragraph (a list right after it), 2 for the (i), (ii)… of a list inside those; 0 otherwise
    subparagraph: int = 0
    # a list marked ``.recommendations`` (or in a div or section so marked): its items are
    # the report's recommendations, numbered 1, 2, 3… across the report, addressed to ``addressee``
    recommendations: bool = False
    addressee: str | None = None
    first_recommendation: int | None = None  # set by the numbering transform: its first item's number


@dataclass(frozen=True)
class CodeBlock:
    text: str
    location: Location


@dataclass(frozen=True)
class ThematicBreak:
    location: Location


@dataclass(frozen=True)
class Table:
    """A simple table: a header row and body rows of cells, each cell inline content."""

    header: tuple[tuple["Inline", ...], ...]
    rows: tuple[tuple[tuple["Inline", ...], ...], ...]
    location: Location
    caption: tuple["Inline", ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths (as Pandoc's); () = equal
    id: str | None = None
    aligns: tuple[str | None, ...] = ()  # per column: "left" | "center" | "right" | None
    number: int | None = None  # set by the numbering transform for a captioned table
    within: str = ""  # "II" when numbered within annex II (report.yaml annex.number-within): "Table II.1"


@dataclass(frozen=True)
class Figure:
    """An image alone in its paragraph: ``![Caption](images/gate.jpg){#fig-gate width=60% fig-alt="…"}``.

    ``src`` is the image's project-relative path (checked to lie inside the project);
    ``alt`` the alternative text (never the caption); ``width`` a CSS-like length as
    written ("60%", "8cm"), or None for the text block's width at most."""

    src: str
    caption: tuple["Inline", ...]
    alt: str | None
    location: Location
    id: str | None = None
    width: str | None = None
    number: int | None = None  # set by the numbering transform for a captioned figure
    digest: str = ""  # sha256 of the image file, set when it is found (the diff compares images by it)
    classes: tuple[str, ...] = ()  # ``{.confidential}``: left out of the public edition
    within: str = ""  # "II" when numbered within annex II (report.yaml annex.number-within): "Figure II.1"


def shown_number(block) -> str:
    """A numbered figure's or table's number as readers see it: "3", or "II.1" within annex II."""
    return f"{block.within}.{block.number}" if block.within else str(block.number)


CALLOUTS = ("callout-note", "callout-warning", "callout-tip", "callout-important", "callout-caution")


@dataclass(frozen=True)
class Div:
    """A fenced div ``::: {#box-kharkiv .box title="…"}``. ``kind`` is "box" (a numbered,
    titled frame), "callout-note", "callout-warning", "callout-tip", "callout-important",
    "callout-caution" (Quarto's callouts) or "group" (any other class: the blocks alone)."""

    kind: str
    children: tuple["Block", ...]
    location: Location
    id: str | None = None
    classes: tuple[str, ...] = ()
    title: tuple["Inline", ...] = ()
    number: int | None = None  # set by the numbering transform for a box


@dataclass(frozen=True)
class DefinitionList:
    """Terms, each with one or more definitions (each a sequence of blocks)."""

    items: tuple[tuple[tuple["Inline", ...], tuple[tuple["Block", ...], ...]], ...]
    location: Location


@dataclass(frozen=True)
class LineBlock:
    """Pandoc's line block (``| line``): line breaks and leading spaces kept."""

    lines: tuple[tuple["Inline", ...], ...]
    location: Location


@dataclass(frozen=True)
class BibliographyEntry:
    """One cited work as the citation style's ``<bibliography>`` writes it (its
    subsequent-author-substitute "———" included). ``label`` is what a style with
    ``second-field-align`` sets apart before the text ("[1]"), usually empty."""

    key: str  # the registry entry's id
    children: tuple[Inline, ...]
    location: Location  # the registry entry's
    label: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Bibliography:
    """The list of sources, or one group of it (report.yaml ``bibliography``; made by
    report.transforms.bibliography): ``title`` is the group's heading ("Reports"), None
    when the list is not grouped. The layout is the style's: ``hanging_indent``,
    ``second_field_align`` ("flush", "margin" or None), ``line_spacing`` and
    ``entry_spacing`` (CSL's integers, 1 by default)."""

    entries: tuple[BibliographyEntry, ...]
    location: Location
    title: str | None = None
    id: str | None = None  # the group heading's id
    hanging_indent: bool = False
    second_field_align: str | None = None
    line_spacing: int = 1
    entry_spacing: int = 1


Block = Union[Heading, Paragraph, BlockQuote, ListBlock, CodeBlock, ThematicBreak, Table, Figure, Div,
              DefinitionList, LineBlock,
              Bibliography]

# --- document ---------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One ``sections/NN-slug.md`` file. ``title`` is None for an untitled section
    (no heading is rendered for it and it is not listed in the contents)."""

    id: str
    title: str | None
    blocks: tuple[Block, ...]
    location: Location
    number: str | None = None  # "2", set by the numbering transform when sections are numbered
    paragraphs_numbered: bool = True  # front matter ``numbered: false``: its paragraphs stay unnumbered
    confidential: bool = False  # front matter ``confidential: true``: left out of the public edition
    annex: bool = False  # front matter ``annex: true``: "Annex I", its ``number`` the numeral ("I")


@dataclass(frozen=True)
class Metadata:
    title: str
    organization: str | None
    language: str
    date: _dt.date | None
    subtitle: str | None = None
    # True when a translation with unreviewed (fuzzy) entries was used: every output
    # then carries a visible "Draft translation" mark.
    draft: bool = False
    # "public" (confidential material left out, protected names pseudonymised) or
    # "confidential" (everything, to be marked as such): see report.transforms.editions.
    edition: str = "public"


@dataclass(frozen=True)
class Document:
    metadata: Metadata
    sections: tuple[Section, ...]

    def footnotes(self) -> list[Footnote]:
        """Every footnote in reading order (empty before the note transform)."""
        return [node for node in walk_inlines(self) if isinstance(node, Footnote)]


# --- traversal and JSON form -----------------------------------------------


def child_blocks(block: Block):
    """The block sequences directly inside ``block`` (a quote's, each list item's…)."""
    if isinstance(block, (BlockQuote, Div)):
        yield block.children
    elif isinstance(block, ListBlock):
        yield from block.items
    elif isinstance(block, DefinitionList):
        for _, definitions in block.items:
            yield from definitions


def block_inlines(block: Block):
    """The inline sequences directly inside ``block`` and its nested blocks, in reading order."""
    if isinstance(block, (Heading, Paragraph)):
        yield block.children
    elif isinstance(block, Table):
        yield block.caption
        for row in (block.header,) + block.rows:
            yield from row
    elif isinstance(block, Figure):
        yield block.caption
    elif isinstance(block, LineBlock):
        yield from block.lines
    elif isinstance(block, Bibliography):
        for entry in block.entries:
            if entry.label:
                yield entry.label
            yield entry.children
    elif isinstance(block, DefinitionList):
        for term, definitions in block.items:
            yield term
            for definition in definitions:
                for child in definition:
                    yield from block_inlines(child)
    else:
        if isinstance(block, Div):
            yield block.title
        for blocks in child_blocks(block):
            for child in blocks:
                yield from block_inlines(child)


def own_inlines(block: Block) -> list:
    """The inline sequences of ``block`` itself, not of the blocks inside it (a quote's,
    a list's, a div's but its title): with :func:`walk_blocks`, each sequence once."""
    if isinstance(block, (Heading, Paragraph)):
        return [block.children]
    if isinstance(block, Table):
        return [block.caption, *(cell for row in (block.header,) + block.rows for cell in row)]
    if isinstance(block, Figure):
        return [block.caption]
    if isinstance(block, LineBlock):
        return list(block.lines)
    if isinstance(block, Div):
        return [block.title]
    if isinstance(block, DefinitionList):
        return [term for term, _ in block.items]
    if isinstance(block, Bibliography):
        return [part for entry in block.entries for part in (entry.label or (), entry.children)]
    return []


def walk_blocks(blocks):
    """Every block in ``blocks`` and below them, depth first, in reading order."""
    for block in blocks:
        yield block
        for children in child_blocks(block):
            yield from walk_blocks(children)


def map_blocks(block: Block, fn) -> Block:
    """A copy of ``block`` whose nested block sequences are replaced by ``fn(sequence)``."""
    if isinstance(block, (BlockQuote, Div)):
        return dataclasses.replace(block, children=fn(block.children))
    if isinstance(block, ListBlock):
        return dataclasses.replace(block, items=tuple(fn(item) for item in block.items))
    if isinstance(block, DefinitionList):
        return dataclasses.replace(block, items=tuple((term, tuple(fn(d) for d in defs)) for term, defs in block.items))
    return block


def descendants(nodes, into_notes: bool = True):
    """Every inline node in ``nodes`` and below them, depth first, in reading order;
    with ``into_notes=False`` a note (Footnote or Note) is yielded but not entered."""
    for node in nodes:
        yield node
        children = getattr(node, "children", None)
        if children is not None and (into_notes or not isinstance(node, (Footnote, Note))):
            yield from descendants(children, into_notes)


def walk_inlines(document: Document):
    """Every inline node of the document, depth first, in reading order."""
    for section in document.sections:
        for block in section.blocks:
            for inlines in block_inlines(block):
                yield from descendants(inlines)


def map_inlines(block: Block, fn) -> Block:
    """A copy of ``block`` with every inline sequence replaced by ``fn(sequence)``."""
    if isinstance(block, (Heading, Paragraph)):
        return dataclasses.replace(block, children=fn(block.children))
    if isinstance(block, Figure):
        return dataclasses.replace(block, caption=fn(block.caption))
    if isinstance(block, LineBlock):
        return dataclasses.replace(block, lines=tuple(fn(line) for line in block.lines))
    if isinstance(block, Bibliography):
        return dataclasses.replace(block, entries=tuple(dataclasses.replace(e, label=fn(e.label), children=fn(e.children))
                                                        for e in block.entries))
    if isinstance(block, Div):
        block = dataclasses.replace(block, title=fn(block.title))
    if isinstance(block, DefinitionList):
        block = dataclasses.replace(block, items=tuple((fn(term), defs) for term, defs in block.items))
    if isinstance(block, (BlockQuote, Div, ListBlock, DefinitionList)):
        return map_blocks(block, lambda blocks: tuple(map_inlines(b, fn) for b in blocks))
    if isinstance(block, Table):
        return dataclasses.replace(block, caption=fn(block.caption), header=tuple(fn(c) for c in block.header),
                                   rows=tuple(tuple(fn(c) for c in row) for row in block.rows))
    return block


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_data(value):
    """A JSON-ready, stable form of any model value: nodes become dicts with a
    ``type`` key and their fields in declaration order."""
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        data = {"type": type(value).__name__}
        for name in names:
            data[name] = to_data(getattr(value, name))
        return data
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def plain_text(inlines) -> str:
    """The visible text of inline nodes, footnotes excluded."""
    out = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, (Footnote, Note, Citation)):
            continue
        elif isinstance(node, Ref):
            out.append(node.text())
        elif hasattr(node, "children"):
            out.append(plain_text(node.children))
    return "".join(out)

