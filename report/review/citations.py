"""Edits in a note the citation style wrote → the citation's locator in the Markdown.

Takes an edit of a note's build text that could not be traced (the style wrote it
from the registry), the note's unit, its :class:`~report.review.mapping.Traced` text
and the source file; returns a :class:`~report.review.mapping.Placed` with the source
edit when the edit lies inside the locator the style printed for one citation
("pp. 25–26" → "pp. 25–27": ``[@key, pp. 25–26]`` → ``[@key, pp. 25–27]``, an
"Ibid., p. 15" alike; its label with it when the note shows the label as the source
writes it, "p. 4" → "pp. 4–5"), or None when it does not (the caller reports it at
the note).
Each citation's rendered text is a text node located at its ``@key``; its locator is
looked for there, and in the source between that ``@key`` and the end of its item. In
a translation's note every node carries its PO entry's line: which citation each part
of the text is, and where its ``@key`` stands in the msgstr, is :mod:`.msgcites`'; a
locator changed there is located and listed, not applied (every language cites the
same pages: TRN001), a prefix or suffix written in the msgstr.

:func:`affix_edit` alike: words typed right before a citation's rendered text are its
prefix (``[see @key, p. 3]``), right after it its suffix (``[@key, p. 3, emphasis
added]``), written only when the item, parsed again, reads back with that prefix or
suffix and the same key and locator (so the rebuilt note shows what was typed).
"""

from __future__ import annotations

import re

from report import model as m
from report.parse.citations import _LABEL, parse_group
from report.review.located import Unit
from report.review.mapping import Placed, SourceEdit, Traced
from report.review.msgcites import cited_parts, locator_refused
from report.review.sourcefile import SourceFile
from report.review.translation import MsgstrSource

_ITEM_END = re.compile(r"[;\]]")
_UNSAFE = frozenset(";[]@{}\n\t^")


def cited_text(edit, base: str, unit: Unit, traced: Traced):
    """(node, where its text starts in ``base``, its text) of the text part of a
    style-written note (a Footnote with cites) that ``edit`` falls within, whole; None
    when it is not such a note or the edit spans two parts."""
    if not isinstance(unit.node, m.Footnote) or not unit.node.cites or edit.start >= len(base):
        return None
    index = traced.parts[edit.start]
    last = traced.parts[max(edit.end - 1, edit.start)]
    if index < 0 or last != index or unit.parts[index].kind != "text":
        return None
    first = traced.parts.index(index)
    return unit.parts[index].node, first, base[first:first + traced.parts.count(index)]


def locator_edit(edit, base: str, unit: Unit, traced: Traced, source: SourceFile) -> Placed | None:
    """See the module doc."""
    found = cited_text(edit, base, unit, traced)
    if found is None:
        return None
    _, first, shown = found
    cite, key = _owners(unit, source).get(traced.parts[edit.start], (None, None))
    if cite is None or not cite.locator or key is None or _UNSAFE & set(edit.text):
        return None
    item_end = _ITEM_END.search(source.text, key)
    stop = item_end.start() if item_end else len(source.text)
    found = occurrences(source.text[key:stop], cite.locator)
    if len(found) != 1:
        return None
    place = key + found[0]
    start, end = edit.start - first, edit.end - first
    written = cite.locator
    hits = [at for at in occurrences(shown, written) if at <= start and end <= at + len(written)]
    if not hits:  # "p. 4" → "pp. 4–5": the label too, when the note shows it as the source writes it
        written = _label_before(source.text, key, place) + cite.locator
        hits = [at for at in occurrences(shown, written) if at <= start and end <= at + len(written)]
    if len(hits) != 1:
        return None
    at = hits[0]
    new = written[:start - at] + edit.text + written[end - at:]
    begin = place + len(cite.locator) - len(written)
    if not new.strip() or (written != cite.locator and not _relabelled(source, key, begin, place + len(cite.locator),
                                                                          new)):
        return None
    if isinstance(source, MsgstrSource):  # every language cites the same pages
        return Placed(edit, source.location(begin), None, locator_refused(source))
    return Placed(edit, source.location(begin), SourceEdit(source.path, begin, place + len(cite.locator), new), None)


def _owners(unit: Unit, source: SourceFile) -> dict[int, tuple[object, int | None]]:
    """{part index: (the cite whose rendered text the part is, the offset of its ``@key``
    in ``source``)}: the part located at one cite's location (a translation's, whose
    parts all share one: :mod:`.msgcites`)."""
    if isinstance(source, MsgstrSource):
        return cited_parts(unit, source)
    cites: dict = {}
    for cite in unit.node.cites:
        cites.setdefault(cite.location, []).append(cite)
    out = {}
    for index, part in enumerate(unit.parts):
        at = cites.get(getattr(part.node, "location", None), ()) if part.kind == "text" else ()
        if len(at) == 1:
            out[index] = (at[0], source.offset(at[0].location))
    return out


def _label_before(text: str, key: int, place: int) -> str:
    """The locator label as the source writes it right before the locator at ``place``
    (``p. `` of ``[@key, p. 4]``), or ""."""
    rest = text[key:place]
    for i in range(1, len(rest)):
        match = _LABEL.match(rest[i:] + "0") if rest[i - 1] in ", " else None
        if match and match.end() == len(rest) - i:
            return rest[i:]
    return ""


def _relabelled(source: SourceFile, key: int, start: int, end: int, new: str) -> bool:
    """Whether the citation item at ``key``, its label and locator (``start``–``end``)
    written ``new``, still reads as a labelled locator of the same work, with the same
    prefix and suffix (so the style prints ``new`` where the reviewer typed it)."""
    span = _item(source, key)
    if span is None or _LABEL.match(new) is None:
        return False
    text = source.text
    old, changed = parse_group(text[span[0]:span[1]], 0), parse_group(text[span[0]:start] + new + text[end:span[1]], 0)
    if not old or not changed or len(old) != 1 or len(changed) != 1 or not changed[0].locator:
        return False
    return (old[0].key, old[0].prefix, old[0].suffix, old[0].suppress_author) == (
        changed[0].key, changed[0].prefix, changed[0].suffix, changed[0].suppress_author)


def occurrences(text: str, needle: str) -> list[int]:
    """Where ``needle`` starts in ``text``, overlaps included."""
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _item(source: SourceFile, key: int) -> tuple[int, int] | None:
    """The source range of the citation item whose ``@`` is at ``key``: from after its
    group's ``[`` or the ``;`` before it to its ``;`` or ``]``."""
    text = source.text
    start = max(text.rfind("[", 0, key), text.rfind(";", 0, key))
    end = _ITEM_END.search(text, key)
    if start < 0 or end is None or "\n\n" in text[start:end.start()]:
        return None
    return start + 1, end.start()


def affix_edit(edit, base: str, unit: Unit, traced: Traced, source: SourceFile) -> Placed | None:
    """Words inserted right before or after one citation's rendered text in a note the
    style wrote → its prefix or suffix (see the module doc), or None."""
    if not isinstance(unit.node, m.Footnote) or not unit.node.cites or edit.start != edit.end:
        return None
    if not edit.text.strip() or _UNSAFE & set(edit.text):
        return None
    k = edit.start
    owners = _owners(unit, source)

    def owner(at: int):  # the cite (and where its @key is) whose rendered text holds base[at]
        return owners.get(traced.parts[at] if 0 <= at < len(base) else -1)

    after, before = owner(k), owner(k - 1)
    ids = (after and id(after[0]), before and id(before[0]))
    if after is not None and ids[0] != ids[1]:  # typed before the citation: its prefix
        (cite, key), side = after, "prefix"
        if edit.text != edit.text.strip() + " ":  # the style writes the prefix and one space
            return None
        if cite.position.startswith("ibid") and not base[:k].strip():
            return None  # the note capitalised its "ibid."; after a prefix it would read "ibid." again
    elif before is not None and ids[0] != ids[1]:  # typed after it: its suffix
        (cite, key), side = before, "suffix"
    else:
        return None
    span = _item(source, key) if key is not None else None
    if span is None:
        return None
    start, end = span
    text = source.text
    old = parse_group(text[start:end], 0)
    if not old or len(old) != 1 or old[0].key != cite.key:
        return None
    old = old[0]
    if side == "prefix":
        if old.prefix:
            return None  # "see" shown "See" at the note's start: words before it are not guessed
        at, wanted = (key - 1 if text[key - 1:key] == "-" else key), (edit.text.strip(), old.suffix)
    else:
        if edit.text != edit.text.rstrip():
            return None  # the item's suffix ends where its text does
        at, wanted = start + len(text[start:end].rstrip()), (old.prefix, old.suffix + edit.text)
    new = parse_group(text[start:at] + edit.text + text[at:end], 0)
    if not new or len(new) != 1 or (new[0].key, new[0].locator_label, new[0].locator, new[0].suppress_author) != (
            old.key, old.locator_label, old.locator, old.suppress_author) or (new[0].prefix, new[0].suffix) != wanted:
        return None  # it would not read back as typed (" at 5" after a locator ends the locator)
    return Placed(edit, source.location(at), SourceEdit(source.path, at, at, edit.text), None)
