"""A corrected title, author or date in a note the citation style wrote → the registry.

Takes the project, the build folder and its document (:func:`load_registry`: the
registry file's text now, the text the build read when it differs (from git, by the
digest the manifest recorded; ``report review --base REV``: the revision's), and which
notes cite each work), then an edit of a note's build text with its unit and
:class:`~report.review.mapping.Traced` text (:func:`field_edit`); returns a
:class:`~report.review.mapping.Placed` whose source edit changes just that field's
value in the CSL-YAML text (the rest of the file byte for byte as it was; the value
quoted as YAML needs), or None when the edit is not inside exactly one title, author
name or year the note shows (the caller reports it at the note). A registry edited
since the build is merged three ways at the value: the edit applies when that value
reads now as the build read it, and is reported, not applied, when it was changed
since. The registry's ``effect`` says which other notes cite the work: they change
with it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from report import model as m
from report.review.citations import cited_text, occurrences
from report.review.located import Unit
from report.review.mapping import Placed, SourceEdit, Traced
from report.review.sourcefile import SourceFile
from report.review.yamlvalue import escaped, rewritten

_UNSAFE = frozenset("\n\t\r")
# LibYAML's marks count characters as the pure-Python loader's do, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YEAR = re.compile(r"^-?\d{1,4}")


@dataclass(frozen=True)
class Field:
    name: str  # title, author, date: as the finding names it
    shown: str  # the value as a note shows it
    start: int  # the YAML scalar's range in the registry text
    end: int
    style: str | None  # the scalar's quoting: None (plain; LibYAML says ""), '"' or "'"
    path: tuple = ()  # the value's keys and indices in its entry
    year: bool = False  # a date's year: the first digits of the scalar


@dataclass(frozen=True)
class RegistryFile:
    path: str
    text: str  # as it is now: what its edits change
    changed: bool  # since the build, and the text it read unknown: its edits are not applied
    entries: dict  # key → (the entry's MappingNode in ``text``)
    citing: dict  # key → the numbers of the notes that cite it
    built: dict | None = None  # key → MappingNode in the text the build read, when it differs from ``text``

    def fields(self, key: str, built: bool = False) -> list[Field]:
        """The title, author names and date year of entry ``key``, with their scalars
        (``built``: in the text the build read)."""
        node = (self.built if built and self.built is not None else self.entries).get(key)
        out: list[Field] = []
        if node is None:
            return out
        for k, v in node.value:
            if k.value == "title" and isinstance(v, yaml.ScalarNode):
                out.append(_field("title", v, ("title",)))
            elif k.value in ("author", "editor") and isinstance(v, yaml.SequenceNode):
                for i, person in enumerate(v.value):
                    if isinstance(person, yaml.MappingNode):
                        out += [_field("author", p, (k.value, i, name.value)) for name, p in person.value
                                if name.value in ("literal", "family", "given") and isinstance(p, yaml.ScalarNode)]
            elif k.value == "issued":
                year, path = _year_node(v)
                digits = _YEAR.match(year.value) if year is not None else None
                if digits:
                    lead = 1 if year.style in ('"', "'") else 0
                    out.append(Field("date", digits.group(), year.start_mark.index + lead,
                                     year.start_mark.index + lead + digits.end(), year.style or None, path, True))
        return [f for f in out if f.shown and f.style in (None, '"', "'")]


def _field(name: str, node, path: tuple) -> Field:
    return Field(name, node.value, node.start_mark.index, node.end_mark.index, node.style or None, path)


def _year_node(node) -> tuple:
    """The scalar holding an ``issued`` date's year and its path: ``date-parts: [[1992,
    9]]``'s first number, or an EDTF string ``2020-12-14``; (None, ()) when neither."""
    if isinstance(node, yaml.ScalarNode):
        return node, ("issued",)
    if isinstance(node, yaml.MappingNode):
        parts = next((v for k, v in node.value if k.value == "date-parts"), None)
        if isinstance(parts, yaml.SequenceNode) and parts.value and isinstance(parts.value[0], yaml.SequenceNode) \
                and parts.value[0].value and isinstance(parts.value[0].value[0], yaml.ScalarNode):
            return parts.value[0].value[0], ("issued", "date-parts", 0, 0)
    return None, ()


def load_registry(root: Path, folder: Path, document: m.Document,
                  built: tuple[str, str] | None = None) -> RegistryFile | None:
    """The project's CSL-YAML registry now, with the text the build read when it differs,
    or None (none, CSL-JSON, unreadable). ``built``: (path, text) of the registry the
    build read (a revision's, ``--base REV``: its build folder is gone); else the path is
    report.yaml's and the text the one with the digest of ``folder``'s manifest (the file
    now, or git's copy)."""
    from report.config import load_config
    from report.errors import ReportError
    from report.outputs import sha256
    from report.review.merge import built_text

    try:
        path = built[0] if built is not None else load_config(root).registry
        text = (root / path).read_bytes().decode("utf-8")
        if built is not None:
            then = built[1]
        else:
            digest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["inputs"].get(path)
            then = text if digest == sha256(text.encode("utf-8")) else built_text(root, path, digest)
        entries = _entries(text)
    except (ReportError, OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError,
            yaml.YAMLError):
        return None
    if path.endswith(".json") or entries is None:
        return None
    try:
        earlier = _entries(then) if then is not None and then != text else None
    except (yaml.YAMLError, ValueError):  # (a value YAML cannot construct: issued: 2020-13-45)
        earlier = None
    citing: dict[str, list[int]] = {}
    for note in document.footnotes():
        for cite in note.cites:
            numbers = citing.setdefault(cite.key.lower(), [])
            if note.number not in numbers:
                numbers.append(note.number)
    return RegistryFile(path, text, then != text and earlier is None, entries, citing, earlier)


def _entries(text: str) -> dict | None:
    """Entry key (lower case) → its MappingNode in a CSL-YAML text; None when the text
    holds no list of entries."""
    node = yaml.compose(text, Loader=_LOADER)
    if isinstance(node, yaml.MappingNode):  # Pandoc's ``references:`` mapping
        node = next((v for k, v in node.value if k.value == "references"), None)
    if not isinstance(node, yaml.SequenceNode):
        return None
    entries = {}
    for entry in node.value:
        if isinstance(entry, yaml.MappingNode):
            key = next((v.value for k, v in entry.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
            if key:
                entries[key.lower()] = entry
    return entries


def scalar(new: str, style: str | None) -> str | None:
    """``new`` as a YAML scalar in the old one's quoting where it reads back the same,
    else double-quoted; None when no single-line scalar holds it."""
    if _UNSAFE & set(new) or not new.strip():
        return None
    quote = style or ""
    for text in (quote + escaped(new, style) + quote, rewritten(new)):
        if _reads(text) == new:
            return text
    return None


def _reads(text: str):
    try:
        return yaml.safe_load("key: " + text + "\n").get("key")
    except (yaml.YAMLError, ValueError, AttributeError):
        return None


def field_edit(edit, base: str, unit: Unit, traced: Traced, registry: RegistryFile | None) -> Placed | None:
    """See the module doc."""
    found = cited_text(edit, base, unit, traced) if registry is not None else None
    if found is None:
        return None
    node, first, shown = found
    near = (edit.start, edit.end) if edit.start < edit.end else (max(edit.start - 1, 0), edit.start + 1)
    if any(span is not None for span in traced.spans[near[0]:near[1]]):
        return None  # the note's own words, not the style's
    # one cite, located at its @key; in a translation's note every cite carries its PO
    # entry's line, and the edit must be inside the field of exactly one of them
    keys = dict.fromkeys(c.key.lower() for c in unit.node.cites if c.location == getattr(node, "location", None))
    start, end = edit.start - first, edit.end - first
    hits = [(key, field, at) for key in keys for field in registry.fields(key, built=True)
            for at in occurrences(shown, field.shown)
            if _inside(at, len(field.shown), start, end, len(shown)) and _whole(shown, at, len(field.shown))]
    if len(hits) != 1:
        return None
    key, field, at = hits[0]
    value = field.shown[:start - at] + edit.text + field.shown[end - at:]
    text = registry.text
    if registry.built is not None:  # edited since the build: the value as it reads now, if it reads the same
        same = (field.name, field.path, field.year)
        now = next((f for f in registry.fields(key) if (f.name, f.path, f.year) == same), None)
        if now is None or now.shown != field.shown:
            entry = registry.entries.get(key)
            at_now = now.start if now is not None else entry.start_mark.index if entry is not None else 0
            reads = f'reads "{now.shown}" now' if now is not None else "is gone"
            return Placed(edit, SourceFile(registry.path, text).location(at_now), None,
                          f"{registry.path} changed there since the build: the {field.name} {reads} (correct it "
                          "there by hand)")
        field = now
    if field.year:  # the year's digits, in the date's scalar
        if not re.fullmatch(r"-?\d{1,4}", value):
            return None
        made = SourceEdit(registry.path, field.start, field.end, value)
    else:
        new = scalar(value, field.style)
        if new is None:
            return None
        made = SourceEdit(registry.path, field.start, field.end, new)
    where = SourceFile(registry.path, text).location(made.start)
    if registry.changed:
        return Placed(edit, where, None, f"{registry.path} changed since the build (correct the {field.name} "
                                         "there by hand)")
    if not _only(text, text[:made.start] + made.text + text[made.end:], key, field, value):
        return None
    return Placed(edit, where, made, None)


def _inside(at: int, length: int, start: int, end: int, shown: int) -> bool:
    """Whether an edit of ``[start, end)`` lies in a value shown at ``[at, at + length)``
    of a citation's text ``shown`` long (words typed at its very start or end are its
    prefix or suffix, not the value's)."""
    if start < end:
        return at <= start and end <= at + length
    return at <= start <= at + length and 0 < start < shown


def _whole(text: str, at: int, length: int) -> bool:
    """Whether ``text[at:at + length]`` stands as words of its own (a family name "Li"
    is not the start of "Lisbon" in a title the registry has no field for here)."""
    return not (at and text[at - 1].isalnum()) and not text[at + length:at + length + 1].isalnum()


def _only(before: str, after: str, key: str, field: Field, value: str) -> bool:
    """Whether the edited registry text loads as the old one with just that value changed."""
    try:
        old, new = yaml.load(before, Loader=_LOADER), yaml.load(after, Loader=_LOADER)
    except (yaml.YAMLError, ValueError):
        return False
    if isinstance(old, dict) and isinstance(new, dict):
        old, new = old.get("references"), new.get("references")
    if not isinstance(old, list) or not isinstance(new, list) or len(old) != len(new):
        return False
    for was, now in zip(old, new):
        if isinstance(was, dict) and str(was.get("id", "")).lower() == key:
            target = was
            for step in field.path[:-1]:
                target = target[step]
            last = field.path[-1]
            if field.year:
                given = target[last]
                try:  # an unquoted EDTF date loads as a date
                    target[last] = int(value) if isinstance(given, int) else given.replace(year=int(value)) \
                        if isinstance(given, dt.date) else _YEAR.sub(value, str(given), count=1)
                except ValueError:  # 29 February in a year without it
                    return False
            else:
                target[last] = value
        if was != now:
            return False
    return True


def effect(registry: RegistryFile, unit: Unit, edit: SourceEdit) -> str:
    """Which other notes cite the work a registry edit of ``unit``'s note changes."""
    keys = [k for k, node in registry.entries.items() if node.start_mark.index <= edit.start < node.end_mark.index]
    others = sorted({n for k in keys for n in registry.citing.get(k, ()) if n != unit.number})
    if not others:
        return ""
    if len(others) == 1:
        return f"note {others[0]} cites it too and changes with it"
    return f"notes {', '.join(map(str, others))} cite it too and change with it"

