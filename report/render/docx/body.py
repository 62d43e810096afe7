"""Block model nodes → ``w:p`` elements of the document body (``w:tbl`` through :mod:`.tables`).

Takes the body element, an :class:`~report.render.docx.inlines.InlineWriter` for
the runs, the bookmarks to put on headings and the reference's table layout;
appends each section's blocks in order. Paragraphs are built directly with lxml,
not through python-docx's paragraph objects, which cost a proxy and an XPath
search per call: a report fifty times the size of the shipped one must still
render in well under a second.
"""

from __future__ import annotations

from report import model as m
from report.render.base import unknown_node
from report.render.labels import CAPTION_SEPARATOR
from report.render.docx.bibliography import write_bibliography
from report.render.docx.fields import Bookmarks, wrap_in_bookmark
from report.render.docx.inlines import run_properties
from report.render.docx.captions import bookmarked, caption_label
from report.render.docx.numbering import PARAGRAPH_STYLE, RECOMMENDATION_STYLE, STEP, SUBPARAGRAPH_STYLES
from report.render.docx.tables import FRAME_MARGINS, TableLayout, frame, write_table
from report.render.docx.xml import add_ppr, paragraph, sub, text_run, w
from report.render.labels import annex_parts

QUOTE_INDENT = 567  # twips (1 cm): BlockText's own left indent, repeated per nesting level
LIST_INDENT = 425  # twips (0.75 cm): room for a marker such as "10."
MAX_HEADING = 3  # the reference document styles Heading1-3 only


class BodyWriter:
    """Writes sections into a body element. ``marks`` hands out heading bookmarks;
    ``tables`` is the reference document's :class:`TableLayout`."""

    def __init__(self, inlines, marks: Bookmarks, tables: TableLayout | None = None, pictures=None,
                 targets=None, word=None):
        self._inlines = inlines
        self._marks = marks
        self._tables = tables or TableLayout()
        self._pictures = pictures
        self._targets = targets  # captions.RefTargets
        self._word = word or (lambda text: text)
        self._available = self._tables.text_width  # twips a picture may take (less inside a box)

    def section(self, parent, section: m.Section, title_mark: tuple[str, str] | None) -> None:
        """The section's title as Heading1 (when it has one), then its blocks. An annex's
        heading is "Annex II", a line break and its title; a reference to it goes to the
        numeral's bookmark."""
        if section.title is not None:
            p = paragraph(parent, "Heading1")
            mark = self._mark(section.id)
            if section.annex:
                before, after = annex_parts(self._word)
                text_run(p, before)
                bookmarked(p, mark, lambda: text_run(p, section.number or ""))
                text_run(p, after)
                sub(sub(p, "r"), "br")
                mark = None
            elif section.number:
                bookmarked(p, mark, lambda: text_run(p, section.number))
                text_run(p, " ")
                mark = None
            # an unnumbered section is referred to by its title: the bookmark holds it
            bookmarked(p, mark, lambda: text_run(p, section.title))
            if title_mark:
                wrap_in_bookmark(p, title_mark)
        for block in section.blocks:
            self.block(parent, block, 0, 0)

    def block(self, parent, block, quote: int, indent: int) -> None:
        """One block; ``quote`` is the block-quote depth, ``indent`` the list indent in twips."""
        kind = type(block)
        if kind is m.Paragraph:
            # a numbered paragraph's number is Word's list numbering, from its style
            p = paragraph(parent, PARAGRAPH_STYLE) if block.number is not None else self._paragraph(parent, quote, indent)
            self._inlines.write(p, block.children)
            self._bookmark_paragraph(p, block)
        elif kind is m.Heading:
            p = paragraph(parent, f"Heading{min(max(block.level, 1), MAX_HEADING)}")
            mark = self._mark(block.id)
            if block.number:
                bookmarked(p, mark, lambda: text_run(p, block.number))
                text_run(p, " ")
                mark = None
            if mark is not None:  # an unnumbered section is referred to by its text
                bookmarked(p, mark, lambda: self._inlines.write(p, block.children))
            else:
                self._inlines.write(p, block.children)
            wrap_in_bookmark(p, self._marks.new())
        elif kind is m.BlockQuote:
            for child in block.children:
                self.block(parent, child, quote + 1, indent)
        elif kind is m.ListBlock:
            self._list(parent, block, quote, indent)
        elif kind is m.CodeBlock:
            p = self._paragraph(parent, quote, indent, left_aligned=True)
            text_run(p, block.text.rstrip("\n"), run_properties(frozenset({"code"})))
        elif kind is m.ThematicBreak:
            border = sub(add_ppr(paragraph(parent)), "pBdr")
            sub(border, "bottom", val="single", sz="6", space="1", color="auto")
        elif kind is m.Table:
            mark = self._mark(block.id)
            label = lambda p: caption_label(p, self._word("Table"), "tbl", block.number, mark, block.within, self._colon())  # noqa: E731
            write_table(parent, block, self._inlines, self._tables, indent + QUOTE_INDENT * quote, label)
        elif kind is m.Figure:
            if self._pictures is None:
                paragraph(parent)  # the redline's scratch copy compares text: the picture's place
            else:
                self._pictures.write(parent, block, (self._available - indent - QUOTE_INDENT * quote) / 1440)
            if block.caption or block.number is not None:
                p = paragraph(parent, "Caption")
                caption_label(p, self._word("Figure"), "fig", block.number, self._mark(block.id), block.within,
                              self._colon())
                self._inlines.write(p, block.caption)
                if block.number is None and self._mark(block.id):
                    wrap_in_bookmark(p, self._mark(block.id))  # no number to hold it: the caption does
        elif kind is m.Div:
            self._div(parent, block, quote, indent)
        elif kind is m.DefinitionList:
            for term, definitions in block.items:
                p = self._paragraph(parent, quote, indent)
                self._inlines.write(p, term, frozenset({"b"}))
                for definition in definitions:
                    for child in definition:
                        self.block(parent, child, quote, indent + LIST_INDENT)
        elif kind is m.LineBlock:
            p = self._paragraph(parent, quote, indent, left_aligned=True)
            for i, line in enumerate(block.lines):
                if i:
                    sub(sub(p, "r"), "br")
                self._inlines.write(p, line)
        elif kind is m.Bibliography:
            write_bibliography(parent, block, self._inlines, self._marks)
        else:
            raise unknown_node("docx", block)

    def _bookmark_paragraph(self, p, block: m.Paragraph) -> None:
        """A paragraph's bookmark: its label's (a link [text](#id) or a reference goes
        there), or the one a subparagraph's reference goes through."""
        mark = self._mark(block.id) if block.id else None
        if mark is None and self._targets is not None:
            mark = self._targets.for_block(block)
        if mark is not None:
            wrap_in_bookmark(p, mark)

    def _colon(self) -> str:
        """": " between a caption's label and its text, in the document's language."""
        return self._word(CAPTION_SEPARATOR) or CAPTION_SEPARATOR

    def _mark(self, label: str | None):
        """The bookmark a cross-reference to ``label`` points at (None: no bookmark)."""
        return self._targets.get(label) if self._targets is not None else None

    def _div(self, parent, div: m.Div, quote: int, indent: int) -> None:
        """A box or callout as a one-cell table with a frame (Word keeps it whole and
        repeats nothing); a plain group as its blocks."""
        if div.kind == "group":
            for child in div.children:
                self.block(parent, child, quote, indent)
            return
        width = self._available - indent - QUOTE_INDENT * quote
        cell = frame(parent, div.kind, width)
        title = paragraph(cell)
        sub(add_ppr(title), "keepNext")
        if div.kind == "box":
            mark = self._mark(div.id)
            caption_label(title, self._word("Box"), "box", div.number, mark, separator=self._colon())
            self._inlines.write(title, div.title, frozenset({"b"}))
        else:
            word = div.kind.removeprefix("callout-").capitalize()
            if div.title:
                self._inlines.write(title, div.title, frozenset({"b"}))
            else:
                text_run(title, self._word(word), run_properties(frozenset({"b"})))
        outer = self._available
        self._available = width - FRAME_MARGINS  # the cell, less its margins
        try:
            for child in div.children:
                self.block(cell, child, 0, 0)
        finally:
            self._available = outer
        if len(cell) == 0 or cell[-1].tag != w("p"):
            paragraph(cell)  # a cell must end with a paragraph

    def _paragraph(self, parent, quote: int, indent: int, hanging: bool = False,
                   left_aligned: bool = False):
        """A body paragraph: Normal, or BlockText inside quotes; indented in lists.

        Properties are appended in schema order (pStyle, ind, jc)."""
        style = "BlockText" if quote else None
        if not (indent or left_aligned):
            return paragraph(parent, style)
        p = paragraph(parent)
        ppr = add_ppr(p, style)
        if indent:
            left = str(indent + QUOTE_INDENT * quote)
            if hanging:
                sub(ppr, "ind", left=left, hanging=str(LIST_INDENT))
            else:
                sub(ppr, "ind", left=left)
        if left_aligned:
            # Normal is justified; a justified line ending in a manual break is stretched.
            sub(ppr, "jc", val="left")
        return p

    def _list(self, parent, block: m.ListBlock, quote: int, indent: int) -> None:
        """Items as paragraphs: a "•" or "N." marker, a tab to the hanging indent, the
        item's first paragraph; the item's other blocks follow at the item's indent.
        Plain text markers need no numbering part and survive any word processor."""
        if block.subparagraph:
            style = SUBPARAGRAPH_STYLES[block.subparagraph]
            self._numbered_items(parent, block, style, STEP * (block.subparagraph + 1), quote)
            return
        if block.recommendations:
            self._numbered_items(parent, block, RECOMMENDATION_STYLE, STEP, quote)
            return
        inner = indent + LIST_INDENT
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else "•"
            p = self._paragraph(parent, quote, inner, hanging=True)
            text_run(p, marker + "\t")
            rest = item
            if item and type(item[0]) is m.Paragraph:
                self._inlines.write(p, item[0].children)
                rest = item[1:]
            for child in rest:
                self.block(parent, child, quote, inner)

    def _numbered_items(self, parent, block: m.ListBlock, style: str, inner: int, quote: int) -> None:
        """A list whose items Word numbers from their paragraph style: a numbered
        paragraph's subparagraphs ((a), (b)… or (i), (ii)…: the Subparagraph styles'
        list levels) or recommendations (the Recommendation style's one list through
        the document, so the numbers run on from list to list). Each item's first
        paragraph takes ``style``; its other blocks follow at ``inner``, its text's indent."""
        for item in block.items:
            p = paragraph(parent, style)
            rest = item
            if item and type(item[0]) is m.Paragraph:
                self._inlines.write(p, item[0].children)
                self._bookmark_paragraph(p, item[0])
                rest = item[1:]
            for child in rest:
                self.block(parent, child, quote, inner)


def page_break_before(p) -> None:
    """Start paragraph ``p`` on a new page (``w:pageBreakBefore`` right after pStyle),
    instead of a break run, which would leave an empty line atop the next page.
    A table gets an empty paragraph before it to carry the break."""
    if p.tag == w("tbl"):
        p.addprevious(p.makeelement(w("p"), {}))
        p = p.getprevious()
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = p.makeelement(w("pPr"), {})
        p.insert(0, ppr)
    flag = ppr.makeelement(w("pageBreakBefore"), {})
    style = ppr.find(w("pStyle"))
    if style is not None:
        style.addnext(flag)
    else:
        ppr.insert(0, flag)
