"""A figure's picture: a centred paragraph holding an inline picture.

The picture is python-docx's ``wp:inline`` (an image part of the package, named
image1.jpeg, image2.png… in order, so builds stay identical) with
``wp:docPr/@descr`` set to the alternative text, what Word's "Alt Text" pane and
screen readers read. Its size is the figure's width attribute against the text
width, never wider; the height keeps the image's proportions.
"""

from __future__ import annotations

import hashlib
import re

from docx.image.image import Image as DocxImage
from docx.opc.packuri import PackURI
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Emu
from lxml import etree

from report import model as m
from report.diagnostics import error
from report.errors import ReportError
from report.render.docx.xml import R_NS, add_ppr, paragraph, sub
from report.render.figures import printed_width_in

EMU_PER_INCH = 914400
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


class Pictures:
    """Writes figures' pictures into the body (their captions are the body writer's).
    ``part`` is the document part (images are its relationships); ``images(figure)``
    gives the prepared image."""

    def __init__(self, part, images):
        self._part = part
        self._images = images
        self._added: dict[bytes, tuple[str, str]] = {}  # image's SHA-256 → (rId, file name)
        # The reference document may hold pictures of its own (a logo): new ones are
        # numbered after every media part it has.
        numbers = [int(found[1]) for found in (re.match(r"/word/media/image(\d+)\.", str(p.partname))
                                               for p in part.package.iter_parts()) if found]
        self._last = max(numbers, default=0)

    def write(self, parent, figure: m.Figure, available_in: float) -> None:
        """The picture's centred paragraph, kept with the caption after it;
        ``available_in``: the width it may take where it stands (a box's cell is
        narrower than the page)."""
        prepared = self._images(figure)
        if prepared is None:
            return
        p = paragraph(parent)
        ppr = add_ppr(p)
        sub(ppr, "keepNext")
        sub(ppr, "jc", val="center")
        sub(sub(p, "r"), "drawing").append(self._inline(prepared, figure, available_in))

    def _inline(self, prepared, figure: m.Figure, available_in: float):
        # Without a width, an image is shown at its own size at 96 dpi (as Pandoc and
        # browsers do), never wider than the text.
        width_in = printed_width_in(figure.width) if figure.width else min(printed_width_in(None), prepared.width_px / 96)
        cx = int(min(width_in, available_in) * EMU_PER_INCH)
        cy = int(cx * prepared.height_px / max(prepared.width_px, 1))
        svg = prepared.extension == "svg"
        if svg and prepared.png_fallback is None:
            raise ReportError(error("IMG005", f"an SVG figure needs cairosvg for the Word output: {figure.src}",
                                    figure.location, "scripts/setup installs it (with Debian's libcairo2)"))
        rid, filename = self._image_part(prepared.png_fallback if svg else prepared.data)
        inline = CT_Inline.new_pic_inline(self._part.next_id, rid, filename, Emu(cx), Emu(cy))
        if svg:
            self._add_svg(inline, prepared.data)
        doc_pr = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
        if doc_pr is not None:
            doc_pr.set("descr", figure.alt or "")
            doc_pr.set("name", f"Figure {m.shown_number(figure)}" if figure.number else "Picture")
        return inline

    def _image_part(self, blob: bytes) -> tuple[str, str]:
        """(rId, file name) of the image part holding ``blob``, added on first use. Not
        python-docx's get_or_add_image, which hashes every image part again for each
        picture added (0.13 s for 40 photographs)."""
        key = hashlib.sha256(blob).digest()
        if key not in self._added:
            image = DocxImage.from_blob(blob)
            part = ImagePart.from_image(image, self._partname(image.ext))
            self._part.package.image_parts.append(part)  # python-docx's own lookups see it too
            self._added[key] = (self._part.relate_to(part, RT_IMAGE), image.filename)
        return self._added[key]

    def _partname(self, ext: str) -> PackURI:
        self._last += 1
        return PackURI(f"/word/media/image{self._last}.{ext}")

    def _add_svg(self, inline, data: bytes) -> None:
        """Keep the SVG itself beside its PNG, as Word 2016+ writes it: an ``asvg:svgBlip``
        in the blip's extension list, related to an SVG part (older readers show the PNG)."""
        from docx.opc.part import Part

        package = self._part.package
        part = Part(self._partname("svg"), "image/svg+xml", data, package)
        rid = self._part.relate_to(part, RT_IMAGE)
        blip = inline.find(f".//{{{A_NS}}}blip")
        ext = etree.SubElement(etree.SubElement(blip, f"{{{A_NS}}}extLst"), f"{{{A_NS}}}ext", uri=SVG_EXT_URI)
        svg_blip = etree.SubElement(ext, f"{{{ASVG_NS}}}svgBlip", nsmap={"asvg": ASVG_NS})
        svg_blip.set(f"{{{R_NS}}}embed", rid)
