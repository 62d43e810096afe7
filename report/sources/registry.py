"""The citation registry: CSL-YAML or CSL-JSON (a Zotero export loads unchanged).

Takes ``references/sources.yaml`` (a list, or Pandoc's ``references:`` mapping)
or a ``.json`` CSL-JSON array; returns a :class:`Registry` of located entries
whose ``csl`` dicts are ready for citeproc-py (dates as ``date-parts``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location, error
from report.model import CROSSREF_KINDS, crossref_kind
from report.errors import ReportError
from report.sources.files import read_text
from report.sources.yamlfile import load_yaml

CSL_TYPES = frozenset("""article article-journal article-magazine article-newspaper bill book broadcast
chapter classic collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic
hearing interview legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference
patent performance periodical personal_communication post post-weblog regulation report review review-book
software song speech standard thesis treaty webpage""".split())
DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted", "available-date")
_EDTF = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
# The registry's own fields, never given to the citation engine: a confidential source
# (an interview record) and how the public edition describes it instead.
OWN_FIELDS = ("confidential", "public-note")


@dataclass(frozen=True)
class Reference:
    id: str
    csl: dict
    location: Location
    field_locations: tuple[tuple[str, Location], ...]
    confidential: bool = False  # ``confidential: true``: never named in the public edition
    # ``public-note:``, what the public edition writes in its place: (language or None, text)
    public_note: tuple[tuple[str | None, str], ...] = ()

    def where(self, field: str) -> Location:
        return dict(self.field_locations).get(field, self.location)

    def public_note_in(self, language: str) -> str | None:
        """The public note in ``language`` (``zh-TW``, then ``zh``), else the one for every
        language or English, else the first given; None when there is none."""
        given = dict(self.public_note)
        for key in (language, language.split("-")[0], None, "en"):
            if key in given:
                return given[key]
        return self.public_note[0][1] if self.public_note else None


@dataclass(frozen=True)
class Registry:
    path: str
    entries: tuple[Reference, ...]

    def get(self, key: str) -> Reference | None:
        return self._index().get(key.lower())

    def _index(self) -> dict:
        index = self.__dict__.get("_by_key")
        if index is None:
            index = {ref.id.lower(): ref for ref in self.entries}
            object.__setattr__(self, "_by_key", index)
        return index


def read_registry(root: Path, rel: str, listed_at: Location) -> Registry:
    text = read_text(root, rel, code_missing="REG001", where=listed_at)
    if rel.endswith(".json"):
        items, where = _load_json(text, rel)
    else:
        doc = load_yaml(text, rel, code="REG002")
        data = doc.data
        prefix: tuple = ()
        if isinstance(data, dict) and "references" in data:
            data, prefix = data["references"], ("references",)
        if data is None:
            data = []
        if not isinstance(data, list):
            raise ReportError(error("REG003", "the registry must be a list of CSL entries", doc.where()))
        items = data

        def where(i, *field, _doc=doc, _prefix=prefix):
            return _doc.where(*_prefix, i, *field)

    problems = []
    entries = []
    seen: dict[str, Location] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(error("REG003", "each registry entry must be a mapping", where(i)))
            continue
        key = item.get("id")
        if key is None or isinstance(key, (dict, list, bool)) or not str(key).strip():
            problems.append(error("REG004", "registry entry without an 'id'", where(i)))
            continue
        key = str(key)
        if key.lower() in seen:
            problems.append(error("REG005", f"duplicate key '{key}'", where(i, "id"), f"first defined at {seen[key.lower()]}"))
            continue
        seen[key.lower()] = where(i, "id")
        prefix = crossref_kind(key)
        if prefix is not None:
            problems.append(error("REG016", f"key '{key}' starts with '{prefix}-', which names a {CROSSREF_KINDS[prefix]}",
                                  where(i, "id"), "fig-, tbl-, sec-, box-, para- and rec- are kept for cross-references: rename the entry"))
        csl_type = item.get("type")
        if csl_type not in CSL_TYPES:
            problems.append(error("REG006", f"entry '{key}' has no valid CSL 'type' (got {csl_type!r})", where(i, "type" if "type" in item else "id")))
            continue
        own, entry_problems = _own_fields(item, key, lambda f, _i=i: where(_i, f))
        cited = {f: v for f, v in item.items() if f not in OWN_FIELDS}  # what the citation engine is given
        csl, more = _normalise(cited, key, lambda f, _i=i: where(_i, f))
        problems.extend(entry_problems + more)
        fields = tuple((f, where(i, f)) for f in item)
        entries.append(Reference(key, csl, where(i, "id"), fields, *own))
    if problems:
        raise ReportError(problems)
    return Registry(rel, tuple(entries))


def _own_fields(item: dict, key: str, where) -> tuple[tuple[bool, tuple], list]:
    """(confidential, public notes) of an entry, and the problems with them (REG017).
    ``public-note`` is a text, or a mapping from a language tag to a text."""
    problems = []
    confidential = item.get("confidential", False)
    if not isinstance(confidential, bool):
        problems.append(error("REG017", f"'confidential' of '{key}' must be true or false", where("confidential")))
        confidential = True  # as the author meant, most likely: never published by mistake
    note = item.get("public-note")
    notes = {None: note} if not isinstance(note, dict) else note
    if note is None:
        notes = {}
    elif not notes or not all(isinstance(t, str) and t.strip() and (lang is None or isinstance(lang, str))
                              for lang, t in notes.items()):
        problems.append(error("REG017", f"'public-note' of '{key}' must be non-empty text, or a mapping from a "
                                        "language to a text", where("public-note")))
        notes = {}
    elif not confidential:
        problems.append(error("REG017", f"'{key}' has a 'public-note' but is not confidential", where("public-note"),
                              "add confidential: true, or remove the public-note"))
    return (confidential, tuple((lang, text.strip()) for lang, text in notes.items())), problems


def _normalise(item: dict, key: str, where) -> tuple[dict, list]:
    problems = []
    csl = {"id": key}
    for field, value in item.items():
        if field == "id":
            continue
        if field in DATE_FIELDS:
            parsed = _date(value)
            if parsed is None:
                problems.append(error("REG007", f"'{field}' of '{key}' is not a date", where(field), "use YYYY, YYYY-MM, YYYY-MM-DD or date-parts"))
                continue
            value = parsed
        elif field in ("author", "editor", "translator", "container-author", "collection-editor", "director", "recipient", "interviewer"):
            if not isinstance(value, list) or not all(isinstance(n, dict) for n in value):
                problems.append(error("REG008", f"'{field}' of '{key}' must be a list of names (family/given or literal)", where(field)))
                continue
            value = [{k: str(v) for k, v in name.items()} for name in value]
        elif isinstance(value, (dict, list)):
            problems.append(error("REG009", f"'{field}' of '{key}' must be a plain value", where(field)))
            continue
        elif value is None:
            continue
        else:
            value = str(value) if not isinstance(value, str) else value
        csl[field] = value
    return csl, problems


def _date(value):
    """A CSL date dict from the forms people write, or None when it is not a date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        parts = []
        for piece in value.split("/"):
            match = _EDTF.match(piece.strip())
            if not match:
                return None
            parts.append([int(p) for p in match.groups() if p is not None])
        return {"date-parts": parts} if _valid_parts(parts) else None
    if isinstance(value, dict):
        if "date-parts" in value:
            parts = value["date-parts"]
            try:
                parts = [[int(p) for p in part] for part in parts]
            except (TypeError, ValueError):
                return None
            return {**value, "date-parts": parts} if parts and _valid_parts(parts) else None
        if "literal" in value or "raw" in value:
            return value
    return None


def _valid_parts(parts) -> bool:
    for part in parts:
        if not 1 <= len(part) <= 3:
            return False
        year, month, day = (part + [1, 1])[:3]
        try:
            dt.date(year if year > 0 else 1, month, day)
        except ValueError:
            if not (len(part) == 2 and 13 <= month <= 24):  # CSL seasons 13-16 / 21-24
                return False
    return True


def _load_json(text: str, rel: str):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(error("REG002", f"malformed JSON: {exc.msg}", Location(rel, exc.lineno, exc.colno))) from None
    if isinstance(data, dict) and "items" in data:  # CSL-JSON wrapped by some exporters
        data = data["items"]
    if not isinstance(data, list):
        raise ReportError(error("REG003", "the registry must be a JSON array of CSL entries", Location(rel, 1, 1)))
    # json gives no positions: find each entry's "id" in the text, in order.
    id_positions = [m.start() for m in re.finditer(r'"id"\s*:', text)]
    lines = []
    for i, _ in enumerate(data):
        pos = id_positions[i] if i < len(id_positions) else 0
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        lines.append(Location(rel, line, col))

    def where(i, *field):
        return lines[i] if i < len(lines) else Location(rel, 1, 1)

    return data, where
