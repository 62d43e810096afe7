"""A translated note's citations, found in its PO entry's msgstr.

A translation's build locates every node it made from a msgstr at the entry's line
(report.review.translation): a note's citations and the text the style wrote for them
all share one location, so they cannot be told apart by it as a section's are. Takes a
note's :class:`~report.review.located.Unit` and its msgstr
(:class:`~report.review.translation.MsgstrSource`); :func:`cited_parts` returns, for
each part of the note's text the style wrote for one citation, that citation (its
``ResolvedCite``) and where its ``@`` stands in the msgstr; {} when that cannot be told
for sure (the note's citation edits are then listed, not applied).

The note's citation groups are read from the msgstr in order (report.parse.citations),
their items matched with the note's cites in order and by key. The style's text of a
group is a run of untraced parts between the note's own words (report.review.trace
traces those; a run must lie where its group does). A group of several items is cut at
its delimiters: as many parts of punctuation only ("; ") as it has items less one, all
alike, standing between its items' texts; a note that is only a group ends with the
layout's suffix ("."), no citation's.

A locator changed there is not written: every language cites the same pages (TRN001
stops the build of a translation whose citations differ from its source's), so the
change is the English source's first (:func:`locator_refused` says so).
"""

from __future__ import annotations

from report import model as m
from report.parse.citations import ParsedCite, parse_group
from report.review.located import Unit, shown
from report.review.trace import note_region, trace

Group = tuple[int, int, list[ParsedCite]]  # its "[" and past its "]" in the msgstr, its items


def cited_parts(unit: Unit, source) -> dict[int, tuple[object, int]]:
    """{part index: (its cite, the offset of the cite's ``@`` in ``source.text``)}; see the module doc."""
    note = unit.node
    groups = _groups(source, note) if isinstance(note, m.Footnote) and note.cites else None
    if not groups:
        return {}
    matched = _match(note.cites, [item for _, _, items in groups for item in items])
    spans = trace(unit, source)
    runs = _runs(unit, spans)
    if matched is None or len(spans) != len(unit.text) or len(runs) != len(groups):
        return {}
    whole = groups[0][0] == source.note_at(note)  # the call is the group: the note is all the style's
    cites = iter(matched)
    out: dict[int, tuple[object, int]] = {}
    for (start, end, items), (run, before, after) in zip(groups, runs):
        if (before is not None and before[1] > start) or (after is not None and after[0] < end):
            return {}  # the run is not where its group is: the note's own words were not all traced
        parts = [index for index in run if not (whole and index == run[-1] and _punctuation(unit, index))]
        segments = _segments(unit, parts, len(items))
        if segments is None:
            return {}
        for segment, item in zip(segments, items):
            cite = next(cites)
            if cite is not None:
                out.update({index: (cite, item.offset) for index in segment})
    return out


def _groups(source, note) -> list[Group] | None:
    """The citation groups of the note's Markdown in the msgstr, in order (the call's
    own group when the note is one); None for a ``[^label]`` note (its text is another entry)."""
    text, pairs, at = source.text, source.pairs, source.note_at(note)
    if at is None:
        return None
    region = note_region(note, source)
    if region is None and text[at:at + 1] == "[" and at in pairs:
        region = (at, pairs[at] + 1)
    if region is None or not (text.startswith("^[", at) or region[0] == at):
        return None
    out, past = [], -1
    for a in sorted(p for p in pairs if region[0] <= p < region[1]):
        b = pairs[a]
        if a < past or text.startswith("[^", a) or text[b + 1:b + 2] in ("(", "{"):
            continue  # inside the group before; a note; a link's or span's text (its groups are looked at)
        items = parse_group(text[a + 1:b], a + 1)
        if items and not all(m.crossref_kind(item.key) for item in items):
            out.append((a, b + 1, items))
            past = b
    return out


def _match(cites, items: list[ParsedCite]) -> list | None:
    """Each item's cite (None: a key the registry lacks, which has no cite), or None
    when the note's cites are not its items' in order."""
    out, i = [], 0
    for item in items:
        if i < len(cites) and cites[i].key.lower() == item.key.lower():
            out.append(cites[i])
            i += 1
        else:
            out.append(None)
    return out if i == len(cites) else None


def _runs(unit: Unit, spans: list) -> list[tuple[list[int], tuple | None, tuple | None]]:
    """The runs of untraced text parts, each with the source spans of the traced
    characters right before and after it (None at the note's ends)."""
    runs, current, at, first = [], [], 0, 0
    for index, part in enumerate(unit.parts):
        size = len(shown(part))
        if not size:
            continue
        mine = spans[at:at + size]
        style = (part.kind == "text" or part.kind == "made" and isinstance(part.node, m.Link)) \
            and all(s is None for s in mine)
        if style:
            if not current:
                first = at
            current.append(index)
        else:
            if current:
                runs.append((current, _last(spans[:first]), _first(spans[at:])))
                current = []
        at += size
    if current:
        runs.append((current, _last(spans[:first]), None))
    return runs


def _first(spans: list):
    return next((s for s in spans if s is not None), None)


def _last(spans: list):
    return next((s for s in reversed(spans) if s is not None), None)


def _punctuation(unit: Unit, index: int) -> bool:
    part = unit.parts[index]
    return part.kind == "text" and not any(ch.isalnum() for ch in part.text)


def _segments(unit: Unit, run: list[int], count: int) -> list[list[int]] | None:
    """The run cut into ``count`` items' parts at its delimiters, or None."""
    if count == 1:
        return [run] if run else None
    cuts = [i for i in range(1, len(run) - 1) if _punctuation(unit, run[i])]
    if len(cuts) != count - 1 or len({unit.parts[run[i]].text for i in cuts}) != 1:
        return None
    if any(b - a < 2 for a, b in zip(cuts, cuts[1:])):
        return None  # two delimiters side by side: an item without text
    bounds = [-1] + cuts + [len(run)]
    return [run[a + 1:b] for a, b in zip(bounds, bounds[1:])]


def locator_refused(source) -> str:
    """Why a locator changed in a translation's msgstr is not written (see the module doc)."""
    refs = source.entry.references
    where = f" ({refs[0][0]}:{refs[0][1]})" if refs else ""
    return (f"a citation's locator is the same in every language (TRN001): correct it in the English "
            f"source{where}, then in this entry")
