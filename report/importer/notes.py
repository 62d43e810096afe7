"""Footnote texts → citations to registry entries where recognisable, free text otherwise.

:func:`plan_notes` takes the imported notes (model :class:`~report.model.Note`
nodes, in reading order) and returns a :class:`NotePlan` per note plus the
:class:`Registry` of entries it made. A note whose parts (between "; ") read as
references (see :mod:`report.importer.refs`) becomes a citation group; a note
where only some parts do becomes a free-text note with the recognised parts as
citations in place; "Ibid., p. X" cites the previous note's source again with
the new locator; the same reference written twice is one entry, and a short
form ("Author, “Short title”, p. 5") cites the entry whose title it shortens.
:meth:`NotePlan.node` gives the note's model node; a plan set to ``free`` gives
back the original text, which :mod:`report.importer.verify` does for any note
the style would not write exactly as the original.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field

from report import model as m
from report.importer.refs import ParsedCite, parse_reference, split_segments
from report.parse.markdown import slugify

REVIEW = "Imported from Word: review"
_STOP = frozenset("a an the of in on and for to by at from with de la le der die das und".split())


@dataclass
class Registry:
    entries: dict[str, dict] = field(default_factory=dict)  # key → CSL fields, in creation order
    _by_fields: dict = field(default_factory=dict)

    def key_for(self, csl: dict) -> str:
        """The key of an entry with exactly these fields, made when new."""
        signature = repr(sorted(csl.items()))
        if signature in self._by_fields:
            return self._by_fields[signature]
        base = _key(csl)
        key, n = base, 2
        while key.lower() in {k.lower() for k in self.entries}:
            key, n = f"{base}-{n}", n + 1
        self.entries[key] = dict(csl)
        self._by_fields[signature] = key
        return key

    def shortened(self, csl: dict) -> str | None:
        """An earlier entry this author-and-title-only reference is the short form of."""
        if set(csl) - {"author", "title", "type"}:
            return None
        for key, entry in self.entries.items():
            title = entry.get("title", "")
            if entry.get("author") == csl.get("author") and title and title.startswith(csl["title"]) and entry != csl:
                if title != csl["title"]:
                    entry.setdefault("title-short", csl["title"])
                    if entry["title-short"] != csl["title"]:
                        continue
                return key
        return None


@dataclass
class NotePlan:
    """What one Word note becomes. ``parts`` are its pieces in order: ``("text", start, end)``
    ranges of the original, or ``("cites", [(key, ParsedCite)…])`` groups."""

    number: int
    original: m.Note
    text: str
    parts: list = field(default_factory=list)
    pure: bool = False
    free: bool = True
    reason: str = ""

    @property
    def keys(self) -> list[str]:
        return [key for kind, *rest in self.parts if kind == "cites" for key, _ in rest[0]]

    def node(self):
        """The note as the model node the Markdown writer writes."""
        where = self.original.location
        if self.free:
            return self.original
        citations = [m.Citation(tuple(_item(key, cite, where) for key, cite in part[1]), where)
                     for part in self.parts if part[0] == "cites"]
        if self.pure:
            return citations[0]
        children: list = []
        groups = iter(citations)
        for part in self.parts:
            if part[0] == "cites":
                children.append(next(groups))
            else:
                children.extend(slice_inlines(self.original.children, part[1], part[2]))
        return m.Note(tuple(children), where)


def _item(key: str, cite: ParsedCite, where) -> m.CiteItem:
    return m.CiteItem(key, where, prefix=cite.prefix, locator_label=cite.label, locator=cite.locator)


def plan_notes(notes: list[m.Note]) -> tuple[list[NotePlan], Registry]:
    registry = Registry()
    plans: list[NotePlan] = []
    previous: list[str] = []  # keys cited by the previous note
    for number, note in enumerate(notes, start=1):
        text, italic = flatten(note.children)
        plan = NotePlan(number, note, " ".join(text.split()))
        _recognise(plan, text, italic, registry, previous)
        previous = plan.keys
        plans.append(plan)
    return plans, registry


def _recognise(plan: NotePlan, text: str, italic: list, registry: Registry, previous: list[str]) -> None:
    body = text.rstrip()
    period = body.endswith(".")
    if period:
        body = body[:-1]
    segments = split_segments(body)
    parsed: list[ParsedCite | None] = []
    for i, (start, end) in enumerate(segments):
        cite = parse_reference(body[start:end], lambda k, s=start: italic[s + k], allow_trailing=i == len(segments) - 1)
        parsed.append(cite)
    if not any(parsed):
        plan.reason = "not recognisable as a reference"
        return
    parts: list = []
    last_key = previous[0] if len(previous) == 1 else None
    grouped = False  # the previous segment ended a citation group that may go on
    for i, ((start, end), cite) in enumerate(zip(segments, parsed)):
        key = None
        if cite is not None and cite.ibid:
            key = last_key
        elif cite is not None:
            key = registry.shortened(cite.csl) or registry.key_for(cite.csl)
        if i and not (grouped and key is not None):
            _text(parts, segments[i - 1][1], start)  # the "; " before this part
        if key is None:
            _text(parts, start, end)
            grouped, last_key = False, None
            continue
        if grouped:
            parts[-1][1].append((key, cite))
        else:
            parts.append(("cites", [(key, cite)]))
        last_key, grouped = key, cite.trailing is None
        if cite.trailing is not None:
            _text(parts, start + cite.trailing, end)
    if not any(p[0] == "cites" for p in parts):
        plan.reason = "its \"Ibid.\" follows a note without a single recognised source"
        return
    if period:
        _text(parts, len(body), len(body) + 1)
    plan.parts = parts
    plan.pure = period and len(parts) == 2 and parts[0][0] == "cites" and parts[1] == ("text", len(body), len(body) + 1)
    plan.free = False


def _text(parts: list, start: int, end: int) -> None:
    if start >= end:
        return
    if parts and parts[-1][0] == "text" and parts[-1][2] == start:
        parts[-1] = ("text", parts[-1][1], end)
    else:
        parts.append(("text", start, end))


def flatten(inlines) -> tuple[str, list[bool]]:
    """The visible text of inlines (line breaks as "\\n") and which characters are italic."""
    chars: list[str] = []
    italic: list[bool] = []

    def visit(nodes, emph: bool) -> None:
        for node in nodes:
            if isinstance(node, (m.Text, m.Code)):
                chars.append(node.text)
                italic.extend([emph] * len(node.text))
            elif isinstance(node, m.LineBreak):
                chars.append("\n")
                italic.append(emph)
            elif isinstance(node, (m.Emph, m.Strong, m.Link, m.Span)):
                visit(node.children, emph or isinstance(node, m.Emph))

    visit(inlines, False)
    return "".join(chars), italic


def slice_inlines(inlines, start: int, end: int) -> list:
    """The inline nodes covering characters ``start:end`` of ``flatten(inlines)``, structure kept."""
    out: list = []
    pos = 0

    def visit(nodes) -> list:
        nonlocal pos
        kept: list = []
        for node in nodes:
            if isinstance(node, (m.Text, m.Code)):
                a, b = max(start, pos), min(end, pos + len(node.text))
                if a < b:
                    kept.append(type(node)(node.text[a - pos:b - pos], node.location))
                pos += len(node.text)
            elif isinstance(node, m.LineBreak):
                if start <= pos < end:
                    kept.append(node)
                pos += 1
            elif hasattr(node, "children"):
                children = visit(node.children)
                if children:
                    kept.append(dataclasses.replace(node, children=tuple(children)))
        return kept

    out = visit(inlines)
    return out


def _key(csl: dict) -> str:
    """author-year-title words, e.g. ``human-rights-watch-1992-bloodshed-caucasus``."""
    author = csl.get("author") or []
    words: list[str] = []
    if author:
        first = author[0]
        name = first.get("family") or first.get("literal") or ""
        words += [w for w in re.findall(r"\w+", name) if w.lower() not in _STOP][:3]
    year = (csl.get("issued") or "")[:4]
    if year:
        words.append(year)
    title = csl.get("title") or csl.get("container-title") or csl.get("number") or csl.get("URL") or ""
    title = re.sub(r"^https?://(www\.)?", "", title)
    words += [w for w in re.findall(r"\w+", title) if w.lower() not in _STOP][:3]
    key = ""
    for word in words:
        candidate = f"{key}-{word}" if key else word
        if len(slugify(candidate)) > 48 and key:
            break
        key = candidate
    key = slugify(unicodedata.normalize("NFC", key))[:48].strip("-")
    return key if re.match(r"^\w", key) else "ref"
