"""Edits in a note the citation style wrote → the citation's locator in the Markdown.

Takes an edit of a note's build text that could not be traced (the style wrote it
from the registry), the note's unit, its :class:`~report.review.mapping.Traced` text
and the source file; returns a :class:`~report.review.mapping.Placed` with the source
edit when the edit lies inside the locator the style printed for one citation
("pp. 25–26" → "pp. 25–27": ``[@key, pp. 25–26]`` → ``[@key, pp. 25–27]``, an
"Ibid., p. 15" alike), or None when it does not (the caller reports it at the note).
Each citation's rendered text is a text node located at its ``@key``; its locator is
looked for there, and in the source between that ``@key`` and the end of its item.
"""

from __future__ import annotations

import re

from report import model as m
from report.review.located import Unit
from report.review.mapping import Placed, SourceEdit, Traced
from report.review.sourcefile import SourceFile

_ITEM_END = re.compile(r"[;\]]")
_UNSAFE = frozenset(";[]@{}\n\t^")


def locator_edit(edit, base: str, unit: Unit, traced: Traced, source: SourceFile) -> Placed | None:
    """See the module doc."""
    if not isinstance(unit.node, m.Footnote) or not unit.node.cites or edit.start >= len(base):
        return None
    index = traced.parts[edit.start]
    last = traced.parts[max(edit.end - 1, edit.start)]
    if index < 0 or last != index or unit.parts[index].kind != "text":
        return None
    node = unit.parts[index].node
    cites = [c for c in unit.node.cites if c.location == getattr(node, "location", None) and c.locator]
    if len(cites) != 1 or _UNSAFE & set(edit.text):
        return None
    cite = cites[0]
    first = traced.parts.index(index)
    shown = base[first:first + traced.parts.count(index)]
    start, end = edit.start - first, edit.end - first
    hits = [at for at in _occurrences(shown, cite.locator) if at <= start and end <= at + len(cite.locator)]
    if len(hits) != 1:
        return None
    at = hits[0]
    new = cite.locator[:start - at] + edit.text + cite.locator[end - at:]
    key = source.offset(cite.location)
    if key is None or not new.strip():
        return None
    item_end = _ITEM_END.search(source.text, key)
    stop = item_end.start() if item_end else len(source.text)
    found = [k for k in _occurrences(source.text[key:stop], cite.locator)]
    if len(found) != 1:
        return None
    place = key + found[-1]
    return Placed(edit, source.location(place), SourceEdit(source.path, place, place + len(cite.locator), new), None)


def _occurrences(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out
