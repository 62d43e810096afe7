"""Words a reviewer typed in bold or italic → the inserted Markdown with its emphasis.

:func:`with_emphasis` takes a placed insertion (a tracked edit whose new words were
written into the source, escaped, by :func:`report.review.mapping.place`), the
reviewed paragraph and the unit's traced text; returns it with each run of the typed
words that is bold or italic where the words around it are not wrapped in ``**…**``,
``*…*`` or ``***…***`` (spaces kept outside, as Markdown requires), so the rebuilt
report shows them as the reviewer left them. Typed words that are plain inside bold or
italic text, a paragraph whose text was also changed without tracking, a title or
caption (front matter, an attribute's value), and an insertion the mapping wrote
otherwise than as its escaped words are returned as they were placed.
"""

from __future__ import annotations

import dataclasses
import re

from report.review.emphasis import MARKER
from report.review.mapping import Placed, escape
from report.review.sourcefile import SourceFile

_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)


def _around(flags: list[frozenset], at: int) -> frozenset:
    """Bold and italic the sent text has on both sides of offset ``at`` (one side at an edge)."""
    before = flags[at - 1] if at > 0 else None
    after = flags[at] if at < len(flags) else None
    sides = [f for f in (before, after) if f is not None]
    return frozenset.intersection(*sides) if sides else frozenset()


def _runs(text: str, flags: tuple) -> list[tuple[str, frozenset]]:
    out: list[tuple[str, frozenset]] = []
    for ch, f in zip(text, flags):
        if out and (out[-1][1] == f or not ch.strip()):
            out[-1] = (out[-1][0] + ch, out[-1][1])
        else:
            out.append((ch, f))
    return out


_MARKDOWN = frozenset({"paragraph", "item", "cell", "heading", "note"})  # units whose text is Markdown inline


def with_emphasis(placed: Placed, para, base: str, source: SourceFile, kind: str) -> Placed:
    """See the module doc; ``kind``: the unit's (a title in front matter or an attribute,
    a caption, is left as placed)."""
    edit, made = placed.edit, placed.source
    if made is None or not edit.text or kind not in _MARKDOWN or para.original != base or len(para.flags) != len(base):
        return placed
    revision = next((r for r in para.revisions if r.text == edit.text and len(r.flags) == len(r.text)
                     and r.start == edit.start), None)
    if revision is None or not any(revision.flags):
        return placed
    line_start = made.start == 0 or source.text[made.start - 1] == "\n"
    if made.text != escape(edit.text, line_start):
        return placed  # written otherwise (a note, a paragraph break): left as placed
    around = _around(para.flags, edit.start)
    pieces, first = [], True
    for words, flags in _runs(edit.text, revision.flags):
        lead, core, trail = _EDGES.match(words).groups()
        written = escape(core, line_start and first and not lead)
        marker = MARKER.get(flags - around, "") if core else ""
        pieces.append(escape(lead, line_start and first) + marker + written + marker[::-1] + trail)
        first = False
    text = "".join(pieces)
    if text == made.text:
        return placed
    return dataclasses.replace(placed, source=dataclasses.replace(made, text=text))
