"""The seed report (a text dump of the original Word file), parsed for comparisons.

``[footnoteRef:N]`` marks a call, ``[N: text]`` a note's body (possibly over
several lines), ``[bookmark: …]`` is noise.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tests.conftest import SEED

_NOTE = re.compile(r"\[(\d+):\s(.*?)\]\s?(?=\s|\[|$)", re.S)
_CALL = re.compile(r"\[footnoteRef:(\d+)\]")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def normalise(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=None)
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def seed_notes() -> dict[int, str]:
    """Note number → note text (whitespace normalised; line-broken words joined)."""
    notes = {}
    for match in _NOTE.finditer(_BOOKMARK.sub("", seed_text())):
        body = re.sub(r"\s*\n\s*-", "-", match.group(2))  # "Secretary\n-General"
        notes[int(match.group(1))] = normalise(body)
    return notes


@lru_cache(maxsize=None)
def seed_body() -> str:
    """The whole body text, notes and calls removed, whitespace normalised."""
    text = _BOOKMARK.sub("", seed_text())
    text = _NOTE.sub(" ", text)
    text = _CALL.sub("", text)
    return normalise(text)


_STYLE_WORDS = {"ibid", "retrieved", "from"}


def note_facts(number: int) -> set[str]:
    """The facts of seed note ``number`` as tokens: every word of 3+ letters, every
    number and every URL, lower-cased. Words a citation style supplies itself
    ("Ibid.", "Retrieved from") are left out: the style decides those."""
    text = seed_notes()[number]
    urls = set(re.findall(r"https?://\S+", text))
    rest = re.sub(r"https?://\S+", " ", text)
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", rest)} - _STYLE_WORDS
    numbers = set(re.findall(r"\d+", rest))
    return words | numbers | {u.rstrip(".").lower() for u in urls}


def missing_facts(number: int, rendered: str) -> set[str]:
    """Facts of seed note ``number`` absent from ``rendered`` (case-insensitive)."""
    haystack = normalise(rendered).lower()
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", haystack)}
    numbers = set(re.findall(r"\d+", haystack))
    missing = set()
    for fact in note_facts(number):
        if fact.startswith("http"):
            if fact not in haystack:
                missing.add(fact)
        elif fact.isdigit():
            if fact not in numbers:
                missing.add(fact)
        elif fact not in words:
            missing.add(fact)
    return missing


@lru_cache(maxsize=None)
def seed_body_with_calls() -> str:
    """The body text with each footnote call as ⟦N⟧, whitespace normalised."""
    text = _BOOKMARK.sub("", seed_text())
    text = _NOTE.sub(" ", text)
    text = _CALL.sub(lambda match: f"⟦{match.group(1)}⟧", text)
    return normalise(text)
