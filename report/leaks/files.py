"""One published file → the texts to search in it, by place.

:func:`file_chunks` takes a file's name and bytes and returns ``(place, text)`` pairs,
choosing the reader by the file's content (and its name when the content says nothing):
a zip (DOCX…), a PDF, an image, HTML, XML, JSON, else text. A file that a reader cannot
parse is searched as its raw bytes decoded as UTF-8 and as Latin-1: a damaged file is
published all the same, and a leak check must not stop at it.
"""

from __future__ import annotations

import html
import json

from report.leaks.images import image_texts, is_image, raw_texts
from report.leaks.pdf import Pages
from report.leaks.text import Place, with_unquoted
from report.leaks.xmltext import xml_texts

WHOLE = Place((-1,), "")
NAME = Place((-2,), "file name")
MAX_DEPTH = 4  # files inside files inside files…: deeper ones are read raw


def file_chunks(name: str, data: bytes, depth: int = 0) -> list[tuple[Place, str | Pages]]:
    """``(place, text)`` pairs of one file; a text is a :class:`Pages` for a PDF's pages."""

    def nested(inner: str, inner_data: bytes):
        return file_chunks(inner, inner_data, depth + 1)

    try:
        chunks = _read(name, data, depth, nested)
    except Exception:  # noqa: BLE001 - unparseable: raw bytes, see the module docstring
        chunks = [(WHOLE, text) for text in raw_texts(data)]
    # A file inside another is named where it is (a zip's entries, a PDF's attachments).
    return ([(NAME, name)] if depth == 0 else []) + chunks


def _read(name: str, data: bytes, depth: int, nested) -> list[tuple[Place, str | Pages]]:
    lower = name.lower()
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if depth > MAX_DEPTH:
        return [(WHOLE, text) for text in raw_texts(data)]
    if data[:4] == b"PK\x03\x04":
        from report.leaks.docx import zip_chunks

        return zip_chunks(data, nested)
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        from report.leaks.pdf import pdf_chunks

        return pdf_chunks(data, nested)
    if is_image(data):
        return [(Place((2,), "image metadata"), text) for text in image_texts(data)]
    if lower.endswith((".html", ".htm", ".xhtml")) or head.startswith((b"<!doctype html", b"<html")):
        from report.leaks.html import html_chunks

        return html_chunks(data, nested)
    if lower.endswith((".xml", ".svg", ".xmp", ".rdf")) or head.startswith(b"<?xml") or head.startswith(b"<svg"):
        return [(WHOLE, text) for text in xml_texts(data)]
    text = _text(data)
    if text is None:  # not text: a binary of a kind not known here
        return [(WHOLE, t) for t in raw_texts(data)]
    from report.leaks.html import data_uris

    chunks, text = data_uris(text, nested)
    if lower.endswith(".json") or text.lstrip()[:1] in ("{", "["):
        try:
            text = "\n|\n".join(json_strings(json.loads(text)))
        except ValueError:
            pass  # not JSON after all: its text as it is
    texts = [text, html.unescape(text)] if "&" in text else [text]
    return chunks + [(WHOLE, t) for t in texts]


def _text(data: bytes) -> str | None:
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def json_strings(value) -> list[str]:
    """Every string of a JSON value, keys included, escapes resolved by the parser (so
    "\\u00e9" or "\\n" inside a name do not hide it), URLs also percent-decoded.

    The values of "text" keys are run together instead, in document order, apart only
    within a "children" list: model.json splits a sentence into inline nodes ("Rustam ",
    then "Ali" in a strong emphasis, then "yev") as a DOCX splits it into runs, and a
    fragment alone ("Ali") is no name."""
    out: list[str] = []
    running: list[str] = []
    stack = [(None, None, value)]  # (key of the value, key of the list it is in, value)
    while stack:
        key, within, item = stack.pop()
        if within is not None and within != "children":  # an item of a list of blocks, rows…
            running.append("\n|\n")
        if isinstance(item, str):
            (running if key == "text" else out).append(item)
        elif isinstance(item, dict):
            out += item.keys()
            stack += [(k, None, v) for k, v in reversed(list(item.items()))]
        elif isinstance(item, list):
            stack += [(key, key or "", v) for v in reversed(item)]
    return with_unquoted(out) + ["".join(running)]
