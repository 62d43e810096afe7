"""Whole paragraphs a reviewer deleted or typed → blocks taken out of or added to the Markdown.

:func:`remove` takes a paired paragraph whose whole text the reviewer deleted (tracked,
or gone from the reviewed file without tracking) and returns the source edit that
takes its block out of the section: its lines, its attribute block, and the blank
lines after it, so the blocks around it stay one blank line apart. Its citations and
``^[…]`` notes go with it, as their footnotes went in Word.

:func:`add` takes paragraphs typed without tracking (the reviewed file has them, the
build does not) and the paragraph before them (else the one after) and returns the
source edit that writes them there as new paragraphs, escaped so they stay text (as
:func:`report.review.breaks.split` writes a tracked new paragraph).

Both only touch plain paragraphs: a list item, a quote, a table cell, a heading, a
paragraph sharing its source lines with other text, or one with a label (``{#…}``,
which other text may refer to) is reported where it is, with the reason, and left.
"""

from __future__ import annotations

import re

from report.diagnostics import Location
from report.review.breaks import _block_end, _plain, split
from report.review.edits import Edit
from report.review.located import Unit
from report.review.mapping import Placed, SourceEdit, base_spans, escape
from report.review.sourcefile import SourceFile
from report.review.wordfile import BREAK, NOTE

_OPENERS = re.compile(r"[ \t]*[*_~\[^`]*")  # what may stand before a paragraph's first word on its line
_LABEL = re.compile(r"(?<!\\)\{[^{}\n]*#")
_ATTRIBUTE_LINE = re.compile(r"[ \t]*\{[^{}\n]*\}[ \t]*")


def block(unit: Unit | None, base: str, source: SourceFile | None, what: str = "deletes",
          labelled: bool = False) -> tuple[int, int] | tuple[Location | None, str]:
    """(start, end) of a plain paragraph's block in its source (from its attribute line,
    when it has one above it, to the end of its last line), or (where, why not).
    ``labelled``: a block with a label is one too (a move keeps it)."""
    if unit is None or source is None:
        return None, f"it {what} a paragraph that could not be matched to the sources"
    if not _plain(unit):
        return unit.location, (f"it {what} a whole block that is not a plain paragraph (a heading, a list item, "
                               f"a quote, a table, a caption): {'delete' if what == 'deletes' else 'move'} it in the "
                               "source")
    spans = [s for s in base_spans(unit, base, source).spans if s is not None]
    if not spans:
        return unit.location, f"it {what} a paragraph whose text the tool writes (apply it by hand)"
    text = source.text
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    start = line = text.rfind("\n", 0, first) + 1
    above = text.rfind("\n", 0, max(start - 1, 0)) + 1
    if start and _ATTRIBUTE_LINE.fullmatch(text, above, start - 1):  # its attribute block, on the line above
        start = above
    end = _block_end(text, last, source.jumps)
    if _OPENERS.fullmatch(text, line, first) is None or end is None or not _alone(text, start):
        return source.location(first), (f"it {what} a paragraph that shares its source lines with other text "
                                         "(apply it by hand)")
    if not labelled and _LABEL.search(text, start, end):
        return source.location(start), (f"it {what} a paragraph with a label ({{#…}}) other text may refer to "
                                        "(delete it in the source)")
    return start, end


def remove(unit: Unit | None, base: str, source: SourceFile | None,
           labelled: bool = False) -> tuple[Location | None, SourceEdit | None, str | None]:
    """(where, the edit that takes the paragraph's block out, or why not) (module doc)."""
    found = block(unit, base, source, labelled=labelled)
    if not isinstance(found[0], int):
        return found[0], None, found[1]
    start, end = found
    text = source.text
    after = end
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    if after < len(text):
        return source.location(start), SourceEdit(source.path, start, after, ""), None
    kept = len(text[:start].rstrip())  # the file's last block: the blank lines before it go instead
    return source.location(start), SourceEdit(source.path, kept, len(text), "\n" if kept else ""), None


def rewrite(unit: Unit, texts: list[str], source: SourceFile | None) -> tuple[Location | None, SourceEdit | None, str | None]:
    """A paragraph rewritten beyond recognition with tracking off (the build's is gone,
    ``texts`` stand where it stood): its block replaced by ``texts`` as new paragraphs."""
    if any(NOTE in t or "\n" in t or "\t" in t or BREAK in t for t in texts):
        return unit.location, None, "it rewrites a paragraph with a footnote, a line break or a tab (apply it by hand)"
    where, edit, reason = remove(unit, unit.text, source)
    if edit is None:
        return where, None, reason.replace("it deletes", "it rewrites")
    written = "\n\n".join(escape(t.strip(), True) for t in texts)
    new = written + "\n\n" if edit.text == "" else edit.text.rstrip("\n") + ("\n\n" if edit.start else "") + written + "\n"
    return where, SourceEdit(edit.path, edit.start, edit.end, new), None


def _alone(text: str, start: int) -> bool:
    """The line at ``start`` begins a block: the file's start, or a blank line (or the
    front matter's closing ``---``) before it."""
    if start == 0:
        return True
    before = text[:start - 1]
    previous = before[before.rfind("\n") + 1:]
    return not previous.strip() or previous.rstrip() == "---"


def add(texts: list[str], before, after, sources: dict[str, SourceFile], where: Location) -> Placed | str:
    """The paragraphs ``texts`` written as new paragraphs after the paired paragraph
    ``before`` (else before ``after``); a Placed, or why not."""
    if any(NOTE in t or "\n" in t or "\t" in t or BREAK in t for t in texts):
        return "it adds a paragraph with a footnote, a line break or a tab in it (apply it by hand)"
    for paired, at_end in ((before, True), (after, False)):
        unit = paired.unit if paired is not None else None
        source = sources.get(unit.location.path) if unit is not None else None
        if source is None or paired.base is None:
            continue
        if at_end and unit.kind in ("title", "heading"):  # first in its section, or under a heading
            placed = _after_heading(texts, unit, source, where)
            if placed is not None:
                return placed
        if not _plain(unit):
            continue
        base = paired.base
        typed = BREAK.join(t.strip() for t in texts)
        edit = Edit(len(base), len(base), BREAK + typed, (), "", "untracked") if at_end else \
            Edit(0, 0, typed + BREAK, (), "", "untracked")
        placed = split(edit, base_spans(unit, base, source), unit, source, where)
        if placed.source is not None:
            return placed
    return "it adds a paragraph next to no plain paragraph of the sources (apply it by hand)"


def _after_heading(texts: list[str], unit: Unit, source: SourceFile, where: Location) -> Placed | None:
    """The paragraphs written right after a heading's line, or after the front matter
    whose ``title:`` a section title comes from; None when the source is not so."""
    text = source.text
    if unit.kind == "title":
        if not source.front_matter or not text.startswith("---"):
            return None  # a translation's title (its PO entry) or no front matter
        close = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M).search(text, 3)
        if close is None:
            return None
        at = close.end()
    else:
        start = source.offset(unit.location)
        if start is None or not text[start:start + 1] == "#":
            return None  # a setext heading, or one the tool writes
        at = text.find("\n", start)
        at = len(text) if at < 0 else at
    new = "\n\n" + "\n\n".join(escape(t.strip(), True) for t in texts)
    if at == len(text):
        new += "\n"
    return Placed(Edit(0, 0, BREAK.join(texts), (), "", "untracked"), source.location(at),
                  SourceEdit(source.path, at, at, new), None)
