"""Model blocks → section Markdown that parses back to the same blocks.

:func:`write_block` takes one model block (notes as :class:`~report.model.Note`
or :class:`~report.model.Citation`) and returns its Markdown. Text is escaped so
that it renders as itself: every character Markdown, the citation syntax, notes
or attributes could read as markup is backslash-escaped, and so are characters
that open a block at a line start. Each block is then parsed back with the
project's own parser and compared with what was meant; when Markdown cannot say
it (emphasis next to punctuation, say), the block is written again with less
formatting, and :attr:`MarkdownWriter.degraded` counts how often.
"""

from __future__ import annotations

import re

from markdown_it.common.normalize_url import normalizeLink

from report import model as m
from report.diagnostics import Location
from report.parse.markdown import parse_section
from report.sources.sections import SectionSource

_ALWAYS = re.compile(r"([\\`*_\[\]<>{}&@~^$])")
_EVERY = re.compile(r"([!-/:-@\[-`{-~])")
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
        raise ValueError(f"unknown block {type(block).__name__}")

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

    def inlines(self, nodes) -> str:
        out = []
        for node in nodes:
            kind = type(node)
            if kind is m.Text:
                out.append(self.text(node.text))
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


def signature(blocks) -> list:
    """What a block means, without locations: structure, text (white space collapsed), notes."""
    out = []
    for block in blocks:
        if isinstance(block, m.Paragraph):
            out.append(("P", _inl(block.children)))
        elif isinstance(block, m.Heading):
            out.append(("H", block.level, _inl(block.children)))
        elif isinstance(block, m.BlockQuote):
            out.append(("Q", signature(block.children)))
        elif isinstance(block, m.ListBlock):
            out.append(("L", block.ordered, block.start if block.ordered else 1, [signature(i) for i in block.items]))
        elif isinstance(block, m.CodeBlock):
            out.append(("C", block.text.rstrip("\n")))
        elif isinstance(block, m.Table):
            out.append(("T", [_inl(c) for c in block.header], [[_inl(c) for c in r] for r in block.rows]))
        else:
            out.append((type(block).__name__,))
    return out


def _inl(nodes) -> list:
    tokens: list = []
    for node in nodes:
        if isinstance(node, m.Text):
            if tokens and tokens[-1][0] == "t":
                tokens[-1] = ("t", tokens[-1][1] + node.text)
            else:
                tokens.append(("t", node.text))
        elif isinstance(node, m.Span):
            tokens.extend(_inl(node.children))
        elif isinstance(node, m.Citation):
            tokens.append(("cite", tuple((i.key, i.prefix, i.locator_label, i.locator, i.suffix) for i in node.items)))
        elif isinstance(node, m.LineBreak):
            tokens.append(("br",))
        elif isinstance(node, m.Code):
            tokens.append(("c", node.text.strip()))
        elif type(node) in (m.Emph, m.Strong) and len(_solid(node.children)) == 1 and \
                type(_solid(node.children)[0]) in (m.Emph, m.Strong) and type(_solid(node.children)[0]) is not type(node):
            tokens.append(("Emph+Strong", _inl(_solid(node.children)[0].children)))  # ***x***, either nesting
        else:
            extra = (normalizeLink(node.href),) if isinstance(node, m.Link) else ()
            tokens.append((type(node).__name__,) + extra + (_inl(node.children),))
    out = []
    for i, token in enumerate(tokens):
        if token[0] == "t":
            text = " ".join(token[1].split())
            text = (" " if token[1][:1].isspace() and i and tokens[i - 1][0] != "br" else "") + text
            text += " " if token[1][-1:].isspace() and i + 1 < len(tokens) and tokens[i + 1][0] != "br" and text else ""
            if text:
                out.append(("t", text))
        else:
            out.append(token)
    return out


def _solid(nodes) -> list:
    return [n for n in nodes if not (type(n) is m.Text and not n.text)]
