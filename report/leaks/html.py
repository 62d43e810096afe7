"""The text of an HTML file: what a reader sees and what a browser or a crawler reads.

:func:`html_chunks` takes the page's bytes and returns ``(place, text)`` pairs: the text
(inline elements run together, so ``<b>Name</b> Sur<i>name</i>`` is one string), the
``<title>``, comments, ``<script>`` and ``<style>``, every attribute value by attribute
name (``alt``, ``title``, ``href``, ``data-*``…, URLs also percent-decoded, ``<meta>``
contents), and every ``data:`` URI decoded: an image's metadata, an SVG's text.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote_to_bytes

from report.leaks.images import image_texts, is_image
from report.leaks.text import Place, with_unquoted
from report.leaks.xmltext import raw_markup, xml_texts

_DATA_URI = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[^;,\s\"')]*)*)(;base64)?,([^\"'\s)<>]*)", re.I)
_BLOCKS = frozenset("""address article aside blockquote body br caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol option p pre section
    summary table tbody td tfoot th thead title tr ul""".split())
_OWN_PLACE = {"title": Place((1,), "<title>"), "script": Place((2,), "<script>"), "style": Place((2,), "<style>"),
              "#comment": Place((2,), "comments")}
TEXT = Place((0,), "text")
DATA = Place((5,), "data: URI")


def data_uris(text: str, nested) -> tuple[list[tuple[Place, str]], str]:
    """The chunks of every ``data:`` URI in ``text``, and ``text`` without their payloads
    (base64 read as text would match a short name by chance)."""
    chunks: list[tuple[Place, str]] = []
    if "data:" not in text and "DATA:" not in text.upper():
        return chunks, text

    def strip(match: re.Match) -> str:
        mime = (match.group(1) or "text/plain").lower()
        payload = match.group(4)
        data = unquote_to_bytes(payload)
        if match.group(3):
            data = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
            try:  # a character that is no base64 is left out, as browsers do
                data = base64.b64decode(data + b"=" * (-len(data) % 4))
            except ValueError:  # a lone last character: the rest decodes
                data = base64.b64decode(data[:len(data) // 4 * 4])
        if is_image(data):
            chunks.extend((Place(DATA.order, "image metadata in a data: URI"), t) for t in image_texts(data))
        elif "svg" in mime or "xml" in mime:
            chunks.extend((DATA, t) for t in xml_texts(data))
        elif not mime.startswith(("font/", "application/font", "application/x-font")):
            extension = mime.rsplit("/", 1)[-1].split("+")[0]
            chunks.extend((Place(DATA.order, f"data: URI, {p.label}" if p.label else DATA.label), t)
                          for p, t in nested(f"data.{extension}", data))
        return f"data:{mime},"

    return chunks, _DATA_URI.sub(strip, text)


def html_chunks(data: bytes, nested) -> list[tuple[Place, str]]:
    """``(place, text)`` pairs of an HTML page (see the module docstring)."""
    import lxml.html

    text = _decode(data)
    chunks, text = data_uris(text, nested)
    try:  # (lxml refuses a str that declares its encoding: the declaration goes)
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    except Exception:  # noqa: BLE001 - not HTML after all: searched as raw text
        return chunks + [(TEXT, t) for t in raw_markup(text.encode("utf-8", "replace"))]
    parts: dict[Place, list[str]] = {}
    _walk(root, TEXT, parts)
    chunks += [(place, "".join(texts)) for place, texts in parts.items()]
    values: dict[Place, list[str]] = {}
    for value in root.xpath("//@*"):
        name = value.attrname
        parent = value.getparent()
        meta = name == "content" and parent is not None and parent.tag == "meta"
        place = Place((3, "meta"), "<meta> content") if meta else Place((4, name), f'attribute "{name}"')
        values.setdefault(place, []).append(str(value))
    chunks += [(place, "\n|\n".join(with_unquoted(texts))) for place, texts in values.items()]
    return chunks


def _decode(data: bytes) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        pass  # no UTF-16 after all
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _walk(element, place: Place, parts: dict[Place, list[str]]) -> None:
    """Append the text of ``element`` to its place in ``parts``, recursively; block
    elements are set apart by line breaks, inline ones run on."""
    tag = element.tag if isinstance(element.tag, str) else "#comment"
    own = _OWN_PLACE.get(tag, place)
    texts = parts.setdefault(own, [])
    block = tag in _BLOCKS
    if block:
        texts.append("\n")
    if element.text:
        texts.append(element.text)
    for child in element:
        _walk(child, own, parts)
    if block:
        texts.append("\n")
    if element.tail:
        parts.setdefault(place, []).append(element.tail)
