"""Pictures in the body → figure records, and their images → project files.

:func:`place_pictures` takes the body records :mod:`.docx` read (paragraph
records whose pieces may hold :class:`~report.importer.drawing.Picture` pieces,
and table records), the opened package, the main part's name and the import's
log. It returns the records with each picture made a ``("figure", FigureRecord)``
record at its place, or a ``("dropped",)`` placeholder when it cannot be kept (a
body paragraph is split around it; a heading's or a title's text stays whole, its
pictures after it), and the images to write into the project (path → bytes).

Nothing from the zip is trusted: an image is named ``images/figure-N.<ext>``
after the format its bytes show (PNG or JPEG; the SVG Word keeps beside its PNG
when the Word output can carry it), read within ``Limits.image_bytes`` and the
package's read limits, and probed (container and pixel count) before it is kept.
A linked image is never fetched. An image that cannot be kept is dropped and
counted in the log, as is every image kept.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from report.diagnostics import Location
from report.images import ImageProblem
from report.importer.drawing import Picture
from report.importer.package import MIB, Package
from report.importer.runs import FieldMark, Mark, NoteCall, Piece
from report.importer.styles import W_NS, _int, w

BODY_ROLES = (None, "quote", "code", "caption")
TWIPS_EMU = 635
DEFAULT_TEXT_TWIPS = 12240 - 2 * 1440  # Word's Letter page with 1-inch margins
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "svg": "svg"}


@dataclass
class FigureRecord:
    """A picture kept as a figure: its project path, alternative text (None: none
    given), width ("60%"), and, once :mod:`.captions` finds one, its caption's
    pieces and label."""

    src: str
    alt: str | None
    width: str | None
    where: Location
    caption: list = field(default_factory=list)
    label: str | None = None
    captioned: bool = False


def place_pictures(records: list, pkg: Package, main: str, log) -> tuple[list, dict[str, bytes]]:
    """See the module doc."""
    images = _Images(pkg, main, log)
    out: list = []
    for record in records:
        if isinstance(record, tuple) or not any(isinstance(p, Picture) for p in record.pieces):
            out.append(record)
        elif record.role in BODY_ROLES:
            out.extend(_split(record, images))
        else:  # a heading or the title keeps its text whole; its pictures follow it
            out.append(dataclasses.replace(record, pieces=[p for p in record.pieces if not isinstance(p, Picture)]))
            out.extend(images.figure(p, record.where) for p in record.pieces if isinstance(p, Picture))
    if images.files:
        log.count("kept", "image", images.kept)
    return out, images.files


def _split(record, images) -> list:
    """A body paragraph cut at its pictures: text, figure, text… (empty parts left
    out, their bookmarks and field marks carried into the next part)."""
    out, part, first = [], [], True
    for piece in record.pieces + [None]:
        if piece is not None and not isinstance(piece, Picture):
            part.append(piece)
            continue
        if _has_text(part):
            out.append(dataclasses.replace(record, pieces=part) if first else
                       dataclasses.replace(record, pieces=part, list_key=None, marker=None))
            first, part = False, []
        else:
            part = [p for p in part if isinstance(p, (Mark, FieldMark))]
        if piece is not None:
            out.append(images.figure(piece, record.where))
    return out


def _has_text(pieces) -> bool:
    return any(isinstance(p, NoteCall) or (isinstance(p, Piece) and p.text.strip()) for p in pieces)


class _Images:
    """The images kept so far: project path → bytes, one file per image part."""

    def __init__(self, pkg: Package, main: str, log):
        self.pkg, self.log = pkg, log
        self.rels = pkg.rels(main)
        self.files: dict[str, bytes] = {}
        self.by_part: dict[str, str] = {}
        self.kept = 0

    @functools.cached_property
    def svg(self) -> bool:
        """Whether an SVG can be kept: the Word output needs cairosvg to render its PNG fallback."""
        from report.images import _svg

        return _svg.rasteriser() is not None

    def figure(self, picture: Picture, where: Location):
        """A ("figure", FigureRecord) record, or ("dropped",) when the image cannot be kept."""
        candidates = ([picture.svg] if picture.svg and self.svg else []) + ([picture.embed] if picture.embed else [])
        reason = "linked image (never fetched)" if picture.link else "image without data"
        for rid in candidates:
            src, reason = self._image(rid)
            if src is not None:
                self.kept += 1
                return ("figure", FigureRecord(src, picture.alt, _width(picture), where))
        self.log.count("dropped", reason)
        return ("dropped",)

    def _image(self, rid: str) -> tuple[str | None, str]:
        """The project path of the image that relationship ``rid`` names, or None
        and why it cannot be kept."""
        rel = self.rels.get(rid)
        if rel is None:
            return None, "image whose relationship is missing"
        _, target, external = rel
        if external:
            return None, "linked image (never fetched)"
        if target in self.by_part:
            return self.by_part[target], ""
        if not self.pkg.has(target):
            return None, "image whose part is missing"
        limit = self.pkg.limits.image_bytes
        if self.pkg.names[target].file_size > limit:
            return None, f"image over {_megabytes(limit)}"
        data = self.pkg.read(target, limit)
        try:
            found = _probe(data)
        except ImageProblem as exc:
            return None, "image not in PNG, JPEG or SVG" if exc.code == "IMG002" else "corrupt or oversized image"
        name = f"images/figure-{len(self.files) + 1}.{_EXTENSIONS[found.format]}"
        self.files[name] = data
        self.by_part[target] = name
        return name, ""


def _probe(data: bytes):
    """What the build will find in the image (format, size; its container checked), as
    :func:`report.images.probe` sees it in a file of its own."""
    from report.images import probe

    with tempfile.TemporaryDirectory(prefix="report-import-image-") as folder:
        path = Path(folder) / "image"
        path.write_bytes(data)
        return probe(path)


def _megabytes(size: int) -> str:
    return f"{size // MIB} MB" if size >= MIB else f"{size} bytes"


def _width(picture: Picture) -> str | None:
    """The picture's width as a share of its section's text width ("47%", at most 100%)."""
    if not picture.cx or picture.element is None:
        return None
    share = round(100 * picture.cx / (text_width_twips(picture.element) * TWIPS_EMU))
    return f"{max(1, min(100, share))}%"


def text_width_twips(element) -> int:
    """The text block's width (page width minus margins and gutter) of the section
    ``element`` stands in: the one its paragraph ends, else the next one that ends."""
    paragraph = next(element.iterancestors(w("p")), None)
    sect = paragraph.find(f"{w('pPr')}/{w('sectPr')}") if paragraph is not None else None
    if sect is None:
        found = element.xpath("following::w:sectPr[1]", namespaces={"w": W_NS})
        sect = found[0] if found else None
    if sect is None:
        return DEFAULT_TEXT_TWIPS
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    width = _int(size.get(w("w")) if size is not None else None, 12240)
    if margins is not None:
        for side in ("left", "right", "gutter"):
            width -= _int(margins.get(w(side)) or margins.get(w({"left": "start", "right": "end"}.get(side, side))), 0)
    return width if width > 0 else DEFAULT_TEXT_TWIPS
