"""Section Markdown → model blocks, through markdown-it-py.

Takes a :class:`~report.sources.sections.SectionSource`; returns the section's
blocks (with :class:`Citation` and :class:`Note` still unresolved) and the
diagnostics met on the way. Block tokens carry 0-based line ranges relative to
the body; ``body_line`` turns them into file lines here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from report import model as m
from report.diagnostics import Diagnostic, Location, error, warning
from report.parse.attributes import Attributes, split_trailing
from report.parse import constructs
from report.parse.citations import citation_rule
from report.parse.fenced_divs import fenced_div_rule
from report.parse.intext import intext_rule
from report.parse.line_blocks import line_block_rule
from report.parse.constructs import closing_token
from report.parse.inlines import InlineReader, is_comment
from report.parse.notes import NoteReader
from report.parse import recommendations
from report.sources.sections import SectionSource


def make_parser() -> MarkdownIt:
    """CommonMark with GFM pipe tables and strikeout, and Pandoc's extensions this tool
    renders: notes, attributes, fenced divs, definition lists, line blocks,
    superscript, subscript, citations and cross-references. Raw HTML and math are
    recognised so that they can be refused (HTML comments are dropped: they carry
    noqa suppressions)."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # Escapes stay text_special tokens, so that "\\{#id}" is text and "{#id}" a leftover
    # attribute block; the builder joins the text itself.
    md.core.ruler.disable("text_join")
    md.use(footnote_plugin, inline=True, move_to_end=False)
    # Attributes after images are read by the builder (Pandoc's grammar, "width=60%").
    # After a note's call: ``^[…]{.confidential}`` (see NoteReader.marked_note).
    md.use(attrs_plugin, spans=True, after=("code_inline", "link_close", "span_close", "footnote_ref"))
    md.use(attrs_block_plugin)
    md.use(deflist_plugin).use(superscript_plugin).use(sub_plugin)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.before("link", "citation", citation_rule)
    md.inline.ruler.after("citation", "intext", intext_rule)
    md.block.ruler.before("fence", "fenced_div", fenced_div_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.after("table", "line_block", line_block_rule)
    return md


_PARSER = None


def _parser() -> MarkdownIt:
    """The one parser of the process, made on first use."""
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER


def parse_section(source: SectionSource, translate=None) -> tuple[m.Section, list[Diagnostic]]:
    """The section's blocks and the problems met. ``translate`` (context, text, where) →
    (text, location) or None gives a heading's or paragraph's translated Markdown, which is
    parsed in its place; nodes from it are located at the translation (its PO line)."""
    env: dict = {}
    tokens = _parser().parse(source.body, env)
    builder = _Builder(source, env, translate)
    builder.define_notes(tokens)
    for start in constructs.pandoc_table_starts(builder.lines):
        builder.problems.append(error("MD013", "Pandoc's simple and multiline tables are not supported",
                                      builder.loc(start), "write a pipe table: | a | b | then | --- | --- |"))
    for start in constructs.yaml_block_starts(builder.lines):
        builder.problems.append(error("MD030", "a YAML metadata block inside a section's text", builder.loc(start),
                                      "metadata goes in the front matter at the top of the file, or in report.yaml; "
                                      "a rule is *** or ___"))
    blocks = builder.blocks(tokens, 0, len(tokens))
    blocks = _recommendations(source, blocks, builder.problems, translate)
    for line in constructs.dropped_attribute_lines(builder.lines, tokens):
        builder.problems.append(error("MD021", "an attribute block that belongs to nothing", builder.loc(line),
                                      "attributes go at the end of a heading or paragraph, or on the line "
                                      "right before one"))
    builder.unused_notes()
    return (m.Section(source.id, source.title, tuple(blocks), source.location, paragraphs_numbered=source.numbered,
                      confidential=source.confidential, annex=source.annex),
            builder.problems)


def _recommendations(source: SectionSource, blocks, problems: list, translate) -> tuple:
    """The section's blocks with its lists marked as recommendations when its front
    matter says ``recommendations: true``, and its ``addressee`` (translated) given to
    those of its recommendation lists that name none."""
    addressee = source.addressee
    if addressee and translate:
        found = translate(f"{source.id}:addressee", addressee, source.location)
        addressee = found[0].strip() if found else addressee
    if source.recommendations:
        blocks, found = recommendations.mark_lists(blocks, None)
        if not found:
            problems.append(warning("REC001", "a section marked 'recommendations: true' holds no list",
                                    source.location, "write each recommendation as an item of a list"))
    return recommendations.default_addressee(blocks, addressee)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    return re.sub(r"[\s_-]+", "-", text) or "section"


class _Builder(InlineReader, NoteReader):
    """Builds one section's blocks; its inline content and notes are read by the mixins."""

    def __init__(self, source: SectionSource, env: dict, translate=None):
        self.source = source
        self.env = env
        self.translate = translate
        self._fixed: Location | None = None  # while building a translation: its PO line
        self.raw = ""  # the Markdown of the inline content built last (translated or not)
        self._leftover_codes: set[str] = set()  # leftover markup reported in the current block
        self.lines = source.body.split("\n")
        self.problems: list[Diagnostic] = []
        self._line_starts: dict[str, list[int]] = {}
        self._segment_base: dict[tuple[int, int], int] = {}
        self.parser = _parser()

    def loc(self, body_line: int, col: int = 1) -> Location:
        return Location(self.source.path, self.source.body_line + body_line, col)

    # --- blocks -----------------------------------------------------------

    def blocks(self, tokens, start, end) -> list:
        out = []
        i = start
        caption = None  # a table caption written before its table: (children, attrs)
        while i < end:
            tok = tokens[i]
            close = closing_token(tokens, i) if tok.nesting == 1 else i
            line = tok.map[0] if tok.map else 0
            where = self.loc(line, self._indent(line) + 1)
            kind = tok.type
            if kind == "heading_open":
                out.append(self._heading(tok, tokens[i + 1], line, where))
            elif kind == "paragraph_open":
                inline = tokens[i + 1]
                if constructs.caption_text(inline.content) is not None:
                    following = tokens[close + 1].type if close + 1 < end else ""
                    preceding = out and isinstance(out[-1], m.Table) and not out[-1].caption and tokens[i - 1].type == "table_close"
                    if following == "table_open" or preceding:
                        found = self._caption(inline, line)
                        if preceding:
                            out[-1] = _captioned(out[-1], found)
                        else:
                            caption = found
                        i = close + 1
                        continue
                    self.problems.append(error("MD011", "a table caption with no table next to it", where,
                                               "write ': Caption' on its own paragraph right after the table"))
                else:
                    out.extend(self._paragraph(tok, inline, line, where))
            elif kind == "blockquote_open":
                out.append(m.BlockQuote(tuple(self.blocks(tokens, i + 1, close)), where))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                marked = None
                if set(tok.attrs) - {"start"}:
                    marked = recommendations.list_attributes(self.lines[line - 1] if line else "")
                    if marked is None:
                        self.problems.append(error("MD021", "attributes before a list, which takes none", self.loc(line - 1),
                                                   "put the id or class on a paragraph or heading, or leave it out; "
                                                   "a list takes {.recommendations addressee=\"…\"} only"))
                items = []
                j = i + 1
                while j < close:
                    item_close = closing_token(tokens, j)
                    items.append(self._task_item(tuple(self.blocks(tokens, j + 1, item_close))))
                    j = item_close + 1
                start_no = int(tok.attrs.get("start", 1)) if kind == "ordered_list_open" else 1
                out.append(m.ListBlock(kind == "ordered_list_open", start_no, tuple(items), where,
                                       recommendations=marked is not None,
                                       addressee=self._addressee(marked, where)))
            elif kind == "table_open":
                if tok.attrs:
                    self.problems.append(error("MD021", "attributes before a table", self.loc(line - 1),
                                               "a table's label goes at the end of its caption: ': Caption {#tbl-x}'"))
                table = self._table(tokens, i, close, where)
                out.append(_captioned(table, caption) if caption else table)
                caption = None
            elif kind in ("fence", "code_block"):
                if tok.info.strip().startswith("{="):
                    self.problems.append(error("MD015", f"raw {tok.info.strip()} blocks are not supported", where,
                                               "the outputs are Word, PDF and HTML: write Markdown"))
                else:
                    out.append(m.CodeBlock(tok.content, where))
            elif kind == "hr":
                out.append(m.ThematicBreak(where))
            elif kind == "html_block":
                # A closing tag's block ("</div>") belongs to the opening one, reported already.
                if not is_comment(tok.content) and not tok.content.lstrip().startswith("</"):
                    self._refuse_html(tok.content, where)
            elif kind == "div_open":
                out.extend(self._div(tok, tokens, i, close, line, where))
            elif kind == "dl_open":
                out.append(self._definitions(tokens, i, close, where))
                if close + 1 < end and tokens[close + 1].type == "table_open" and _labels_a_table(out[-1]):
                    # As in Pandoc, ': Caption' right under a paragraph is that paragraph's definition.
                    self.problems.append(error("MD011", "a table caption under a paragraph reads as a definition list",
                                               where, "write 'Table: Caption {#tbl-x}' above the table, or "
                                                      "': Caption {#tbl-x}' below it"))
            elif kind == "line_block_open":
                lines = tuple(self.translated_inlines(t, t.map[0], indent=t.meta["indent"]) for t in tokens[i + 1:close])
                out.append(m.LineBlock(lines, where))
            elif kind in ("math_block", "math_block_label"):
                self.problems.append(error("MD016", "display math is not supported", where,
                                           "write the formula as text, or show it as an image"))
            elif kind == "footnote_reference_open":
                pass  # a labelled note's text: taken where the note is called (_note)
            else:
                self.problems.append(error("MD001", f"unsupported Markdown element '{kind}'", where))
            i = close + 1
        return out

    def _table(self, tokens, start, end, where) -> m.Table:
        rows: list[list] = []
        header: tuple = ()
        aligns: list = []
        for j in range(start, end):
            tok = tokens[j]
            if tok.type == "th_open":
                style = str(tok.attrs.get("style", ""))
                aligns.append(style.partition("text-align:")[2].strip() or None)
            elif tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline" and rows:
                rows[-1].append(self.translated_inlines(tok, tok.map[0] if tok.map else 0))
            elif tok.type == "thead_close" and rows:
                header = tuple(rows.pop())
        return m.Table(header, tuple(tuple(r) for r in rows), where, aligns=tuple(aligns))

    def _task_item(self, blocks: tuple) -> tuple:
        """A list item; a task list's ``[ ]`` or ``[x]`` is refused: a report's fonts have
        no box to draw, and "[ ]" printed would be markup."""
        first = blocks[0] if blocks else None
        if isinstance(first, m.Paragraph) and first.children and isinstance(first.children[0], m.Text):
            if constructs.is_task(first.children[0].text):
                self.problems.append(error("MD025", "task lists are not supported", first.location,
                                           "write the item's status in words, e.g. 'Done:' or 'Open:'"))
        return blocks

    def _heading(self, tok, inline, line: int, where: Location) -> m.Heading:
        children = self.translated_inlines(inline, line)
        children, attrs = _trailing_attributes(children, self.raw)
        ident = (attrs.id if attrs else None) or tok.attrs.get("id") or slugify(m.plain_text(children))
        numbered = not (attrs and attrs.unnumbered) and "unnumbered" not in str(tok.attrs.get("class", "")).split()
        classes = (attrs.classes if attrs else ()) + tuple(str(tok.attrs.get("class", "")).split())
        self._not_confidential("a heading", classes, where)
        return m.Heading(int(tok.tag[1]), children, str(ident), where, numbered)

    def _paragraph(self, tok, inline, line: int, where: Location) -> list:
        refusal = constructs.paragraph_refusal(inline.content)
        if refusal is not None:
            self.problems.append(error(refusal[0], refusal[1], where, refusal[2]))
            return []
        parts = constructs.figure_parts(inline)
        if parts is not None:
            return [self._figure(parts, line, where)]
        children = self.translated_inlines(inline, line)
        children, attrs = _trailing_attributes(children, self.raw)
        ident = (attrs.id if attrs else None) or tok.attrs.get("id")
        classes = tuple(str(tok.attrs.get("class", "")).split()) + (attrs.classes if attrs else ())
        return [m.Paragraph(children, where, ident, classes)]

    def _figure(self, parts, line: int, where: Location) -> m.Figure:
        if parts.attrs.raw_format:
            self.problems.append(error("MD015", "raw attributes are not supported on an image", where))
        # Quarto's fig-cap attribute is the caption when the brackets hold none.
        caption = self._translated_text(parts.caption or parts.attrs.get("fig-cap") or "", line, where)
        alt = parts.attrs.get("fig-alt")
        if alt is not None and self.translate:
            found = self.translate(self.source.id, alt, where)
            alt = found[0] if found else alt
        if not parts.src.strip():
            self.problems.append(error("IMG001", "an image without a file", where, "write ![Caption](images/file.jpg)"))
        return m.Figure(parts.src, caption, alt, where, parts.attrs.id, parts.attrs.get("width"),
                        classes=parts.attrs.classes)

    def _caption(self, inline, line: int) -> tuple:
        """A table caption's inlines (after ':' or 'Table:') and its attributes."""
        children = self.translated_inlines(inline, line)
        if children and isinstance(children[0], m.Text):
            rest = constructs.caption_text(children[0].text)
            children = ((m.Text(rest, children[0].location),) if rest else ()) + children[1:]
        children, attrs = _trailing_attributes(children, self.raw)
        self._not_confidential("a table", attrs.classes if attrs else (), self.loc(line, self._indent(line) + 1))
        return children, attrs

    def _not_confidential(self, what: str, classes, where: Location) -> None:
        """A heading or a table marked ``.confidential`` would still be published: the
        public edition leaves out whole sections, divs, paragraphs, figures, spans, notes."""
        if "confidential" in classes:
            self.problems.append(error("EDN004", f"{what} cannot be marked confidential on its own", where,
                                       "put it in a ::: {.confidential} div, or mark its section "
                                       "'confidential: true' in the front matter"))

    def _div(self, tok, tokens, start: int, end: int, line: int, where: Location) -> list:
        attrs = constructs.div_attributes(tok.meta["attrs"])
        children = tuple(self.blocks(tokens, start + 1, end))
        if not tok.meta["closed"]:
            self.problems.append(error("MD017", "fenced div not closed", where, "close it with a line of ':::'"))
        if attrs is None or attrs.raw_format:
            self.problems.append(error("MD018", f"not a fenced div's attributes: '{tok.meta['attrs'][:40]}'", where,
                                       "write ::: {#box-id .box title=\"…\"} or ::: {.callout-note}"))
            return list(children)
        kind = "box" if "box" in attrs.classes else next((c for c in attrs.classes if c in m.CALLOUTS), "group")
        if kind == "group" and recommendations.CLASS in attrs.classes:
            children, found = recommendations.mark_lists(children, self._addressee(attrs, where))
            if not found:
                self.problems.append(warning("REC001", "a div marked .recommendations holds no list", where,
                                             "write each recommendation as an item of a list inside the div"))
        title = attrs.get("title")
        title_inlines = self._translated_text(title, line, where) if title else ()
        if kind.startswith("callout-") and not title and children and isinstance(children[0], m.Heading):
            title_inlines, children = children[0].children, children[1:]  # Quarto: a first heading is the title
        return [m.Div(kind, children, where, attrs.id, attrs.classes, title_inlines)]

    def _addressee(self, attrs: Attributes | None, where: Location) -> str | None:
        """A recommendation list's or div's ``addressee="…"``, from its translation when
        there is one (None when it names none)."""
        addressee = attrs.get("addressee") if attrs is not None else None
        if not addressee or not addressee.strip():
            return None
        found = self.translate(self.source.id, addressee, where) if self.translate else None
        return (found[0] if found else addressee).strip()

    def _definitions(self, tokens, start: int, end: int, where: Location) -> m.DefinitionList:
        items: list = []
        j = start + 1
        while j < end:
            tok = tokens[j]
            close = closing_token(tokens, j)
            if tok.type == "dt_open":
                items.append((self.translated_inlines(tokens[j + 1], tok.map[0] if tok.map else 0), []))
            elif tok.type == "dd_open" and items:
                items[-1][1].append(tuple(self.blocks(tokens, j + 1, close)))
            j = close + 1
        return m.DefinitionList(tuple((term, tuple(defs)) for term, defs in items), where)

    def _translated_text(self, text: str, line: int, where: Location) -> tuple:
        """Inline Markdown that is not a block's own (a caption, a box title), from its
        translation when there is one."""
        found = self.translate(self.source.id, text, where) if self.translate else None
        token = self.parser.parseInline(found[0] if found else text, self.env)[0]
        self._fixed = found[1] if found else self._fixed
        try:
            return self.inlines(token, line)
        finally:
            if found:
                self._fixed = None

    def _refuse_html(self, html: str, where: Location) -> None:
        self.problems.append(error("MD020", f"raw HTML '{html.strip()[:40]}' is not supported", where,
                                   "write Markdown; to show a tag as text, put it in `backticks` or escape its '<' as \\<"))

    def _indent(self, line: int) -> int:
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        return len(text) - len(text.lstrip(" "))

    # --- inlines ----------------------------------------------------------

def _trailing_attributes(children: tuple, raw: str) -> tuple[tuple, Attributes | None]:
    """``children`` without an attribute block ending its last text, and the attributes;
    ``raw`` is the Markdown they came from (an escaped "\\{#id\\}" is text, not attributes)."""
    if not children or not isinstance(children[-1], m.Text) or split_trailing(raw) is None:
        return children, None
    found = split_trailing(children[-1].text)
    if found is None:
        return children, None
    text, attrs = found
    last = (m.Text(text, children[-1].location),) if text else ()
    rest = children[:-1] + last
    while rest and isinstance(rest[-1], m.Text) and not rest[-1].text.strip():
        rest = rest[:-1]
    return rest, attrs


def _labels_a_table(definitions: m.DefinitionList) -> bool:
    """Whether the list's last definition is a paragraph labelled ``{#tbl-…}``: a table
    caption the definition-list syntax took."""
    last = definitions.items[-1][1][-1] if definitions.items and definitions.items[-1][1] else ()
    return len(last) == 1 and isinstance(last[0], m.Paragraph) and m.crossref_kind(last[0].id or "") == "tbl"


def _captioned(table: m.Table, caption: tuple) -> m.Table:
    children, attrs = caption
    return dataclasses.replace(table, caption=children, id=attrs.id if attrs else None)
