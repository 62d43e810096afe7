"""Section Markdown → model blocks, through markdown-it-py.

Takes a :class:`~report.sources.sections.SectionSource`; returns the section's
blocks (with :class:`Citation` and :class:`Note` still unresolved) and the
diagnostics met on the way. Block tokens carry 0-based line ranges relative to
the body; ``body_line`` turns them into file lines here and nowhere else.
"""

from __future__ import annotations

import bisect
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
from report.render.text import safe_href
from report.diagnostics import Diagnostic, Location, error, warning
from report.parse.attributes import Attributes, split_trailing
from report.parse import constructs
from report.parse.citations import bracket_pairs, citation_rule
from report.parse.fenced_divs import fenced_div_rule
from report.parse.intext import intext_rule
from report.parse.line_blocks import line_block_rule
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
    md.use(attrs_plugin, spans=True, after=("code_inline", "link_close", "span_close")).use(attrs_block_plugin)
    md.use(deflist_plugin).use(superscript_plugin).use(sub_plugin)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.before("link", "citation", citation_rule)
    md.inline.ruler.after("citation", "intext", intext_rule)
    md.block.ruler.before("fence", "fenced_div", fenced_div_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.after("table", "line_block", line_block_rule)
    return md


_PARSER = None


def parse_section(source: SectionSource, translate=None) -> tuple[m.Section, list[Diagnostic]]:
    """The section's blocks and the problems met. ``translate`` (context, text, where) →
    (text, location) or None gives a heading's or paragraph's translated Markdown, which is
    parsed in its place; nodes from it are located at the translation (its PO line)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    env: dict = {}
    tokens = _PARSER.parse(source.body, env)
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
    for line in constructs.dropped_attribute_lines(builder.lines, tokens):
        builder.problems.append(error("MD021", "an attribute block that belongs to nothing", builder.loc(line),
                                      "attributes go at the end of a heading or paragraph, or on the line "
                                      "right before one"))
    builder.unused_notes()
    return (m.Section(source.id, source.title, tuple(blocks), source.location, paragraphs_numbered=source.numbered),
            builder.problems)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    return re.sub(r"[\s_-]+", "-", text) or "section"


class _Builder:
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

    def define_notes(self, tokens) -> None:
        """Where each labelled note ``[^label]: …`` is defined; a label defined twice is an error."""
        self.definitions: dict[str, tuple] = {}
        self.called: set[str] = set()
        for i, tok in enumerate(tokens):
            if tok.type != "footnote_reference_open":
                continue
            label = tok.meta.get("label", "")
            line = tok.map[0] if tok.map else 0
            if label in self.definitions:
                self.problems.append(error("MD023", f"note [^{label}] is defined twice", self.loc(line, self._indent(line) + 1),
                                           "give each note its own label"))
                continue
            self.definitions[label] = (i, _closing(tokens, i), tokens)

    def unused_notes(self) -> None:
        for label, (start, _, tokens) in self.definitions.items():
            if label not in self.called:
                line = tokens[start].map[0] if tokens[start].map else 0
                self.problems.append(warning("MD024", f"note [^{label}] is defined but never called",
                                             self.loc(line, self._indent(line) + 1), f"call it with [^{label}] in the text, or remove it"))

    def loc(self, body_line: int, col: int = 1) -> Location:
        return Location(self.source.path, self.source.body_line + body_line, col)

    # --- blocks -----------------------------------------------------------

    def blocks(self, tokens, start, end) -> list:
        out = []
        i = start
        caption = None  # a table caption written before its table: (children, attrs)
        while i < end:
            tok = tokens[i]
            close = _closing(tokens, i) if tok.nesting == 1 else i
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
                if set(tok.attrs) - {"start"}:
                    self.problems.append(error("MD021", "attributes before a list, which takes none", self.loc(line - 1),
                                               "put the id or class on a paragraph or heading, or leave it out"))
                items = []
                j = i + 1
                while j < close:
                    item_close = _closing(tokens, j)
                    items.append(self._task_item(tuple(self.blocks(tokens, j + 1, item_close))))
                    j = item_close + 1
                start_no = int(tok.attrs.get("start", 1)) if kind == "ordered_list_open" else 1
                out.append(m.ListBlock(kind == "ordered_list_open", start_no, tuple(items), where))
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
                if not _is_comment(tok.content) and not tok.content.lstrip().startswith("</"):
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
                lines = tuple(self.inlines(t, t.map[0], indent=t.meta["indent"]) for t in tokens[i + 1:close])
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
                rows[-1].append(self.inlines(tok, tok.map[0] if tok.map else 0))
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
        return m.Figure(parts.src, caption, alt, where, parts.attrs.id, parts.attrs.get("width"))

    def _caption(self, inline, line: int) -> tuple:
        """A table caption's inlines (after ':' or 'Table:') and its attributes."""
        children = self.translated_inlines(inline, line)
        if children and isinstance(children[0], m.Text):
            rest = constructs.caption_text(children[0].text)
            children = ((m.Text(rest, children[0].location),) if rest else ()) + children[1:]
        return _trailing_attributes(children, self.raw)

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
        title = attrs.get("title")
        title_inlines = self._translated_text(title, line, where) if title else ()
        if kind.startswith("callout-") and not title and children and isinstance(children[0], m.Heading):
            title_inlines, children = children[0].children, children[1:]  # Quarto: a first heading is the title
        return [m.Div(kind, children, where, attrs.id, attrs.classes, title_inlines)]

    def _definitions(self, tokens, start: int, end: int, where: Location) -> m.DefinitionList:
        items: list = []
        j = start + 1
        while j < end:
            tok = tokens[j]
            close = _closing(tokens, j)
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
        token = _PARSER.parseInline(found[0] if found else text, self.env)[0]
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

    def translated_inlines(self, inline_token, line: int) -> tuple:
        """The inline content, from its translation when there is one."""
        where = self.loc(line, self._indent(line) + 1)
        found = self.translate(self.source.id, inline_token.content, where) if self.translate else None
        if found is None:
            self.raw = inline_token.content
            return self.inlines(inline_token, line)
        text, where = found
        self.raw = text
        translated = _PARSER.parseInline(text, self.env)[0]
        self._fixed = where
        try:
            return self.inlines(translated, line)
        finally:
            self._fixed = None

    def inlines(self, inline_token, line: int, indent: int = 0) -> tuple:
        src = inline_token.content
        self._leftover_codes: set[str] = set()
        self._unterminated(src, line, None)
        children = self._children(inline_token.children or [], src, line)
        if indent:  # a line block's leading spaces, kept as no-break spaces
            where = children[0].location if children else self.loc(line)
            children = (m.Text("\u00a0" * indent, where),) + children
        # A "^[" the source opens (not "^\\[", which is text) and no note closes.
        unclosed = len(re.findall(r"(?<!\\)\^\[", src)) > sum(isinstance(n, m.Note) for n in m.descendants(children))
        for node in children:
            if unclosed and isinstance(node, m.Text) and "^[" in node.text:
                where = self._find("", line, prefix="^[") or node.location
                self.problems.append(error("MD005", "unterminated note: '^[' without a closing ']'", where,
                                           "close the note with ']'"))
        return children

    def _unterminated(self, src: str, line: int, origin: Location | None) -> None:
        for offset in self.env.get("report_unterminated", {}).pop(src, []):
            self.problems.append(error("CIT002", "unterminated citation: '[' without a closing ']'",
                                       self._offset_loc(src, offset, line, origin), "close the citation with ']'"))

    def _offset_loc(self, src: str, offset: int, line: int, origin: Location | None = None) -> Location:
        """File location of ``offset`` in a block's inline source starting at body ``line``
        (or, for a note's text, at ``origin``)."""
        if self._fixed is not None:
            return self._fixed
        starts = self._line_starts.get(src)
        if starts is None:  # per source, once: counting newlines per citation is quadratic
            starts = self._line_starts[src] = _line_starts(src)
        index = bisect.bisect_right(starts, offset) - 1
        if origin is not None and index == 0:
            return Location(origin.path, origin.line, origin.col + offset)
        line += index
        start = starts[index]
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(src)
        segment = src[start:end]
        key = (id(src), index)  # src stays alive as a key of _line_starts, so its id is stable
        base = self._segment_base.get(key)
        if base is None:
            raw = self.lines[line] if 0 <= line < len(self.lines) else ""
            # The inline source lost container prefixes ("> ", list markers, indentation):
            # find its line in the raw source line to get the real column.
            found = raw.find(segment) if segment else -1
            base = self._segment_base[key] = found if found >= 0 else self._indent(line)
        return self.loc(line, base + offset - start + 1)

    def _children(self, tokens, src: str, line: int, origin: Location | None = None) -> tuple:
        stack: list[tuple[str, dict, list]] = [("root", {}, [])]
        where = self._fixed or self.loc(line, self._indent(line) + 1)
        pending: list[str] = []  # a run of text and escapes: one node, as markdown-it's text_join made it
        before = None
        for tok in tokens:
            kind = tok.type
            after_span, before = before == "span_close", kind
            if kind in ("text", "text_special"):
                if kind == "text" and after_span and _LINK_TAIL.match(tok.content):
                    # markdown-it read [a [span]{.x} link](url) as a span and left the link's end as text
                    self.problems.append(error("MD021", "a link whose text holds a [span]{…}",
                                               self._offset_loc(src, max(src.find(tok.content), 0), line, origin),
                                               "put the span around the whole link, or leave it out"))
                elif kind == "text":  # not an escape or an entity, which are text as written
                    self._leftovers(tok.content, src, line, origin, where)
                    pending.append(tok.content)
                else:  # Pandoc's escaped space is a no-break space
                    pending.append("\u00a0" if tok.content == "\\ " else tok.content)
                continue
            if pending:
                stack[-1][2].append(self._text_run(pending, src, line, origin, where))
                pending = []
            out = stack[-1][2]
            if kind == "softbreak":
                out.append(m.Text(" ", where))
            elif kind == "hardbreak":
                out.append(m.LineBreak(where))
            elif kind == "code_inline":
                out.append(m.Code(tok.content, where))
            elif kind in _OPENERS:
                stack.append((kind, dict(tok.attrs), []))
            elif kind in _CLOSERS:
                opened, attrs, children = stack.pop()
                children = tuple(children)
                parent = stack[-1][2]
                if opened == "em_open":
                    parent.append(m.Emph(children, where))
                elif opened == "strong_open":
                    parent.append(m.Strong(children, where))
                elif opened == "link_open":
                    href = str(attrs.get("href", ""))
                    link_where = self._find(m.plain_text(children)[:30] + "]", line, prefix="[") or where
                    if href.startswith("#") or safe_href(href) is not None:
                        parent.append(m.Link(href, children, link_where))
                    else:
                        parent.extend(children)
                        self.problems.append(error(
                            "MD021", f"a link whose target cannot be used: '{href[:60]}'", link_where,
                            "links go to http:, https: or mailto: addresses, or to an #id in the report"))
                elif opened in _STYLED:
                    parent.append(_STYLED[opened](children, where))
                else:
                    text = m.plain_text(children)
                    span_where = self._find("[" + text[:30], line, prefix="") or where
                    parent.append(self._span(attrs, children, span_where))
            elif kind == "html_inline":
                if not _is_comment(tok.content) and not tok.content.startswith("</"):  # one error a tag pair
                    html_where = self._find(tok.content, line, prefix="") or where
                    self._refuse_html(tok.content, html_where)
            elif kind == "citation":
                out.append(self._citation(tok, src, line, origin))
            elif kind == "intext":
                out.append(self._intext(tok, src, line, origin))
            elif kind == "image":
                image_where = self._find(tok.content + "]", line, prefix="![") or where
                self.problems.append(error("MD019", "an image inside text (a paragraph, a table cell, a heading)", image_where,
                                           "a figure is an image alone in its paragraph: ![Caption](file){#fig-x}"))
            elif kind in ("math_inline", "math_inline_double"):
                math_where = self._find(tok.content, line, prefix=tok.markup) or where
                self.problems.append(error("MD016", f"math '{tok.content[:30]}' is not supported", math_where,
                                           "write the formula as text (x², H₂O), or escape the dollar sign as \\$"))
            elif kind == "footnote_ref" and origin is not None:
                self.problems.append(error("MD004", "a note inside a note", self._inner_note(tok, src, line, origin),
                                           "notes cannot be nested"))
                inner = self.env.get("footnotes", {}).get("list", {}).get(tok.meta.get("id")) or {}
                if "tokens" in inner:  # its words stay (the build fails): no doubled space to report as well
                    out.append(m.Text(inner.get("content", ""), origin))
            elif kind == "footnote_ref":
                out.append(self._note(tok, line, where))
            else:
                self.problems.append(error("MD002", f"unsupported inline element '{kind}'", where))
        if pending:
            stack[-1][2].append(self._text_run(pending, src, line, origin, where))
        return tuple(stack[0][2])

    def _span(self, attrs: dict, children: tuple, where: Location) -> m.Span:
        classes = tuple(str(attrs.pop("class", "")).split())
        span_id = attrs.pop("id", None)
        return m.Span(children, span_id, classes, tuple(sorted((k, str(v)) for k, v in attrs.items())), where)

    def _text_run(self, pieces: list[str], src: str, line: int, origin, where: Location) -> m.Text:
        """One text node for a run of text and escapes; raw LaTeX in it is refused (its
        backslash is a token of its own, so only the run shows the command whole)."""
        text = "".join(pieces)
        at = constructs.raw_latex(text)
        if at is not None and "MD014" not in self._leftover_codes:
            self._leftover_codes.add("MD014")
            found = src.find(text[at:at + 20])
            latex_where = self._offset_loc(src, found, line, origin) if found >= 0 else where
            self.problems.append(error("MD014", "raw LaTeX is not supported", latex_where,
                                       "the outputs are Word, PDF and HTML: write the text itself"))
        return m.Text(text, where)

    def _leftovers(self, text: str, src: str, line: int, origin, where: Location) -> None:
        trailing = None
        if text.rstrip().endswith("}") and src.rstrip().endswith(text.rstrip()):  # the block's own, last
            trailing = split_trailing(text)
        found = constructs.leftover_markup(trailing[0] if trailing else text)  # the block's own attributes are taken
        if found is not None and found[3] not in self._leftover_codes:  # one diagnostic a construct
            offset, message, hint, code = found
            self._leftover_codes.add(code)
            at = src.find(text)
            where = self._offset_loc(src, at + offset, line, origin) if at >= 0 else where
            self.problems.append(error(code, message, where, hint))

    def _brackets(self, src: str) -> dict[int, int]:
        """The bracket pairs of an inline source, found once (shared with the citation rule)."""
        cache = self.env.setdefault("report_brackets", {})
        pairs = cache.get(src)
        if pairs is None:
            pairs = cache[src] = bracket_pairs(src)
        return pairs

    def _intext(self, tok, src: str, line: int, origin: Location | None):
        key, where = tok.meta["key"], self._offset_loc(src, tok.meta["offset"], line, origin)
        opener = src.rfind("[", max(0, tok.meta["offset"] - 200), tok.meta["offset"])
        if opener >= 0 and opener not in self._brackets(src):
            return m.Text(tok.content, where)  # in a citation that never closes: reported as CIT002
        if m.crossref_kind(key):
            return m.CrossRef((crossref_label(key),), where, capital=key[0].isupper())
        self.problems.append(error("CIT020", f"in-text citation '@{key}' is not supported", where,
                                   f"write [@{key}] for a note citing it, or \\@{key} for the text '@{key}'"))
        return m.Text("", where)

    def _citation(self, tok, src: str, line: int, origin: Location | None):
        keys = [p.key for p in tok.meta["items"]]
        if any(m.crossref_kind(k) for k in keys):
            where = self._offset_loc(src, tok.meta["offset"], line, origin)
            if not all(m.crossref_kind(k) for k in keys):
                self.problems.append(error("XRF003", "a group mixes cross-references and citations", where,
                                           "write them apart: [@fig-map] and [@key, p. 3]"))
                return m.Text("", where)
            first = tok.meta["items"][0]
            labels = tuple(crossref_label(k) for k in keys)
            return m.CrossRef(labels, where, first.prefix or None, first.suppress_author, keys[0][0].isupper())
        items = tuple(
            m.CiteItem(key=p.key, location=self._offset_loc(src, p.offset, line, origin), prefix=p.prefix,
                       locator_label=p.locator_label, locator=p.locator, suffix=p.suffix,
                       suppress_author=p.suppress_author)
            for p in tok.meta["items"]
        )
        return m.Citation(items, self._offset_loc(src, tok.meta["offset"], line, origin))

    def _note(self, tok, line: int, where: Location) -> m.Note | m.Text:
        note = self.env.get("footnotes", {}).get("list", {}).get(tok.meta.get("id"))
        if note is not None and "tokens" not in note:
            return self._labelled_note(tok.meta.get("label", ""), tok.meta.get("subId", 0), line, where)
        if note is None:
            self.problems.append(error("MD003", "a note this tool cannot read", where))
            return m.Text("", where)
        # Inline notes carry no offset; locate them by their text in the block's lines.
        note_where = self._find(note.get("content", ""), line) or where
        content = note.get("content", "")
        content_origin = Location(note_where.path, note_where.line, note_where.col + 2)
        if not content.strip():
            self.problems.append(error("MD006", "empty note", note_where))
        self._unterminated(content, line, content_origin)
        return m.Note(self._children(note["tokens"], content, line, content_origin), note_where)

    def _inner_note(self, tok, src: str, line: int, origin: Location) -> Location:
        """Where a note called inside a note's text (``src``, starting at ``origin``) is.
        A labelled one counts as called: it is reported here, not as never called."""
        note = self.env.get("footnotes", {}).get("list", {}).get(tok.meta.get("id")) or {}
        label = tok.meta.get("label")
        if label is not None and "tokens" not in note:
            self.called.add(label)
            needle = f"[^{label}]"
        else:
            needle = "^[" + note.get("content", "")[:30]
        offset = src.find(needle)
        return self._offset_loc(src, offset, line, origin) if offset >= 0 else origin

    def _labelled_note(self, label: str, again: int, line: int, where: Location) -> m.Note | m.Text:
        """The note a ``[^label]`` calls: its definition's one paragraph."""
        call = self._find(label + "]", line, prefix="[^", nth=again) or where
        definition = self.definitions.get(label)
        if definition is None:
            self.problems.append(error("MD003", f"note [^{label}] is never defined", call))
            return m.Text("", call)
        if again:
            self.problems.append(error("MD022", f"note [^{label}] is called more than once", call,
                                       "a note has one call: write a second note, or refer to it in words"))
            return m.Text("", call)
        start, close, tokens = definition
        self.called.add(label)
        blocks = self.blocks(tokens, start + 1, close)
        if len(blocks) != 1 or not isinstance(blocks[0], m.Paragraph):
            defined = tokens[start].map[0] if tokens[start].map else line
            self.problems.append(error("MD028", f"note [^{label}] is not one paragraph", self.loc(defined, self._indent(defined) + 1),
                                       "a note is one paragraph of text"))
            return m.Text("", call)
        children = blocks[0].children
        if any(isinstance(node, m.Note) for node in m.descendants(children)):
            self.problems.append(error("MD004", "a note inside a note", call, "notes cannot be nested"))
        return m.Note(children, call)

    def _find(self, needle: str, line: int, prefix: str = "^[", nth: int = 0) -> Location | None:
        """Where ``prefix + needle`` first occurs (the ``nth`` time after the first, when
        given) in the source from body ``line`` on."""
        if self._fixed is not None:
            return self._fixed
        for n in range(line, min(line + 200, len(self.lines))):
            col = self.lines[n].find(prefix + needle[:30])
            while col >= 0 and nth:
                nth -= 1
                col = self.lines[n].find(prefix + needle[:30], col + 1)
            if col >= 0:
                return self.loc(n, col + 1)
        return None


_LINK_TAIL = re.compile(r"[^\[\]]*\]\(")  # the end of a link, "text](", left as text
_OPENERS = frozenset({"em_open", "strong_open", "link_open", "span_open", "s_open", "sup_open", "sub_open"})
_CLOSERS = frozenset({"em_close", "strong_close", "link_close", "span_close", "s_close", "sup_close", "sub_close"})
_STYLED = {"s_open": m.Strikeout, "sup_open": m.Superscript, "sub_open": m.Subscript}


def crossref_label(key: str) -> str:
    """A cross-reference's label as its target defines it: ``@Fig-gate`` refers to ``fig-gate``."""
    return key[0].lower() + key[1:]


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


def _is_comment(html: str) -> bool:
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->")


def _closing(tokens, i: int) -> int:
    """Index of the token that closes the one opened at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _line_starts(text: str) -> list[int]:
    """The offset of each line's first character in ``text`` (str.find, not a Python
    loop over characters: a long paragraph's citations are located with it)."""
    starts = [0]
    found = text.find("\n")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return starts
