"""Figures' images for the renderers: each prepared once (metadata stripped,
resampled to 300 dpi at its printed size) by :mod:`report.images`.

The printed size is the figure's width attribute against the text block's width,
which every backend shares (the reference document's and the stylesheet's pages
are A4 with 2.5 cm margins: 16 cm of text).
"""

from __future__ import annotations

import base64
import hashlib
import re

from report import model as m

IMAGE_SCHEME = "report-image"
# Prepared images of this process by digest: the PDF's URL fetcher serves them to
# WeasyPrint, so the print HTML names them instead of carrying them as data: URIs
# (which the fetcher refuses like any URL that is not a project file).
_SERVED: dict[str, object] = {}

TEXT_WIDTH_IN = 16 / 2.54
_UNITS_IN = {"cm": 1 / 2.54, "mm": 1 / 25.4, "in": 1.0, "pt": 1 / 72, "px": 1 / 96, "em": 11 / 72}
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)(%|cm|mm|in|pt|px|em)?$")


def printed_width_in(width: str | None) -> float:
    """The figure's width on the page in inches: its attribute, at most the text block."""
    match = _WIDTH.match((width or "").strip())
    if not match:
        return TEXT_WIDTH_IN
    value, unit = float(match.group(1)), match.group(2) or "px"
    inches = TEXT_WIDTH_IN * value / 100 if unit == "%" else value * _UNITS_IN[unit]
    return max(0.1, min(inches, TEXT_WIDTH_IN))


def figure_images(context):
    """A function figure → PreparedImage (None when the figure has no usable image),
    reading files from the project root of ``context``."""
    from report.images import ImageProblem, prepare

    def image(figure: m.Figure):
        if not figure.src:
            return None
        try:
            return prepare(context.root / figure.src, printed_width_in(figure.width))
        except ImageProblem:
            return None  # reported by the figures transform before rendering

    return image


def image_url(prepared, media: str) -> str:
    """Where the page finds a prepared image: a data: URI on screen (the HTML file stays
    self-contained), a ``report-image:`` name in print, served by :func:`served`."""
    if media == "screen":
        return f"data:{prepared.mime};base64,{base64.b64encode(prepared.data).decode('ascii')}"
    digest = hashlib.sha256(prepared.data).hexdigest()
    _SERVED[digest] = prepared
    return f"{IMAGE_SCHEME}:{digest}"


def served(url: str):
    """The prepared image a ``report-image:`` URL names (None for any other URL)."""
    scheme, _, digest = url.partition(":")
    return _SERVED.get(digest) if scheme == IMAGE_SCHEME else None
