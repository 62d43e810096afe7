"""A segment's Markdown as text and inline codes, for exchange formats such as XLIFF.

:func:`pieces` splits the Markdown of a PO entry (a ``msgid`` or a ``msgstr``) into
translatable text and :class:`Code` values, losslessly: :func:`markdown` joins them
back into the very same string, byte for byte, whatever the input (a construct that is
not recognised stays text). A code is either standalone (``ph``: a citation
``[@key, p. 3]``, a cross-reference ``@fig-x``, a URL, an attribute block ``{#id}``,
inline code, an escape ``\\*``, raw HTML) or paired (``pc``: its opening and closing
Markdown around translatable content: a note ``^[…]``, a span ``[Article 12]{.provision
ref=cat:12}``, a link ``[text](url)``, emphasis ``*…*``, ``**…**``, strikeout,
superscript, subscript).

Codes are numbered ``c1``, ``c2``… in the order they open, so the same Markdown always
gives the same ids: an importer re-splits the source it knows rather than trusting
the codes a file describes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from report.model import crossref_kind
from report.parse.attributes import leading_block
from report.parse.citations import KEY, bracket_pairs, parse_group


@dataclass(frozen=True)
class Kind:
    type: str            # XLIFF's type: fmt, link, image, other
    sub_type: str        # XLIFF's subType (prefix:value)
    required: bool       # a translation must keep it (XLIFF canDelete="no")
    ordered: bool        # its order among the ordered codes is meaningful (citations, markers)
    paired: bool


KINDS = {
    "cite": Kind("other", "report:cite", True, True, False),
    "xref": Kind("other", "report:xref", True, False, False),
    "attr": Kind("other", "report:attr", True, True, False),
    "url": Kind("link", "report:url", True, False, False),
    "code": Kind("other", "report:code", True, False, False),
    "html": Kind("other", "report:html", True, False, False),
    "escape": Kind("other", "report:escape", False, False, False),
    "break": Kind("fmt", "xlf:lb", False, False, False),
    "note": Kind("other", "report:note", True, False, True),
    "span": Kind("other", "report:span", True, True, True),
    "link": Kind("link", "report:link", True, False, True),
    "image": Kind("image", "report:image", True, False, True),
    "em": Kind("fmt", "xlf:i", False, False, True),
    "strong": Kind("fmt", "xlf:b", False, False, True),
    "strong-em": Kind("fmt", "report:bi", False, False, True),
    "strike": Kind("fmt", "report:s", False, False, True),
    "sup": Kind("fmt", "report:sup", False, False, True),
    "sub": Kind("fmt", "report:sub", False, False, True),
}
# Kinds whose code contains a citation that must stay inside it (a span's incident, a note).
CONTAINERS = ("span", "note")


@dataclass
class Code:
    id: str
    kind: str
    start: str                 # a ph's Markdown, or a pc's opening
    end: str = ""              # a pc's closing Markdown
    children: list = field(default_factory=list)

    @property
    def paired(self) -> bool:
        return KINDS[self.kind].paired

    @property
    def signature(self) -> tuple[str, str, str]:
        return self.kind, self.start, self.end


_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_KEY = re.compile(KEY)
_URL = re.compile(r"https?://[^\s)\]>\"<]+")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^\s<>]*>", re.I)
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)
# Emphasis and friends: the delimiter run → kind.
_DELIMITED = {("*", 1): "em", ("*", 2): "strong", ("*", 3): "strong-em", ("_", 1): "em", ("_", 2): "strong",
              ("_", 3): "strong-em", ("~", 2): "strike", ("~", 1): "sub", ("^", 1): "sup"}
# Beyond this, emphasis is not looked for (no paragraph is this long).
_EMPHASIS_LIMIT = 100_000
_BLOCK_LIMIT = 4096  # an attribute block {…} is never longer


def pieces(text: str) -> list:
    """``text`` as a list of strings and :class:`Code` values (see the module doc)."""
    scanner = _Scanner(text)
    return scanner.scan(0, len(text))


def markdown(items: list) -> str:
    """The Markdown of :func:`pieces`' result: the inverse of :func:`pieces`."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            out.append(item.start)
            if item.paired:
                out.append(markdown(item.children))
                out.append(item.end)
    return "".join(out)


def codes(items: list) -> list[Code]:
    """Every code, nested ones included, in the order they open."""
    found = []
    for item in items:
        if isinstance(item, Code):
            found.append(item)
            found += codes(item.children)
    return found


def align(source: list, target: list) -> list:
    """``target`` (a translation's pieces) with each code renamed after the source code it
    stands for (the same Markdown, matched in order); a code the source lacks, or has
    fewer of, becomes text, so the translation's Markdown is kept whatever it holds."""
    available: dict[tuple, list[Code]] = {}
    for code in codes(source):
        available.setdefault(code.signature, []).append(code)

    def walk(items: list) -> list:
        out: list = []
        for item in items:
            if isinstance(item, str):
                _add_text(out, item)
                continue
            match = available.get(item.signature)
            if match:
                out.append(Code(match.pop(0).id, item.kind, item.start, item.end, walk(item.children)))
            else:  # not in the source: its Markdown as text
                _add_text(out, item.start)
                for inner in walk(item.children):
                    out.append(inner) if isinstance(inner, Code) else _add_text(out, inner)
                _add_text(out, item.end)
        return out

    return walk(target)


def _add_text(out: list, text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], str):
        out[-1] += text
    else:
        out.append(text)


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pairs = bracket_pairs(text)
        self.closes = {close: start for start, close in self.pairs.items()}
        self.count = 0
        self.emphasis = len(text) <= _EMPHASIS_LIMIT
        self.closer_cache: dict = {}
        self.parens = _pairs(text, "(", ")")

    def new(self, kind: str, start: str, end: str = "") -> Code:
        self.count += 1
        return Code(f"c{self.count}", kind, start, end)

    def scan(self, i: int, end: int) -> list:
        text, out = self.text, []
        while i < end:
            step = self.code_at(i, end)
            if step is None:
                _add_text(out, text[i])
                i += 1
            else:
                code, i = step
                out.append(code)
        return out

    def paired(self, kind: str, start: int, inner: int, inner_end: int, stop: int):
        """A pc from ``start``: its opening is text[start:inner], its content
        text[inner:inner_end], its closing text[inner_end:stop]."""
        code = self.new(kind, self.text[start:inner], self.text[inner_end:stop])
        code.children = self.scan(inner, inner_end)
        return code, stop

    def code_at(self, i: int, end: int):
        """(code, position after it) for a code starting at ``i``, or None."""
        text, ch = self.text, self.text[i]
        if ch == "\\" and i + 1 < end:
            nxt = text[i + 1]
            if nxt == "\n":
                return self.new("break", text[i:i + 2]), i + 2
            if nxt in _PUNCT:
                return self.new("escape", text[i:i + 2]), i + 2
            return None
        if ch == "`":
            run = _run(text, i, end, "`")
            close = _closing_run(text, i + run, end, "`", run)
            return (self.new("code", text[i:close + run]), close + run) if close >= 0 else None
        if ch == "^" and text.startswith("^[", i) and self.pairs.get(i + 1, end) < end:
            return self.paired("note", i, i + 2, self.pairs[i + 1], self.pairs[i + 1] + 1)
        if ch == "!" and text.startswith("![", i) and self.pairs.get(i + 1, end) < end:
            close = self.pairs[i + 1]
            stop = self._link_tail(close + 1, end)
            if stop:
                return self.paired("image", i, i + 2, close, stop)
            return None
        if ch == "[" and self.pairs.get(i, end) < end:
            return self._bracket(i, self.pairs[i], end)
        if ch == "{":
            found = leading_block(text[i:min(end, i + _BLOCK_LIMIT)])
            return (self.new("attr", text[i:i + found[1]]), i + found[1]) if found else None
        if ch == "@" or (ch == "-" and text.startswith("-@", i)):
            return self._intext(i, end)
        if ch == "<":
            match = _AUTOLINK.match(text, i, end) or _HTML.match(text, i, end)
            if match:
                kind = "url" if match.re is _AUTOLINK else "html"
                return self.new(kind, match.group(0)), match.end()
            return None
        if ch in "hH" and (i == 0 or not text[i - 1].isalnum()):
            match = _URL.match(text, i, end)
            if match:
                stop = match.end()
                while stop > i and text[stop - 1] in ".,;:!?'":
                    stop -= 1
                return self.new("url", text[i:stop]), stop
            return None
        if ch in "*_~^" and self.emphasis:
            return self._delimited(i, end)
        return None

    def _link_tail(self, after: int, end: int) -> int:
        """The end of ``(url)`` (and an attribute block after it) at ``after``, or 0."""
        text = self.text
        if text[after:after + 1] != "(":
            return 0
        close = self.parens.get(after, end)
        if close >= end:
            return 0
        found = leading_block(text[close + 1:min(end, close + 1 + _BLOCK_LIMIT)])
        return close + 1 + found[1] if found else close + 1

    def _bracket(self, i: int, close: int, end: int):
        text = self.text
        stop = self._link_tail(close + 1, end)
        if stop:
            return self.paired("link", i, i + 1, close, stop)
        if text[close + 1:close + 2] == "{":
            found = leading_block(text[close + 1:min(end, close + 1 + _BLOCK_LIMIT)])
            if found:
                return self.paired("span", i, i + 1, close, close + 1 + found[1])
        if "@" in text[i:close]:
            items = parse_group(text[i + 1:close], 0)
            if items:
                kind = "xref" if all(crossref_kind(item.key) for item in items) else "cite"
                return self.new(kind, text[i:close + 1]), close + 1
        return None

    def _intext(self, i: int, end: int):
        text = self.text
        at = i + 1 if text[i] == "-" else i
        if at >= end or text[at] != "@":
            return None
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.-+@"):
            return None  # name@example.org
        match = _KEY.match(text, at + 1, end)
        if match is None:
            return None
        kind = "xref" if crossref_kind(match.group(0)) else "cite"
        return self.new(kind, text[i:match.end()]), match.end()

    def _delimited(self, i: int, end: int):
        text, ch = self.text, self.text[i]
        if ch == "^" and text.startswith("^[", i):
            return None
        run = _run(text, i, end, ch)
        kind = _DELIMITED.get((ch, run))
        inner = i + run
        if kind is None or inner >= end or text[inner].isspace():
            return None
        if ch == "_" and i > 0 and text[i - 1].isalnum():
            return None  # snake_case
        # The first run that can close it; none, or one that would cut a bracket or a code
        # span in two, and this delimiter is text (one look a delimiter keeps it linear).
        closers = self._closers(ch, run)
        at = bisect.bisect_right(closers, inner)
        close = closers[at] if at < len(closers) else -1
        if close < 0 or close >= end or not self._balanced(inner, close):
            return None
        if kind in ("sup", "sub") and any(c.isspace() for c in text[inner:close]):
            return None
        return self.paired(kind, i, inner, close, close + run)

    def _closers(self, ch: str, run: int) -> list[int]:
        """Where a run of exactly ``run`` ``ch`` can close a delimited span (after a
        non-space; for ``_``, not before a letter), in order."""
        key = (ch, run)
        if key not in self.closer_cache:
            text, found = self.text, []
            for match in re.finditer(re.escape(ch) + "+", text):
                j, length = match.start(), len(match.group(0))
                if length == run and j > 0 and not text[j - 1].isspace() and \
                        not (ch == "_" and match.end() < len(text) and text[match.end()].isalnum()):
                    found.append(j)
            self.closer_cache[key] = found
        return self.closer_cache[key]

    def _balanced(self, start: int, stop: int) -> bool:
        """Whether text[start:stop] holds every bracket it opens or closes (and whole
        code spans), so that a pc around it nests properly."""
        text = self.text
        j = start
        while True:
            j = _next_of(text, j, stop, "[]`")
            if j < 0:
                return True
            c = text[j]
            if c == "[" and j in self.pairs and self.pairs[j] >= stop:
                return False
            if c == "]" and j in self.closes and self.closes[j] < start:
                return False
            if c == "`":
                run = _run(text, j, stop, "`")
                close = _closing_run(text, j + run, len(text), "`", run)
                if close >= 0 and close >= stop:
                    return False
                j = (close + run) if close >= 0 else j + run
                continue
            j += 1


def _pairs(text: str, opening: str, closing: str) -> dict[int, int]:
    """Each ``opening`` that closes, mapped to its ``closing`` (escapes respected), in one pass."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for token in re.finditer(r"\\.|[" + re.escape(opening + closing) + "]", text, re.S):
        if token[0] == opening:
            stack.append(token.start())
        elif token[0] == closing and stack:
            pairs[stack.pop()] = token.start()
    return pairs


def _run(text: str, i: int, end: int, ch: str) -> int:
    j = i
    while j < end and text[j] == ch:
        j += 1
    return j - i


def _closing_run(text: str, start: int, end: int, ch: str, length: int) -> int:
    """The start of the next run of exactly ``length`` ``ch`` in text[start:end], or -1."""
    j = start
    while True:
        j = text.find(ch * length, j, end)
        if j < 0:
            return -1
        run = _run(text, j, end, ch)
        if run == length and (j == 0 or text[j - 1] != ch):
            return j
        j += run


def _next_of(text: str, start: int, stop: int, chars: str) -> int:
    best = -1
    for c in chars:
        k = text.find(c, start, stop)
        if k >= 0 and (best < 0 or k < best):
            best = k
    return best


__all__ = ["Code", "KINDS", "CONTAINERS", "pieces", "markdown", "codes", "align"]
