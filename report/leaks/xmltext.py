"""The text of an XML document (XMP packets, SVG images, parts of a zip that are not
Office text): every text node, and every attribute value, URLs also percent-decoded.

:func:`xml_texts` takes the document's bytes and returns those strings; a document that
does not parse is read as raw text, entities decoded (it is published all the same).
"""

from __future__ import annotations

import html

from report.leaks.text import with_unquoted


def parser():
    """An lxml parser that reads no DTD, resolves no entity and fetches nothing."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)


def xml_texts(data: bytes) -> list[str]:
    """Each element's text run together (an SVG ``<tspan>`` per word still gives the
    sentence), each text node alone (two values side by side are not one word), and the
    attribute values."""
    from lxml import etree

    try:
        root = etree.fromstring(data.strip(b"\x00 \t\r\n"), parser())
    except Exception:  # noqa: BLE001 - not well-formed: its bytes as text
        return raw_markup(data)
    if root is None:
        return raw_markup(data)
    nodes = [str(t) for t in root.xpath("//text() | //comment() | //processing-instruction()")]
    values = sorted(set(root.xpath("//@*")))
    return ["".join(root.itertext()), "\n|\n".join(nodes)] + with_unquoted(values)


def raw_markup(data: bytes) -> list[str]:
    """Bytes that should have been markup, as text: UTF-8, else Latin-1, entities decoded."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return [text, html.unescape(text)]
