"""What a Word file's styles and numbering mean to the import.

Takes the parsed ``styles.xml`` and ``numbering.xml`` roots (either may be None);
returns a :class:`Styles` that answers, for a style id, its role (heading level,
title, quote, code, caption, table of contents…) and the emphasis a character style gives,
and for a numbering id and level, whether the list is ordered and where it starts.
Roles come from the built-in style names Word writes in every language
(``heading 1``, ``Title``, ``Quote``…), then from outline levels, following
``basedOn`` chains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MONOSPACE = ("courier", "consolas", "mono", "menlo", "monaco", "lucida console")
_HEADING = re.compile(r"^heading\s*(\d)$")
ROLES = {
    "title": "title", "subtitle": "subtitle", "organization": "organization", "date": "date",
    "quote": "quote", "intense quote": "quote", "block text": "quote", "blocktext": "quote",
    "source code": "code", "html preformatted": "code", "code": "code",
    "toc heading": "toc", "table of figures": "toc", "caption": "caption",
}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def on(element) -> bool:
    """A WordprocessingML toggle (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    return element is not None and element.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    flags: frozenset[str]
    numbered: tuple[str, int] | None  # (numId, ilvl) given by the style


@dataclass
class Styles:
    styles: dict[str, _Style] = field(default_factory=dict)
    formats: dict[tuple[str, int], tuple[bool, int]] = field(default_factory=dict)
    language: str | None = None

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield style_id, self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def role(self, style_id: str | None) -> str | None:
        """``heading:N``, ``title``, ``subtitle``, ``organization``, ``date``, ``quote``,
        ``code``, ``caption``, ``toc`` or None for body text."""
        if not style_id:
            return None
        for sid, style in self._chain(style_id) if style_id in self.styles else [(style_id, None)]:
            name = (style.name if style else sid).lower().strip()
            compact = name.replace(" ", "")
            match = _HEADING.match(name) or _HEADING.match(compact.replace("heading", "heading "))
            if match and match.group(1) != "0":
                return f"heading:{match.group(1)}"
            if name in ROLES:
                return ROLES[name]
            if compact in ROLES:
                return ROLES[compact]
            if re.match(r"^toc\s*\d$", name):
                return "toc"
            if style and style.outline is not None and style.outline < 9:
                return f"heading:{style.outline + 1}"
        return None

    def run_flags(self, style_id: str | None) -> frozenset[str]:
        """Emphasis (``b``, ``i``, ``code``) a character style gives its runs."""
        for _, style in self._chain(style_id):
            if style.flags:
                return style.flags
        name = (self.styles[style_id].name if style_id in self.styles else style_id or "").lower()
        if name in ("strong",):
            return frozenset({"b"})
        if name in ("emphasis",):
            return frozenset({"i"})
        if "verbatim" in name:
            return frozenset({"code"})
        return frozenset()

    def numbering_of(self, style_id: str | None) -> tuple[str, int] | None:
        for _, style in self._chain(style_id):
            if style.numbered:
                return style.numbered
        return None

    def list_format(self, num_id: str, level: int) -> tuple[bool, int, int]:
        """(ordered, start, left indent in twips) of a numbering level; a bullet list
        indented by its level when unknown."""
        return self.formats.get((num_id, level), (False, 1, 720 * (level + 1)))


def run_flags_of(rpr) -> dict[str, bool]:
    """Direct run formatting: which of b/i/code the run's ``w:rPr`` sets on or off."""
    out: dict[str, bool] = {}
    if rpr is None:
        return out
    for tag, flag in (("b", "b"), ("i", "i")):
        element = rpr.find(w(tag))
        if element is not None:
            out[flag] = on(element)
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        font = (fonts.get(w("ascii")) or fonts.get(w("hAnsi")) or "").lower()
        if font and any(mono in font for mono in MONOSPACE):
            out["code"] = True
    return out


def read_styles(styles_root, numbering_root) -> Styles:
    result = Styles()
    if styles_root is not None:
        lang = styles_root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        if lang is not None and lang.get(w("val")):
            result.language = lang.get(w("val"))
        for style in styles_root.iter(w("style")):
            sid = style.get(w("styleId"))
            if not sid:
                continue
            name = style.find(w("name"))
            based = style.find(w("basedOn"))
            outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
            flags = run_flags_of(style.find(w("rPr")))
            num = style.find(f"{w('pPr')}/{w('numPr')}")
            numbered = None
            if num is not None and num.find(w("numId")) is not None:
                level = num.find(w("ilvl"))
                numbered = (num.find(w("numId")).get(w("val"), "0"), _int(level.get(w("val")) if level is not None else 0))
            result.styles[sid] = _Style(
                name.get(w("val"), sid) if name is not None else sid,
                based.get(w("val")) if based is not None else None,
                _int(outline.get(w("val"))) if outline is not None else None,
                frozenset(k for k, v in flags.items() if v) if style.get(w("type")) == "character" else frozenset(),
                numbered)
    if numbering_root is not None:
        result.formats = _numbering(numbering_root)
    return result


def _numbering(root) -> dict:
    abstract = {}
    for node in root.iter(w("abstractNum")):
        levels = {}
        for lvl in node.iter(w("lvl")):
            fmt = lvl.find(w("numFmt"))
            start = lvl.find(w("start"))
            kind = fmt.get(w("val"), "decimal") if fmt is not None else "decimal"
            level = _int(lvl.get(w("ilvl")))
            ind = lvl.find(f"{w('pPr')}/{w('ind')}")
            indent = _int(ind.get(w("left")) or ind.get(w("start")), 720 * (level + 1)) if ind is not None else 720 * (level + 1)
            levels[level] = (kind not in ("bullet", "none"), _int(start.get(w("val")) if start is not None else 1, 1), indent)
        abstract[node.get(w("abstractNumId"))] = levels
    formats = {}
    for num in root.iter(w("num")):
        ref = num.find(w("abstractNumId"))
        levels = dict(abstract.get(ref.get(w("val")) if ref is not None else None, {}))
        for override in num.iter(w("lvlOverride")):
            start = override.find(w("startOverride"))
            level = _int(override.get(w("ilvl")))
            if start is not None and level in levels:
                levels[level] = (levels[level][0], _int(start.get(w("val")), 1), levels[level][2])
        for level, value in levels.items():
            formats[(num.get(w("numId")), level)] = value
    return formats


def _int(value, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
