"""Captions, numbered by Word's own fields, and cross-references to them.

A caption is a *Caption* paragraph: "Figure ", a ``SEQ Figure`` field whose
result is the number (pre-filled, so the text is right when the file is opened),
": " and the caption text. The field's result is wrapped in a ``_Ref`` bookmark,
and each cross-reference is a ``REF _Ref… \\h`` field pre-filled with the same
number: Word's "Update field", "Insert Table of Figures" and "Cross-reference"
keep working on the file.

:class:`RefTargets` names a bookmark for every label before anything is
written, so a reference can come before its target.
"""

from __future__ import annotations

from report import model as m
from report.render.docx.xml import XML_SPACE, sub, text_run

SEQ_NAMES = {"fig": "Figure", "tbl": "Table", "box": "Box"}


class RefTargets:
    """label → bookmark name (``_Ref`` and nine digits, as Word names its own), and
    the bookmark ids, handed out from ``marks`` (a :class:`~.fields.Bookmarks`)."""

    def __init__(self, document: m.Document, marks):
        self._names: dict[str, tuple[str, str]] = {}
        count = 0
        # ids that links ([text](#id)) point at get a bookmark too, whatever their prefix
        linked = {node.href[1:] for node in m.walk_inlines(document)
                  if isinstance(node, m.Link) and node.href.startswith("#")}
        for section in document.sections:
            labels = [section.id] + [b.id for b in m.walk_blocks(section.blocks)
                                     if isinstance(b, (m.Figure, m.Table, m.Div, m.Heading, m.Paragraph)) and b.id]
            labels += [node.id for blocks in [section.blocks] for block in blocks
                       for inlines in m.block_inlines(block) for node in m.descendants(inlines)
                       if isinstance(node, m.Span) and node.id]
            for label in labels:
                if (m.crossref_kind(label) or label in linked) and label not in self._names:
                    count += 1
                    mark_id, _ = marks.new()
                    self._names[label] = (mark_id, f"_Ref{count:09d}")
        # A subparagraph ("para. 12 (b)") is referred to through its paragraph and the
        # items above it: each gets a bookmark, labelled or not.
        self._chains: dict[str, tuple[tuple[str, str], ...]] = {}
        self._blocks: dict[int, tuple[str, str]] = {}
        from report.transforms.subparagraphs import subparagraph_chains

        for chain in subparagraph_chains(document).values():
            label = chain[-1][0].id
            if not label or m.crossref_kind(label) != "para":
                continue
            above = []
            for paragraph, _ in chain[:-1]:
                mark = self._names.get(paragraph.id) if paragraph.id else None
                if mark is None and id(paragraph) not in self._blocks:
                    count += 1
                    self._blocks[id(paragraph)] = (marks.new()[0], f"_Ref{count:09d}")
                above.append(mark or self._blocks[id(paragraph)])
            self._chains[label] = tuple(above)

    def get(self, label: str | None) -> tuple[str, str] | None:
        """(bookmark id, name) of ``label``, or None when nothing can refer to it."""
        return self._names.get(label) if label else None

    def for_block(self, block) -> tuple[str, str] | None:
        """The bookmark of a paragraph with no label of its own that a subparagraph's
        reference goes through, or None."""
        return self._blocks.get(id(block))

    def chain(self, label: str) -> tuple[tuple[str, str], ...]:
        """The bookmarks of the paragraph and items above subparagraph ``label``."""
        return self._chains.get(label, ())


def field(parent, instruction: str, result: str, rpr=()) -> None:
    """A complex field: begin, ``instruction``, separate, ``result`` (pre-filled), end."""
    sub(sub(parent, "r"), "fldChar", fldCharType="begin")
    instr = sub(sub(parent, "r"), "instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    sub(sub(parent, "r"), "fldChar", fldCharType="separate")
    text_run(parent, result, rpr)
    sub(sub(parent, "r"), "fldChar", fldCharType="end")


def bookmarked(parent, mark: tuple[str, str] | None, write) -> None:
    """What ``write()`` appends to ``parent``, inside bookmark ``mark`` (when given)."""
    if mark is not None:
        sub(parent, "bookmarkStart", id=mark[0], name=mark[1])
    write()
    if mark is not None:
        sub(parent, "bookmarkEnd", id=mark[0])


def caption_label(p, word: str, kind: str, number: int | None, mark, within: str = "", separator: str = ": ") -> None:
    """"Figure 2: " with the number as a SEQ field inside the target's bookmark. Within
    annex II, "Figure II.1: ": the numeral as text, then the SEQ field, the annex's first
    one restarting the count (``\\r 1``; Word's ``\\s 1``, by chapter, would need
    numbered headings, and LibreOffice ignores it)."""
    if number is None:
        return
    text_run(p, f"{word}\u00a0")
    if within:
        restart = " \\r 1" if number == 1 else ""

        def write():
            text_run(p, f"{within}.")
            field(p, f"SEQ {SEQ_NAMES[kind]} \\* ARABIC{restart}", str(number))
        bookmarked(p, mark, write)
    else:
        bookmarked(p, mark, lambda: field(p, f"SEQ {SEQ_NAMES[kind]} \\* ARABIC", str(number)))
    text_run(p, separator)  # ": ", in the document's language (report.render.labels.CAPTION_SEPARATOR)


def write_ref(parent, node: m.Ref, targets: RefTargets, rpr=()) -> None:
    """A cross-reference: its words as text, each number a REF field to its bookmark.
    A paragraph's number is Word's list numbering: ``REF … \\r`` gives the number of
    the paragraph the bookmark is in ("12", "(b)"), as Word's own "Paragraph number"
    cross-reference does; a subparagraph, "12 (b)", is one field for its paragraph and
    one for its item. A range ("paras. 12–14") refers to its first and last."""
    if node.words:
        text_run(parent, node.words + "\u00a0", rpr)
    pairs = list(zip(node.targets, node.numbers))
    if node.span:
        pairs = [pairs[0], pairs[-1]]
    # a paragraph's and a recommendation's numbers are Word's list numbers: "\r"
    switches = "\\r \\h" if node.kind in ("para", "rec") else "\\h"
    for i, (label, number) in enumerate(pairs):
        if i:
            text_run(parent, "\u2013" if node.span else f" {node.conjunction} " if i == len(pairs) - 1 else ", ", rpr)
        mark = targets.get(label) if targets is not None else None
        above = targets.chain(label) if targets is not None and node.kind == "para" else ()
        parts = number.split(" ")
        if mark is None or len(parts) != len(above) + 1:
            text_run(parent, number, rpr)
            continue
        # "12 (b)": Word's number of the paragraph ("\r"), then of each item ("\n", no
        # context: "\r" from outside the paragraph gives "12(b)", LibreOffice "12.(b)",
        # and the reference would read "12 12.(b)")
        chain = [(above_mark[1], switches if k == 0 else "\\n \\h") for k, above_mark in enumerate(above)]
        chain.append((mark[1], "\\n \\h" if above else switches))
        for k, ((name, how), part) in enumerate(zip(chain, parts)):
            if k:
                text_run(parent, " ", rpr)
            field(parent, f"REF {name} {how}", part, rpr)
