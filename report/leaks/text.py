"""Normalising text and finding protected strings in it.

:func:`normalise` takes any text (a page, a part, a file) and returns the form every
search runs on: case folded, diacritics dropped (NFKD, nonspacing marks removed),
typographic apostrophes, quotes and dashes folded, every run of white space, hyphens and
underscores one space, no space between two characters of a script written without
spaces (Chinese, Japanese, Korean, Thai…). A :class:`Matcher` normalises the protected
strings the same way once, then finds them in a normalised text with ``str.find``:
whole words for scripts written with spaces (a protected "Ali" is not in "Alice" nor in
"quality"), any substring for the others (Chinese has no word boundaries).

A PDF's page texts (:meth:`Matcher.find_pages`, :func:`pdf_variants`) are searched with
their layout undone: a word hyphenated at a line end (``Sur‐`` then ``name`` on the next
line) is joined, a real hyphen at a line end is tried both ways (``Jean-`` / ``Pierre`` as
"Jean-Pierre" and as "JeanPierre"), and a string that a page break cuts counts on the
page where it begins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus

# Folded before anything else, character by character (NFKD alone leaves these apart).
_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u02bb\u2032\u0060\u00b4\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02", '"'),
    # Dashes between words are separators; U+2010 stays itself: WeasyPrint hyphenates
    # with it, so at a PDF line end it joins the two halves of a word.
    **dict.fromkeys("\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58", " "),
    **dict.fromkeys("\u2011\u2043\ufe63\uff0d", "-"),
    # A soft hyphen is kept as a marker: removed, or (PDF line end) joining the halves.
    # pdfium writes a hyphen it recognised at a line end as \x02 (soft) or U+FFFE (real,
    # the line break dropped).
    "\u00ad": "\u00ad", "\x02": "\u00ad", "\ufffe": "-\n",
    # Invisible characters that may sit inside a word.
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u180e", ""),
    # Letters NFKD does not decompose, as a reader would spell them without the stroke.
    "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h",
    "ŧ": "t", "Ŧ": "t", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
    # Arabic letters written either way (alef maksura and yeh, teh marbuta and heh, the
    # Persian yeh and keheh), and the kashida that only stretches a word.
    "\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647", "\u06a9": "\u0643", "\u0640": "",
}
_LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Scripts written without spaces between words: matched as substrings, and a space
# between two of their characters (a line break in a PDF) is dropped.
_UNSPACED = ("\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf"
             "\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff"
             "\uf900-\ufaff\U00020000-\U0003134f")
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_UNSPACED_GAP = re.compile(f"(?<=[{_UNSPACED}]) (?=[{_UNSPACED}])")
_SEPARATORS = re.compile(r"[\s\-_\u2010\u00ad]+")
# PDF line ends: a hyphenation hyphen (U+2010, soft) joins the next line when that goes on
# with a letter; else (a note's number, the next page's text comes next) the word is cut
# there, and _CUT keeps its first half from reading as a whole word ("Ali‐" of "Alice").
# A real hyphen at a line end is tried both ways.
_SOFT_EOL = re.compile(r"[\u00ad\u2010][ \t]*\n\s*(?=[^\W\d_])")
_SOFT_CUT = re.compile(r"[\u00ad\u2010][ \t]*\n")
_CUT = "\ue000"
_HARD_EOL = re.compile(r"-[ \t]*\n\s*")
_EOL = re.compile(r"\s*\n\s*")
_WORD = re.compile(r"\w+")

_TABLE: dict[int, str] = {}


@dataclass(frozen=True, order=True)
class Place:
    """Where in a published file a text is: ``label`` for the message ("page 4",
    "comments (word/comments.xml)", "" for the file as a whole), ``order`` to sort by."""

    order: tuple
    label: str


def _fold_char(c: str) -> str:
    if c in _FOLD:
        return _FOLD[c]
    if c in _LINE_BREAKS:
        return "\n"
    if c.isspace() or unicodedata.category(c) == "Cc":
        return " "
    out = []
    for d in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", c).casefold()):
        if unicodedata.category(d) != "Mn":
            out.append(_FOLD.get(d, d))
    return "".join(out)


def _folded(text: str) -> str:
    """``text`` folded character by character; the table grows by the characters seen
    (a report uses a few hundred), so a text costs one ``str.translate``."""
    missing = {c for c in set(text) if ord(c) not in _TABLE}
    for c in missing:
        _TABLE[ord(c)] = _fold_char(c)
    return text.translate(_TABLE)


def _finish(text: str) -> str:
    text = _SEPARATORS.sub(" ", text.replace("\u00ad", "")).strip()
    return _UNSPACED_GAP.sub("", text) if _UNSPACED_CHAR.search(text) else text


def normalise(text: str) -> str:
    """The searchable form of ``text`` (see the module docstring)."""
    return _finish(_folded(text))


def pdf_variants(text: str, glue: bool = False) -> list[str]:
    """The searchable forms of a PDF page's (or lines') text: hyphenated words joined,
    a real hyphen at a line end kept and, when there is one, dropped in a second form;
    with ``glue``, also the text with its line breaks removed (a URL broken across lines)."""
    return _pdf_forms(_folded(text), glue)


def _pdf_forms(folded: str, glue: bool) -> list[str]:
    folded = _SOFT_CUT.sub(_CUT + "\n", _SOFT_EOL.sub("", folded))
    forms = [folded]
    if _HARD_EOL.search(folded):
        forms.append(_HARD_EOL.sub("", folded))
    if glue:
        forms.append(_EOL.sub("", forms[-1]))
    return [_finish(form) for form in forms]


def with_unquoted(values: Iterable[str]) -> list[str]:
    """``values`` and, for each percent- or plus-encoded one (a URL), its decoded forms."""
    out = []
    for value in values:
        out.append(value)
        if "%" in value or "+" in value:
            out += [unquote(value), unquote_plus(value)]
    return out


def _edge(c: str) -> str:
    """What a match may not continue into at its edge: a letter of a spaced script
    ("L"), a digit ("D"), or nothing (""). A note call after a name ("Surname1") is a
    digit after a letter: still a whole word."""
    if c.isdigit():
        return "D"
    if c == _CUT or c.isalpha() and not _UNSPACED_CHAR.match(c):
        return "L"
    return ""


@dataclass(frozen=True)
class _Pattern:
    text: str   # normalised
    owner: int  # index of the protected string
    left: str   # _edge of its first character
    right: str  # _edge of its last character
    pdf_only: bool = False


class Matcher:
    """The protected strings, normalised once, and the search for them in a text.

    ``find`` returns the indices (into ``strings``) of those a text contains. Strings
    that normalise to nothing (white space, punctuation) are never found."""

    def __init__(self, strings: Sequence[str]):
        self.strings = list(strings)
        patterns: dict[tuple[str, int], _Pattern] = {}
        for owner, string in enumerate(self.strings):
            forms = [(normalise(string), False)]
            # "Jean-Pierre" broken at its hyphen in a PDF: the joined form.
            if re.search(r"[-\u2010\u2011]", string):
                forms.append((normalise(re.sub(r"[-\u2010\u2011]", "", string)), True))
            for form, pdf_only in forms:
                if form and (form, owner) not in patterns:
                    patterns[form, owner] = _Pattern(form, owner, _edge(form[0]), _edge(form[-1]), pdf_only)
        self.patterns = list(patterns.values())
        self.glue = any(" " not in p.text and re.search(r"[/@.]", p.text) for p in self.patterns)
        # Every proper prefix of every pattern: what a line may end with when a protected
        # string goes on over a page break.
        self.prefixes: dict[str, list[_Pattern]] = {}
        for p in self.patterns:
            for k in range(1, len(p.text)):
                if p.text[k - 1] != " ":
                    self.prefixes.setdefault(p.text[:k], []).append(p)
        self.longest = max((len(p.text) for p in self.patterns), default=0)

    def find(self, text: str, pdf: bool = False, patterns: Iterable[_Pattern] | None = None) -> set[int]:
        """The protected strings in ``text``, which is already normalised (of ``patterns``
        only, when given)."""
        found: set[int] = set()
        for p in self.patterns if patterns is None else patterns:
            if p.owner in found or (p.pdf_only and not pdf):
                continue
            start = text.find(p.text)
            while start >= 0:
                end = start + len(p.text)
                if ((not p.left or start == 0 or _edge(text[start - 1]) != p.left)
                        and (not p.right or end == len(text) or _edge(text[end]) != p.right)):
                    found.add(p.owner)
                    break
                start = text.find(p.text, start + 1)
        return found

    def find_text(self, text: str) -> set[int]:
        return self.find(normalise(text)) if self.patterns else set()

    def find_pages(self, pages: Sequence[str]) -> dict[int, set[int]]:
        """Page index → the protected strings on it, for a PDF's page texts in order.
        A string broken over a page break (the end of a line on one page, the start of
        one of the next page's first lines) counts on the first page."""
        if not self.patterns:
            return {}
        hits: dict[int, set[int]] = {}
        folded = [_folded(page) for page in pages]  # folded once; the forms and lines come from it
        for n, page in enumerate(folded):
            found = self._in_pdf_text(page)
            if found:
                hits[n] = found
            if n + 1 < len(folded) and (found := self._across(page, folded[n + 1])):
                hits.setdefault(n, set()).update(found)
        return hits

    def _in_pdf_text(self, folded: str, patterns=None) -> set[int]:
        return set().union(*(self.find(form, True, patterns) for form in _pdf_forms(folded, self.glue)))

    def _across(self, page: str, following: str) -> set[int]:
        # The body's last line on a page is not its last line of text (the notes, the
        # running header and the page number come after it), so every line end that
        # could begin a protected string is tried against the next page's first lines.
        # Only the strings whose beginning ends the line are searched for, which few do.
        heads = [line for line in following.split("\n") if line.strip()][:3]
        found: set[int] = set()
        for line in page.split("\n"):
            tail = _finish(line[-2 * self.longest:])
            starts = range(len(tail)) if _UNSPACED_CHAR.search(tail) else [m.start() for m in _WORD.finditer(tail)]
            candidates = {p for k in starts for p in self.prefixes.get(tail[k:], ())}
            if not candidates:
                continue
            alone = self._in_pdf_text(line, candidates)
            for head in heads:
                found |= (self._in_pdf_text(line + "\n" + head, candidates) - alone
                          - self._in_pdf_text(head, candidates))
        return found
