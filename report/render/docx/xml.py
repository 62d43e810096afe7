"""WordprocessingML vocabulary shared by the DOCX layers: names, runs, safe text.

Everything here builds plain lxml elements as children of an existing parent, so
the namespace prefixes of the part being written are reused instead of each new
element carrying its own declarations.
"""

from __future__ import annotations


from lxml import etree

from report.render.text import visible

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NSMAP = {"w": W_NS, "r": R_NS}
MS_EXTENSIONS = "http://schemas.microsoft.com/office/"

# XML 1.0 allows only these characters; anything else (control characters such as
# BEL, unpaired surrogates, U+FFFE/U+FFFF) makes the part unreadable to Word.


def w(tag: str) -> str:
    """The Clark name of a ``w:`` element or attribute."""
    return "{%s}%s" % (W_NS, tag)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml escapes the rest)."""
    return visible(text)


def sub(parent, tag: str, **attrs) -> etree._Element:
    """Append ``<w:tag w:key="value"…/>`` to ``parent`` and return it."""
    element = etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        element.set(w(key), value)
    return element


def add_ppr(paragraph, style: str | None = None) -> etree._Element:
    """The paragraph's ``w:pPr`` (first child, as the schema wants), with its style."""
    ppr = etree.SubElement(paragraph, w("pPr"))
    if style:
        sub(ppr, "pStyle", val=style)
    return ppr


def paragraph(parent, style: str | None = None) -> etree._Element:
    """A new ``w:p`` under ``parent``; Normal paragraphs get no pPr at all."""
    p = etree.SubElement(parent, w("p"))
    if style:
        add_ppr(p, style)
    return p


def text_run(parent, text: str, rpr: tuple[tuple[str, dict], ...] = ()) -> etree._Element:
    """A ``w:r`` holding ``text``; tabs become ``w:tab`` and newlines ``w:br``.

    ``rpr`` lists run properties as (tag, attributes) pairs, already in schema order.
    """
    run = etree.SubElement(parent, w("r"))
    if rpr:
        props = etree.SubElement(run, w("rPr"))
        for tag, attrs in rpr:
            sub(props, tag, **attrs)
    text = xml_safe(text)
    for i, line in enumerate(text.split("\n")):
        if i:
            sub(run, "br")
        for j, piece in enumerate(line.split("\t")):
            if j:
                sub(run, "tab")
            if piece:
                t = etree.SubElement(run, w("t"))
                # Word drops leading and trailing spaces of a w:t without this.
                t.set(XML_SPACE, "preserve")
                t.text = piece
    return run


def insert_in_order(parent, child, successors: frozenset[str]) -> None:
    """Insert ``child`` before the first child of ``parent`` that the schema puts
    after it, else append it: Word rejects parts whose children are out of schema
    order (LibreOffice does not, so only Word would show the bug).

    ``successors`` are the local names that follow ``child`` in the schema; Office's
    extension elements (w14:, w15:…) always come after the standard ones."""
    for existing in parent:
        if not isinstance(existing.tag, str):
            continue  # comments and processing instructions
        namespace, _, local = existing.tag[1:].partition("}")
        if local in successors or namespace.startswith(MS_EXTENSIONS):
            existing.addprevious(child)
            return
    parent.append(child)
