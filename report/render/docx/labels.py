"""The tool's own words in the DOCX, in the document's language: the reference
document's footer and header placeholders, and the draft mark.

Takes the translator of :func:`report.render.labels.translator`. The values
given to docxtpl are plain strings (docxtpl's autoescape makes ``<`` and ``&``
safe); the draft paragraph and header runs are built with lxml, which escapes
text, so a catalog string can never become markup.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from report.render.docx.xml import add_ppr, paragraph, sub, text_run, w, xml_safe
from report.render.labels import DraftMark, page_parts

FOOTER_NAMES = ("page_prefix", "page_infix", "page_suffix")
DRAFT_COLOR = "8B0000"


def _english(text: str) -> str:
    return text


def footer_values(_) -> dict[str, str]:
    """The text around the PAGE and NUMPAGES fields of the reference footer
    ({{ page_prefix }} PAGE {{ page_infix }} NUMPAGES {{ page_suffix }}): for ru
    "Страница ", " из ", "". A translation that does not give {page} then {pages},
    once each, cannot fit the fields' fixed order and falls back to English."""
    parts = page_parts(_)
    if [value for kind, value in parts if kind == "counter"] != ["page", "pages"]:
        parts = page_parts(_english)
    segments, current = [], ""
    for kind, value in parts:
        if kind == "counter":
            segments.append(current)
            current = ""
        else:
            current += value
    segments.append(current)
    return {name: xml_safe(text) for name, text in zip(FOOTER_NAMES, segments)}


def label_values(_, mark: DraftMark | None) -> dict[str, str]:
    """The docxtpl context the reference's headers and footers use besides the title
    page values: the footer's page text and ``draft`` (the translated label, or '')."""
    return {**footer_values(_), "draft": xml_safe(mark.label) if mark else ""}


def _mark_runs(p, mark: DraftMark) -> None:
    color = ("color", {"val": DRAFT_COLOR})
    text_run(p, mark.label, (("b", {}), ("bCs", {}), color))
    text_run(p, " — " + mark.text, (color,))


def mark_title_page(body, mark: DraftMark) -> None:
    """A centred paragraph with the draft label and sentence right after the title
    page's Title paragraph (at the top of the body when the reference has none)."""
    p = paragraph(body)
    sub(add_ppr(p), "jc", val="center")
    _mark_runs(p, mark)
    title = next((q for q in body.iterfind(w("p"))
                  if q.find(f"{w('pPr')}/{w('pStyle')}[@{w('val')}='Title']") is not None), None)
    if title is not None:
        title.addnext(p)
    else:
        body.insert(0, p)


def mark_headers(document_part, mark: DraftMark) -> None:
    """Each header of the reference that does not already show the draft label (its
    ``{{ draft }}`` placeholder) gets " — label" appended to its last paragraph."""
    for rel in document_part.rels.values():
        if rel.reltype != RT.HEADER or rel.is_external:
            continue
        root = getattr(rel.target_part, "element", None)
        if root is None or mark.label in "".join(root.itertext()):
            continue
        paragraphs = root.findall(w("p"))
        p = paragraphs[-1] if paragraphs else paragraph(root)
        shown = "".join(t.text or "" for t in p.iter(w("t")))
        color = ("color", {"val": DRAFT_COLOR})
        text_run(p, (" — " if shown.strip() else "") + mark.label, (("b", {}), ("bCs", {}), color))
