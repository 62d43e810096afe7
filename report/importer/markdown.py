"""Model blocks → section Markdown that parses back to the same blocks.

:func:`write_block` takes one model block (notes as :class:`~report.model.Note`
or :class:`~report.model.Citation`, figures, captioned tables, cross-references)
and returns its Markdown. Text is escaped so that it renders as itself: every
character Markdown, the citation syntax, notes or attributes could read as markup
is backslash-escaped, and so are characters that open a block at a line start
(and in a figure's ``fig-alt``, those that could end the value). Each block is
then parsed back with the project's own parser and compared with what was meant
(:func:`~report.importer.signature.signature`); when Markdown cannot say
it (emphasis next to punctuation, say), the block is written again with less
formatting, and :attr:`MarkdownWriter.degraded` counts how often.
"""

from __future__ import annotations

import re

from report import model as m
from report.diagnostics import Location
from report.importer.signature import signature
from report.parse.markdown import parse_section
from report.sources.sections import SectionSource

_ALWAYS = re.compile(r"([\\`*_\[\]<>{}&@~^$])")
_EVERY = re.compile(r"([!-/:-@\[-`{-~])")
_ALT = re.compile(r'([\\"`*_\[\]!<>{}&@~^$=|])')  # what could end a quoted attribute or make markup
_LINE_START = re.compile(r"^(\s*)([#=+\-~|:]|\d+[.)])")
# The check rule CIT008 refuses these in notes; an imported note keeps them, silenced.
HANDWRITTEN = re.compile(r"\b(ibid\.?|ibidem|op\.\s?cit\.?|loc\.\s?cit\.?|id\.)(?=\W|$)", re.I)
LIST_BREAK = "<!-- -->"  # an HTML comment (dropped by the parser) keeps two adjacent lists apart
_LABELS = {"page": "p.", "paragraph": "para.", "section": "sec.", "chapter": "chap.", "volume": "vol.",
           "note": "n.", "line": "l.", "figure": "fig.", "column": "col.", "article-locator": "art."}


class MarkdownWriter:
    def __init__(self) -> None:
        self.degraded = 0

    def write_block(self, block) -> str:
        """The block's Markdown, verified by parsing it back (see the module doc)."""
        wanted = signature([block])
        for level in range(4):
            shown = block if level == 0 else _plain_block(block, level)
            text = _Writer(aggressive=level == 3).block(shown)
            if signature(_parse(text)) == (wanted if level == 0 else signature([shown])):
                if level:
                    self.degraded += 1
                return text
        if not isinstance(block, m.Paragraph):  # last resort: its text as plain paragraphs
            self.degraded += 1
            return "\n\n".join(self.write_block(m.Paragraph(inlines, block.location))
                                for inlines in m.block_inlines(block) if inlines)
        raise ValueError(f"cannot write this block as Markdown: {m.plain_text(next(m.block_inlines(block), ()))[:60]!r}")


def _parse(text: str) -> list:
    source = SectionSource("sections/check.md", "check", None, text, 1, Location("sections/check.md", 1, 1))
    section, problems = parse_section(source)
    return list(section.blocks) + (["problem"] if problems else [])


class _Writer:
    def __init__(self, aggressive: bool = False):
        self.aggressive = aggressive

    def block(self, block) -> str:
        if isinstance(block, m.Paragraph):
            return self.lines(self.inlines(block.children))
        if isinstance(block, m.Heading):
            text = self.inlines(_no_breaks(block.children)).replace("#", "\\#")
            return "#" * min(max(block.level, 1), 6) + " " + text
        if isinstance(block, m.BlockQuote):
            inner = "\n\n".join((LIST_BREAK + "\n\n" if i and isinstance(b, m.ListBlock) and
                                  isinstance(block.children[i - 1], m.ListBlock) else "") + self.block(b)
                                 for i, b in enumerate(block.children))
            return "\n".join(("> " + line).rstrip() for line in inner.split("\n"))
        if isinstance(block, m.ListBlock):
            return self.list(block)
        if isinstance(block, m.CodeBlock):
            fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", block.text)), default=0) + 1)
            return f"{fence}\n{block.text.rstrip(chr(10))}\n{fence}"
        if isinstance(block, m.Table):
            return self.table(block)
        if isinstance(block, m.ThematicBreak):
            return "---"
        if isinstance(block, m.Figure):
            return self.figure(block)
        raise ValueError(f"unknown block {type(block).__name__}")

    def figure(self, block: m.Figure) -> str:
        """``![Caption](src){#fig-x fig-alt="…" width=60%}``."""
        attrs = [f"#{block.id}"] if block.id else []
        if block.alt is not None:
            alt = (_EVERY if self.aggressive else _ALT).sub(r"\\\1", " ".join(block.alt.split()))
            attrs.append(f'fig-alt="{alt}"')
        if block.width:
            attrs.append(f"width={block.width}")
        image = f"![{self.inlines(_no_breaks(block.caption))}]({_destination(block.src)})"
        return image + ("{" + " ".join(attrs) + "}" if attrs else "")

    def list(self, block: m.ListBlock) -> str:
        items = []
        for n, item in enumerate(block.items, start=block.start):
            marker = f"{n}. " if block.ordered else "- "
            pad = " " * len(marker)
            text = ""
            for i, child in enumerate(item):
                if i:  # a nested list follows its item's first line directly: the list stays tight
                    text += "\n" if _tight(child) and i == 1 else "\n\n"
                if i and isinstance(child, m.ListBlock) and isinstance(item[i - 1], m.ListBlock):
                    text += LIST_BREAK + "\n\n"
                text += self.block(child)
            lines = text.split("\n")
            items.append(marker + lines[0] + "".join("\n" + (pad + line if line else "") for line in lines[1:]))
        loose = any(any(i and not (i == 1 and _tight(b)) for i, b in enumerate(item)) for item in block.items)
        return ("\n\n" if loose else "\n").join(items)

    def table(self, table: m.Table) -> str:
        def row(cells) -> str:
            return "| " + " | ".join(self.inlines(_no_breaks(c)).replace("|", "\\|") or " " for c in cells) + " |"
        lines = [row(table.header), "|" + "|".join(" --- " for _ in table.header) + "|"]
        lines += [row(r) for r in table.rows]
        if table.caption:  # the caption under the table, its label at its end
            lines += ["", ": " + self.inlines(_no_breaks(table.caption)) + (f" {{#{table.id}}}" if table.id else "")]
        return "\n".join(lines)

    def lines(self, text: str) -> str:
        """Escape what would open a block at the start of each line."""
        out = []
        for line in text.split("\n"):
            line = line.lstrip(" ")
            out.append(_LINE_START.sub(_escape_start, line))
        return "\n".join(out)

    def text(self, text: str) -> str:
        return (_EVERY if self.aggressive else _ALWAYS).sub(r"\\\1", text)

    @staticmethod
    def crossref(node: m.CrossRef, following, before: str) -> str:
        """``@fig-x``; bracketed when the text around would join the label or an
        escaped "[" before it would hide it (``[@fig-x]``), or for the number alone
        (``[-@fig-x]``)."""
        after = following.text if type(following) is m.Text else ""
        joins = re.match(r"\w|[:.#$%&+?<>~/-]+\w", after) or re.search(r"[\w_.+@-]$", before) or "\\[" in before
        label = "@" + ("; @".join(node.labels))
        return f"[-{label}]" if node.bare else f"[{label}]" if joins or len(node.labels) > 1 else label

    def inlines(self, nodes) -> str:
        out = []
        for i, node in enumerate(nodes):
            kind = type(node)
            if kind is m.Text:  # "(" or ":" right after "[@fig-x]" would make it a link (or a stray fence)
                out.append(("\\" if node.text[:1] in "(:" and i and type(nodes[i - 1]) is m.CrossRef else "")
                           + self.text(node.text))
            elif kind is m.Emph:
                out.append("*" + self.inlines(node.children) + "*")
            elif kind is m.Strong:
                out.append("**" + self.inlines(node.children) + "**")
            elif kind is m.Code:
                out.append(_code(node.text))
            elif kind is m.LineBreak:
                out.append("\\\n")
            elif kind is m.Link:
                out.append("[" + self.inlines(node.children) + "](" + _destination(node.href) + ")")
            elif kind is m.Span:
                out.append(self.inlines(node.children))
            elif kind is m.Citation:
                out.append(citation(node))
            elif kind is m.CrossRef:
                out.append(self.crossref(node, nodes[i + 1] if i + 1 < len(nodes) else None, "".join(out)))
            elif kind is m.Note:
                noqa = "<!-- noqa: CIT008 -->" if HANDWRITTEN.search(m.plain_text(node.children)) else ""
                out.append("^[" + noqa + self.inlines(node.children) + "]")  # on the note's line, never a line start
            else:
                raise ValueError(f"unknown inline {kind.__name__}")
        return "".join(out)


def _tight(block) -> bool:
    return isinstance(block, m.ListBlock) and (not block.ordered or block.start == 1)


def citation(node: m.Citation) -> str:
    items = []
    for item in node.items:
        text = (item.prefix + " " if item.prefix else "") + "@" + item.key
        if item.locator:
            label = _LABELS.get(item.locator_label or "page", "p.")
            if label in ("p.", "para.") and re.search(r"[-–—,&]", item.locator):
                label = "pp." if label == "p." else "paras."
            text += f", {label} {item.locator}"
        items.append(text)
    return "[" + "; ".join(items) + "]"


def _escape_start(match) -> str:
    lead, mark = match.group(1), match.group(2)
    if mark[0].isdigit():
        return lead + mark[:-1] + "\\" + mark[-1]
    return lead + "\\" + mark


def _code(text: str) -> str:
    text = text.replace("\n", " ")
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _destination(href: str) -> str:
    href = "".join(c if c > " " and c not in "<>\\" else "%{:02X}".format(ord(c)) for c in href)
    if href.count("(") != href.count(")"):
        return "<" + href + ">"
    return href


def _no_breaks(nodes) -> tuple:
    return tuple(m.Text(" ", n.location) if isinstance(n, m.LineBreak) else n for n in nodes)


def _plain_block(block, level: int):
    """The block with emphasis and code (level 1), and links too (level 2+), as plain text."""
    def strip(nodes) -> tuple:
        out = []
        for node in nodes:
            if isinstance(node, (m.Emph, m.Strong, m.Span)) or (level >= 2 and isinstance(node, m.Link)):
                out.extend(strip(node.children))
            elif isinstance(node, m.Code):
                out.append(m.Text(node.text, node.location))
            elif isinstance(node, m.Note):
                out.append(m.Note(strip(node.children), node.location))
            elif isinstance(node, m.Link):
                out.append(m.Link(node.href, strip(node.children), node.location))
            else:
                out.append(node)
        return tuple(out)
    return m.map_inlines(block, strip)
