"""Reading a PDF's source: its objects, their streams, their strings.

:func:`objects` takes the PDF's bytes and yields every object in it: every ``N G obj``
in file order, its stream skipped by its /Length (or up to ``endstream`` when that is
wrong), and the objects of each object stream, inflated and split, after it.
:func:`decoded` undoes a stream's filters; :func:`literal` and :func:`text` turn a
string token into text. No PDF library: what one would hide (objects nothing refers to,
the earlier versions of objects an incremental update replaced) is read too.
"""

from __future__ import annotations

import base64
import re
import zlib

_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_STREAM_OR_END = re.compile(rb"\bstream\r?\n|\bendobj\b")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def objects(data: bytes):
    """(number, source up to the stream, encoded stream or None) for every object, in
    file order; the objects inside an object stream follow it."""
    pos = 0
    while (match := _OBJ.search(data, pos)) is not None:
        num, start = int(match.group(1)), match.end()
        end = _STREAM_OR_END.search(data, start)
        if end is None:
            yield num, data[start:], None
            return
        body, pos = data[start:end.start()], end.end()
        stream = None
        if end.group().startswith(b"stream"):
            length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", body)
            stop = pos + int(length.group(1)) if length else -1
            if not length or not data[stop:stop + 12].lstrip(b"\r\n ").startswith(b"endstream"):
                stop = data.find(b"endstream", pos)  # no direct length, or a wrong one
                stop = len(data) if stop < 0 else stop
            stream, pos = data[pos:stop], stop
        yield num, body, stream
        if stream is not None and b"/ObjStm" in body:
            yield from _object_stream(body, stream)


def _object_stream(body: bytes, stream: bytes):
    data = decoded(body, stream)
    first = re.search(rb"/First\s+(\d+)", body)
    if data is None or first is None:
        return
    first = int(first.group(1))
    try:
        pairs = [int(n) for n in data[:first].split()]
    except ValueError:  # not an object stream's header after all
        return
    offsets = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
    for i, (num, offset) in enumerate(offsets):
        end = offsets[i + 1][1] if i + 1 < len(offsets) else len(data) - first
        yield num, data[first + offset:first + end], None


def decoded(body: bytes, stream: bytes) -> bytes | None:
    """The stream decoded by its filters, up to an image filter (a JPEG stays a JPEG);
    None for a filter not read here, or data its filter cannot decode."""
    found = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", body)
    filters = re.findall(rb"/(\w+)", found.group(1)) if found else []
    try:
        return _decode_filters(filters, stream)
    except (ValueError, zlib.error):
        return None


def _decode_filters(filters: list[bytes], stream: bytes) -> bytes | None:
    for name in filters:
        if name in (b"FlateDecode", b"Fl"):
            inflate = zlib.decompressobj()
            stream = inflate.decompress(stream)  # a truncated stream gives what it has
        elif name in (b"ASCIIHexDecode", b"AHx"):
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", stream.split(b">")[0])
            stream = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif name in (b"ASCII85Decode", b"A85"):
            stream = base64.a85decode(stream.split(b"~>")[0].strip() + b"~>", adobe=stream.lstrip().startswith(b"<~"))
        elif name in (b"DCTDecode", b"JPXDecode", b"DCT"):
            return stream
        else:
            return None
    return stream


def literal(token: bytes) -> bytes:
    """The bytes of a PDF string token, ``(…)`` with its escapes or ``<hex>``."""
    if token.startswith(b"<"):
        digits = re.sub(rb"\s", b"", token[1:-1])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8) & 0xFF]) if m.group(1)[:1].isdigit()
                  else _ESCAPES.get(m.group(1), m.group(1) if m.group(1) not in b"\r\n" else b""),
                  token[1:-1], flags=re.S)


def text(data: bytes) -> str:
    """A PDF text string: UTF-16BE or UTF-8 with their byte order marks, else
    PDFDocEncoding (read as Latin-1, which it matches for letters)."""
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    return data.decode("latin-1")
