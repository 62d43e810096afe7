"""The tool's own words in a report, in the document's language, made safe for each format.

Every label a renderer writes ("Contents", "Notes", "Page X of Y", the draft
mark…) comes from :func:`report.i18n.strings.tool_strings` for the document's
``metadata.language``. Catalog strings are treated as untrusted text: the HTML
and DOCX renderers escape them like any other text, and the PDF's page rules
quote them with :func:`css_string`, so no translation can end a CSS string, a
``<style>`` element or an XML element.

Placeholders (``{page}``, ``{number}``) are filled here rather than with
``str.format``: a translation with a stray brace or an unknown placeholder is
written as it stands instead of failing the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report import model as m
from report.i18n import strings as catalogs
from report.render.text import visible

PAGE_MESSAGE = "Page {page} of {pages}"
DRAFT_LABEL = "Draft translation"
DRAFT_TEXT = "This is a draft translation: it has not been reviewed."
CONFIDENTIAL_LABEL = "Confidential"
CONFIDENTIAL_TEXT = "Confidential edition: not for publication."
# Between a caption's label and its text ("Figure 2: "): a language's catalog spaces it
# as its typography does (French "Figure 2 : ", Chinese "图 2：").
CAPTION_SEPARATOR = ": "
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def translator(document: m.Document):
    """The catalog of the document's language: ``_("Contents")`` → "Содержание" for ru."""
    return catalogs.tool_strings(document.metadata.language or "en")


def fill(template: str, **values) -> str:
    """``template`` with each ``{name}`` given in ``values`` replaced (``{{``/``}}`` are
    literal braces, as in ``str.format``); anything else is kept as written."""
    def replace(found: re.Match) -> str:
        if found[1] is None:
            return found[0][0]
        return str(values[found[1]]) if found[1] in values else found[0]
    return _PLACEHOLDER.sub(replace, template)


def message(_, text: str, **values) -> str:
    """The translation of ``text`` with ``values`` filled in (never raises on a bad
    catalog), without the characters no output may carry."""
    return visible(fill(_(text), **values))


def page_parts(_) -> list[tuple[str, str]]:
    """The translated "Page {page} of {pages}" as (kind, value) pairs in order: kind
    "text" (literal text) or "counter" ("page" or "pages"). A translation that lacks
    ``{page}`` falls back to the English message: a footer must give the page."""
    template = visible(_(PAGE_MESSAGE))
    if "{page}" not in template:
        template = PAGE_MESSAGE
    parts, text, last = [], [], 0
    for found in _PLACEHOLDER.finditer(template):
        text.append(template[last:found.start()])
        last = found.end()
        if found[1] in ("page", "pages"):
            parts.append(("text", "".join(text)))
            parts.append(("counter", found[1]))
            text = []
        else:
            text.append(found[0][0] if found[1] is None else found[0])
    text.append(template[last:])
    parts.append(("text", "".join(text)))
    return [(kind, value) for kind, value in parts if value]


ANNEX_MESSAGE = "Annex {number}"


def annex_parts(_) -> tuple[str, str]:
    """The translated "Annex {number}" as the text before and after the numeral ("Annex ",
    ""); a translation without ``{number}`` falls back to the English message."""
    template = visible(_(ANNEX_MESSAGE))
    if template.count("{number}") != 1:
        template = ANNEX_MESSAGE
    before, _sep, after = template.partition("{number}")
    return fill(before), fill(after)


def annex_label(_, numeral: str) -> str:
    """An annex's label in the document's language: "Annex II", "Annexe II"."""
    before, after = annex_parts(_)
    return f"{before}{numeral}{after}"


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string. Quotes, backslashes, line breaks, control
    characters and ``<``, ``>``, ``&`` become CSS hex escapes (``\\22 ``), so the string
    can neither end early nor close the ``<style>`` element around it."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\<>&\'' or code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029):
            out.append(f"\\{code:X} ")
        elif 0xD800 <= code < 0xE000 or code in (0xFFFE, 0xFFFF):
            out.append("\\FFFD ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def page_content(_) -> str:
    """The CSS ``content`` value of the page-number footer: for ru
    ``"Страница " counter(page) " из " counter(pages)``."""
    return " ".join(css_string(value) if kind == "text" else f"counter({value})" for kind, value in page_parts(_))


@dataclass(frozen=True)
class DraftMark:
    """The draft mark's short label and its sentence, translated (plain text)."""

    label: str
    text: str


def draft_mark(document: m.Document) -> DraftMark | None:
    """The translated mark every page and output shows: "Confidential" in the
    confidential edition (``metadata.edition``), "Draft translation" when
    ``metadata.draft`` is set, both when both; else None."""
    marks = []
    _ = translator(document)
    if document.metadata.edition == "confidential":
        marks.append((message(_, CONFIDENTIAL_LABEL), message(_, CONFIDENTIAL_TEXT)))
    if document.metadata.draft:
        marks.append((message(_, DRAFT_LABEL), message(_, DRAFT_TEXT)))
    if not marks:
        return None
    return DraftMark(" · ".join(label for label, text in marks), " ".join(text for label, text in marks))


def confidential_mark(document: m.Document) -> DraftMark | None:
    """The confidential edition's mark alone, translated, for the files' metadata (the
    DOCX core properties, the HTML's and so the PDF's keywords and description); None
    in the public edition."""
    if document.metadata.edition != "confidential":
        return None
    _ = translator(document)
    return DraftMark(message(_, CONFIDENTIAL_LABEL), message(_, CONFIDENTIAL_TEXT))


def page_css(document: m.Document) -> str:
    """Print CSS for the PDF, given to WeasyPrint as a *user* stylesheet.

    The page-number footer is a normal declaration, so any author rule (the
    project's own ``@bottom-center``, or ``@page :first`` blanking it) wins. The
    draft label in the bottom-left margin box of every page is ``!important``: a
    user-origin important declaration outranks every author rule, so no project
    stylesheet can hide the mark of an unreviewed translation."""
    _ = translator(document)
    rules = [f"@page {{ @bottom-center {{ content: {page_content(_)}; }} }}"]
    mark = draft_mark(document)
    if mark is not None:
        from report.render.scripts import is_rtl

        corner = "bottom-right" if is_rtl(document.metadata.language) else "bottom-left"  # mirrored pages
        rules.append(f"@page {{ @{corner} {{ content: {css_string(mark.label)} !important; font-size: 8.5pt; "
                     "font-weight: bold; color: #8b0000; vertical-align: top; padding-top: 5mm; } }")
    return "\n".join(rules) + "\n"
