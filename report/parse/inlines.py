"""Inline Markdown → model inlines: the mixin of the section builder that reads an
inline token's children (text and escapes joined, emphasis, links, spans, citations,
cross-references, notes), locates each node in the source, and refuses what is left
of a construct it cannot read (raw HTML, math, images in text, leftover markup).

Takes markdown-it inline tokens and the block's source line; returns tuples of
:mod:`report.model` inlines and appends diagnostics to ``self.problems``. The state it
uses (``lines``, ``problems``, ``_fixed``, ``translate``…) is the builder's
(:class:`report.parse.markdown._Builder`).
"""

from __future__ import annotations

import bisect
import re

from report import model as m
from report.diagnostics import Location, error
from report.parse import constructs
from report.parse.attributes import split_trailing
from report.parse.citations import bracket_pairs
from report.render.text import safe_href

_LINK_TAIL = re.compile(r"[^\[\]]*\]\(")  # the end of a link, "text](", left as text
_OPENERS = frozenset({"em_open", "strong_open", "link_open", "span_open", "s_open", "sup_open", "sub_open"})
_CLOSERS = frozenset({"em_close", "strong_close", "link_close", "span_close", "s_close", "sup_close", "sub_close"})
_STYLED = {"s_open": m.Strikeout, "sup_open": m.Superscript, "sub_open": m.Subscript}



def crossref_label(key: str) -> str:
    """A cross-reference's label as its target defines it: ``@Fig-gate`` refers to ``fig-gate``."""
    return key[0].lower() + key[1:]


def is_comment(html: str) -> bool:
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->")



class InlineReader:
    """Inline content of a section (see the module doc)."""

    def translated_inlines(self, inline_token, line: int, indent: int = 0) -> tuple:
        """The inline content (a paragraph's, a heading's, a table cell's, a line of a
        line block), from its translation when there is one."""
        where = self.loc(line, self._indent(line) + 1)
        found = self.translate(self.source.id, inline_token.content, where) if self.translate else None
        if found is None:
            self.raw = inline_token.content
            return self.inlines(inline_token, line, indent)
        text, where = found
        self.raw = text
        translated = self.parser.parseInline(text, self.env)[0]
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
                if not is_comment(tok.content) and not tok.content.startswith("</"):  # one error a tag pair
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
                out.append(self.marked_note(tok, line, where))
            else:
                self.problems.append(error("MD002", f"unsupported inline element '{kind}'", where))
        if pending:
            stack[-1][2].append(self._text_run(pending, src, line, origin, where))
        return tuple(stack[0][2])

    def _span(self, attrs: dict, children: tuple, where: Location) -> m.Span:
        classes = tuple(str(attrs.pop("class", "")).split())
        span_id = attrs.pop("id", None)
        if "public" in attrs and "confidential" not in classes:  # its words would be published as they stand
            self.problems.append(error("EDN005", "a span with public wording that is not marked confidential", where,
                                       "write [words]{.confidential public=\"…\"}"))
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


def _line_starts(text: str) -> list[int]:
    """The offset of each line's first character in ``text`` (str.find, not a Python
    loop over characters: a long paragraph's citations are located with it)."""
    starts = [0]
    found = text.find("\n")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return starts
