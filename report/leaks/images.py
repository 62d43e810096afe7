"""The text an image file carries besides its pixels: EXIF, XMP, IPTC, ICC profile
descriptions, comments, PNG text chunks.

:func:`image_texts` takes an image file's bytes and returns the strings of its metadata
(never the pixels: compressed pixel data read as text would match a short name by
chance). JPEG, PNG and WebP containers are walked here segment by segment, so a segment
Pillow does not know is still read; other formats (GIF, TIFF…) go through Pillow.
"""

from __future__ import annotations

import io
import re
import struct
import zlib

from report.leaks.xmltext import xml_texts

EXIF_IFDS = (0x8769, 0x8825, 0xA005)  # Exif, GPS, interoperability
USER_COMMENT = 0x9286
XP_TAGS = range(0x9C9B, 0x9CA0)  # Windows' XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# PNG chunks that hold only pixels or layout numbers.
_PNG_PLAIN = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"pHYs", b"gAMA", b"cHRM", b"sRGB", b"bKGD",
              b"tIME", b"sBIT", b"hIST", b"sPLT", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCv", b"cLLi"}


def is_image(data: bytes) -> bool:
    """JPEG, PNG, GIF, TIFF, WebP, AVIF or HEIC, by the file's first bytes."""
    return (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"
            or data[:4] in (b"GIF8", b"II*\x00", b"MM\x00*") or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
            or data[4:12] in (b"ftypavif", b"ftypheic"))


def raw_texts(data: bytes, wide: bool = False) -> list[str]:
    """A block of bytes as text: UTF-8 and Latin-1, and with ``wide`` UTF-16 both ways
    round (the short metadata blocks whose layout is not parsed here)."""
    texts = [data.decode("utf-8", "replace"), data.decode("latin-1")]
    if wide:
        texts += [data[i:].decode(codec, "replace") for codec in ("utf-16-le", "utf-16-be") for i in (0, 1)]
    return texts


def image_texts(data: bytes) -> list[str]:
    """The strings in an image file's metadata; a container too broken to walk is read
    as raw text instead (a leak check must not stop at a damaged file)."""
    try:
        if data[:3] == b"\xff\xd8\xff":
            return _jpeg(data)
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        return _pillow(data)
    except Exception:  # noqa: BLE001 - see the docstring
        return raw_texts(data)


def exif_texts(block: bytes) -> list[str]:
    """The strings of a TIFF-structured EXIF block (``Exif\\0\\0`` header optional)."""
    from PIL import Image

    if block.startswith(b"Exif\x00\x00"):
        block = block[6:]
    exif = Image.Exif()
    try:
        exif.load(block)
        # IFD1 (-1 for Pillow): the thumbnail's tags, which may carry their own description.
        ifds = [exif] + [exif.get_ifd(tag) for tag in EXIF_IFDS + (-1,)]
    except Exception:  # noqa: BLE001 - a damaged EXIF block: its bytes as text
        return raw_texts(block, wide=True)
    if not any(len(ifd) for ifd in ifds) and len(block) > 8:  # nothing Pillow could read: its bytes as text
        return raw_texts(block, wide=True)
    texts: list[str] = []
    for ifd in ifds:
        for tag, value in ifd.items():
            texts += _value_texts(tag, value)
    return texts


def _value_texts(tag: int, value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple) and value and all(isinstance(v, int) for v in value) and tag in XP_TAGS:
        value = bytes(v & 0xFF for v in value)
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value)
        if tag in XP_TAGS:
            return [value.decode("utf-16-le", "replace")]
        if tag == USER_COMMENT:  # an 8-byte character code, then the text
            return raw_texts(value[8:], wide=True)
        return raw_texts(value)
    if isinstance(value, tuple):
        return [text for v in value if isinstance(v, (str, bytes)) for text in _value_texts(tag, v)]
    return []


def _jpeg(data: bytes) -> list[str]:
    """Every APPn and COM segment, wherever it is (after a scan too)."""
    texts: list[str] = []
    pos = 2
    while (match := _JPEG_MARKER.search(data, pos)) is not None:
        marker, pos = match.group()[1], match.start() + 2
        if marker == 0xD9 or pos + 2 > len(data):
            break
        if marker in (0x01, 0xD8):
            continue
        length = struct.unpack(">H", data[pos:pos + 2])[0]
        body = data[pos + 2:pos + length]
        pos += length
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            texts += exif_texts(body)
        elif marker == 0xE1 and body.startswith(XMP_HEADER):
            texts += xml_texts(body[len(XMP_HEADER):])
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            texts += raw_texts(body, wide=marker in (0xE2, 0xED))  # ICC profile, Photoshop/IPTC
    return texts


def _png(data: bytes) -> list[str]:
    texts: list[str] = []
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind in _PNG_PLAIN:
            continue
        if kind == b"tEXt":
            texts.append(body.decode("latin-1"))
        elif kind == b"zTXt":
            keyword, _, rest = body.partition(b"\x00")
            texts += [keyword.decode("latin-1"), zlib.decompress(rest[1:]).decode("latin-1")]
        elif kind == b"iTXt":
            keyword, _, rest = body.partition(b"\x00")
            compressed, rest = rest[0], rest[2:]
            language, _, rest = rest.partition(b"\x00")
            translated, _, text = rest.partition(b"\x00")
            text = zlib.decompress(text) if compressed else text
            texts += [keyword.decode("latin-1"), language.decode("latin-1", "replace"),
                      translated.decode("utf-8", "replace")] + xml_texts(text)
        elif kind == b"eXIf":
            texts += exif_texts(body)
        elif kind == b"iCCP":
            name, _, rest = body.partition(b"\x00")
            texts += [name.decode("latin-1")] + raw_texts(zlib.decompress(rest[1:]), wide=True)
        else:  # a chunk of another program's: its bytes as text
            texts += [kind.decode("latin-1")] + raw_texts(body, wide=True)
    return texts


def _webp(data: bytes) -> list[str]:
    texts: list[str] = []
    pos = 12
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 8 + length + (length & 1)
        if kind == b"EXIF":
            texts += exif_texts(body)
        elif kind == b"XMP ":
            texts += xml_texts(body)
        elif kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"):
            texts += raw_texts(body, wide=True)
    return texts


def _pillow(data: bytes) -> list[str]:
    """GIF, TIFF and the rest: what Pillow reads of them (info, EXIF, TIFF tags)."""
    from PIL import Image

    texts: list[str] = []
    with Image.open(io.BytesIO(data)) as image:
        for key, value in image.info.items():
            if key == "exif":
                texts += exif_texts(value)
            elif key == "xmp":
                texts += xml_texts(value if isinstance(value, bytes) else str(value).encode())
            elif isinstance(value, (bytes, bytearray)):
                texts += raw_texts(bytes(value), wide=key == "icc_profile")
            elif isinstance(value, str):
                texts.append(value)
        for tag, value in getattr(image, "tag_v2", {}).items():  # TIFF
            texts += _value_texts(tag, value)
        for tag, value in image.getexif().items():
            texts += _value_texts(tag, value)
    return texts
