"""A Word drawing → the picture it shows, if it shows one.

:func:`read_drawing` takes the element a run holds (``w:drawing``, ``w:pict``, or the
chosen branch of ``mc:AlternateContent``) and returns a :class:`Picture`: the
relationship ids of the image (``a:blip r:embed``, an SVG from Word's
``asvg:svgBlip`` extension, or ``r:link`` for a linked image that is never
fetched), the alternative text (``wp:docPr/@descr``) and the width shown (EMU).
A chart, a shape, a diagram or a group is no picture: None. Nothing is read from
the package here; :mod:`.figures` resolves the ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
ADEC = "{http://schemas.microsoft.com/office/drawing/2017/decorative}"
V = "{urn:schemas-microsoft-com:vml}"
EMU_PER_PT = 12700
_VML_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)?\s*(?:;|$)", re.I)
_VML_UNITS = {"pt": 12700, "in": 914400, "cm": 360000, "mm": 36000, "px": 9525, None: 9525}


@dataclass(frozen=True, eq=False)
class Picture:
    """A picture in a run. ``embed``/``svg``/``link`` are relationship ids (or None);
    ``alt`` the alternative text (None: none given; "" for a decorative image); ``cx``
    the width shown in EMU (None when not given); ``element`` the drawing, so a later
    stage can find the section (and page width) it stands in."""

    embed: str | None
    svg: str | None
    link: str | None
    alt: str | None
    cx: int | None
    element: object = None


def read_drawing(scope) -> Picture | None:
    """The first picture in ``scope`` (DrawingML, then VML), or None."""
    for frame in scope.iter(f"{WP}inline", f"{WP}anchor"):
        pic = frame.find(f"{A}graphic/{A}graphicData/{PIC}pic")
        blip = pic.find(f"{PIC}blipFill/{A}blip") if pic is not None else None
        if blip is None:
            continue
        svg = blip.find(f"{A}extLst/{A}ext/{ASVG}svgBlip")
        extent = frame.find(f"{WP}extent")
        return Picture(blip.get(f"{R}embed"), svg.get(f"{R}embed") if svg is not None else None,
                       blip.get(f"{R}link"), _alt(frame, pic), _int(extent.get("cx") if extent is not None else None),
                       frame)
    for data in scope.iter(f"{V}imagedata"):
        rid = data.get(f"{R}id") or data.get(f"{R}pict")
        if rid:
            shape = data.getparent()
            alt = (shape.get("alt") or "").strip() or None
            match = _VML_WIDTH.search(shape.get("style") or "")
            cx = int(float(match.group(1)) * _VML_UNITS[(match.group(2) or "").lower() or None]) if match else None
            return Picture(rid, None, None, alt, cx, data)
    return None


def _alt(frame, pic) -> str | None:
    """Word's alternative text: the description, else the title; "" when marked decorative."""
    doc_pr = frame.find(f"{WP}docPr")
    if doc_pr is not None and doc_pr.find(f".//{ADEC}decorative") is not None:
        flag = doc_pr.find(f".//{ADEC}decorative").get("val", "1")
        if flag in ("1", "true"):
            return ""
    c_nv_pr = pic.find(f"{PIC}nvPicPr/{PIC}cNvPr")
    for element in (doc_pr, c_nv_pr):
        if element is None:
            continue
        for name in ("descr", "title"):
            text = " ".join((element.get(name) or "").split())
            if text:
                return text
    return None


def _int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
