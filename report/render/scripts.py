"""Writing systems: which scripts a text uses, the fonts for them, and the direction
of a language.

The PDF embeds a script's family only when the document has text in that script, so a
Latin-only report gets the same stylesheet (and the same bytes) as with one family.
Families follow the document language's own script first: an Arabic report takes its
punctuation and digits from the Arabic family, a Chinese one its quotation marks from
the CJK family.

For right-to-left languages, :func:`ltr_segments` finds the left-to-right runs inside
the text (UN symbols such as A/71/782, URLs, Latin titles) that the HTML isolates in
``<span dir="ltr">`` and the DOCX writes as runs without ``w:rtl``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from report.config import SCRIPTS, FontConfig, FontFamily

RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "cmn"})

_SCRIPT_CHARS = {
    "cyrillic": re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]"),
    "greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"),
    "cjk": re.compile(r"[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f"
                      r"\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"),
}


def base_language(language: str | None) -> str:
    return (language or "").replace("_", "-").split("-")[0].lower()


def is_rtl(language: str | None) -> bool:
    """Whether ``language`` (a BCP 47 tag) is written right to left (ar, he, fa…)."""
    tag = (language or "").replace("_", "-").split("-")
    if any(part.lower() in ("arab", "hebr", "thaa", "syrc") for part in tag[1:]):
        return True
    if any(part.lower() in ("latn", "cyrl") for part in tag[1:]):
        return False
    return tag[0].lower() in RTL_LANGUAGES


def language_script(language: str | None) -> str:
    """The script of SCRIPTS a language is usually written in."""
    base = base_language(language)
    if is_rtl(language) and base not in ("he", "yi", "dv"):
        return "arabic"
    if base in CJK_LANGUAGES:
        return "cjk"
    if base in ("ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"):
        return "cyrillic"
    if base == "el":
        return "greek"
    return "latin"


def scripts_in(text: str) -> frozenset[str]:
    """The scripts of SCRIPTS other than Latin that ``text`` has characters of."""
    return frozenset(script for script, chars in _SCRIPT_CHARS.items() if chars.search(text))


def families_for(font: FontConfig, language: str | None, text: str) -> tuple[FontFamily, ...]:
    """The families the document needs, in the order they are tried: the main family
    always, another only for a script ``text`` uses; the families of the language's
    script first, then the rest in their order (the main family, then latin, cyrillic,
    greek, arabic, cjk)."""
    used = scripts_in(text) | {"latin"}
    own = language_script(language)
    families = [f for f in font.all_families()
                if f is font.all_families()[0] or any(s in used for s in f.scripts)]
    first = [f for f in families if own in f.scripts and own != "latin"]
    ordered = first + [f for f in families if f not in first]
    seen, out = set(), []
    for family in ordered:
        if family.family not in seen:
            seen.add(family.family)
            out.append(family)
    return tuple(out)


def script_family(font: FontConfig, script: str) -> str | None:
    """The first family given for ``script`` (for DOCX's w:rFonts), or None."""
    for family in font.all_families():
        if script in family.scripts:
            return family.family
    return None


assert set(SCRIPTS) >= set(_SCRIPT_CHARS)


# --- right-to-left text: its left-to-right runs ------------------------------------

@lru_cache(maxsize=4096)
def _kind(char: str) -> str:
    bidi = unicodedata.bidirectional(char)
    if bidi == "L":
        return "L"
    if bidi in ("R", "AL"):
        return "R"
    if bidi in ("EN", "AN"):
        return "N"  # digits
    return "O"  # neutral


def ltr_segments(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is_ltr, piece): a left-to-right piece starts at a strong
    left-to-right character (a Latin letter) and runs to the last letter or digit before
    the next right-to-left letter, so "A/71/782", "https://example.org/page" and "The
    Report, p. 25" are whole, and the spaces and punctuation around them stay in the
    right-to-left text. Digits after a space join a piece unless a right-to-left word
    follows them ("p. 25" does, the day of "(1 يونيو 2020)" does not). Text without Latin letters is one piece."""
    if not any(_kind(c) == "L" for c in text):
        return [(False, text)] if text else []
    out: list[tuple[bool, str]] = []
    i, n, last = 0, len(text), 0
    while i < n:
        if _kind(text[i]) != "L":
            i += 1
            continue
        start, end, j, spaced = i, i + 1, i + 1, False
        while j < n and _kind(text[j]) != "R":
            kind = _kind(text[j])
            if kind == "L" or (kind == "N" and (not spaced or not _before_rtl(text, j))):
                end, spaced = j + 1, False
            elif text[j].isspace():
                spaced = True
            j += 1
        # a closing bracket or quote that matches one inside the piece belongs to it
        while end < n and text[end] in ")]}\u201d\u2019\"'" and _opens(text[start:end], text[end]):
            end += 1
        if start > last:
            out.append((False, text[last:start]))
        out.append((True, text[start:end]))
        last = i = end
    if last < n:
        out.append((False, text[last:]))
    return out


def _before_rtl(text: str, j: int) -> bool:
    """Whether the number at ``text[j]`` is followed (after spaces) by a right-to-left
    letter: then it is the right-to-left text's (the day of "1 يونيو 2020")."""
    n = len(text)
    while j < n and (_kind(text[j]) == "N" or text[j] in ".,"):
        j += 1
    while j < n and text[j].isspace():
        j += 1
    return j < n and _kind(text[j]) == "R"


def _opens(piece: str, closer: str) -> bool:
    opener = {")": "(", "]": "[", "}": "{", "\u201d": "\u201c", "\u2019": "\u2018"}.get(closer)
    if opener is None:
        return piece.count(closer) % 2 == 1
    return piece.count(opener) > piece.count(closer)


def has_rtl(text: str) -> bool:
    return any(_kind(c) == "R" for c in text)
