"""A Markdown source file as :mod:`report.review.trace` reads it.

Takes a project-relative path and the file's text; gives offsets ↔ locations and,
found on first use, the bracket pairs (escapes respected) and the markup that lies
between traced texts and is jumped over whole: attribute blocks (``{#id .class}``),
link destinations and reference labels, HTML comments, table rules, and the block
markers at line starts (list items, quotes, headings, definitions); for a public
edition's review, the confidential spans and notes it left out too.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from report.diagnostics import Location
from report.parse.citations import bracket_pairs

_ATTRIBUTES = re.compile(r"(?<!\\)\{([^{}\n]*)\}")
_DESTINATION = re.compile(r"\]\((?:[^()\n]|\([^()\n]*\))*\)|\]\[[^\[\]\n]*\]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DELIMITER_ROW = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$", re.M)
_LINE_START = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-+*][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+|:[ \t]+)?", re.M)


class SourceFile:
    """One source file's text, with what tracing needs found on first use: line starts,
    bracket pairs and the markup to jump over (attribute blocks, link destinations,
    comments, table rules, block markers at line starts)."""

    # a section's title here is its front matter's ``title:``, a YAML value (a PO entry's
    # msgstr is not: report.review.translation)
    front_matter = True

    def __init__(self, path: str, text: str, public=None):
        """``public``: a :class:`~report.review.public.PublicEdition` when the reviewed
        file is a public edition (its pseudonyms are traced to the names, and the
        confidential spans it left out are jumped over whole)."""
        self.path, self.text, self.public = path, text, public

    @cached_property
    def starts(self) -> list[int]:
        return [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    @cached_property
    def pairs(self) -> dict[int, int]:
        return bracket_pairs(self.text)

    @cached_property
    def jumps(self) -> dict[int, int]:
        text, jumps = self.text, {}
        for match in _ATTRIBUTES.finditer(text):
            inner = match.group(1).strip()
            if inner[:1] in ("#", ".", "-") or "=" in inner or not inner and text[match.start() - 1:match.start()] == "]":
                jumps[match.start()] = match.end()
        for pattern, offset in ((_DESTINATION, 1), (_COMMENT, 0), (_DELIMITER_ROW, 0), (_LINE_START, 0)):
            for match in pattern.finditer(text):
                if match.end() > match.start() + offset:
                    jumps.setdefault(match.start() + offset, match.end())
        if self.public is not None:
            for start, end in self.public.withheld(text, self.pairs).items():
                jumps[start] = _doubled(text, start, end)
        return jumps

    def offset(self, location: Location) -> int | None:
        if location.path != self.path or not 1 <= location.line <= len(self.starts):
            return None
        return self.starts[location.line - 1] + location.col - 1

    def note_at(self, note) -> int | None:
        """Where a note call starts (its ``[`` or ``^[``): its Footnote's location. A
        translation's msgstr says otherwise (report.review.translation)."""
        return self.offset(note.location)

    def location(self, offset: int) -> Location:
        line = bisect.bisect_right(self.starts, offset)
        return Location(self.path, line, offset - self.starts[line - 1] + 1)


def _doubled(text: str, start: int, end: int) -> int:
    """The end of a confidential span left out, past the comma the public edition drops
    after it when one stands before it too ("his lawyer, [name]{.confidential}, was":
    report.transforms.withheld.tidy)."""
    before = text[:start].rstrip()[-1:]
    return end + 1 if before and before in ",;:" and text[end:end + 1] == before else end
