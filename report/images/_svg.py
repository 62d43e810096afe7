"""SVG: parse without entities, DTDs or network; intrinsic size; findings; sanitising.

A sanitised SVG keeps only elements in the SVG namespace and drops: ``metadata``,
``script``, ``foreignObject`` (and SMIL animations of links or handlers), event-handler
attributes, editor data (sodipodi, inkscape, RDF, any other namespace), XML comments and
processing instructions, entity references, and every reference that is not a fragment
(``#id``) or a ``data:image/png`` / ``data:image/jpeg`` URI, in attributes and in CSS
``url()`` alike. Embedded PNG/JPEG data is itself re-encoded without its metadata.
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
_DROP = {"metadata", "script", "foreignObject", "handler", "listener"}
_ANIMATE = {"set", "animate"}
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0,
          "q": 96 / 101.6}
_LENGTH = re.compile(r"\s*\+?(\d*\.?\d+(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|q)?\s*$", re.I)
_DATA = re.compile(r"data:image/(png|jpeg);base64,(.*)$", re.I | re.S)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)


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


def findings(root: etree._Element, raster_findings) -> list[str]:
    """Metadata and references the SVG holds; ``raster_findings(data)`` for embedded images."""
    found, references = [], []
    for node in root.iter(tag=etree.Element):
        namespace, local = _namespace(node), etree.QName(node).localname
        if local == "metadata" and namespace in (SVG, None):
            found.append("SVG metadata element")
        elif namespace == RDF and local == "RDF":
            found.append("RDF metadata")
        elif namespace == DC and local in ("creator", "rights", "publisher", "contributor"):
            text = " ".join(" ".join(node.itertext()).split())
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
            if attribute.localname.lower().startswith("on"):
                found.append("event handler attribute")
            refs = [value] if attribute.localname == "href" else [m.group(2) for m in _URL.finditer(value)]
            references += refs
        if local == "style" and node.text:
            references += [m.group(2) for m in _URL.finditer(node.text)]
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


def _clean_css(text: str, reencode) -> str:
    text = re.sub(r"@import[^;]*;?", "", text, flags=re.I)
    return _URL.sub(lambda m: f"url({_clean_reference(m.group(2), reencode) or '#none'})", text)


def sanitise(root: etree._Element, reencode) -> bytes:
    """The sanitised SVG as UTF-8 with an XML declaration. ``reencode(data)`` gives an
    embedded PNG/JPEG's bytes without metadata (ImageProblem to drop it)."""
    namespace = _namespace(root)
    for entity in list(root.iter(tag=etree.Entity)):
        parent = entity.getparent()
        if entity.tail:  # keep the text after the reference
            previous = entity.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + entity.tail
            else:
                parent.text = (parent.text or "") + entity.tail
        parent.remove(entity)
    for node in list(root.iter(tag=etree.Element)):
        top = node
        for top in node.iterancestors():
            pass
        if top is not root:  # inside a subtree already dropped
            continue
        local = etree.QName(node).localname
        target = (node.get("attributeName") or "").lower()
        drop = _namespace(node) != namespace or local in _DROP or (
            local in _ANIMATE and (target.endswith("href") or target.startswith("on")))
        if drop and node is not root:
            parent = node.getparent()
            if parent is not None:  # tail text stays
                if node.tail:
                    previous = node.getprevious()
                    if previous is not None:
                        previous.tail = (previous.tail or "") + node.tail
                    else:
                        parent.text = (parent.text or "") + node.tail
                parent.remove(node)
            continue
        for name, value in list(node.attrib.items()):
            attribute = etree.QName(name)
            if attribute.namespace not in (None, XLINK, XML) or attribute.localname.lower().startswith("on") \
                    or name == f"{{{XML}}}base":
                del node.attrib[name]
            elif attribute.localname == "href":
                clean = _clean_reference(value, reencode)
                if clean is None:
                    del node.attrib[name]
                else:
                    node.set(name, clean)
            else:  # re-set: an internal entity reference in a value is written out expanded
                node.set(name, _clean_css(value, reencode) if "url(" in value.lower() else value)
        if local == "style" and node.text:
            node.text = _clean_css(node.text, reencode)
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
