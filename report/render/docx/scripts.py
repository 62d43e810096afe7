"""Right-to-left and East Asian settings of a DOCX, after the body and notes are written.

For a right-to-left language (ar…): ``w:bidi`` on every paragraph (and in the
paragraph defaults), ``w:bidiVisual`` on tables, ``w:bidi`` and ``w:rtlGutter`` on
sections; each run cut at its left-to-right pieces (:func:`report.render.scripts.ltr_segments`):
the right-to-left text gets ``w:rtl``, a UN symbol, URL or Latin title stays a run
without it, so Word's bidi algorithm keeps it whole. Headers, footers and footnotes
alike. The complex-script font (``w:rFonts w:cs``) and language (``w:lang w:bidi``)
are the report's.

For Chinese, Japanese and Korean: the East Asian font (``w:eastAsia``) and language;
Word and LibreOffice then break lines by their kinsoku rules (on by default).
"""

from __future__ import annotations

import copy

from report.config import FontConfig
from report.render.docx.properties import document_defaults
from report.render.docx.xml import XML_SPACE, insert_in_order, w
from report.render.scripts import base_language, has_rtl, is_rtl, language_script, ltr_segments, script_family

# Schema successors (CT_PPrBase, CT_RPr, CT_SectPr, CT_TblPr) of the elements inserted.
_AFTER_BIDI_P = frozenset((
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split())
_AFTER_RTL = frozenset({"cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"})
_AFTER_BIDI_SECT = frozenset({"rtlGutter", "docGrid", "printerSettings", "sectPrChange"})
_AFTER_RTL_GUTTER = frozenset({"docGrid", "printerSettings", "sectPrChange"})
_AFTER_BIDI_VISUAL = frozenset((
    "tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd "
    "tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange").split())
# The Noto CJK collection's face for each language (a family Word can find by name).
_CJK_FACES = {"zh-tw": "TC", "zh-hk": "HK", "zh-mo": "HK", "zh-hant": "TC", "ja": "JP", "ko": "KR"}


def cjk_family(font: FontConfig, language: str) -> str | None:
    """The East Asian family for Word: the configured one, or for the package's Noto
    Serif CJK collection the face of the language (Noto Serif CJK SC for zh-CN)."""
    family = script_family(font, "cjk")
    if family == "Noto Serif CJK":
        tag = language.lower().replace("_", "-")
        face = next((v for k, v in _CJK_FACES.items() if tag == k or tag.startswith(k + "-")
                     or (k == "zh-hant" and "-hant" in tag)), "SC")
        return f"{family} {face}"
    return family


def _child(parent, tag: str, after: frozenset[str]):
    found = parent.find(w(tag))
    if found is None:
        found = parent.makeelement(w(tag), {})
        insert_in_order(parent, found, after)
    return found


def _set_font_and_language(rpr, attribute: str, family: str | None, tag: str) -> None:
    """``w:rFonts`` and ``w:lang`` of the defaults: ``attribute`` is "cs" or "eastAsia"."""
    if family:
        fonts = rpr.find(w("rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(w("rFonts"), {})
            rpr.insert(0, fonts)
        fonts.set(w(attribute), family)
        if attribute == "cs":
            fonts.attrib.pop(w("cstheme"), None)
        else:
            fonts.attrib.pop(w("eastAsiaTheme"), None)
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = rpr.makeelement(w("lang"), {})
        insert_in_order(rpr, lang, frozenset({"eastAsianLayout", "specVanish", "oMath"}))
    lang.set(w("bidi" if attribute == "cs" else "eastAsia"), tag)


def apply_scripts(styles, parts, language: str, word_tag: str, font: FontConfig) -> None:
    """The settings above for ``language`` on the styles and on each root element of
    ``parts`` (document body, footnotes, headers, footers); nothing for other languages."""
    script = language_script(language)
    if is_rtl(language):
        rpr, ppr = document_defaults(styles)
        _set_font_and_language(rpr, "cs", script_family(font, "arabic") if script == "arabic" else None, word_tag)
        _child(ppr, "bidi", _AFTER_BIDI_P)
        for root in parts:
            mirror(root)
    elif script == "cjk":
        rpr, _ = document_defaults(styles)
        _set_font_and_language(rpr, "eastAsia", cjk_family(font, language), word_tag)


def mirror(root) -> None:
    """Right-to-left paragraphs, sections, tables and runs under ``root``."""
    for p in root.iter(w("p")):
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = p.makeelement(w("pPr"), {})
            p.insert(0, ppr)
        if ppr.find(w("bidi")) is None:
            insert_in_order(ppr, ppr.makeelement(w("bidi"), {}), _AFTER_BIDI_P)
    for sect in root.iter(w("sectPr")):
        _child(sect, "bidi", _AFTER_BIDI_SECT)
        _child(sect, "rtlGutter", _AFTER_RTL_GUTTER)
    for tbl_pr in root.iter(w("tblPr")):
        _child(tbl_pr, "bidiVisual", _AFTER_BIDI_VISUAL)
    for run in list(root.iter(w("r"))):
        _split_run(run)


def _split_run(run) -> None:
    """A text run cut into its right-to-left pieces (with ``w:rtl``) and left-to-right
    ones (without); a run holding anything but its properties and one ``w:t`` (a note
    reference, a field, a break) only gets ``w:rtl`` when its text is right-to-left."""
    children = [c for c in run if c.tag != w("rPr")]
    texts = [c for c in children if c.tag == w("t")]
    if len(children) != 1 or len(texts) != 1:
        if any(has_rtl(t.text or "") for t in texts):
            _mark_rtl(run)
        return
    pieces = ltr_segments(texts[0].text or "")
    if not pieces:
        return
    if len(pieces) == 1:
        if not pieces[0][0]:
            _mark_rtl(run)
        return
    parent, index = run.getparent(), run.getparent().index(run)
    for offset, (ltr, piece) in enumerate(pieces):
        new = copy.deepcopy(run)
        t = new.find(w("t"))
        t.text = piece
        t.set(XML_SPACE, "preserve")
        if not ltr:
            _mark_rtl(new)
        parent.insert(index + offset, new)
    parent.remove(run)


def _mark_rtl(run) -> None:
    rpr = run.find(w("rPr"))
    if rpr is None:
        rpr = run.makeelement(w("rPr"), {})
        run.insert(0, rpr)
    _child(rpr, "rtl", _AFTER_RTL)


__all__ = ["apply_scripts", "base_language", "cjk_family", "mirror"]
