"""SVG: parse without entities, DTDs or network; intrinsic size; findings; sanitising.

A sanitised SVG keeps only elements in the SVG namespace and drops: ``metadata``,
``title``, ``desc``, ``script``, ``foreignObject`` (and SMIL animations of links or
handlers), event-handler attributes, ``data-*`` attributes, XLink attributes other than
``href``, editor data (sodipodi, inkscape, RDF, any other namespace), XML comments and
processing instructions, entity references, and every reference that is not a fragment
(``#id``) or a ``data:image/png`` / ``data:image/jpeg`` URI, in attributes and in CSS
``url()`` alike (CSS escapes written out first). Embedded PNG/JPEG data is itself
re-encoded without its metadata.
"""

from __future__ import annotations

import base64
import binascii
import re

from lxml import etree

from ._sniff import ImageProblem, problem_text

SVG, XLINK = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
RDF, DC = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/"
SODIPODI = "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
INKSCAPE = "http://www.inkscape.org/namespaces/inkscape"
_DROP = {"metadata", "title", "desc", "script", "foreignObject", "handler", "listener"}
_ANIMATE = {"set", "animate"}
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
          "q": 96 / 101.6}
_LENGTH = re.compile(r"\s*\+?(\d*\.?\d+(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|q)?\s*$", re.I)
_DATA = re.compile(r"data:image/(png|jpeg);base64,(.*)$", re.I | re.S)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_ESCAPE = re.compile(r"\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|(.))", re.I | re.S)


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        if b"<svg" not in data:
            raise ImageProblem("IMG002", "not a PNG, JPEG or SVG image") from None
        raise ImageProblem("IMG003", f"not a well-formed SVG file: {problem_text(exc)}") from None
    if root.tag not in (f"{{{SVG}}}svg", "svg"):
        name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise ImageProblem("IMG002", f"not a PNG, JPEG or SVG image (an XML file with root element '{name}')")
    return root


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if not match:
        return None  # absent, a percentage, em/ex: not an intrinsic size
    length = float(match.group(1)) * _UNITS[(match.group(2) or "").lower()]
    return length if 0 < length < 1e6 else None


def size(root: etree._Element) -> tuple[int, int]:
    """The intrinsic size in CSS pixels from width/height or the viewBox, else 300x150."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    try:
        box = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip())]
        ratio = box[2] / box[3] if len(box) == 4 and box[2] > 0 and box[3] > 0 else None
    except ValueError:
        ratio = None
    if ratio and not (width and height):
        if width or height:
            width, height = (width, width / ratio) if width else (height * ratio, height)
        else:
            width, height = box[2], box[3]
    return max(1, round(width or 300)), max(1, round(height or 150))


def _namespace(node) -> str | None:
    return etree.QName(node).namespace


def _safe(reference: str) -> bool:
    reference = reference.strip()
    return reference.startswith("#") or bool(_DATA.match(reference))


def _images(reference: str) -> bytes | None:
    """The bytes of a data:image/png or data:image/jpeg URI, or None."""
    match = _DATA.match(reference.strip())
    try:
        return base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True) if match else None
    except (binascii.Error, ValueError):
        return None


def _unescape(text: str) -> str:
    """CSS text with its backslash escapes written out (characters XML cannot hold as U+FFFD)."""
    def one(match) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            valid = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD \
                or 0x10000 <= code <= 0x10FFFF
            return chr(code) if valid else "\ufffd"
        return "" if match.group(2) else match.group(3)  # an escaped newline continues the line
    return _ESCAPE.sub(one, text)


def _css(text: str) -> str:
    """The CSS to vet: written out when a backslash escape hides a ``url(`` or ``@import``."""
    if "\\" in text:
        plain = _unescape(text)
        if "url(" in plain.lower() or "@import" in plain.lower():
            return plain
    return text


def _unvetted(text: str) -> str | None:
    """What follows a ``url(`` the URL pattern cannot read (an unclosed one), else None."""
    rest = _URL.sub("", text)
    start = rest.lower().find("url(")
    return None if start < 0 else rest[start + 4:].strip()


def _css_references(text: str) -> list[str]:
    if "url(" not in text.lower() and "\\" not in text:
        return []
    text = _css(text)
    references = [m.group(2) for m in _URL.finditer(text)]
    unvetted = _unvetted(text)
    return references if unvetted is None else [*references, unvetted or "url("]


def _style_text(node) -> str:
    """A ``<style>`` element's style sheet: its own text and that after each child."""
    return (node.text or "") + "".join(child.tail or "" for child in node)


def _text(node) -> str:
    return " ".join(" ".join(node.itertext()).split())


def findings(root: etree._Element, raster_findings) -> list[str]:
    """Metadata and references the SVG holds; ``raster_findings(data)`` for embedded images."""
    found, references = [], []
    for node in root.iter(tag=etree.Element):
        namespace, local = _namespace(node), etree.QName(node).localname
        if local == "metadata" and namespace in (SVG, None):
            found.append("SVG metadata element")
        elif local in ("title", "desc") and namespace in (SVG, None):
            text = _text(node)
            found.append(f"{'title' if local == 'title' else 'description'} {text[:80]}" if text
                         else f"SVG {local} element")
        elif namespace == RDF and local == "RDF":
            found.append("RDF metadata")
        elif namespace == DC and local in ("creator", "rights", "publisher", "contributor"):
            text = _text(node)
            if text:
                found.append(f"{local} {text[:80]}")
        elif namespace in (SODIPODI, INKSCAPE):
            found.append("Inkscape editor data")
        elif namespace not in (SVG, None, RDF, DC, "http://creativecommons.org/ns#"):
            found.append(f"editor data ({namespace})")
        if local in ("script", "foreignObject") and namespace in (SVG, None):
            found.append("SVG script" if local == "script" else "foreignObject element")
        for name, value in node.attrib.items():
            attribute = etree.QName(name)
            if attribute.namespace in (SODIPODI, INKSCAPE):
                found.append("Inkscape editor data")
                if attribute.localname in ("docname", "export-filename"):
                    found.append(f"{attribute.localname.replace('-', ' ')} {value[:80]}")
            elif attribute.namespace is None and attribute.localname.lower().startswith("data-"):
                found.append(f"data attribute {attribute.localname} {value[:80]}".rstrip())
            elif attribute.namespace == XLINK and attribute.localname == "title" and value.strip():
                found.append(f"title {' '.join(value.split())[:80]}")
            if attribute.localname.lower().startswith("on"):
                found.append("event handler attribute")
            references += [value] if attribute.localname == "href" else _css_references(value)
        if local == "style":
            references += _css_references(_style_text(node))
    for reference in references:
        embedded = _images(reference)
        if embedded:
            try:
                found += [f"{f} (in an embedded image)" for f in raster_findings(embedded)]
            except ImageProblem:
                found.append("embedded image (unreadable)")
        elif not _safe(reference):
            found.append(f"external reference {reference.strip()[:80]}")
    return found


def _clean_reference(reference: str, reencode) -> str | None:
    """A safe reference (embedded images re-encoded), or None."""
    if reference.strip().startswith("#"):
        return reference.strip()
    embedded = _images(reference)
    if embedded is None:
        return None
    try:
        data = reencode(embedded)
    except ImageProblem:
        return None
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"  # what the bytes are, whatever the URI said
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _clean_css(text: str, reencode) -> str | None:
    """The CSS with every ``url()`` vetted and no ``@import``; None when a ``url(`` cannot be read."""
    text = re.sub(r"@import[^;]*;?", "", _css(text), flags=re.I)
    if _unvetted(text) is not None:
        return None
    return _URL.sub(lambda m: f"url({_clean_reference(m.group(2), reencode) or '#none'})", text)


def _kept(name: str) -> bool:
    """Whether an attribute survives: no editor data, handlers, data-*, xml:base or XLink but href."""
    attribute = etree.QName(name)
    local = attribute.localname.lower()
    if attribute.namespace is None:
        return not (local.startswith("on") or local.startswith("data-"))
    return (attribute.namespace == XLINK and local == "href") or (attribute.namespace == XML and local != "base")


def _dropped(node, namespace: str | None) -> bool:
    local = etree.QName(node).localname
    target = (node.get("attributeName") or "").lower()
    return _namespace(node) != namespace or local in _DROP or (
        local in _ANIMATE and (target.endswith("href") or target.startswith("on")))


def _remove(node) -> None:
    """Take ``node`` and all it holds out of the tree; the text after it stays."""
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _clean_attributes(node, reencode) -> None:
    for name, value in list(node.attrib.items()):
        if not _kept(name):
            del node.attrib[name]
            continue
        clean = (_clean_reference(value, reencode) if etree.QName(name).localname == "href"
                 else _clean_css(value, reencode) if "url(" in value.lower() or "\\" in value
                 else value)  # re-set: an internal entity reference in a value is written out expanded
        if clean is None:
            del node.attrib[name]
        else:
            node.set(name, clean)


def sanitise(root: etree._Element, reencode) -> bytes:
    """The sanitised SVG as UTF-8 with an XML declaration. ``reencode(data)`` gives an
    embedded PNG/JPEG's bytes without metadata (ImageProblem to drop it)."""
    namespace = _namespace(root)
    etree.strip_elements(root, etree.Entity, with_tail=False)  # the text after each reference stays
    stack = [root]
    while stack:  # depth first, in document order, never into a dropped subtree
        node = stack.pop()
        if node is not root and _dropped(node, namespace):
            _remove(node)
            continue
        _clean_attributes(node, reencode)
        if etree.QName(node).localname == "style":
            sheet = _style_text(node)
            for child in list(node):  # no elements inside a style sheet
                node.remove(child)
            node.text = (_clean_css(sheet, reencode) or None) if sheet else None
            continue
        stack.extend(reversed(node))
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def rasteriser():
    """cairosvg when it can be imported (it needs libcairo2), else None."""
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    return cairosvg


def png_fallback(svg: bytes, width: int, height: int) -> bytes | None:
    module = rasteriser()
    if module is None:
        return None
    try:
        return module.svg2png(bytestring=svg, output_width=width, output_height=height, unsafe=False)
    except Exception:  # noqa: BLE001 - no fallback rather than no image
        return None
