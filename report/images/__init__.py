"""Images made safe and small for publication: ``probe`` and ``prepare``.

Photographs in a report are evidence and can endanger people: the metadata a camera or an
editor writes (GPS position, serial numbers, names, capture time; XMP, IPTC, comments) must
never reach a published file, and large photographs are resampled so outputs stay small.

``probe`` says what a source file is and which privacy-relevant metadata it holds, reading
only its container (no pixels decoded). ``prepare`` gives the bytes to embed: PNG and JPEG
re-encoded from their pixels alone (EXIF orientation applied, resampled down to the printed
width, colour converted to sRGB) and SVG sanitised. Prepared images are kept in the user's
cache folder, keyed by the source's SHA-256 and the parameters, and in a per-process dict.

The format comes from the file's bytes, never its extension. Problems are raised as
:class:`ImageProblem` with a code (IMG001 unreadable, IMG002 unsupported, IMG003 corrupt).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from report import cache

from ._sniff import MAX_PIXELS, ImageProblem, sniff

__all__ = ["ImageProblem", "PlannedJpeg", "PreparedImage", "ProbedImage", "plan_jpeg", "prepare", "probe",
           "MAX_PIXELS"]

FORMAT_VERSION = 3  # part of every cache key: raise it when prepared bytes would change
MAX_FILE_BYTES = 256 * 2**20  # a larger source file is refused before it is read
MAX_FALLBACK_PX = 4096  # the longest side of the PNG fallback rendered for an SVG
_MEMORY_BYTES = 256 * 2**20  # what the per-process cache may hold
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class ProbedImage:
    """A source image as found: format ('png' | 'jpeg' | 'svg'); the size as displayed
    (after the EXIF orientation; an SVG's intrinsic size in CSS pixels, 300x150 when it has
    none); the privacy-relevant metadata the source holds, as short phrases in a stable
    order ('GPS position 40.3779 N, 49.8920 E', 'camera serial number 123456', ...)."""

    format: str
    width_px: int
    height_px: int
    findings: tuple[str, ...]


@dataclass(frozen=True)
class PreparedImage:
    """The bytes to embed, with no EXIF, XMP, IPTC, ICC profile, comments or PNG text/time
    chunks (an SVG sanitised), their MIME type, file extension and pixel size (an SVG's
    intrinsic size). ``png_fallback`` is, for an SVG, a PNG rendering for Word's fallback
    picture, or None when no rasteriser is available (cairosvg, which needs libcairo2, is
    used when it can be imported); it is always None for PNG and JPEG."""

    data: bytes
    mime: str
    extension: str
    width_px: int
    height_px: int
    png_fallback: bytes | None = None


def _read(path: Path) -> bytes:
    path = Path(path)
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise ImageProblem("IMG003", f"image file too large: {size // 2**20} MB")
            return file.read()
    except FileNotFoundError:
        raise ImageProblem("IMG001", "file not found") from None
    except IsADirectoryError:
        raise ImageProblem("IMG001", "not a file but a folder") from None
    except PermissionError:
        raise ImageProblem("IMG001", "cannot read file: permission denied") from None
    except OSError as exc:
        reason = (exc.strerror or "input/output error").lower()
        raise ImageProblem("IMG001", f"cannot read file: {reason}") from None


def probe(path: Path) -> ProbedImage:
    """Format, displayed size and metadata findings of the image at ``path``, without
    decoding its pixels. Raises :class:`ImageProblem`."""
    from . import _raster, _svg

    data = _read(path)
    fmt = sniff(data)
    if fmt == "svg":
        root = _svg.parse(data)
        width, height = _svg.size(root)
        found = _svg.findings(root, lambda raw: _raster.probe(raw, _embedded(raw))[2])
    else:
        width, height, found = _raster.probe(data, fmt)
    return ProbedImage(fmt, width, height, tuple(dict.fromkeys(found)))


def prepare(path: Path, printed_width_in: float, dpi: int = 300, digest: str | None = None) -> PreparedImage:
    """The image at ``path`` ready to embed at ``printed_width_in`` inches wide: a PNG or
    JPEG wider than ``printed_width_in * dpi`` pixels is resampled (bicubic) to that width,
    never upsampled; JPEG stays JPEG (quality 85, 4:2:0), PNG stays PNG (alpha and palette
    kept). The result is byte-for-byte the same for the same source and parameters.
    ``digest``: the source's SHA-256 (hex) when the caller took it already: a kept result
    is then found without reading the file (one made is keyed by the bytes read).
    Raises :class:`ImageProblem`; ValueError for a width or dpi that is not positive."""
    width_in, dpi = _parameters(printed_width_in, dpi)
    if digest is not None:
        found = _kept(_key(digest, width_in, dpi))
        if found is not None:
            return found
    data = _read(path)
    fmt = sniff(data)
    key = _key(hashlib.sha256(data).hexdigest(), width_in, dpi, fmt == "svg")
    prepared = _kept(key)
    if prepared is None:
        prepared = _make(data, fmt, max(1, round(width_in * dpi)))
        cache.keep(_stored(key), _pack(prepared))  # an unusable cache folder is no error
        _remember(key, prepared)
    return prepared


@dataclass(frozen=True)
class PlannedJpeg:
    """What :func:`prepare` will make of a JPEG, known from its header alone: the pixel
    size and mode ("L" or "RGB"), and a header-only JPEG of that size and mode (no pixel
    data) from which a layout engine reads the size without the photograph being made."""

    width_px: int
    height_px: int
    mode: str

    @property
    def header(self) -> bytes:
        components = 1 if self.mode == "L" else 3
        ids = range(1, components + 1)
        frame = b"\xff\xc0" + struct.pack(">HBHHB", 8 + 3 * components, 8, self.height_px, self.width_px, components)
        scan = b"\xff\xda" + struct.pack(">HB", 6 + 2 * components, components)
        return (b"\xff\xd8" + frame + b"".join(bytes((i, 0x11, 0)) for i in ids)
                + scan + b"".join(bytes((i, 0)) for i in ids) + bytes((0, 63, 0)))


def plan_jpeg(path: Path, printed_width_in: float, dpi: int = 300) -> PlannedJpeg | None:
    """The size and mode :func:`prepare` gives the image at ``path`` when it is a JPEG,
    read from its header (the file is read, nothing decoded); None for another format.
    Raises :class:`ImageProblem`."""
    from . import _raster

    width_in, dpi = _parameters(printed_width_in, dpi)
    data = _read(path)
    if sniff(data) != "jpeg":
        return None
    return PlannedJpeg(*_raster.jpeg_plan(data, max(1, round(width_in * dpi))))


def prepare_ahead(jobs: list[tuple[Path, float, str]], threads: int) -> None:
    """:func:`prepare` each (path, printed width in inches, source SHA-256) of ``jobs`` on
    ``threads`` threads (Pillow decodes, resamples and encodes without holding the GIL),
    for a later call on it to find, in this process or, through the cache folder, in
    another. An image that cannot be prepared is left for that call to report.
    Meanwhile Pillow keeps two freed blocks of pixel memory a thread for the next image,
    instead of handing them back and having the next one's pages faulted in again (12 %
    of the time of preparing 4000 × 3000 photographs; about 20 MiB held the while)."""
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    def one(job):
        path, width, digest = job
        try:
            prepare(path, width, digest=digest)
        except ImageProblem:
            pass

    threads = max(1, min(threads, len(jobs)))
    blocks = Image.core.get_blocks_max()
    Image.core.set_blocks_max(max(blocks, 2 * threads))
    try:
        if threads == 1:
            for job in jobs:
                one(job)
        else:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(one, jobs))
    finally:
        Image.core.set_blocks_max(blocks)  # and the blocks kept meanwhile are freed


def is_kept(digest: str, printed_width_in: float, dpi: int = 300) -> bool:
    """Whether the cache folder holds the prepared image of the source whose SHA-256 is
    ``digest`` (a PNG or JPEG; an SVG's is never found this way) at these parameters:
    a look at the folder, nothing read."""
    width_in, dpi = _parameters(printed_width_in, dpi)
    key = _key(digest, width_in, dpi)
    with _LOCK:
        if key in _MEMORY:
            return True
    return _stored(key).is_file()


def is_raster(path: Path) -> bool:
    """Whether the file at ``path`` begins as a PNG or JPEG does (its first bytes read;
    False when it cannot be read)."""
    return raster_format(path) is not None


def raster_format(path: Path) -> str | None:
    """"png" or "jpeg" when the file at ``path`` begins as one (its first bytes read),
    else None (also when it cannot be read)."""
    try:
        with Path(path).open("rb") as file:
            head = file.read(8)
    except OSError:
        return None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return "jpeg" if head.startswith(b"\xff\xd8\xff") else None


def _parameters(printed_width_in: float, dpi: int) -> tuple[float, int]:
    width_in = round(float(printed_width_in), 2)
    if not width_in > 0 or int(dpi) != dpi or dpi <= 0:
        raise ValueError(f"printed width and dpi must be positive, not {printed_width_in!r} and {dpi!r}")
    return width_in, int(dpi)


def _key(digest: str, width_in: float, dpi: int, svg: bool = False) -> str:
    """The cache key of a source (by its SHA-256) at these parameters. An SVG's key holds
    the SVG libraries' versions too (so a known digest, looked up as a PNG's or JPEG's,
    never finds an SVG's result: that lookup is only a shortcut)."""
    return hashlib.sha256(f"{FORMAT_VERSION}|{_versions(svg)}|{width_in:.2f}|{dpi}|{digest}".encode()).hexdigest()


def _stored(key: str) -> Path:
    return cache.folder() / "images" / f"{key}.bin"


def _kept(key: str) -> PreparedImage | None:
    """A prepared image from this process's memory or the cache folder, else None."""
    with _LOCK:
        if key in _MEMORY:
            _MEMORY.move_to_end(key)
            return _MEMORY[key]
    prepared = _unpack(_stored(key))
    if prepared is not None:
        _remember(key, prepared)
    return prepared


def _make(data: bytes, fmt: str, target_px: int) -> PreparedImage:
    from . import _raster, _svg

    if fmt != "svg":
        out, width, height = _raster.render(data, fmt, target_px)
        return PreparedImage(out, _MIME[fmt], fmt, width, height)
    root = _svg.parse(data)
    width, height = _svg.size(root)
    text = _svg.sanitise(root, lambda raw: _raster.render(raw, _embedded(raw), None)[0])
    fallback = _svg.png_fallback(text, *_fallback_size(width, height, target_px))
    if fallback is not None:
        try:  # the same PNG encoding as every other image (and no text chunks)
            fallback = _raster.render(fallback, "png", None)[0]
        except ImageProblem:
            fallback = None
    return PreparedImage(text, _MIME["svg"], "svg", width, height, fallback)


def _fallback_size(width: int, height: int, target_px: int) -> tuple[int, int]:
    """The PNG fallback's size: the printed width, shrunk so neither side is over
    MAX_FALLBACK_PX (a tall SVG would otherwise render hundreds of megabytes)."""
    scale = min(target_px / width, MAX_FALLBACK_PX / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _embedded(data: bytes) -> str:
    """The format of an image embedded in an SVG as a data: URI (PNG or JPEG only)."""
    fmt = sniff(data)
    if fmt == "svg":
        raise ImageProblem("IMG002", "an embedded image that is not a PNG or JPEG")
    return fmt


@functools.cache
def _versions(svg: bool = False) -> str:
    """The libraries whose versions decide the prepared bytes (part of the cache key): for
    a PNG or JPEG, Pillow's and its codecs'; for an SVG also lxml's and the rasteriser's
    (cairosvg, whose import takes 0.3 s: not done for a build with photographs alone)."""
    import PIL
    from PIL import features

    versions = (f"pillow {PIL.__version__} jpeg {features.version('jpg')} zlib {features.version('zlib')} "
                f"lcms {features.version('littlecms2')}")
    if not svg:
        return versions
    import lxml.etree

    from . import _svg

    rasteriser = _svg.rasteriser()
    return (f"{versions} lxml {lxml.etree.__version__} "
            f"cairosvg {getattr(rasteriser, '__version__', '?') if rasteriser else None}")


# --- the caches -------------------------------------------------------------

_LOCK = threading.Lock()
_MEMORY: OrderedDict[str, PreparedImage] = OrderedDict()
_MAGIC = b"report prepared image\n"


def _size(prepared: PreparedImage) -> int:
    return len(prepared.data) + len(prepared.png_fallback or b"")


def _remember(key: str, prepared: PreparedImage) -> None:
    with _LOCK:
        _MEMORY[key] = prepared
        total = sum(_size(p) for p in _MEMORY.values())
        while total > _MEMORY_BYTES and len(_MEMORY) > 1:
            total -= _size(_MEMORY.popitem(last=False)[1])


def _pack(prepared: PreparedImage) -> bytes:
    body = prepared.data + (prepared.png_fallback or b"")
    head = json.dumps({"mime": prepared.mime, "extension": prepared.extension,
                       "width": prepared.width_px, "height": prepared.height_px,
                       "data": len(prepared.data),
                       "fallback": None if prepared.png_fallback is None else len(prepared.png_fallback),
                       "sha256": hashlib.sha256(body).hexdigest()}, sort_keys=True).encode()
    return _MAGIC + len(head).to_bytes(4, "big") + head + body


def _unpack(path: Path) -> PreparedImage | None:
    """A cached result, or None when there is none or it is damaged in any way."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        if not blob.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + 4
        end = start + int.from_bytes(blob[len(_MAGIC):start], "big")
        head = json.loads(blob[start:end])
        body = blob[end:]
        data_len, fallback_len = head["data"], head["fallback"]
        if (hashlib.sha256(body).hexdigest() != head["sha256"] or _MIME.get(head["extension"]) != head["mime"]
                or len(body) != data_len + (fallback_len or 0)):
            return None
        return PreparedImage(body[:data_len], head["mime"], head["extension"], int(head["width"]),
                             int(head["height"]), None if fallback_len is None else body[data_len:])
    except (ValueError, KeyError, TypeError):
        return None
