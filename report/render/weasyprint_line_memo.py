"""A speed fix to WeasyPrint 70.0's layout: a line of an element broken again is not
broken anew.

WeasyPrint lays the same lines out more than once: the footnote area is laid out
again, every note in it, each time a note joins the page; a paragraph that does not
fit where a page ends is laid out again from its start on the attempt that breaks it.
On the shipped report 45 % of the calls to ``split_first_line`` (where Pango breaks a
line) repeat an earlier one.

``split_first_line(text, style, context, max_width, justification_spacing,
is_line_start, minimum)`` is a function of those arguments alone within one render
(``context`` gives the fonts and hyphenation dictionaries, the same throughout), and
what it returns is plain values and a Layout holding no Pango object any more (it is
deactivated), so a repeated call gets a copy of the first call's answer. A call is
recognised as a repeat only for the same element, style object, text and widths: the
same words in another element (another chapter, or a benchmark's copy of the report)
are broken anew. The memo keeps the last 1,024 to 2,048 lines and is emptied when a
layout starts and ends (it holds the elements and styles).

Tested against stock WeasyPrint's output byte for byte (the layout tests of
``tests/render/test_pdf_layout_speedups.py`` and ``tests/render/test_pdf_line_trial.py``)
and for what it recognises (``tests/render/test_pdf_line_memo.py``).
"""

from __future__ import annotations

import copy

# Lines kept: the newest generation up to this size, and the one before it. A repeat
# comes within a page or so (footnote area, page break), some hundred lines at most.
GENERATION = 1024


class LineMemo:
    """The answers of recent ``split_first_line`` calls, by element, style, text and widths."""

    def __init__(self):
        self.element = None  # the element of the text box being split, set by split_text_box
        self.hits = self.misses = 0
        self._new: dict = {}
        self._old: dict = {}

    def clear(self) -> None:
        self.element = None
        self._new, self._old = {}, {}

    def split(self, stock, text, style, context, max_width, justification_spacing, is_line_start, minimum):
        element = self.element
        if element is None:
            return stock(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        key = (id(element), id(style), text, max_width, justification_spacing, is_line_start, minimum)
        found = self._new.get(key) or self._old.get(key)
        # The element and style are kept in the entry, so their ids cannot be reused meanwhile.
        if found is not None and found[0] is element and found[1] is style:
            self.hits += 1
            layout, *rest = found[2]
            return (copy.copy(layout), *rest)
        self.misses += 1
        result = stock(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if len(self._new) >= GENERATION:
            self._old, self._new = self._new, {}
        self._new[key] = (element, style, (copy.copy(result[0]), *result[1:]))
        return result


MEMO = LineMemo()


def install() -> None:
    """Route the line breaking of WeasyPrint's inline layout through :data:`MEMO` (idempotent)."""
    from weasyprint.layout import inline

    if getattr(inline.split_first_line, "memo", None) is MEMO:
        return
    stock_split, stock_text_box = inline.split_first_line, inline.split_text_box

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        return MEMO.split(stock_split, text, style, context, max_width, justification_spacing, is_line_start,
                          minimum)

    def split_text_box(context, box, *args, **kwargs):
        outer, MEMO.element = MEMO.element, box.element
        try:
            return stock_text_box(context, box, *args, **kwargs)
        finally:
            MEMO.element = outer

    split_first_line.memo = split_text_box.memo = MEMO
    split_first_line.stock, split_text_box.stock = stock_split, stock_text_box
    inline.split_first_line, inline.split_text_box = split_first_line, split_text_box
