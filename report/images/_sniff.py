"""What a file is, from its bytes: the format, and whether a PNG or JPEG is whole.

Only the container structure is walked here (chunk and segment headers); nothing is
decoded, so this is cheap enough for ``probe``.
"""

from __future__ import annotations

import re

MAX_PIXELS = 100_000_000  # larger images are refused, not decoded (decompression bombs)


class ImageProblem(Exception):
    """An image that cannot be used. ``code`` is 'IMG001' (missing or unreadable file),
    'IMG002' (not a PNG, JPEG or SVG), 'IMG003' (corrupt or truncated image data, or an SVG
    that is not well-formed XML); ``message`` a one-line, lower-case message without the path."""

    def __init__(self, code: str, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def problem_text(exc: BaseException) -> str:
    """An exception's first line, lower-cased at the start, for a one-line message."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]
    return text[:1].lower() + text[1:]


# Formats we refuse, by their magic numbers: (offset, bytes, name).
_OTHERS = (
    (0, b"GIF87a", "GIF"), (0, b"GIF89a", "GIF"), (0, b"II*\x00", "TIFF (or a camera raw file)"),
    (0, b"MM\x00*", "TIFF (or a camera raw file)"), (0, b"BM", "BMP"), (0, b"%PDF", "PDF"),
    (0, b"8BPS", "PSD (Photoshop)"), (0, b"\x00\x00\x01\x00", "ICO"), (0, b"\xff\x0a", "JPEG XL"),
    (4, b"JXL ", "JPEG XL"), (4, b"jP  ", "JPEG 2000"), (0, b"\xffO\xffQ", "JPEG 2000"),
    (0, b"%!PS", "PostScript"), (0, b"\xc5\xd0\xd3\xc6", "EPS"), (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"\x1f\x8b", "gzip-compressed data (an SVGZ file must be uncompressed)"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}


def sniff(data: bytes) -> str:
    """'png', 'jpeg' or 'svg' (an XML candidate, checked when parsed); else ImageProblem."""
    if not data:
        raise ImageProblem("IMG003", "empty file")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    name = other_format(data)
    if name:
        raise ImageProblem("IMG002", f"unsupported image format: {name} (use PNG, JPEG or SVG)")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.match(rb"<!doctype html|<html", head):
        raise ImageProblem("IMG002", "unsupported image format: HTML (use PNG, JPEG or SVG)")
    if head.startswith(b"<"):
        return "svg"
    raise ImageProblem("IMG002", "not a PNG, JPEG or SVG image")


def other_format(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp":
        brands = data[8:40]
        if b"avif" in brands or b"avis" in brands:
            return "AVIF"
        if data[8:12] in _HEIF_BRANDS or b"heic" in brands:
            return "HEIC"
        return "an ISO media file (MP4, MOV or similar)"
    for offset, magic, name in _OTHERS:
        if data[offset:offset + len(magic)] == magic:
            return name
    return None


def check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ImageProblem("IMG003", f"invalid image size {width}x{height}")
    if width * height > MAX_PIXELS:
        raise ImageProblem("IMG003", f"image too large: {round(width * height / 1e6)} megapixels")


def jpeg_structure(data: bytes) -> tuple[int, int]:
    """The frame size from the SOF segment; IMG003 when the segments are broken, the scan
    data is missing or too short for the frame, or the file ends before the end-of-image
    marker."""
    i, n, size, frame = 2, len(data), None, {}
    while i + 4 <= n:
        if data[i] != 0xFF:
            raise ImageProblem("IMG003", "corrupt JPEG data: bad segment marker")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker == 0xD9:
            break
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2:
            raise ImageProblem("IMG003", "corrupt JPEG data: bad segment length")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and i + 9 <= n:
            size = (int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big"))
            frame = _frame_components(data[i + 4:i + 2 + length], size)
        if marker == 0xDA:  # start of scan: the entropy-coded data follows
            if size is None:
                raise ImageProblem("IMG003", "corrupt JPEG data: no frame header")
            if data.rfind(b"\xff\xd9", i + 2 + length) < 0:  # from the end: cheap when whole
                raise ImageProblem("IMG003", "truncated JPEG data: no end-of-image marker")
            _check_scans(data, i, frame)
            return size
        i += 2 + length
    raise ImageProblem("IMG003", "truncated JPEG data: no image data")


def _frame_components(segment: bytes, size: tuple[int, int]) -> dict[int, int]:
    """component id → the number of 8×8 blocks it has (at least), from a SOF segment."""
    width, height = size
    count = segment[5] if len(segment) > 5 else 0
    parts = [(segment[6 + 3 * k], segment[7 + 3 * k] >> 4, segment[7 + 3 * k] & 15)
             for k in range(count) if 8 + 3 * k <= len(segment)]
    h_max = max((h for _, h, _ in parts), default=1) or 1
    v_max = max((v for _, _, v in parts), default=1) or 1
    return {ident: -(-(-(-width * h // h_max)) // 8) * -(-(-(-height * v // v_max)) // 8) for ident, h, v in parts}


def _check_scans(data: bytes, i: int, frame: dict[int, int]) -> None:
    """IMG003 when a scan that codes the DC coefficients holds fewer bits than it has
    blocks: each block's DC needs at least one bit, so the image data stops short (a
    file cut and given an end marker again decodes to grey, with no error from libjpeg)."""
    n = len(data)
    while i + 4 <= n and data[i] == 0xFF and data[i + 1] == 0xDA:
        length = int.from_bytes(data[i + 2:i + 4], "big")
        header = data[i + 4:i + 2 + length]
        count = header[0] if header else 0
        ids = [header[1 + 2 * k] for k in range(count) if 1 + 2 * k < len(header)]
        spectral_start = header[1 + 2 * count] if len(header) > 1 + 2 * count else 0
        start = pos = i + 2 + length
        while True:  # to the next marker that is neither a stuffed byte nor a restart
            pos = data.find(b"\xff", pos)
            if pos < 0 or pos + 1 >= n:
                pos = n
                break
            if data[pos + 1] == 0 or 0xD0 <= data[pos + 1] <= 0xD7:
                pos += 2
                continue
            break
        if spectral_start == 0 and frame and (pos - start) * 8 < sum(frame.get(c, 0) for c in ids):
            raise ImageProblem("IMG003", "truncated JPEG data: the image data stops short")
        i = pos
        while i + 4 <= n and data[i] == 0xFF and data[i + 1] != 0xDA and data[i + 1] != 0xD9:
            marker = data[i + 1]
            if marker == 0xFF:
                i += 1
                continue
            i += 2 + int.from_bytes(data[i + 2:i + 4], "big")  # tables between the scans


def png_chunks(data: bytes):
    """(type, payload) for each chunk up to IEND; IMG003 when the file ends early.
    Payloads are memoryviews (IDAT is not copied)."""
    view, i, n = memoryview(data), 8, len(data)
    while i + 8 <= n:
        length = int.from_bytes(data[i:i + 4], "big")
        kind = bytes(data[i + 4:i + 8])
        if i + 12 + length > n:
            break
        yield kind, view[i + 8:i + 8 + length]
        if kind == b"IEND":
            return
        i += 12 + length
    raise ImageProblem("IMG003", "truncated PNG data: no end chunk")


def png_size(data: bytes) -> tuple[int, int]:
    if data[12:16] != b"IHDR" or len(data) < 24:
        raise ImageProblem("IMG003", "corrupt PNG data: no header chunk")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
