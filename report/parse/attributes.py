"""Pandoc's attribute blocks: ``{#id .class key=value key2="a value" -}``.

:func:`parse_attributes` reads one block's inner text (without the braces) into
:class:`Attributes`, or None when it is not an attribute block, so that text in
braces that is not one stays text. :func:`split_trailing` finds an attribute
block at the end of a heading's or paragraph's text (``## Method {#sec-method}``,
``… text {#id .incident}``), as Pandoc, kramdown and markdown-it-attrs accept it.

markdown-it-py's attrs plugin is not used for these: it reads ``%`` as the start
of a comment, so ``width=60%`` (Pandoc and Quarto's own example) would fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[A-Za-z_][\w:.-]*"
_TOKEN = re.compile(
    rf"""\s*(?:
      \#(?P<id>[\w:.-]+)
    | \.(?P<cls>[\w:.-]+)
    | (?P<key>{_NAME})=(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)'|(?P<bare>[^\s"'}}]+))
    | (?P<dash>-)(?=\s|$)
    | =(?P<raw>[\w-]+)
    )""",
    re.X,
)


@dataclass(frozen=True)
class Attributes:
    id: str | None = None
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    raw_format: str | None = None  # ``{=html}``: a raw block or span, which the tool refuses

    def get(self, key: str, default: str | None = None) -> str | None:
        for name, value in self.pairs:
            if name == key:
                return value
        return default

    @property
    def unnumbered(self) -> bool:
        return "unnumbered" in self.classes


def parse_attributes(inner: str) -> Attributes | None:
    """The attributes written between ``{`` and ``}``; None when ``inner`` is not an
    attribute list (``{a, b}`` in prose, an empty ``{}``)."""
    if not inner.strip():
        return None
    ident, classes, pairs, raw = None, [], [], None
    pos = 0
    while pos < len(inner):
        if not inner[pos:].strip():
            break
        match = _TOKEN.match(inner, pos)
        if match is None or match.end() == pos:
            return None
        pos = match.end()
        if pos < len(inner) and not inner[pos].isspace():
            return None  # "#id," or ".a.b": not Pandoc's syntax
        if match.group("id"):
            ident = match.group("id")
        elif match.group("cls"):
            classes.append(match.group("cls"))
        elif match.group("key"):
            value = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None)
            value = re.sub(r"\\(.)", r"\1", value)
            if match.group("key") == "id":
                ident = value
            elif match.group("key") == "class":
                classes.extend(value.split())
            else:
                pairs.append((match.group("key"), value))
        elif match.group("dash"):
            classes.append("unnumbered")
        else:
            raw = match.group("raw")
    return Attributes(ident, tuple(dict.fromkeys(classes)), tuple(pairs), raw)


_TRAILING = re.compile(r"(?:^|\s)\{(?P<inner>[^{}\n]*)\}\s*$")


def split_trailing(text: str) -> tuple[str, Attributes] | None:
    """``text`` without an attribute block that ends it, and the attributes; None when
    it does not end in one. The block must follow a space (or stand alone)."""
    match = _TRAILING.search(text)
    if match is None:
        return None
    attrs = parse_attributes(match.group("inner"))
    if attrs is None:
        return None
    return text[:match.start()].rstrip(), attrs


def leading_block(text: str) -> tuple[Attributes, int] | None:
    """An attribute block at the start of ``text`` (right after an image or a span):
    the attributes and the length of ``{…}``; None when there is none."""
    if not text.startswith("{"):
        return None
    # A quoted value may hold "}" and escaped quotes (and end in an escaped backslash,
    # "a\\"): find the brace that closes the block.
    quote, escaped = None, False
    for i, char in enumerate(text[1:], start=1):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'" and text[i - 1] == "=":
            quote = char
        elif char == "}":
            attrs = parse_attributes(text[1:i])
            return (attrs, i + 1) if attrs is not None else None
        elif char == "{":
            return None
    return None
