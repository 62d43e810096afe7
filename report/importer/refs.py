"""One reference as a note writes it → CSL fields and a locator.

:func:`parse_reference` takes the text of one cited source inside a note (a part
between "; ") and a function telling which characters were italic; it returns a
:class:`ParsedCite` (CSL fields, locator, prefix, trailing free text) or None when
nothing in it is recognisable as a reference. It reads the shape reports use,
the shape of the project's own note style:

    [See ]Author, “Title”, note, genre No. number, *Container*, Publisher, Place
    (Month Day, Year), pp. 1–2, https://… , accessed Month Day, Year

where every part but one signal (a quoted title, a URL, a date in parentheses or a
document number) may be missing. "Ibid." with an optional locator is recognised
too (:attr:`ParsedCite.ibid`). Whether the style then writes the note exactly as
the original is decided later, by rendering it (see :mod:`report.importer.verify`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from report.parse.citations import LOCATOR_LABELS, split_locator

MONTHS = {name: i for i, name in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_LABELS = "|".join(sorted((re.escape(k) for k in LOCATOR_LABELS if k.endswith(".") or not k.isalpha()),
                          key=len, reverse=True))
_PIECE = r"(?:\d+[a-z]?|[ivxlcdm]+)(?:\s*[-–—]\s*(?:\d+[a-z]?|[ivxlcdm]+))?"
_LOCATOR = re.compile(rf"(?:^|,\s+)((?:{_LABELS})\s*{_PIECE}(?:,\s*{_PIECE})*)$", re.I)
_URL = re.compile(r"(?:^|,\s+)(https?://\S+)$")
_ACCESSED = re.compile(r",\s+accessed\s+([^,()]+(?:,\s*\d{4})?)$")
_DATE = re.compile(r"\s*\(([^()]+)\)$")
_DOCNUM = re.compile(r"^(?:(?P<genre>.+?)\s+)?No\.\s*(?P<number>\S+(?:\s*[–—-]\s*\S+)?)$")
# A document symbol written without "No.": A/71/782, S/2017/110, CCPR/C/ARM/CO/2, SEC.DEL/585/16.
_SYMBOL = re.compile(r"^(?:(?P<genre>.+?)\s+)?(?P<number>[A-Z]{1,12}(?:\.[A-Z]{1,12})*/[A-Za-z0-9.()/]+(?:\s*[–—-]\s*[A-Z]{1,12}(?:\.[A-Z]+)*/[A-Za-z0-9.()/]+)?)$")
_IBID = re.compile(r"^(?:ibid|ibidem)\.?(?:,\s*(?P<rest>.+))?$", re.I)
_PREFIX = re.compile(r"^((?:see also|see, e\.g\.,|see|cf\.|compare|vgl\.|voir)\s+)", re.I)
_FUNCTION_WORDS = frozenset("of and the for on in at to de del der von van la le du des und et y".split())


@dataclass
class ParsedCite:
    csl: dict = field(default_factory=dict)
    label: str | None = None     # CSL locator label
    locator: str | None = None
    prefix: str = ""
    ibid: bool = False
    trailing: int | None = None  # offset where free text after the reference starts


def parse_reference(text: str, italic=lambda i: False, allow_trailing: bool = False) -> ParsedCite | None:
    """See the module doc. ``italic(i)`` says whether character ``i`` of ``text`` was italic."""
    if "\n" in text or not text.strip():
        return None
    cite = ParsedCite()
    start = 0
    prefix = _PREFIX.match(text)
    if prefix:
        cite.prefix, start = prefix.group(1).strip(), prefix.end()
    ibid = _IBID.match(text[start:])
    if ibid:
        cite.ibid = True
        if ibid.group("rest") is not None:
            return _with_locator(cite, ibid.group("rest"))
        return cite
    open_quote = text.find("“", start)
    if open_quote >= 0:
        close = text.find("”", open_quote + 1)
        if close < 0:
            return None
        left = text[start:open_quote]
        if left and not left.endswith(", "):
            return None
        if left:
            author = left[:-2].strip()
            if not _author_like(author) or any(italic(i) for i in range(start, open_quote - 2)):
                return None
            cite.csl["author"] = names(author)
        title = text[open_quote + 1:close].strip()
        if not title:
            return None
        cite.csl["title"] = title
        rest_start = close + 1
        rest = text[rest_start:]
        if rest and not rest.startswith((",", " (")):
            if not allow_trailing or not rest.startswith(" "):
                return None
            cite.trailing = rest_start
            rest = ""
        return cite if _tail(cite, rest, rest_start, italic, titled=True) else None
    if not _tail(cite, ", " + text[start:], start - 2, italic, titled=False):
        return None
    if not any(k in cite.csl for k in ("URL", "issued", "number")):
        return None
    return cite


def _with_locator(cite: ParsedCite, text: str) -> ParsedCite | None:
    label, locator, suffix = split_locator(", " + text)
    if locator is None or suffix or not _LOCATOR.search(text) or _backwards(locator):
        return None
    cite.label, cite.locator = label, locator
    return cite


def _tail(cite: ParsedCite, rest: str, base: int, italic, titled: bool) -> bool:
    """Read ``rest`` (what follows the title, from the right): accessed date, URL,
    locator, date in parentheses, then the comma-separated parts between."""
    accessed = _ACCESSED.search(rest)
    if accessed:
        parts = parse_date(accessed.group(1).strip())
        if parts is None or len(parts) != 3:
            return False
        cite.csl["accessed"] = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        rest = rest[:accessed.start()]
    url = _URL.search(rest)
    if url:
        cite.csl["URL"] = url.group(1)
        rest = rest[:url.start()]
    locator = _LOCATOR.search(rest)
    if locator:
        if _with_locator(cite, locator.group(1)) is None:
            return False
        rest = rest[:locator.start()]
    date = _DATE.search(rest)
    if date:
        parts = parse_date(date.group(1).strip())
        if parts is None:
            return False
        cite.csl["issued"] = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        rest = rest[:date.start()]
    if rest and not rest.startswith(", "):
        return False
    pieces = _split(rest[2:], base + 2) if rest else []
    if any(not text.strip() for text, _ in pieces):
        return False
    return _classify(cite, [(t, all(italic(i) for i in range(s, s + len(t)))) for t, s in pieces], titled)


def _classify(cite: ParsedCite, pieces: list, titled: bool) -> bool:
    """Parts between the title and the date, in the style's order: note, genre No.
    number, *container*, publisher, place. Without a title the first part is the author."""
    csl = cite.csl
    if not titled and pieces and not pieces[0][1] and not _symbol(pieces[0][0]):
        if not _author_like(pieces[0][0]):
            return False
        csl["author"] = names(pieces[0][0])
        pieces = pieces[1:]
    docnum = max((i for i, (t, it) in enumerate(pieces) if not it and _symbol(t)), default=None)
    after = pieces
    if docnum is not None:
        match = _symbol(pieces[docnum][0])
        if match.group("genre"):
            csl["genre"] = match.group("genre")
        csl["number"] = match.group("number")
        if docnum:
            if any(it for _, it in pieces[:docnum]):
                return False
            csl["note"] = ", ".join(t for t, _ in pieces[:docnum])
        after = pieces[docnum + 1:]
    italic_at = next((i for i, (_, it) in enumerate(after) if it), None)
    if italic_at is not None:
        if italic_at and docnum is not None:
            return False
        if italic_at:
            csl["note"] = ", ".join(t for t, _ in after[:italic_at])
        csl["container-title"] = after[italic_at][0]
        after = after[italic_at + 1:]
    if any(it for _, it in after):
        return False
    plain = [t for t, _ in after]
    if len(plain) == 1:
        csl["publisher-place" if _place_like(plain[0]) else "publisher"] = plain[0]
    elif plain:
        csl["publisher"] = ", ".join(plain[:-1])
        csl["publisher-place"] = plain[-1]
    csl["type"] = ("article-newspaper" if "container-title" in csl else
                   "report" if any(k in csl for k in ("number", "publisher", "publisher-place")) else
                   "webpage" if "URL" in csl else "document")
    return True


def _symbol(text: str):
    return _DOCNUM.match(text) or _SYMBOL.match(text)


def _author_like(text: str) -> bool:
    return bool(text) and not text[0].islower() and "“" not in text and not re.search(r"https?://", text)


def _split(text: str, base: int) -> list[tuple[str, int]]:
    """``text`` split at ", " outside quotes and parentheses: (part, offset) pairs."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "(“":
            depth += 1
        elif ch in ")”" and depth:
            depth -= 1
        elif ch == "," and not depth and text[i + 1:i + 2] == " ":
            out.append((text[start:i], base + start))
            start = i + 2
            i += 1
        i += 1
    out.append((text[start:], base + start))
    return out


def split_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each "; "-separated part of a note, outside quotes and parentheses."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(“":
            depth += 1
        elif ch in ")”" and depth:
            depth -= 1
        elif ch == ";" and not depth and text[i + 1:i + 2] == " ":
            out.append((start, i))
            start = i + 2
    out.append((start, len(text)))
    return out


def names(text: str) -> list[dict]:
    """Authors: several comma-separated personal names ("Given Family"), else one literal name."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 1 and all(_person_like(p) for p in parts):
        return [{"family": p.split()[-1], "given": " ".join(p.split()[:-1])} for p in parts]
    return [{"literal": text}]


def _person_like(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.lower() not in _FUNCTION_WORDS and
                                        not any(c.isdigit() or c in "/&()" for c in w) for w in words)


def _place_like(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)


def parse_date(text: str) -> list[int] | None:
    """Date parts of "December 11, 2015", "11 December 2015", "September 1992", "2015-12-11" or "2020"."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if match:
        parts = [int(p) for p in match.groups() if p]
    else:
        words = re.findall(r"[A-Za-z]+|\d+", text)
        month = [MONTHS[w.lower()] for w in words if w.lower() in MONTHS]
        numbers = [int(w) for w in words if w.isdigit()]
        if len(month) != 1 or not numbers or len(words) != len(numbers) + 1 or len(numbers) > 2:
            return None
        year = numbers[-1]
        parts = [year, month[0]] + ([numbers[0]] if len(numbers) == 2 else [])
    if not 1000 <= parts[0] <= 2999:
        return None
    try:
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return None
    return parts


def _backwards(locator: str) -> bool:
    for piece in locator.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*[-–—]\s*(\d+)\s*", piece)
        if match and int(match.group(2)) < int(match.group(1)):
            return True
    return False
