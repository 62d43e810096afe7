"""Inline model nodes → WordprocessingML runs, hyperlinks and footnote references.

One :class:`InlineWriter` serves one part (the document body or the footnotes
part): hyperlinks need relationships of the part that holds them. It takes a
parent element (``w:p`` or ``w:hyperlink``) and a sequence of inline nodes, and
appends what they render to.
"""

from __future__ import annotations

from functools import lru_cache

from report import model as m
from report.render.base import unknown_node
from report.render.docx.captions import write_ref
from report.render.docx.xml import sub, text_run, w
from report.render.text import safe_href

MONOSPACE = "Courier New"  # present in Word everywhere; LibreOffice maps it to Liberation Mono
CODE_SIZE = "20"  # half-points: 10 pt, so code does not look larger than 11 pt text
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@lru_cache(maxsize=None)
def run_properties(flags: frozenset[str]) -> tuple[tuple[str, dict], ...]:
    """The ``w:rPr`` children for a set of formatting flags, in schema order."""
    props: list[tuple[str, dict]] = []
    if "link" in flags:
        props.append(("rStyle", {"val": "Hyperlink"}))
    if "code" in flags:
        props.append(("rFonts", {"ascii": MONOSPACE, "hAnsi": MONOSPACE, "cs": MONOSPACE}))
    if "b" in flags:
        props += [("b", {}), ("bCs", {})]
    if "i" in flags:
        props += [("i", {}), ("iCs", {})]
    if "smallCaps" in flags:
        props.append(("smallCaps", {}))
    if "strike" in flags:
        props.append(("strike", {}))
    if "code" in flags:
        props += [("sz", {"val": CODE_SIZE}), ("szCs", {"val": CODE_SIZE})]
    if "u" in flags:
        props.append(("u", {"val": "single"}))
    if "sup" in flags or "sub" in flags:
        props.append(("vertAlign", {"val": "superscript" if "sup" in flags else "subscript"}))
    return tuple(props)


_STYLE_FLAGS = {m.Strikeout: "strike", m.Superscript: "sup", m.Subscript: "sub"}
_SPAN_FLAGS = {"smallcaps": "smallCaps", "underline": "u", "ul": "u"}  # Pandoc's span classes


class InlineWriter:
    """Writes inline nodes into one part. ``links`` gives relationship ids for URLs
    (a :class:`~report.render.docx.package.LinkTargets`); ``notes`` says whether
    footnote calls are allowed here (not inside a footnote's own text)."""

    def __init__(self, links, notes: bool, targets=None):
        self._links = links
        self._notes = notes
        self._targets = targets  # a captions.RefTargets: the bookmarks cross-references point at

    def write(self, parent, nodes, flags: frozenset[str] = frozenset()) -> None:
        for node in nodes:
            kind = type(node)
            if kind is m.Text:
                # A soft line break in the source is a space in the output.
                text_run(parent, node.text.replace("\r", "").replace("\n", " "), run_properties(flags))
            elif kind is m.Emph:
                self.write(parent, node.children, flags | {"i"})
            elif kind is m.Strong:
                self.write(parent, node.children, flags | {"b"})
            elif kind is m.Code:
                text_run(parent, node.text.replace("\n", " "), run_properties(flags | {"code"}))
            elif kind is m.Span:
                mark = self._targets.get(node.id) if self._targets is not None and self._notes else None
                if mark is not None:  # a link [text](#id) goes here
                    sub(parent, "bookmarkStart", id=mark[0], name=mark[1])
                self.write(parent, node.children, flags | {_SPAN_FLAGS[c] for c in node.classes if c in _SPAN_FLAGS})
                if mark is not None:
                    sub(parent, "bookmarkEnd", id=mark[0])
            elif kind in _STYLE_FLAGS:
                self.write(parent, node.children, flags | {_STYLE_FLAGS[kind]})
            elif kind is m.Ref:
                write_ref(parent, node, self._targets, run_properties(flags))
            elif kind is m.LineBreak:
                sub(sub(parent, "r"), "br")
            elif kind is m.Link:
                self._link(parent, node, flags)
            elif kind is m.Footnote and self._notes:
                # A run of its own, whatever the flags (in a link too: Word allows a
                # note reference inside w:hyperlink): style FootnoteReference only.
                run = sub(parent, "r")
                sub(sub(run, "rPr"), "rStyle", val="FootnoteReference")
                sub(run, "footnoteReference", id=str(node.number))
            else:
                raise unknown_node("docx", node)

    def _link(self, parent, node: m.Link, flags: frozenset[str]) -> None:
        internal = node.href.startswith("#")
        href = safe_href(node.href) if not internal else None
        mark = self._targets.get(node.href[1:]) if internal and self._targets is not None else None
        if (href is None and mark is None) or "link" in flags:
            # Not a safe target, or already inside a hyperlink (they cannot nest).
            self.write(parent, node.children, flags)
            return
        hyperlink = sub(parent, "hyperlink", history="1")
        if mark is not None:
            hyperlink.set(w("anchor"), mark[1])  # to the bookmark on the element with that id
        else:
            hyperlink.set(R_ID, self._links.rid(href))
        if not m.plain_text(node.children).strip():
            # A link with no text (or only a note) would be invisible: show the address.
            text_run(hyperlink, href, run_properties(flags | {"link"}))
        self.write(hyperlink, node.children, flags | {"link"})

