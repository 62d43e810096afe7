"""The list of sources in the DOCX: a :class:`~report.model.Bibliography` → Word paragraphs.

Takes the body writer's inline writer and bookmarks, the parent element and the
block; appends a *Heading 2* for a group's title (so Word's contents, ``TOC \\o
"1-3"``, lists it once its fields are updated) and one *Bibliography* paragraph per
entry, Word's own style name for a bibliography (Pandoc's too). The indent is the
citation style's, written on each entry (``w:ind w:left w:hanging``): a reference
document taken from Pandoc's or Word's defaults has a *Bibliography* style without
one, and the style's hanging indent would be lost; font, size and spacing stay the
reference document's. :func:`ensure_bibliography_style` defines the style, with the
same hanging indent, when the reference document lacks it.
"""

from __future__ import annotations

from report import model as m
from report.render.docx.fields import wrap_in_bookmark
from report.render.docx.xml import add_ppr, paragraph, sub, text_run, w

STYLE = "Bibliography"
HANGING = 720  # twips: 1.27 cm (half an inch), Word's and Chicago's hanging indent
LINE = 240  # twips: a line at single spacing (CSL's spacing is in lines)


def ensure_bibliography_style(styles, document: m.Document) -> None:
    """Define the *Bibliography* paragraph style when the document has a list of sources
    and the reference document lacks the style (a report without one is unchanged)."""
    if not any(isinstance(b, m.Bibliography) for s in document.sections for b in s.blocks):
        return
    if any(style.get(w("styleId")) == STYLE for style in styles.iter(w("style"))):
        return
    style = sub(styles, "style", type="paragraph", styleId=STYLE)
    sub(style, "name", val="Bibliography")
    sub(style, "basedOn", val="Normal")
    sub(style, "next", val=STYLE)
    sub(style, "uiPriority", val="37")  # Word's own
    sub(style, "unhideWhenUsed")
    ppr = sub(style, "pPr")
    sub(ppr, "spacing", after=str(LINE))  # CSL's default entry spacing: one line
    sub(ppr, "ind", left=str(HANGING), hanging=str(HANGING))
    sub(ppr, "jc", val="left")  # Normal may be justified: a URL would stretch the line


def write_bibliography(parent, block: m.Bibliography, inlines, marks) -> None:
    """The group's heading (when it has a title) and its entries, appended to ``parent``."""
    if block.title is not None:
        p = paragraph(parent, "Heading2")
        text_run(p, block.title)
        wrap_in_bookmark(p, marks.new())
    indent = HANGING if (block.hanging_indent or block.second_field_align) else 0
    for entry in block.entries:
        p = paragraph(parent)
        ppr = add_ppr(p, STYLE)
        spacing = {}
        if int(block.entry_spacing) != 1:
            spacing["after"] = str(max(int(block.entry_spacing), 0) * LINE)
        if int(block.line_spacing) != 1:
            spacing.update(line=str(max(int(block.line_spacing), 1) * LINE), lineRule="auto")
        if spacing:
            sub(ppr, "spacing", **spacing)  # (pPr children in schema order: pStyle, spacing, ind)
        sub(ppr, "ind", left=str(indent), hanging=str(indent))
        if entry.label:  # "[1]", then a tab to the indent (second-field-align)
            inlines.write(p, entry.label)
            text_run(p, "\t")
        inlines.write(p, entry.children)
