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
from report.diagnostics import error
from report.errors import ReportError

IMAGE_SCHEME = "report-image"
# Prepared images of this process by digest: the PDF's URL fetcher serves them to
# WeasyPrint, so the print HTML names them instead of carrying them as data: URIs
# (which the fetcher refuses like any URL that is not a project file).
_SERVED: dict[str, object] = {}

TEXT_WIDTH_IN = 16 / 2.54
_UNITS_IN = {"cm": 1 / 2.54, "mm": 1 / 25.4, "in": 1.0, "pt": 1 / 72, "px": 1 / 96, "em": 11 / 72}
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)(%|cm|mm|in|pt|px|em)?$")


def figure_width(width: str | None) -> tuple[str, str] | None:
    """A width attribute as (number, unit) — "60%" → ("60", "%"), "300" → ("300", "px") —
    or None when it is not a length (the figures transform reports that as FIG002)."""
    match = _WIDTH.match((width or "").strip())
    return (match.group(1), match.group(2) or "px") if match else None


def printed_width_in(width: str | None) -> float:
    """The figure's width on the page in inches: its attribute, at most the text block."""
    parsed = figure_width(width)
    if parsed is None:
        return TEXT_WIDTH_IN
    value, unit = float(parsed[0]), parsed[1]
    inches = TEXT_WIDTH_IN * value / 100 if unit == "%" else value * _UNITS_IN[unit]
    return max(0.1, min(inches, TEXT_WIDTH_IN))


def figure_images(context):
    """A function figure → PreparedImage (None when the figure has no usable image),
    reading files from the project root of ``context``."""
    from report.images import ImageProblem, prepare

    def image(figure: m.Figure):
        if not figure.src:
            return None  # the parser reported it
        try:
            return prepare(context.root / figure.src, printed_width_in(figure.width), digest=figure.digest)
        except ImageProblem as exc:
            # The transform only read the header: data that fails to decode shows here,
            # and a figure is never published without its image.
            raise ReportError(error(exc.code, f"{exc.message}: {figure.src}", figure.location)) from None

    return image


def prepare_images(document: m.Document, root, threads: int) -> None:
    """Prepare, on ``threads`` threads, every figure's image the cache folder does not
    hold yet (report.images.prepare_ahead), so that the build's processes, which render
    at once (the PDF in its worker, the DOCX and HTML here), each read it from there
    instead of each making it: before the worker got its document, both made every
    photograph. PNG and JPEG only: an SVG is quick to clean, and its key holds the
    rasteriser's version (its import takes 0.3 s, which each process that prepares an
    SVG pays). An image's problem is left to its renderer, which reports it at the figure."""
    from report.images import is_kept, is_raster, prepare_ahead

    todo: dict[tuple[str, float], str] = {}  # (source digest, printed width) → path
    for section in document.sections:
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Figure) and block.src and block.digest:
                width = printed_width_in(block.width)
                if ((block.digest, width) not in todo and not is_kept(block.digest, width)
                        and is_raster(root / block.src)):
                    todo[(block.digest, width)] = block.src
    if todo:
        prepare_ahead([(root / src, width, digest) for (digest, width), src in todo.items()], threads)


def image_url(prepared, media: str) -> str:
    """Where the page finds a prepared image: a data: URI on screen (the HTML file stays
    self-contained), a ``report-image:`` name in print, served by :func:`served`."""
    if media == "screen":
        return f"data:{prepared.mime};base64,{base64.b64encode(prepared.data).decode('ascii')}"
    digest = hashlib.sha256(prepared.data).hexdigest()
    _SERVED[digest] = prepared
    return f"{IMAGE_SCHEME}:{digest}"


def release_served() -> None:
    """Forget the images served for a PDF once it is written (a long ``report serve``
    process would otherwise keep every version of every photograph)."""
    _SERVED.clear()


def served(url: str):
    """The prepared image a ``report-image:`` URL names (None for any other URL)."""
    scheme, _, digest = url.partition(":")
    return _SERVED.get(digest) if scheme == IMAGE_SCHEME else None
