"""Stand-in translations of a project into the UN languages, for scripts/bench.

The shipped report has Azerbaijani and Russian translations, not Arabic, Chinese, French
or Spanish ones. To time a build in the six UN languages, each missing catalog is made
here from the source: every segment's text (never its codes: citations, notes, links,
attributes, as report.i18n.inline finds them) is rewritten in the language's script,
letter for letter in Arabic, a Han character for every two Latin letters in Chinese (with
full-width punctuation), and kept as it is in French and Spanish (whose typography the
build then applies). The text means nothing; what a build of it costs is the cost of a
real translation of that length and script: shaping right to left, CJK fonts and line
breaking, the French spaces.
"""

from __future__ import annotations

import re
from pathlib import Path

# 28 letters of the Arabic alphabet, for a to z (and two spare).
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
# Frequent Han characters (all in Noto Serif CJK SC and TC).
_HAN = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
        "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好")
_FULL_WIDTH = {".": "。", ",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# Punctuation, but not a number's ("1,275", "3.5").
_PUNCTUATION = re.compile(r"(?<!\d)[.,;:!?()]|[.,;:!?()](?!\d)")
_WORD = re.compile(r"[A-Za-z]+")


def arabic(text: str) -> str:
    return "".join(_ARABIC[ord(ch.lower()) - ord("a")] if "a" <= ch.lower() <= "z" else ch for ch in text)


def chinese(text: str) -> str:
    def word(match: re.Match) -> str:
        letters = match.group(0).lower()
        return "".join(_HAN[(ord(letters[i]) * 7 + len(letters) + i) % len(_HAN)] for i in range(0, len(letters), 2))

    # Han text has no spaces between words; the punctuation is full width.
    han = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", _WORD.sub(word, text))
    return _PUNCTUATION.sub(lambda match: _FULL_WIDTH[match.group(0)], han)


_SCRIPTS = {"ar": arabic, "zh": chinese, "fr": lambda text: text, "es": lambda text: text}


def stand_in(message: str, language: str) -> str:
    """``message`` (a segment's Markdown) with its text in ``language``'s script and its
    codes as they are."""
    import dataclasses

    from report.i18n.inline import markdown, pieces

    rewrite = _SCRIPTS[language]

    def walk(items: list) -> list:
        return [rewrite(item) if isinstance(item, str) else dataclasses.replace(item, children=walk(item.children))
                for item in items]

    return markdown(walk(pieces(message)))


def add_un_languages(root: Path, languages=("ar", "zh", "fr", "es")) -> None:
    """Write ``locales/<lang>.po`` for each of ``languages`` with every segment filled
    by :func:`stand_in`."""
    from report.i18n.catalog import po_path, read_catalog_file, write_catalog
    from report.i18n.workflow import update

    update(root, list(languages))
    for language in languages:
        rel = po_path(language)
        catalog = read_catalog_file(root, rel)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = stand_in(message.id, language)
                message.flags.discard("fuzzy")
        write_catalog(catalog, root / rel)
