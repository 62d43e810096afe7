"""Model nodes → HTML fragments, every text escaped.

:class:`HtmlWriter` has two media. ``screen`` writes each footnote as a numbered
call linking to an endnote list; ``print`` (used by the PDF backend) writes each
note as an inline ``span.footnote`` at its call site for CSS ``float: footnote``.
An unknown node is an :class:`~report.render.base.UnknownNodeError`.
"""

from __future__ import annotations

import dataclasses
import re

from markupsafe import Markup, escape

from report import model as m
from report.render.base import unknown_node
from report.render.bibliography import bibliography_html
from report.render.figures import figure_width
from report.render.labels import CAPTION_SEPARATOR, annex_parts, message, translator
from report.render.text import plain_label, safe_href, visible
from report.render.scripts import ltr_segments

_UNSAFE_TOKEN = re.compile(r"[^A-Za-z0-9_:.-]")


def clean_token(value: str | None) -> str:
    """An id or class name reduced to ``[A-Za-z0-9_:.-]`` ('' when nothing is left)."""
    return _UNSAFE_TOKEN.sub("", value or "")


def split_notes(nodes) -> tuple[tuple, list]:
    """``nodes`` without their footnotes (searched through Emph, Strong, Span and
    Link children), and those footnotes in reading order."""
    kept, notes = [], []
    for node in nodes:
        if isinstance(node, m.Footnote):
            notes.append(node)
        elif isinstance(node, (m.Emph, m.Strong, m.Span, m.Link, m.Strikeout, m.Superscript, m.Subscript)):
            children, inner = split_notes(node.children)
            notes += inner
            kept.append(dataclasses.replace(node, children=children) if inner else node)
        else:
            kept.append(node)
    return tuple(kept), notes


# Span classes that mark a passage for the checks (an incident described, a provision
# argued) and change nothing readers see (docs/authors.md).
MARK_ONLY_CLASSES = frozenset({"incident", "provision"})


def _attrs(id_: str | None = None, classes=()) -> str:
    out = ""
    if clean_token(id_):
        out += f' id="{clean_token(id_)}"'
    names = [c for c in (clean_token(c) for c in classes) if c]
    if names:
        out += f' class="{" ".join(names)}"'
    return out


_STYLED_TAGS = {m.Strikeout: "del", m.Superscript: "sup", m.Subscript: "sub"}
def css_width(width: str | None) -> str:
    """A figure's width attribute as CSS ("width: 60%"; the stylesheet keeps it within
    the text), '' when it has none."""
    parsed = figure_width(width)
    return f"width: {parsed[0]}{parsed[1]}" if parsed else ""


def _counted(kind: str, number: str) -> bool:
    """Whether the layout counts this target (a section referred to by its title is not)."""
    return kind != "sec" or all(part.isdigit() for part in number.split("."))


def _aligned(start: str, align: str | None) -> str:
    if align in ("left", "center", "right"):
        return start[:-1] + f' style="text-align: {align}">'
    return start


class HtmlWriter:
    """Model nodes → HTML text, every text escaped. ``media`` is "screen" or "print"."""

    name = "html"

    def __init__(self, media: str = "screen", _=None, images=None, anchors=None, rtl: bool = False):
        """``_`` is the tool's catalog for the document's language (the words of
        captions); ``images(figure)`` gives a figure's ``<img src>`` for the media
        (:func:`report.render.figures.screen_images` or ``print_images``), or None
        to leave the image out;
        ``anchors`` maps ``id(block)`` to the id of a numbered figure or table
        (:func:`report.render.lists.anchors`: the lists of figures link to them)."""
        if media not in ("screen", "print"):
            raise ValueError(media)
        self.media = media
        self._in_link = self._bare_link = False
        self._ = _ or (lambda text: text)
        self._images = images
        self._anchors = anchors or {}
        # A right-to-left document: left-to-right runs in its text (UN symbols, URLs,
        # Latin titles) are isolated in <span dir="ltr">, so the bidi algorithm cannot
        # reorder their parts or the punctuation around them.
        self._rtl = rtl

    # --- inline ---------------------------------------------------------
    def inlines(self, nodes) -> str:
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node) -> str:
        if isinstance(node, m.Text):
            if self._rtl:
                return self._bidi_text(visible(node.text))
            return str(escape(visible(node.text)))
        if isinstance(node, m.Emph):
            return f"<em>{self.inlines(node.children)}</em>"
        if isinstance(node, m.Strong):
            return f"<strong>{self.inlines(node.children)}</strong>"
        if isinstance(node, m.Code):
            direction = ' dir="ltr"' if self._rtl else ""
            return f"<code{direction}>{escape(visible(node.text))}</code>"
        if isinstance(node, m.LineBreak):
            return "<br>\n"
        if isinstance(node, m.Link):
            return self.link(node)
        if isinstance(node, m.Span):
            inner = self.inlines(node.children)
            if self.media == "print" and node.classes and set(node.classes) <= MARK_ONLY_CLASSES:
                # Data for the checks and the evidence matrix, never seen by readers: in the
                # PDF an empty anchor keeps the id's links, without an inline box around the
                # passage (such boxes cost WeasyPrint a tenth of its layout time).
                return (f"<a{_attrs(node.id)}></a>" if clean_token(node.id) else "") + inner
            attrs = _attrs(node.id, node.classes)
            return f"<span{attrs}>{inner}</span>" if attrs else inner
        if isinstance(node, m.Footnote):
            return self.footnote(node)
        tag = _STYLED_TAGS.get(type(node))
        if tag:
            return f"<{tag}>{self.inlines(node.children)}</{tag}>"
        if isinstance(node, m.Ref):
            return self.ref(node)
        raise unknown_node(self.name, node)

    def _bidi_text(self, text: str) -> str:
        out = []
        for ltr, piece in ltr_segments(text):
            if not ltr:
                out.append(str(escape(piece)))
            elif self._in_link and self._bare_link:
                out.append(str(escape(piece)))  # the link itself is dir="ltr"
            else:
                # a symbol or a short word (no space) is not broken across lines
                word = (' class="ltr-word"' if len(piece) <= 40 and "://" not in piece
                        and not any(c.isspace() for c in piece) else "")
                out.append(f'<span dir="ltr"{word}>{escape(piece)}</span>')
        return "".join(out)

    def ref(self, node: m.Ref) -> str:
        """A cross-reference: its words, then each number linked to its target. In
        print the numbers of figures, tables, boxes and numbered headings are left to
        the layout (``target-counter``), so they are the numbers the PDF shows."""
        links = []
        pairs = list(zip(node.targets, node.numbers))
        if node.span:  # "paras. 12–14": the first and the last linked
            pairs = [pairs[0], pairs[-1]]
        for target, number in pairs:
            href = f"#{clean_token(target)}"
            if node.kind == "para" and number.count(" ") == 1 and self.media == "print":
                # a subparagraph, "12 (b)": its paragraph's counter and its item's
                links.append(f'<a class="xref xref-subpara1" href="{href}"></a>')
            elif self.media == "print" and _counted(node.kind, number) and " " not in number:
                kind = node.kind + (str(number.count(".") + 1) if node.kind == "sec" else "")
                if node.kind in ("fig", "tbl") and "." in number:  # "II.1": numbered within annex II
                    kind += "-within"
                links.append(f'<a class="xref xref-{kind}" href="{href}"></a>')
            else:
                links.append(f'<a class="xref" href="{href}">{escape(visible(number))}</a>')
        if len(links) == 1:
            joined = links[0]
        elif node.span:
            joined = f"{links[0]}\u2013{links[-1]}"
        else:
            joined = f"{', '.join(links[:-1])} {escape(visible(node.conjunction))} {links[-1]}"
        return f"{escape(visible(node.words))}\u00a0{joined}" if node.words else joined

    def link(self, node: m.Link) -> str:
        """``<a>`` for a safe target, else the link's text alone. Footnotes inside the
        link text are written right after ``</a>``: a note call is itself a link (and a
        print note may hold links), and HTML forbids ``<a>`` inside ``<a>``. A link
        inside a link (never from Markdown) is written as its text."""
        href = "#" + clean_token(node.href[1:]) if node.href.startswith("#") else safe_href(node.href)
        if href in (None, "#") or self._in_link:
            return self.inlines(node.children)
        children, notes = split_notes(node.children)
        shown = m.plain_text(children).strip()
        # A bare URL gets class "url" so the stylesheet may break it anywhere.
        bare = ' class="url"' if shown in ("", node.href.strip()) else ""
        self._in_link, self._bare_link = True, bool(bare)
        try:
            # A link with no text (or only a note) would be invisible: show the address.
            text = self.inlines(children) if shown else str(escape(href))
        finally:
            self._in_link = False
        direction = ' dir="ltr"' if self._rtl and bare else ""
        return f'<a href="{escape(href)}"{bare}{direction}>{text}</a>' + "".join(self.footnote(n) for n in notes)

    def footnote(self, node: m.Footnote) -> str:
        n = int(node.number)
        if self.media == "print":
            # WeasyPrint numbers footnotes by document order; counter-set pins the
            # call and marker to the model's number whatever the order (the
            # element's own increment runs after the set, hence n - 1).
            return (f'<span class="footnote" id="fn-{n}" style="counter-set: footnote {n - 1}">'
                    f"{self.inlines(node.children)}</span>")
        return (f'<sup class="fn-call" id="fnref-{n}">'
                f'<a href="#fn-{n}" role="doc-noteref">{n}</a></sup>')

    # --- blocks ---------------------------------------------------------
    def blocks(self, blocks) -> str:
        return "".join(self.block(block) for block in blocks)

    def block(self, block) -> str:
        if isinstance(block, m.Heading):
            level = min(max(int(block.level), 1), 6)
            label = self._label(m.plain_text(block.children))
            number = ""
            if block.number:
                shown = "" if self.media == "print" else escape(block.number)
                number = f'<span class="number">{shown}</span> '
            classes = ["numbered"] if block.number else []
            return f"<h{level}{_attrs(block.id, classes)}{label}>{number}{self.inlines(block.children)}</h{level}>\n"
        if isinstance(block, m.Paragraph):
            if block.number is not None:
                # UN style: the number before the text; in print the layout counts it (para counter)
                shown = "" if self.media == "print" else f"{int(block.number)}."
                return (f'<p{_attrs(block.id, ("numbered-para",) + tuple(block.classes))}>'
                        f'<span class="para-number">{shown}</span> {self.inlines(block.children)}</p>\n')
            return f"<p{_attrs(block.id, block.classes)}>{self.inlines(block.children)}</p>\n"
        if isinstance(block, m.BlockQuote):
            return f"<blockquote>\n{self.blocks(block.children)}</blockquote>\n"
        if isinstance(block, m.ListBlock):
            items = "".join(f"<li>{self.blocks(item)}</li>\n" for item in block.items)
            if block.recommendations:  # numbered across the report: in print by the rec counter (structure_css)
                addressee = f' data-addressee="{escape(visible(block.addressee))}"' if block.addressee else ""
                start = int(block.first_recommendation or 1)
                return f'<ol class="recommendations" start="{start}"{addressee}>\n{items}</ol>\n'
            if block.subparagraph:  # a numbered paragraph's (a) → (i) → a. → i.: see structure_css
                kind = "a" if block.subparagraph % 2 else "i"
                return f'<ol class="subparagraphs subparagraphs-{block.subparagraph}" type="{kind}">\n{items}</ol>\n'
            if block.ordered:
                start = ""
                if int(block.start) != 1:
                    # WeasyPrint ignores the start attribute: the PDF needs the counter set.
                    reset = f' style="counter-reset: list-item {int(block.start) - 1}"' if self.media == "print" else ""
                    start = f' start="{int(block.start)}"' + reset
                return f"<ol{start}>\n{items}</ol>\n"
            return f"<ul>\n{items}</ul>\n"
        if isinstance(block, m.CodeBlock):
            return f"<pre><code>{escape(visible(block.text))}</code></pre>\n"
        if isinstance(block, m.ThematicBreak):
            return "<hr>\n"
        if isinstance(block, m.Table):
            return self.table(block)
        if isinstance(block, m.Figure):
            return self.figure(block)
        if isinstance(block, m.Div):
            return self.div(block)
        if isinstance(block, m.DefinitionList):
            items = "".join(f"<dt>{self.inlines(term)}</dt>\n" + "".join(f"<dd>{self.blocks(d)}</dd>\n" for d in defs)
                            for term, defs in block.items)
            return f"<dl>\n{items}</dl>\n"
        if isinstance(block, m.LineBlock):
            lines = "<br>\n".join(self.inlines(line) for line in block.lines)
            return f'<div class="line-block">{lines}</div>\n'
        if isinstance(block, m.Bibliography):
            return bibliography_html(self, block)
        raise unknown_node(self.name, block)

    def label(self, word: str, number: int | None, counter: str, within: str = "") -> str:
        """"Figure 2: " before a caption ("Figure II.1: " ``within`` annex II): the number
        as text on screen, from the layout's counters in print (``span.number`` is filled
        by the stylesheet)."""
        if number is None:
            return ""
        shown = "" if self.media == "print" else (f"{escape(within)}." if within else "") + str(int(number))
        separator = message(self._, CAPTION_SEPARATOR) or CAPTION_SEPARATOR
        mark, space = separator.rstrip(" "), separator[len(separator.rstrip(" ")):]
        return (f'<span class="caption-label">{escape(visible(self._(word)))}\u00a0'
                f'<span class="number" data-counter="{counter}">{shown}</span>{escape(mark)}</span>{space}')

    def figure(self, figure: m.Figure) -> str:
        """``<figure>`` with the image (embedded on screen, served by the fetcher in
        print: :mod:`report.render.figures`) and its caption; ``alt`` is the
        alternative text, never the caption."""
        src = self._images(figure) if self._images else None
        numbered = " numbered" if figure.number is not None else ""
        out = [f'<figure class="figure{numbered}"{_attrs(self._anchors.get(id(figure), figure.id))}>\n']
        if src is not None:
            style = css_width(figure.width)
            style_attr = f' style="{style}"' if style else ""
            out.append(f'<img src="{src}" alt="{escape(visible(figure.alt or ""))}"'
                       f'{style_attr}>\n')
        if figure.caption or figure.number is not None:
            label = self.label('Figure', figure.number, 'figure', figure.within)
            out.append(f"<figcaption>{label}{self.inlines(figure.caption)}</figcaption>\n")
        out.append("</figure>\n")
        return "".join(out)

    def div(self, div: m.Div) -> str:
        """A box (numbered, titled frame), a callout (titled with its kind's word) or a
        plain group of blocks."""
        inner = self.blocks(div.children)
        if div.kind == "group":
            return f"<div{_attrs(div.id, div.classes)}>\n{inner}</div>\n"
        if div.kind == "box":
            numbered = " numbered" if div.number is not None else ""
            title = f'<p class="box-title">{self.label("Box", div.number, "box")}{self.inlines(div.title)}</p>\n'
            return f'<aside class="box{numbered}"{_attrs(div.id)}>\n{title}{inner}</aside>\n'
        word = div.kind.removeprefix("callout-").capitalize()
        title = self.inlines(div.title) if div.title else escape(visible(self._(word)))
        return (f'<aside class="callout {div.kind}"{_attrs(div.id)}>\n'
                f'<p class="callout-title">{title}</p>\n{inner}</aside>\n')

    def table(self, table: m.Table) -> str:
        """``<table>``: optional caption, a ``thead`` row of ``th scope="col"`` (when
        the table has a header), a ``tbody``. Short rows are padded with empty cells
        so every row has as many cells as the widest one."""
        width = max([len(table.header)] + [len(row) for row in table.rows])

        aligns = tuple(table.aligns) + (None,) * (width - len(table.aligns))

        def cells(row, start: str, end: str) -> str:
            padded = tuple(row) + ((),) * (width - len(row))
            return "".join(f"{_aligned(start, align)}{self.inlines(cell)}{end}" for cell, align in zip(padded, aligns))

        classes = " ".join(c for c in ("fixed" if table.widths else "", "numbered" if table.number else "") if c)
        out = [f'<table{_attrs(self._anchors.get(id(table), table.id), classes.split())}>\n']
        if table.caption:
            out.append(f"<caption>{self.label('Table', table.number, 'table', table.within)}{self.inlines(table.caption)}</caption>\n")
        if table.widths:
            total = sum(table.widths) or 1
            cols = "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in table.widths)
            out.append(f"<colgroup>{cols}</colgroup>\n")
        if table.header:
            head = cells(table.header, '<th scope="col">', "</th>")
            out.append(f"<thead>\n<tr>{head}</tr>\n</thead>\n")
        out.append("<tbody>\n")
        out.extend(f"<tr>{cells(row, '<td>', '</td>')}</tr>\n" for row in table.rows)
        out.append("</tbody>\n</table>\n")
        return "".join(out)

    def section(self, section: m.Section) -> str:
        if section.title is None:
            return f'<section class="section untitled">\n{self.blocks(section.blocks)}</section>\n'
        title = visible(section.title)
        if section.annex:
            return self._annex(section, title)
        number, classes = "", []
        if section.number:
            number = f'<span class="number">{"" if self.media == "print" else escape(section.number)}</span> '
            classes = ["numbered"]
        # the list of sources (report.render.bibliography) is a section.bibliography
        kind = "section bibliography" if any(isinstance(b, m.Bibliography) for b in section.blocks) else "section"
        return (f'<section class="{kind}">\n<h1{_attrs(section.id, classes)}{self._label(title)}>{number}{escape(title)}</h1>\n'
                f"{self.blocks(section.blocks)}</section>\n")

    def _annex(self, section: m.Section, title: str) -> str:
        """An annex: "Annex II" above its title, the numeral from the annex counter in
        print; ``annex-within`` when its figures and tables are numbered within it."""
        before, after = annex_parts(self._)
        numeral = "" if self.media == "print" else escape(section.number or "")
        label = (f'<span class="annex-label">{escape(before)}<span class="number">{numeral}</span>'
                 f'{escape(after)}</span> ')
        within = any(getattr(b, "within", "") for b in m.walk_blocks(section.blocks))
        kind = "section annex" + (" annex-within" if within else "")
        shown = f"{before}{section.number or ''}{after} {title}"
        return (f'<section class="{kind}">\n<h1{_attrs(section.id)}{self._label(shown)}>{label}{escape(title)}</h1>\n'
                f"{self.blocks(section.blocks)}</section>\n")

    def _label(self, text: str) -> str:
        """The ``data-label`` attribute of a print heading: its text without footnotes,
        which the print CSS makes the PDF bookmark (else WeasyPrint's default label,
        the heading's content, takes in the note call's number). '' on screen."""
        if self.media != "print":
            return ""
        return f' data-label="{escape(plain_label(text))}"'

    def endnotes(self, document: m.Document, _=None) -> list[dict]:
        """The screen endnotes: number and note HTML (with its back link), in reading order.
        ``_`` translates the back link's label (the document's catalog by default)."""
        _ = _ or translator(document)
        notes = []
        for note in document.footnotes():
            n = int(note.number)
            label = escape(plain_label(message(_, "Back to note call {number}", number=n)))
            back = f' <a href="#fnref-{n}" role="doc-backlink" aria-label="{label}">↩</a>'
            notes.append({"number": n, "html": Markup(self.inlines(note.children) + back)})
        return notes
