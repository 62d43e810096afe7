"""A correctness fix to WeasyPrint 70.0's PDF tagging (PDF/UA-1): a decorative image
is an artifact, not a figure without alternative text.

What WeasyPrint already does (``weasyprint/pdf/tags.py``): each ``<img>`` is a
``/Figure`` structure element whose ``/Alt`` is the ``alt`` attribute, as a
``pydyf.String`` (ASCII as is, anything else UTF-16BE with a byte-order mark, so
Cyrillic and Azerbaijani survive); ``<figcaption>`` is a ``/Caption`` and ``<figure>``
a ``/NonStruct`` grouping the two, so the caption is read as text, not hidden behind
the image's ``/Alt``. Those entries sit in the PDF's compressed object streams, which
is why searching the file's bytes for ``/Alt`` finds nothing. All that is kept.

What it gets wrong: an image with ``alt=""`` (HTML's "decorative, say nothing") also
becomes a ``/Figure``, without ``/Alt``, which PDF/UA-1 does not allow (a figure needs
alternative text: ISO 14289-1 7.3, Matterhorn 13-004), and WeasyPrint logs an error
for it, which the PDF backend turns into PDF002 and a failed build. PDF/UA-1 (7.1)
wants content that is not part of the document's meaning marked as an artifact:
such an image is now drawn inside ``/Artifact BMC … EMC`` and gets no structure
element. An ``alt`` of spaces only counts as empty (an ``/Alt`` of spaces says nothing).
An ``<img>`` with no ``alt`` at all is left as WeasyPrint has it: a figure without
text and a logged error, since its author said nothing about it.
"""

from __future__ import annotations

import hashlib
import inspect

# sha256 of the source of the WeasyPrint functions this fix wraps or relies on
# (:func:`_fingerprint`), as in WeasyPrint 70.0. On another WeasyPrint version the fix is
# installed only when these are unchanged; tests/render/test_pdf_figure_alt.py checks
# this value against the pinned version, so an upgrade says when to look again.
FINGERPRINT = "db7b1701e58ce891"


def install(check_source: bool = False) -> bool:
    """Make decorative images artifacts (idempotent). ``check_source``: install only if
    WeasyPrint's tagging code is the one this was written for (another version is
    installed). Returns whether the fix is in place."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import stream, tags

    if getattr(tags._build_box_tree, "skips_decorative_images", False):
        return True
    if check_source and _fingerprint() != FINGERPRINT:
        return False

    def decorative(box) -> bool:
        """Whether ``box`` draws an ``<img>`` whose ``alt`` is present and blank."""
        if not isinstance(box, boxes.ReplacedBox) or box.element is None or box.element_tag != "img":
            return False
        alt = box.element.attrib.get("alt")
        return alt is not None and not alt.strip()

    stock_marked, stock_tree = stream.Stream.marked, tags._build_box_tree

    def marked(self, box, tag):
        # Drawn as an artifact, the box is not entered among the page's marked content.
        if tag == "Figure" and decorative(box):
            return self.artifact()
        return stock_marked(self, box, tag)

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, marks):
        drawn = box._box if isinstance(box, AbsolutePlaceholder) else box
        # No structure element for what was drawn as an artifact; one drawn some other
        # way (entered in ``marks``) keeps WeasyPrint's, which takes it out of ``marks``.
        if decorative(drawn) and drawn not in marks:
            return ()
        return stock_tree(box, parent, pdf, page_number, nums, annotations, marks)

    marked.stock, build_box_tree.stock = stock_marked, stock_tree
    build_box_tree.skips_decorative_images = True
    stream.Stream.marked = marked
    tags._build_box_tree = build_box_tree  # (it calls itself through this name)
    return True


def _fingerprint() -> str:
    """sha256 (16 hex digits) of the source of what the fix depends on: how a box's
    content is marked (``Stream.marked``, ``Stream.artifact``) and how marked content
    becomes structure elements (``tags.add_tags``, ``tags._build_box_tree``)."""
    from weasyprint.pdf import stream, tags

    try:
        functions = (stream.Stream.marked, stream.Stream.artifact, tags._build_box_tree, tags.add_tags)
        source = "".join(inspect.getsource(function) for function in functions)
    except (AttributeError, OSError, TypeError):  # renamed, or installed without its sources
        return ""  # matches no fingerprint: the fix is not applied
    return hashlib.sha256(source.encode()).hexdigest()[:16]
