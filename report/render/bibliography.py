"""The list of sources in HTML (screen and print): a :class:`~report.model.Bibliography` → HTML.

Takes the :class:`~report.render.html_writer.HtmlWriter` (its inline writer escapes
every text; entries are model inlines, never the citation engine's HTML) and the
block; returns the markup Pandoc writes for a bibliography, so stylesheets written
for Pandoc's output work: ``div.csl-bib-body`` (``.hanging-indent`` when the style
asks for one) holding one ``div.csl-entry`` per work, and, when the list is grouped,
each group in a ``section.bibliography-group`` under its ``h2``. The section around
it is ``section.bibliography`` (HtmlWriter.section). An entry's text is wrapped in a
``span.csl-entry-text``: a right-to-left report's hanging indent is that span's
negative margin on the right, as WeasyPrint 70 applies ``text-indent`` on the left
whatever the direction. The indent itself is in :mod:`report.render.structure_css`.
"""

from __future__ import annotations

from markupsafe import escape

from report import model as m
from report.render.text import visible

# CSL's spacing is in lines; 1 (the default) is left to the stylesheet.
_LINE_HEIGHT = 1.35  # a line of the list at line-spacing 1, as Zotero writes it


def bibliography_html(writer, block: m.Bibliography) -> str:
    """One group of the list of sources (or the whole list) as HTML."""
    classes = ["csl-bib-body"]
    if block.hanging_indent:
        classes.append("hanging-indent")
    if block.second_field_align:
        classes.append(f"second-field-align-{'margin' if block.second_field_align == 'margin' else 'flush'}")
    style = _spacing(block)
    entries = "".join(_entry(writer, entry, style) for entry in block.entries)
    body = f'<div class="{" ".join(classes)}" role="list">\n{entries}</div>\n'
    if block.title is None:
        return body
    heading_id = _id_attr(block.id)
    return (f'<section class="bibliography-group">\n<h2{heading_id}{writer._label(block.title)}>'
            f"{escape(visible(block.title))}</h2>\n{body}</section>\n")


def _id_attr(id_: str | None) -> str:
    from report.render.html_writer import clean_token

    return f' id="{clean_token(id_)}"' if clean_token(id_) else ""


def _spacing(block: m.Bibliography) -> str:
    """The inline style for a style's own line and entry spacing ('' for the defaults)."""
    rules = []
    if int(block.entry_spacing) != 1:
        rules.append(f"margin-bottom: {max(int(block.entry_spacing), 0)}em")
    if int(block.line_spacing) != 1:
        rules.append(f"line-height: {round(_LINE_HEIGHT * max(int(block.line_spacing), 1), 2)}")
    return f' style="{"; ".join(rules)}"' if rules else ""


def _entry(writer, entry: m.BibliographyEntry, style: str) -> str:
    text = writer.inlines(entry.children)
    if not entry.label:
        text = f'<span class="csl-entry-text">{text}</span>'
    else:
        text = (f'<div class="csl-left-margin">{writer.inlines(entry.label)}</div>'
                f'<div class="csl-right-inline">{text}</div>')
    return f'<div class="csl-entry" role="listitem"{style}>{text}</div>\n'
