"""Figures → a centred paragraph holding an inline picture, then its caption.

The picture is python-docx's ``wp:inline`` (an image part of the package, which
names parts image1.jpeg, image2.png… in order, so builds stay identical) with
``wp:docPr/@descr`` set to the alternative text, what Word's "Alt Text" pane and
screen readers read. Its size is the figure's width attribute against the text
width, never wider; the height keeps the image's proportions.
"""

from __future__ import annotations

import io

from docx.shared import Emu

from report import model as m
from report.render.docx.captions import caption_label
from report.render.docx.xml import add_ppr, paragraph, sub
from report.render.figures import printed_width_in

EMU_PER_INCH = 914400


class Pictures:
    """Writes figures into the body. ``part`` is the document part (images are its
    relationships); ``images(figure)`` gives the prepared image; ``targets`` the
    bookmarks of labels; ``word`` translates "Figure"."""

    def __init__(self, part, images, targets, word):
        self._part = part
        self._images = images
        self.targets = targets
        self._word = word

    def write(self, parent, figure: m.Figure, inlines, available_in: float | None = None) -> None:
        """The picture's paragraph and its caption; ``available_in``: the width the
        picture may take where it stands (a box's cell is narrower than the page)."""
        prepared = self._images(figure) if self._images else None
        if prepared is not None:
            p = paragraph(parent)
            ppr = add_ppr(p)
            sub(ppr, "keepNext")
            sub(ppr, "jc", val="center")
            sub(sub(p, "r"), "drawing").append(self._inline(prepared, figure, available_in))
        if figure.caption or figure.number is not None:
            p = paragraph(parent)
            add_ppr(p, "Caption")
            caption_label(p, self._word("Figure"), "fig", figure.number, self.targets.get(figure.id) if self.targets else None)
            inlines.write(p, figure.caption)

    def _inline(self, prepared, figure: m.Figure, available_in: float | None):
        # Without a width, an image is shown at its own size at 96 dpi (as Pandoc and
        # browsers do), never wider than the text.
        width_in = printed_width_in(figure.width) if figure.width else min(printed_width_in(None), prepared.width_px / 96)
        if available_in:
            width_in = min(width_in, available_in)
        cx = int(width_in * EMU_PER_INCH)
        cy = int(cx * prepared.height_px / max(prepared.width_px, 1))
        inline = self._part.new_pic_inline(io.BytesIO(prepared.data if prepared.extension != "svg"
                                                      else prepared.png_fallback or b""), Emu(cx), Emu(cy))
        doc_pr = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
        if doc_pr is not None:
            doc_pr.set("descr", figure.alt or "")
            doc_pr.set("name", f"Figure {figure.number}" if figure.number else "Picture")
        return inline
