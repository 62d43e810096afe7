"""A translated build's review: the text it took from ``locales/<lang>.po``, traced into its entries.

A translated build (``report build --locale az``) parses each paragraph's, heading's or
cell's translation (its PO entry's ``msgstr``, Markdown) in the source's place and
locates what it made there at the entry (report.i18n.catalog: the msgid's line + 1); a
section's title is its ``<id>:title`` entry's msgstr, plain text, stripped.
:func:`read_entries` takes the PO file's text as built and returns its entries, each
with where its msgstr's characters stand in the file; :func:`retarget` gives each unit
the build translated a :class:`MsgstrSource`, the msgstr as the Markdown its text
traces into (an edit of it is an edit of the msgstr, never of the English section; a
cross-reference in it, whose node carries only the entry's line, is found where the
tracer stands: report.review.tracer);
:func:`po_text` writes the edited msgstrs back into the file's text, every other byte
as it was; :func:`fallback_reason` says why a change in a paragraph the build showed
in the source language (its entry fuzzy, untranslated or missing) is not applied.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

from report import model as m
from report.diagnostics import Location
from report.model import crossref_kind
from report.parse.citations import parse_group
from report.review.sourcefile import SourceFile

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
WIDTH = 1_000_000  # as report.i18n.catalog.write_catalog writes: no wrapping


@dataclass(frozen=True)
class PoEntry:
    line: int  # where the build located what it made from the entry: the msgid's line + 1
    text: str  # the msgstr
    fuzzy: bool
    start: int  # the msgstr statement in the file's text, "msgstr" to its last closing quote
    end: int
    places: tuple[tuple[int, int], ...]  # each msgstr character's (line, col) in the file
    references: tuple[tuple[str, int], ...]  # its "#:" lines: the source text it translates
    context: str = ""  # its msgctxt: the section id, "<id>:title" for a section's title
    msgid: str = ""


def read_entries(text: str) -> dict[int, PoEntry]:
    """The entries of a PO file's ``text`` (as babel reads them) by :attr:`PoEntry.line`;
    an entry whose msgstr statement cannot be found as babel read it is left out."""
    from babel.messages.pofile import read_po

    try:
        catalog = read_po(io.StringIO(text))
    except Exception:  # the build read it; a file it could not is reviewed as untranslated
        return {}
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    lines = text.split("\n")
    out = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        found = _statement(lines, starts, (message.lineno or 1) - 1)
        if found is None or found[0] != message.string:
            continue
        string, start, end, places = found
        refs = tuple((ref[0], ref[1]) for ref in message.locations if isinstance(ref[1], int))
        line = (message.lineno or 1) + 1
        out[line] = PoEntry(line, string, message.fuzzy, start, end, places, refs, message.context or "",
                            message.id)
    return out


def _statement(lines: list[str], starts: list[int], first: int):
    """(msgstr, start, end, places) of the first ``msgstr`` statement from line ``first``."""
    at = next((i for i in range(first, len(lines)) if lines[i].startswith("msgstr ")), None)
    if at is None:
        return None
    chars, places, end = [], [], None
    index = at
    while index < len(lines) and (index == at or lines[index].lstrip().startswith('"')):
        line = lines[index]
        opening, closing = line.find('"'), line.rstrip().rfind('"')
        if opening < 0 or closing <= opening:
            return None
        q = opening + 1
        while q < closing:
            ch = line[q]
            if ch == "\\" and q + 1 < closing:
                chars.append(_ESCAPES.get(line[q + 1], line[q + 1]))
                places.append((index + 1, q + 1))
                q += 2
            else:
                chars.append(ch)
                places.append((index + 1, q + 1))
                q += 1
        end = starts[index] + closing + 1
        index += 1
    return "".join(chars), starts[at], end, tuple(places)


class MsgstrSource(SourceFile):
    """A PO entry's msgstr as a source file: its own ``path`` (the PO file's, with the
    entry's line) names it among the sources, while its locations are in the PO file."""

    front_matter = False  # a section's title here is the msgstr itself, plain text (babel quotes it)

    def __init__(self, po: str, entry: PoEntry):
        super().__init__(f"{po}:{entry.line}", entry.text)
        self.po, self.entry = po, entry
        self.calls: dict[int, int] = {}  # id(Footnote) → where its call starts in the msgstr

    def location(self, offset: int) -> Location:
        places = self.entry.places
        if not places:
            return Location(self.po, self.entry.line, 1)
        line, col = places[min(offset, len(places) - 1)]
        return Location(self.po, line, col + (offset >= len(places)))

    def note_at(self, note) -> int | None:
        # every node made from a translation carries the entry's line: the calls are
        # told apart by their order in the msgstr
        return self.calls.get(id(note))

    def title_at(self, title: str) -> int | None:
        """Where ``title`` starts in the msgstr: the build took it stripped."""
        stripped = self.text.strip()
        return self.text.index(stripped) if stripped and stripped == title else None


def _calls(text: str, pairs: dict[int, int]) -> list[int]:
    """Where each note call of a msgstr starts, in order: ``^[…]`` notes, ``[^label]``
    references and citation groups (not cross-references, which are numbers)."""
    out, end = [], -1
    for a in sorted(pairs):
        if a < end:
            continue  # inside the group before
        b, inner = pairs[a], text[a + 1:pairs[a]]
        if text[b + 1:b + 2] in ("(", "{") and not (a and text[a - 1] == "^"):
            continue  # a link's or a span's text (report.parse.citations): the calls inside it are its own
        if a and text[a - 1] == "^" and (a < 2 or text[a - 2] != "\\"):
            out.append(a - 1)
        elif inner.startswith("^"):
            out.append(a)
        elif (items := parse_group(inner, a + 1)) and not any(crossref_kind(item.key) for item in items):
            out.append(a)  # a citation group, as report.parse.citations reads one
        else:
            continue
        end = b
    return out


def _translated_line(unit, po: str) -> int | None:
    for part in unit.parts:
        where = getattr(part.node, "location", None)
        if where is not None and where.path == po:
            return where.line
    return None


def _title_line(unit, entries: dict[int, PoEntry]) -> int | None:
    """The line of the entry a section's title was taken from (its ``<id>:title``
    context, the title shown its msgstr), or None (the build showed the source's)."""
    section = unit.node
    if unit.kind != "title" or not isinstance(section, m.Section) or not section.title:
        return None
    for line, entry in entries.items():
        if entry.context == f"{section.id}:title" and entry.text.strip() == section.title:
            # a fuzzy entry is used only by a draft build: its title then differs from the source's
            if not entry.fuzzy or entry.msgid.strip() != section.title:
                return line
    return None


def retarget(units: list, notes: dict, po: str, entries: dict[int, PoEntry]) -> tuple[list, dict, dict]:
    """(units, notes, {path: MsgstrSource}): each unit and note the build made from an
    entry located at that entry's :class:`MsgstrSource` (a section's title at its
    ``<id>:title`` entry's); the others as they were."""
    sources: dict[str, MsgstrSource] = {}
    out = []
    for unit in units:
        line = _translated_line(unit, po) if unit.kind != "title" else _title_line(unit, entries)
        entry = entries.get(line) if line is not None else None
        if entry is None:
            out.append(unit)
            continue
        source = sources.setdefault(f"{po}:{line}", MsgstrSource(po, entry))
        calls = [part.node for part in unit.parts if part.kind == "call"]
        found = _calls(source.text, source.pairs)
        if len(found) == len(calls):  # else the calls stay untraced, and so do edits of them
            source.calls.update({id(node): at for node, at in zip(calls, found)})
        out.append(dataclasses.replace(unit, location=Location(source.path, 1, 1)))
    moved = {}
    for number, unit in notes.items():
        where = unit.node.location
        source = sources.get(f"{where.path}:{where.line}") if where.path == po else None
        moved[number] = dataclasses.replace(unit, location=Location(source.path, 1, 1)) if source else unit
    return out, moved, sources


def refused(edit, sources: dict[str, MsgstrSource]) -> str | None:
    """Why an edit of a msgstr cannot be made: a PO entry holds one paragraph."""
    if edit.path in sources and "\n\n" in edit.text.replace("\r", ""):
        return "a translation's entry holds one paragraph (split it in the source language, then translate)"
    return None


def po_text(text: str, sources: dict[str, MsgstrSource], new: dict[str, str]) -> str:
    """The PO file's ``text`` with each changed msgstr (``new``: source path → msgstr)
    written as babel writes it, every other byte as it was."""
    from babel.messages.pofile import normalize

    pieces, at = [], 0
    for path in sorted((p for p in new if p in sources), key=lambda p: sources[p].entry.start):
        entry = sources[path].entry
        pieces += [text[at:entry.start], "msgstr " + normalize(new[path], prefix="", width=WIDTH)]
        at = entry.end
    return "".join(pieces) + text[at:]


def fallback_reason(where: Location, po: str, entries: dict[int, PoEntry]) -> str:
    """Why a change at ``where`` in a section is not applied: the build showed the
    source text there, its entry being fuzzy, untranslated or missing."""
    best = None
    for entry in entries.values():
        for path, line in entry.references:
            if path == where.path and line <= where.line and (best is None or line > best[0]):
                best = (line, entry)
    tail = "; the English source is not changed (translate the entry, rebuild, and review again)"
    if best is None:
        return f"the build showed the source text here: {po} has no entry for it" + tail
    entry = best[1]
    if entry.text and not entry.fuzzy:  # the entry before it: this paragraph has none
        return f"the build showed the source text here: {po} has no entry for it" + tail
    state = "untranslated" if not entry.text else "fuzzy"
    return f"the build showed the source text here: its entry at {po}:{entry.line} is {state}" + tail


def settle(findings: list, sources: dict[str, MsgstrSource], po: str, entries: dict[int, PoEntry],
           shared: tuple[str, ...] = ()) -> list:
    """A translation's findings: each located in the PO file; a change placed in a
    section (the build showed its source text there) or one that would split an entry
    not applied, with the reason. ``shared``: the files every language reads as they are
    (the registry, where a title, author or year corrected in a note the style wrote goes:
    no PO entry translates a registry field; report.yaml, where the title page's date
    goes), whose edits stand."""
    out = []
    for finding in findings:
        where, source, reason = finding.location, finding.source, finding.reason
        if where.path in sources:  # a unit's own location (a change or comment not traced further)
            msgstr = sources[where.path]
            where = msgstr.location(msgstr.offset(where) or 0)
        if source is not None and source.path not in sources and source.path not in shared:
            source, reason = None, fallback_reason(where, po, entries)
        elif source is not None and (why := refused(source, sources)):
            source, reason = None, why
        out.append(dataclasses.replace(finding, location=where, source=source, reason=reason))
    return out
