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
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from report import model as m
from report.diagnostics import error
from report.errors import ReportError

IMAGE_SCHEME = "report-image"
# Prepared (or planned) images of this process by name: the PDF's URL fetcher serves
# them to WeasyPrint, so the print HTML names them instead of carrying them as data:
# URIs (which the fetcher refuses like any URL that is not a project file).
_SERVED: dict[str, object] = {}
_PLACEHOLDERS: list[Path] = []  # the folder of the planned images' files, while a PDF is made

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


def prepare_images(document: m.Document, root, threads: int, formats=("png", "jpeg")) -> None:
    """Prepare, on ``threads`` threads, every figure's image of ``formats`` ("png",
    "jpeg") that the cache folder does not hold yet (report.images.prepare_ahead), in
    the document's order, so that the build's processes, which render at once (the PDF
    in its worker, the DOCX and HTML here), each read it from there instead of each
    making it. An SVG is quick to clean, and its key holds the rasteriser's version (its
    import takes 0.3 s, which each process that prepares an SVG pays). An image's
    problem is left to its renderer, which reports it at the figure."""
    from report.images import is_kept, prepare_ahead, raster_format

    todo: dict[tuple[str, float], str] = {}  # (source digest, printed width) → path
    for section in document.sections:
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Figure) and block.src and block.digest:
                width = printed_width_in(block.width)
                if ((block.digest, width) not in todo and not is_kept(block.digest, width)
                        and raster_format(root / block.src) in formats):
                    todo[(block.digest, width)] = block.src
    if todo:
        prepare_ahead([(root / src, width, digest) for (digest, width), src in todo.items()], threads)


def defers_photographs() -> bool:
    """Whether the PDF lays photographs out before they are made (:func:`print_images`
    with ``defer``): with the WeasyPrint this was written for, which reads a local
    image's bytes only when it writes the PDF (report.render.weasyprint_version)."""
    from report.render.weasyprint_version import differences

    return not differences()


def screen_images(context):
    """A function figure → its ``<img src>`` on screen: a data: URI (the HTML file stays
    self-contained), or None when the figure has no usable image."""
    images = figure_images(context)

    def source(figure: m.Figure) -> str | None:
        prepared = images(figure)
        if prepared is None:
            return None
        return f"data:{prepared.mime};base64,{base64.b64encode(prepared.data).decode('ascii')}"

    return source


@dataclass
class PlannedImage:
    """A JPEG photograph not made yet, that the PDF lays out by its size alone
    (``plan``): WeasyPrint reads its bytes from ``placeholder`` when it writes the PDF,
    after :func:`make_planned` has put them there. Its pixels are decoded, resampled and
    encoded meanwhile, by the build's other process or after the layout."""

    path: Path
    width_in: float
    digest: str
    plan: object  # report.images.PlannedJpeg
    placeholder: Path
    location: m.Location


class PlanMismatch(Exception):
    """A photograph came out in another size or mode than its plan said (a fault of
    report.images.plan_jpeg): the PDF is laid out again with the made images."""


def print_images(context, defer: bool = False):
    """A function figure → its ``<img src>`` in print: a ``report-image:`` name, served
    to WeasyPrint by :func:`served`, or None when the figure has no usable image. The
    name is the source's digest and printed width, so a PDF is the same whether its
    images were made first or deferred. ``defer``: a JPEG not in the cache folder yet is
    a :class:`PlannedImage` instead of being made here."""
    images = figure_images(context)

    def source(figure: m.Figure) -> str | None:
        if not figure.src:
            return None
        if not figure.digest:  # (a document made by hand): named by what it shows
            prepared = images(figure)
            return _serve(hashlib.sha256(prepared.data).hexdigest(), prepared)
        width = printed_width_in(figure.width)
        name = hashlib.sha256(f"{figure.digest}|{width:.2f}".encode()).hexdigest()
        if name not in _SERVED:
            _serve(name, (_planned(context, figure, width, name) if defer else None) or images(figure))
        return f"{IMAGE_SCHEME}:{name}"

    return source


def _serve(name: str, image) -> str:
    _SERVED[name] = image
    return f"{IMAGE_SCHEME}:{name}"


def _planned(context, figure: m.Figure, width: float, name: str) -> PlannedImage | None:
    from report.images import ImageProblem, is_kept, plan_jpeg

    if is_kept(figure.digest, width):
        return None  # made already: read as it is
    try:
        plan = plan_jpeg(context.root / figure.src, width)
    except ImageProblem as exc:
        raise ReportError(error(exc.code, f"{exc.message}: {figure.src}", figure.location)) from None
    if plan is None:
        return None
    if not _PLACEHOLDERS:
        _PLACEHOLDERS.append(Path(tempfile.mkdtemp(prefix="report-images-")))
    placeholder = _PLACEHOLDERS[0] / f"{name}.jpg"
    placeholder.touch()  # WeasyPrint reads the bytes of a local file when it writes the PDF
    return PlannedImage(context.root / figure.src, width, figure.digest, plan, placeholder, figure.location)


def make_planned() -> None:
    """Make every planned photograph, the last first (the build's other process makes
    them first to last meanwhile: each finds the other's in the cache folder), and put
    its bytes where WeasyPrint will read them. ReportError (IMG003) for a photograph
    whose data turns out corrupt; :class:`PlanMismatch` when one is not as planned."""
    from report.images import ImageProblem, prepare

    for image in reversed([i for i in _SERVED.values() if isinstance(i, PlannedImage)]):
        try:
            prepared = prepare(image.path, image.width_in, digest=image.digest)
        except ImageProblem as exc:
            shown = image.path.name
            raise ReportError(error(exc.code, f"{exc.message}: {shown}", image.location)) from None
        plan = image.plan
        if (prepared.mime != "image/jpeg" or (prepared.width_px, prepared.height_px) != (plan.width_px, plan.height_px)
                or _jpeg_mode(prepared.data) != plan.mode):
            raise PlanMismatch(str(image.path))
        image.placeholder.write_bytes(prepared.data)


def _jpeg_mode(data: bytes) -> str:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data)).mode  # the header only


def release_served() -> None:
    """Forget the images served for a PDF once it is written (a long ``report serve``
    process would otherwise keep every version of every photograph), and remove the
    planned ones' files."""
    _SERVED.clear()
    while _PLACEHOLDERS:
        shutil.rmtree(_PLACEHOLDERS.pop(), ignore_errors=True)


def served(url: str):
    """The PreparedImage or :class:`PlannedImage` a ``report-image:`` URL names (None
    for any other URL)."""
    scheme, _, name = url.partition(":")
    return _SERVED.get(name) if scheme == IMAGE_SCHEME else None
