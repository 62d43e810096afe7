"""Section Markdown → model blocks, through markdown-it-py.

Takes a :class:`~report.sources.sections.SectionSource`; returns the section's
blocks (with :class:`Citation` and :class:`Note` still unresolved) and the
diagnostics met on the way. Block tokens carry 0-based line ranges relative to
the body; ``body_line`` turns them into file lines here and nowhere else.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from report import model as m
from report.diagnostics import Diagnostic, Location, error
from report.parse.citations import citation_rule
from report.sources.sections import SectionSource


def make_parser() -> MarkdownIt:
    # Raw HTML is recognised so that comments can be dropped (they carry noqa
    # suppressions); any other raw HTML becomes plain text, never markup.
    md = MarkdownIt("commonmark", {"html": True}).enable("table")  # GFM pipe tables
    md.use(footnote_plugin, inline=True, move_to_end=False)
    md.use(attrs_plugin, spans=True).use(attrs_block_plugin)
    md.inline.ruler.before("link", "citation", citation_rule)
    md.disable("image")
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
    blocks = builder.blocks(tokens, 0, len(tokens))
    return m.Section(source.id, source.title, tuple(blocks), source.location), builder.problems


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
        self.lines = source.body.split("\n")
        self.problems: list[Diagnostic] = []
        self._line_starts: dict[str, list[int]] = {}
        self._segment_base: dict[tuple[int, int], int] = {}

    def loc(self, body_line: int, col: int = 1) -> Location:
        return Location(self.source.path, self.source.body_line + body_line, col)

    # --- blocks -----------------------------------------------------------

    def blocks(self, tokens, start, end) -> list:
        out = []
        i = start
        while i < end:
            tok = tokens[i]
            close = _closing(tokens, i) if tok.nesting == 1 else i
            line = tok.map[0] if tok.map else 0
            where = self.loc(line, self._indent(line) + 1)
            if tok.type == "heading_open":
                inline = tokens[i + 1]
                children = self.translated_inlines(inline, line)
                out.append(m.Heading(int(tok.tag[1]), children, tok.attrs.get("id") or slugify(m.plain_text(children)), where))
            elif tok.type == "paragraph_open":
                inline = tokens[i + 1]
                classes = tuple(str(tok.attrs.get("class", "")).split())
                out.append(m.Paragraph(self.translated_inlines(inline, line), where, tok.attrs.get("id"), classes))
            elif tok.type == "blockquote_open":
                out.append(m.BlockQuote(tuple(self.blocks(tokens, i + 1, close)), where))
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                items = []
                j = i + 1
                while j < close:
                    item_close = _closing(tokens, j)
                    items.append(tuple(self.blocks(tokens, j + 1, item_close)))
                    j = item_close + 1
                start_no = int(tok.attrs.get("start", 1)) if tok.type == "ordered_list_open" else 1
                out.append(m.ListBlock(tok.type == "ordered_list_open", start_no, tuple(items), where))
            elif tok.type == "table_open":
                out.append(self._table(tokens, i, close, where))
            elif tok.type in ("fence", "code_block"):
                out.append(m.CodeBlock(tok.content, where))
            elif tok.type == "hr":
                out.append(m.ThematicBreak(where))
            elif tok.type == "html_block":
                if not _is_comment(tok.content):
                    out.append(m.Paragraph((m.Text(tok.content.strip(), where),), where))
            else:
                self.problems.append(error("MD001", f"unsupported Markdown element '{tok.type}'", where))
            i = close + 1
        return out

    def _table(self, tokens, start, end, where) -> m.Table:
        rows: list[tuple] = []
        header: tuple = ()
        for j in range(start, end):
            tok = tokens[j]
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline" and rows:
                rows[-1].append(self.inlines(tok, tok.map[0] if tok.map else 0))
            elif tok.type == "thead_close" and rows:
                header = tuple(rows.pop())
        return m.Table(header, tuple(tuple(r) for r in rows), where)

    def _indent(self, line: int) -> int:
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        return len(text) - len(text.lstrip(" "))

    # --- inlines ----------------------------------------------------------

    def translated_inlines(self, inline_token, line: int) -> tuple:
        """The inline content, from its translation when there is one."""
        where = self.loc(line, self._indent(line) + 1)
        found = self.translate(self.source.id, inline_token.content, where) if self.translate else None
        if found is None:
            return self.inlines(inline_token, line)
        text, where = found
        translated = _PARSER.parseInline(text, self.env)[0]
        self._fixed = where
        try:
            return self.inlines(translated, line)
        finally:
            self._fixed = None

    def inlines(self, inline_token, line: int) -> tuple:
        src = inline_token.content
        self._unterminated(src, line, None)
        children = self._children(inline_token.children or [], src, line)
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
        for tok in tokens:
            out = stack[-1][2]
            kind = tok.type
            if kind in ("text", "text_special"):  # text_special: an escape or entity (in notes)
                out.append(m.Text(tok.content, where))
            elif kind == "softbreak":
                out.append(m.Text(" ", where))
            elif kind == "hardbreak":
                out.append(m.LineBreak(where))
            elif kind == "code_inline":
                out.append(m.Code(tok.content, where))
            elif kind in ("em_open", "strong_open", "link_open", "span_open"):
                stack.append((kind, dict(tok.attrs), []))
            elif kind in ("em_close", "strong_close", "link_close", "span_close"):
                opened, attrs, children = stack.pop()
                children = tuple(children)
                parent = stack[-1][2]
                if opened == "em_open":
                    parent.append(m.Emph(children, where))
                elif opened == "strong_open":
                    parent.append(m.Strong(children, where))
                elif opened == "link_open":
                    parent.append(m.Link(str(attrs.get("href", "")), children, where))
                else:
                    text = m.plain_text(children)
                    span_where = self._find("[" + text[:30], line, prefix="") or where
                    parent.append(self._span(attrs, children, span_where))
            elif kind == "html_inline":
                if not _is_comment(tok.content):
                    out.append(m.Text(tok.content, where))
            elif kind == "citation":
                out.append(self._citation(tok, src, line, origin))
            elif kind == "footnote_ref" and origin is not None:
                self.problems.append(error("MD004", "a note inside a note", origin, "notes cannot be nested"))
            elif kind == "footnote_ref":
                out.append(self._note(tok, line, where))
            else:
                self.problems.append(error("MD002", f"unsupported inline element '{kind}'", where))
        return tuple(stack[0][2])

    def _span(self, attrs: dict, children: tuple, where: Location) -> m.Span:
        classes = tuple(str(attrs.pop("class", "")).split())
        span_id = attrs.pop("id", None)
        return m.Span(children, span_id, classes, tuple(sorted((k, str(v)) for k, v in attrs.items())), where)

    def _citation(self, tok, src: str, line: int, origin: Location | None) -> m.Citation:
        items = tuple(
            m.CiteItem(key=p.key, location=self._offset_loc(src, p.offset, line, origin), prefix=p.prefix,
                       locator_label=p.locator_label, locator=p.locator, suffix=p.suffix,
                       suppress_author=p.suppress_author)
            for p in tok.meta["items"]
        )
        return m.Citation(items, self._offset_loc(src, tok.meta["offset"], line, origin))

    def _note(self, tok, line: int, where: Location) -> m.Note | m.Text:
        note = self.env.get("footnotes", {}).get("list", {}).get(tok.meta.get("id"))
        if note is None or "tokens" not in note:
            self.problems.append(error("MD003", "only inline notes ^[...] are supported", where))
            return m.Text("", where)
        # Inline notes carry no offset; locate them by their text in the block's lines.
        note_where = self._find(note.get("content", ""), line) or where
        content = note.get("content", "")
        content_origin = Location(note_where.path, note_where.line, note_where.col + 2)
        if not content.strip():
            self.problems.append(error("MD006", "empty note", note_where))
        self._unterminated(content, line, content_origin)
        return m.Note(self._children(note["tokens"], content, line, content_origin), note_where)

    def _find(self, needle: str, line: int, prefix: str = "^[") -> Location | None:
        """Where ``prefix + needle`` first occurs in the source from body ``line`` on."""
        if self._fixed is not None:
            return self._fixed
        for n in range(line, min(line + 200, len(self.lines))):
            col = self.lines[n].find(prefix + needle[:30])
            if col >= 0:
                return self.loc(n, col + 1)
        return None


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
