"""A speed fix to WeasyPrint 70.0's line breaking: the next-word trial skipped when the
word cannot fit.

For each line it breaks, WeasyPrint (``text.line_break.split_first_line``) first has
Pango lay out the start of the paragraph, then tries again with the first line's
text plus the next word, in case Pango broke the line too early; then lays out the
line's own text once more for drawing. The trial is a third of the text Pango shapes
per line, and on a report it almost never succeeds (never, on the shipped one).

Pango has already shaped that next word at the start of the second line, so its width
is known: when the first line's width plus the word's is over the available width by
more than a quarter of the font size, the trial would fail, and it is skipped. The
layout then still holds the first text, whose first line and second line's start are
those the failed trial gives, and WeasyPrint sets the line's own text on it next
(``first_line_metrics``), as after a failed trial. Where the word's width is not read
off plainly (right to left, a word running past the second line, a layout that is not
wrapping), the trial runs as before.

Tested against stock WeasyPrint's output byte for byte, on text in three scripts with
justification, hyphenation, letter and word spacing and several column widths
(``tests/render/test_pdf_line_trial.py``).
"""

from __future__ import annotations

# How far over the available width the first line and the next word must measure
# for the trial to be skipped, in font sizes: their widths are taken apart, the trial
# shapes them together (a kerning pair across the space could bring them closer).
MARGIN = 0.25
_SOFT_HYPHEN = "\u00ad".encode()


def install() -> None:
    """Make ``Layout`` in WeasyPrint's line breaker the trial-aware one (idempotent)."""
    from weasyprint.text import line_break

    if getattr(line_break.Layout, "skips_hopeless_trials", False):
        return
    line_break.Layout = _layout_class(line_break.Layout)


def _layout_class(stock):
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    class TrialAwareLayout(stock):
        """WeasyPrint's Layout, which keeps the second line's start after each
        ``get_first_line`` and leaves a next-word trial that cannot succeed undone.
        Only while the line is being broken: once deactivated (``first_line_metrics``
        does, before the line is kept), a layout sets every text it is given, as when
        drawing shortens a line for an ellipsis."""

        skips_hopeless_trials = True
        skipped = 0  # trials skipped, for the tests (the class's count)
        _second_line = None

        def get_first_line(self):
            first_line, index = super().get_first_line()
            self._second_line = index if self.__dict__.get("_breaking", True) else None
            return first_line, index

        def deactivate(self):
            self._breaking = False
            self._second_line = None
            super().deactivate()

        def set_text(self, text, justify=False):
            index, self._second_line = self._second_line, None
            if index is not None and not justify and self._hopeless_trial(text, index):
                type(self).skipped += 1
                self._second_line = index  # unchanged: the next get_first_line says the same
                return
            super().set_text(text, justify)

        def _hopeless_trial(self, text: str, index: int) -> bool:
            """Whether ``text`` is a next-word trial that cannot fit on one line."""
            found = self.trial_estimate(text, index)
            return found is not None and found[0] > found[1] + MARGIN * self.style["font_size"] * TO_UNITS

        def trial_estimate(self, text: str, index: int) -> tuple[int, int] | None:
            """When ``text`` is this layout's first line plus the word that starts its
            second line (ended by a space): (the first line's width plus the word's,
            the available width), in Pango units; else None. The first line's width
            leaves out its closing space, so the estimate falls short of the trial's
            own width by about that space."""
            style, max_width = self.style, self.max_width
            if (max_width is None or not max_width < 2 ** 21
                    or style["white_space"] not in ("normal", "pre-wrap", "pre-line")):
                return None  # (create_layout set no width on Pango's layout)
            new, current = text.encode(), self.text.encode()
            end = len(new)
            if end <= index or current[end:end + 1] != b" " or current[:end] != new:
                return None
            if current[index - 1:index] != b" " or _SOFT_HYPHEN in new[index:]:
                # The first line ends with a hyphen Pango drew (at a soft hyphen, or
                # inside a word), or the word holds one it may draw: widths differ.
                return None
            word = _word_width(pango.pango_layout_get_line_readonly(self.layout, 1), index, end, ffi)
            if word is None:
                return None
            extents = ffi.new("PangoRectangle *")
            pango.pango_layout_line_get_extents(pango.pango_layout_get_line_readonly(self.layout, 0), ffi.NULL,
                                                extents)
            return extents.width + word, int(max(0, max_width) * TO_UNITS)

    return TrialAwareLayout


def _word_width(line, start: int, end: int, ffi) -> int | None:
    """The advance (Pango units) of the bytes ``start``..``end`` at the start of
    ``line``, left to right; None when they are not all there or not left to right."""
    if line == ffi.NULL or line.start_index != start or end > line.start_index + line.length:
        return None
    total = 0
    run = line.runs
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        if item.analysis.level % 2:
            return None  # right to left: glyphs in visual order
        offset, clusters, infos = item.offset, glyphs.log_clusters, glyphs.glyphs
        for i in range(glyphs.num_glyphs):
            at = offset + clusters[i]
            if at >= end:
                return total
            if at >= start:
                total += infos[i].geometry.width
        run = run.next
    return total
