"""Words a reviewer typed in bold or italic → the inserted Markdown with its emphasis.

:func:`with_emphasis` takes a placed insertion (a tracked edit whose new words were
written into the source, escaped, by :func:`report.review.mapping.place`), the
reviewed paragraph, the unit's traced text and its unit; returns it with each run of
the typed words that is bold or italic where the words around it are not wrapped in
``**…**``, ``*…*`` or ``***…***`` (spaces kept outside, as Markdown requires), and
typed words that are plain inside bold or italic text written between a closed and a
reopened emphasis (``**strong** very **words**``), so the rebuilt report shows them as
the reviewer left them. Whatever markup it writes is read back: the section is parsed
with the edit made, and the markup kept only when the unit reads its words as before
with the typed ones formatted as typed. Otherwise the words are placed without it
(the words matter more than their formatting) and the :class:`Placed`'s ``note`` says
so. A paragraph whose text was also changed without tracking, a title or caption
(front matter, an attribute's value), and an insertion the mapping wrote otherwise
than as its escaped words are returned as they were placed.
"""

from __future__ import annotations

import dataclasses
import re

from report.review.emphasis import MARKER, _find, _model_flags
from report.review.located import table_cells
from report.review.mapping import Placed, SourceEdit, escape
from report.review.sourcefile import SourceFile

_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)
_HERE = "\ue000"  # a typed character's stand-in (private use: no source has it)
NOT_KEPT = "the typed words' bold or italic could not be written in Markdown: they read as the words around them"


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


def with_emphasis(placed: Placed, para, base: str, source: SourceFile, unit) -> Placed:
    """See the module doc; ``unit``: the :class:`~report.review.located.Unit` edited (a
    title in front matter or an attribute, a caption, is left as placed)."""
    edit, made = placed.edit, placed.source
    if made is None or not edit.text or unit.kind not in _MARKDOWN or para.original != base \
            or len(para.flags) != len(base):
        return placed
    revision = next((r for r in para.revisions if r.text == edit.text and len(r.flags) == len(r.text)
                     and r.start == edit.start), None)
    if revision is None:
        return placed
    around = _around(para.flags, edit.start)
    if all(f == around for ch, f in zip(edit.text, revision.flags) if ch.strip()):
        return placed  # formatted as the words around them: the source's markup says it already
    line_start = made.start == 0 or source.text[made.start - 1] == "\n"
    if made.text != escape(edit.text, line_start):
        return placed  # written otherwise (a note, a paragraph break): left as placed
    runs = _runs(edit.text, revision.flags)
    gone = {around - flags for words, flags in runs if words.strip()}
    if len(gone) > 1:  # some typed words plain inside the emphasis, some not: no one markup says it
        return dataclasses.replace(placed, note=NOT_KEPT)
    gone_from = gone.pop() if gone else frozenset()
    inside = around - gone_from  # the emphasis the typed words stay inside
    pieces, first = [], True
    for words, flags in runs:
        lead, core, trail = _EDGES.match(words).groups()
        written = escape(core, line_start and first and not lead)
        marker = MARKER.get(flags - inside, "") if core else ""
        pieces.append(escape(lead, line_start and first) + marker + written + marker[::-1] + trail)
        first = False
    start, end, text = made.start, made.end, "".join(pieces)
    if gone_from:  # closed before the typed words and reopened after them, spaces kept inside
        while start > 0 and source.text[start - 1] in " \t":
            start -= 1
        while end < len(source.text) and source.text[end] in " \t":
            end += 1
        marker = MARKER[gone_from]
        text = marker + source.text[start:made.start] + text + source.text[made.end:end] + marker
    if text == made.text:
        return placed
    written = SourceEdit(made.path, start, end, text)
    if not _reads_back(unit, source, made, written, list(zip(edit.text, revision.flags))):
        return dataclasses.replace(placed, note=NOT_KEPT)
    return dataclasses.replace(placed, source=written)


def _read(unit, path: str, text: str) -> list | None:
    """The unit's words in ``text`` (a section parsed as a build parses it), each with its
    bold and italic; None when the section does not parse or the unit is not found."""
    from report.errors import ReportError
    from report.parse.markdown import parse_section
    from report.sources.sections import section_from_text

    try:
        section, _ = parse_section(section_from_text(path, text))
    except ReportError:
        return None
    node = _find(section.blocks, unit)
    cells = table_cells(node) if unit.kind == "cell" and node is not None else ()
    if node is None or unit.kind == "cell" and unit.index >= len(cells):
        return None
    out: list = []
    _model_flags(cells[unit.index] if unit.kind == "cell" else node.children, frozenset(), out)
    return out


def _reads_back(unit, source: SourceFile, made: SourceEdit, written: SourceEdit,
                typed: list[tuple[str, frozenset]]) -> bool:
    """Whether the unit, with ``written`` made instead of ``made`` (the typed words
    without markup), reads the same words, the words around with the formatting they
    have then and the typed ones (``typed``: each character with its bold and italic)
    with their own. Where the typed words stand is found by parsing ``made`` with each
    of their characters a placeholder."""
    if _HERE in source.text:
        return False
    stand_in = "".join(_HERE if not ch.isspace() else ch for ch, _ in typed)
    plain = _read(unit, source.path, source.text[:made.start] + stand_in + source.text[made.end:])
    got = _read(unit, source.path, source.text[:written.start] + written.text + source.text[written.end:])
    wanted = iter([(ch, flags) for ch, flags in typed if not ch.isspace()])
    if plain is None or got is None or len(plain) != len(got):
        return False
    for (was, flags_was), (ch, flags) in zip(plain, got):
        if was == _HERE:
            if flags != next(wanted, ("", None))[1]:
                return False
        elif ch != was or (flags != flags_was and not ch.isspace()):  # spaces' formatting is not seen
            return False
    return next(wanted, None) is None
