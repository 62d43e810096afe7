"""Pandoc citation syntax as a markdown-it inline rule, and its grammar.

``[see @key, pp. 25–26; @other, para. 12, emphasis added]`` becomes one
``citation`` token whose ``meta["items"]`` holds :class:`ParsedCite` values.
A ``[`` that opens a citation but never closes is recorded in
``env["report_unterminated"][inline source]`` (as an offset) so the parser can report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Pandoc: a key starts with a letter, digit or _, and may contain internal punctuation.
KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
_ITEM = re.compile(rf"^(?P<prefix>(?:.*?\s)?)\s*(?P<suppress>-)?@(?P<key>{KEY})(?P<rest>.*)$", re.S)
_OPENS_CITATION = re.compile(rf"\[[^\[\]]{{0,40}}?-?@{KEY}")

# English locator labels → CSL locator labels (Pandoc's list, abridged).
LOCATOR_LABELS = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "para.": "paragraph", "paras.": "paragraph", "paragraph": "paragraph", "paragraphs": "paragraph",
    "¶": "paragraph", "¶¶": "paragraph",
    "sec.": "section", "secs.": "section", "section": "section", "sections": "section", "§": "section", "§§": "section",
    "ch.": "chapter", "chap.": "chapter", "chaps.": "chapter", "chapter": "chapter", "chapters": "chapter",
    "vol.": "volume", "vols.": "volume", "volume": "volume", "volumes": "volume",
    "n.": "note", "nn.": "note", "note": "note", "notes": "note",
    "l.": "line", "ll.": "line", "line": "line", "lines": "line",
    "fig.": "figure", "figs.": "figure", "figure": "figure", "figures": "figure",
    "col.": "column", "cols.": "column", "column": "column", "columns": "column",
    "art.": "article-locator", "arts.": "article-locator", "article": "article-locator", "articles": "article-locator",
}
_LABEL = re.compile(r"^(" + "|".join(sorted((re.escape(k) for k in LOCATOR_LABELS), key=len, reverse=True)) + r")(?=\s|\d)\s*", re.I)
# One locator piece: a number or roman numeral, optionally a range.
_PIECE = re.compile(r"^(?:\d+[a-z]?|[ivxlcdm]+)(?:\s*[-–—]\s*(?:\d+[a-z]?|[ivxlcdm]+))?(?:\s*(?:ff?\.|et seq\.))?$", re.I)


@dataclass(frozen=True)
class ParsedCite:
    key: str
    prefix: str
    suppress_author: bool
    locator_label: str | None
    locator: str | None
    suffix: str
    offset: int  # offset of the '@' in the inline source


def split_locator(rest: str) -> tuple[str | None, str | None, str]:
    """Split what follows a key into (CSL label, locator value, suffix)."""
    text = rest[1:].lstrip() if rest.startswith(",") else rest.lstrip()
    if not text:
        return None, None, rest.strip()
    match = _LABEL.match(text)
    if match:
        label, text = LOCATOR_LABELS[match.group(1).lower()], text[match.end():]
    elif text[:1].isdigit():
        label = "page"  # Pandoc: a bare number is a page
    else:
        return None, None, rest.rstrip()
    pieces = []
    remainder = ""
    parts = text.split(",")
    for i, part in enumerate(parts):
        if _PIECE.match(part.strip()):
            pieces.append(part.strip())
        else:
            remainder = ",".join(parts[i:])
            break
    if not pieces:
        return None, None, rest.rstrip()
    suffix = ("," + remainder).rstrip() if remainder else ""
    return label, ", ".join(pieces), suffix


def parse_group(content: str, base: int) -> list[ParsedCite] | None:
    """The cites of a bracket's content, or None when it is not a citation group."""
    items = []
    offset = base
    for part in content.split(";"):
        match = _ITEM.match(part)
        if not match:
            return None
        label, locator, suffix = split_locator(match.group("rest"))
        items.append(ParsedCite(
            key=match.group("key"), prefix=match.group("prefix").strip(),
            suppress_author=bool(match.group("suppress")), locator_label=label, locator=locator,
            suffix=suffix, offset=offset + match.start("key") - 1,
        ))
        offset += len(part) + 1
    return items


_BRACKET_TOKENS = re.compile(r"\\.|[\[\]]", re.S)  # an escaped character, or a bracket


def bracket_pairs(src: str) -> dict[int, int]:
    """Every '[' of ``src`` that closes, mapped to its ']' (escapes respected), in one
    pass: scanning ahead from each '[' would be quadratic on unbalanced text. Only
    brackets and backslashes are visited, not every character."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for token in _BRACKET_TOKENS.finditer(src):
        if token[0] == "[":
            stack.append(token.start())
        elif token[0] == "]" and stack:
            pairs[stack.pop()] = token.start()
    return pairs


def _matching_bracket(state, start: int) -> int:
    cache = state.env.setdefault("report_brackets", {})
    pairs = cache.get(state.src)
    if pairs is None:
        pairs = cache[state.src] = bracket_pairs(state.src)
    close = pairs.get(start, -1)
    return close if close < state.posMax else -1


def citation_rule(state, silent: bool) -> bool:
    """markdown-it inline rule: a bracketed citation group at ``state.pos``."""
    src, start = state.src, state.pos
    if silent:
        # Silent calls come from link-label scanning: a citation consumed whole there
        # would count as a nested link and break `[text [@key]](url)`; bracket
        # counting handles it, and the real (non-silent) pass makes the citation.
        return False
    if src[start] != "[":
        return False
    close = _matching_bracket(state, start)
    if close < 0:
        if _OPENS_CITATION.match(src, start, min(state.posMax, start + 200)):
            # Keyed by the inline source: markdown-it parses every block's inlines
            # before the model builder sees any of them.
            state.env.setdefault("report_unterminated", {}).setdefault(state.src, []).append(start)
        return False
    if src.find("@", start, close) < 0 or src[close + 1:close + 2] in ("(", "{"):  # no key; a link; a span
        return False
    items = parse_group(src[start + 1:close], start + 1)
    if items is None:
        return False
    token = state.push("citation", "", 0)
    token.meta = {"items": items, "offset": start}
    token.content = src[start:close + 1]
    state.pos = close + 1
    return True
