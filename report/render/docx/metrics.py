"""What a Word paragraph looks like to the pagination estimate: its resolved style
(font size, bold and italic, spacing, indents, keep-with-next) and the advance
widths of the report's fonts.

:class:`Styles` reads a ``w:styles`` element once (document defaults, then each
style's ``basedOn`` chain); :class:`Fonts` reads the advance widths and the line
height of the configured font files with fontTools, and falls back to half an em
per character when a file cannot be read (the estimate gets coarser, never fails).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from report.render.docx.xml import w

FALLBACK_ADVANCE = 0.5   # em per character without a readable font file
FALLBACK_LINE = 1.362    # em: Noto Serif's Windows ascent + descent
_FORMAT = 1  # of the widths kept in the cache folder (_read_face): a new one reads the fonts again


@dataclass(frozen=True)
class ParaStyle:
    size: float = 11.0        # points
    bold: bool = False
    italic: bool = False
    before: float = 0.0       # points
    after: float = 0.0
    line: float = 1.0         # a factor of the font's line height ("auto"), or points when exact/at least
    rule: str = "auto"        # auto | exact | atLeast
    left: float = 0.0         # indents, points
    right: float = 0.0
    first: float = 0.0        # first-line indent (negative: hanging)
    keep_next: bool = False
    break_before: bool = False


def _twips(value: str | None) -> float | None:
    try:
        return int(value) / 20 if value is not None else None
    except ValueError:
        return None


def _flag(el) -> bool:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


def apply_ppr(style: ParaStyle, ppr) -> ParaStyle:
    """``style`` with the paragraph properties of ``ppr`` (a ``w:pPr``) applied."""
    if ppr is None:
        return style
    changes = {}
    spacing = ppr.find(w("spacing"))
    if spacing is not None:
        for attr, key in (("before", "before"), ("after", "after")):
            value = _twips(spacing.get(w(attr)))
            if value is not None:
                changes[key] = value
        line, rule = spacing.get(w("line")), spacing.get(w("lineRule"), "auto")
        if line is not None and line.lstrip("-").isdigit():
            changes["rule"] = rule
            changes["line"] = int(line) / 240 if rule == "auto" else int(line) / 20
    ind = ppr.find(w("ind"))
    if ind is not None:
        for attr, key in (("left", "left"), ("start", "left"), ("right", "right"), ("end", "right"),
                          ("firstLine", "first")):
            value = _twips(ind.get(w(attr)))
            if value is not None:
                changes[key] = value
        hanging = _twips(ind.get(w("hanging")))
        if hanging is not None:
            changes["first"] = -hanging
    for tag, key in (("keepNext", "keep_next"), ("pageBreakBefore", "break_before")):
        el = ppr.find(w(tag))
        if el is not None:
            changes[key] = _flag(el)
    return replace(style, **changes) if changes else style


def apply_rpr(style: ParaStyle, rpr) -> ParaStyle:
    """``style`` with the size, bold and italic of ``rpr`` (a ``w:rPr``) applied."""
    if rpr is None:
        return style
    changes = {}
    size = rpr.find(w("sz"))
    if size is not None and (size.get(w("val")) or "").isdigit():
        changes["size"] = int(size.get(w("val"))) / 2
    for tag, key in (("b", "bold"), ("i", "italic")):
        el = rpr.find(w(tag))
        if el is not None:
            changes[key] = _flag(el)
    return replace(style, **changes)


class Styles:
    """The reference document's paragraph styles, resolved through ``basedOn``."""

    def __init__(self, styles_el):
        base = ParaStyle()
        defaults = styles_el.find(w("docDefaults")) if styles_el is not None else None
        if defaults is not None:
            base = apply_rpr(base, defaults.find(f"{w('rPrDefault')}/{w('rPr')}"))
            base = apply_ppr(base, defaults.find(f"{w('pPrDefault')}/{w('pPr')}"))
        self._base, self._raw, self._resolved = base, {}, {}
        self._default = None
        for style in (styles_el.iter(w("style")) if styles_el is not None else ()):
            if style.get(w("type")) != "paragraph":
                continue
            sid = style.get(w("styleId"))
            based = style.find(w("basedOn"))
            self._raw[sid] = (based.get(w("val")) if based is not None else None,
                              style.find(w("pPr")), style.find(w("rPr")))
            if style.get(w("default")) in ("1", "true", "on"):
                self._default = sid

    def get(self, style_id: str | None) -> ParaStyle:
        """The resolved style ``style_id`` (the default paragraph style when None or unknown)."""
        sid = style_id if style_id in self._raw else self._default
        if sid is None:
            return self._base
        if sid not in self._resolved:
            chain, seen = [], set()
            while sid in self._raw and sid not in seen:
                seen.add(sid)
                chain.append(sid)
                sid = self._raw[sid][0]
            style = self._base
            for name in reversed(chain):
                _, ppr, rpr = self._raw[name]
                style = apply_rpr(apply_ppr(style, ppr), rpr)
            self._resolved[chain[0]] = style
            return style
        return self._resolved[sid]


@functools.lru_cache(maxsize=8)  # the same files for every language of a build
def _read_face(path: Path | None):
    """(char → advance in em, line height in em) of the font file at ``path``; the
    coarse fallback when it cannot be read. Kept in the cache folder (report.cache) by
    the file's path, size and time: fontTools, imported and reading three faces, is
    30 ms of a DOCX build, the kept table 2 ms."""
    import json

    from report import cache

    try:
        stat = Path(path).stat()
    except (OSError, TypeError):
        return {}, FALLBACK_LINE
    key = hashlib.sha256(f"{_FORMAT}|{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    kept = cache.folder() / f"font_widths_{key}.json"
    try:
        data = json.loads(kept.read_bytes())
        return data["widths"], data["line"]
    except Exception:  # noqa: BLE001 - not kept yet, or damaged (or no cache folder): read the font
        pass
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(str(path), lazy=True)
        em = font["head"].unitsPerEm
        metrics, cmap = font["hmtx"].metrics, font.getBestCmap() or {}
        widths = {chr(code): metrics[name][0] / em for code, name in cmap.items() if name in metrics}
        os2 = font["OS/2"]
        line = (os2.usWinAscent + os2.usWinDescent) / em
    except Exception:  # noqa: BLE001 - any unreadable font: the coarse estimate
        return {}, FALLBACK_LINE
    # (ASCII escapes: a font may map a lone surrogate, which UTF-8 cannot write)
    cache.keep(kept, json.dumps({"widths": widths, "line": line}).encode("ascii"))
    return widths, line


def read_faces(files: dict) -> None:
    """Read the widths of every face in ``files`` now (a render worker, while it waits
    for its document), so that the render finds them read."""
    for path in files.values():
        _read_face(path)


_FACES = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold-italic"}


class Fonts:
    """Advance widths (in em) and the line height of the report's font faces."""

    def __init__(self, files: dict[str, Path]):
        self._files = files
        self._faces: dict[str, tuple] = {}
        self._words: dict[str, dict[str, float]] = {}

    def _face(self, face: str):
        if face not in self._faces:
            self._faces[face] = _read_face(self._files.get(face) or self._files.get("regular"))
        return self._faces[face]

    def words(self, bold: bool, italic: bool) -> tuple[dict[str, float], dict[str, float]]:
        """(word → width in em measured so far, char → advance in em) of a face: for a
        caller that measures many words, without a call for each (report.render.docx.pagination)."""
        face = _FACES[(bold, italic)]
        return self._words.setdefault(face, {}), self._face(face)[0]

    def width(self, text: str, size: float, bold: bool, italic: bool) -> float:
        """``text``'s width in points (each face's words are measured once: reports repeat them)."""
        face = _FACES[(bold, italic)]
        known = self._words.setdefault(face, {})
        em = known.get(text)
        if em is None:
            widths = self._face(face)[0]
            em = known[text] = sum(widths.get(ch, FALLBACK_ADVANCE) for ch in text)
        return size * em

    def line_height(self, style: ParaStyle, size: float | None = None) -> float:
        """The height of one line of ``style`` in points (``size`` when a run is larger)."""
        natural = (size or style.size) * self._face("regular")[1]
        if style.rule == "exact":
            return style.line
        if style.rule == "atLeast":
            return max(style.line, natural)
        return natural * style.line
