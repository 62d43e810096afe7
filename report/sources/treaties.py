"""Treaty instruments and documented incidents: ``references/instruments.yaml`` and
``references/incidents.yaml``, read into located records.

Both files are optional; a project without them has no provision checks. A
provision is written ``instrument:article`` (``cat:16``, ``gc3:13``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Diagnostic, Location, error
from report.errors import ReportError
from report.sources.files import read_text
from report.sources.yamlfile import Located, load_yaml

INSTRUMENTS = "references/instruments.yaml"
INCIDENTS = "references/incidents.yaml"
_REF = re.compile(r"^([a-z][a-z0-9_-]*):(\d+)$")
_INCIDENT_KEYS = {"id", "summary", "date", "period", "place", "victims", "provisions", "sources", "state"}


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    short_title: str
    abbreviation: str  # for narrow places such as the evidence matrix's column heads
    adopted: int | None
    articles: int
    article_titles: tuple[tuple[int, str], ...]
    entry_into_force: tuple[tuple[str, dt.date, str], ...]  # (state, date, registry key)
    location: Location


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    members: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Incident:
    id: str
    summary: str
    date: str | None      # ISO date or EDTF interval ("1988/1994"), as written
    place: str | None
    victims: tuple[str, ...]
    provisions: tuple[tuple[str, Location], ...]
    sources: tuple[tuple[str, Location], ...]
    state: str | None
    location: Location


@dataclass(frozen=True)
class Treaties:
    instruments: dict
    families: dict
    incidents: tuple[Incident, ...]


def parse_ref(ref: str) -> tuple[str, int] | None:
    match = _REF.match(ref.strip())
    return (match.group(1), int(match.group(2))) if match else None


def read_treaties(root: Path) -> Treaties | None:
    have_instruments = (root / INSTRUMENTS).is_file()
    have_incidents = (root / INCIDENTS).is_file()
    if not have_instruments and not have_incidents:
        return None
    problems: list[Diagnostic] = []
    instruments, families = {}, {}
    if have_instruments:
        instruments, families = _read_instruments(root, problems)
    elif have_incidents:
        problems.append(error("TRE010", f"{INCIDENTS} needs {INSTRUMENTS} to name its provisions", Location(INCIDENTS)))
    incidents = _read_incidents(root, problems) if have_incidents else ()
    if problems:
        raise ReportError(problems)
    return Treaties(instruments, families, incidents)


def _text(value) -> str | None:
    return None if value is None else str(value)


def list_field(doc: Located, path: tuple, value, problems: list, code: str,
               name: str) -> list[tuple[object, Location]]:
    """The items of ``value``, the list-valued field at ``path`` of ``doc``, each with its location.

    Takes the loaded file (with value locations), the field's path (``(3, "victims")``)
    and value, the list problems are added to, the code and the field's name for them.
    Returns [] when the field is absent or empty; one scalar (``victims: civilians``) is
    read as a one-item list, located at the scalar itself; a mapping is a ``code`` error
    ("must be a list")."""
    if value is None or value in ("", [], {}):
        return []
    if isinstance(value, list):
        return [(item, doc.where(*path, j)) for j, item in enumerate(value)]
    if isinstance(value, dict):
        problems.append(error(code, f"{name} must be a list", doc.where(*path)))
        return []
    return [(value, doc.value_where(*path))]


def _read_instruments(root: Path, problems: list) -> tuple[dict, dict]:
    doc = load_yaml(read_text(root, INSTRUMENTS), INSTRUMENTS, code="TRE011", value_locations=True)
    data = doc.data or {}
    if not isinstance(data, dict):
        raise ReportError(error("TRE011", "expected a mapping with 'instruments' and 'families'", doc.where()))
    instruments, families = {}, {}
    for i, item in enumerate(data.get("instruments") or []):
        where = doc.where("instruments", i)
        if not isinstance(item, dict) or not item.get("id") or not isinstance(item.get("articles"), int):
            problems.append(error("TRE011", "an instrument needs 'id', 'title' and 'articles' (the number of articles)", where))
            continue
        titles = item.get("article-titles") or {}
        eif = []
        for entry, at in list_field(doc, ("instruments", i, "entry-into-force"), item.get("entry-into-force"),
                                    problems, "TRE011", f"'entry-into-force' of instrument '{item['id']}'"):
            date = entry.get("date") if isinstance(entry, dict) else None
            if not isinstance(date, dt.date) or not entry.get("state") or not entry.get("source"):
                problems.append(error("TRE011", "entry-into-force needs state, date (YYYY-MM-DD) and source", at))
                continue
            eif.append((str(entry["state"]), date, str(entry["source"])))
        instrument = Instrument(
            id=str(item["id"]), title=str(item.get("title", item["id"])),
            short_title=str(item.get("short-title", item.get("title", item["id"]))),
            abbreviation=str(item.get("abbreviation", str(item["id"]).upper())),
            adopted=item.get("adopted"), articles=item["articles"],
            article_titles=tuple(sorted((int(k), str(v)) for k, v in titles.items())),
            entry_into_force=tuple(eif), location=where)
        for number, _ in instrument.article_titles:
            if not 1 <= number <= instrument.articles:
                problems.append(error("TRE002", f"{instrument.id} has no article {number} (it has {instrument.articles})",
                                      doc.where("instruments", i, "article-titles", number)))
        if instrument.id in instruments:
            problems.append(error("TRE012", f"duplicate instrument id '{instrument.id}'", where))
        instruments[instrument.id] = instrument
    for i, item in enumerate(data.get("families") or []):
        where = doc.where("families", i)
        if not isinstance(item, dict) or not item.get("id") or item.get("members") is None:
            problems.append(error("TRE011", "a family needs 'id' and 'members'", where))
            continue
        members = list_field(doc, ("families", i, "members"), item["members"], problems, "TRE011",
                             f"'members' of family '{item['id']}'")
        for member, _ in members:
            if member not in instruments:
                problems.append(error("TRE001", f"family '{item['id']}' names unknown instrument '{member}'", where))
        families[str(item["id"])] = Family(str(item["id"]), str(item.get("title", item["id"])),
                                           tuple(str(x) for x, _ in members), where)
    return instruments, families


def _read_incidents(root: Path, problems: list) -> tuple[Incident, ...]:
    doc = load_yaml(read_text(root, INCIDENTS), INCIDENTS, code="INC010", value_locations=True)
    data = doc.data or []
    if not isinstance(data, list):
        raise ReportError(error("INC010", "expected a list of incidents", doc.where()))
    incidents = []
    for i, item in enumerate(data):
        where = doc.where(i)
        if not isinstance(item, dict) or not item.get("id"):
            problems.append(error("INC010", "an incident needs an 'id'", where))
            continue
        for key in item:
            if key not in _INCIDENT_KEYS:
                problems.append(error("INC010", f"unknown incident key '{key}'", doc.where(i, key),
                                      "allowed: " + ", ".join(sorted(_INCIDENT_KEYS))))
        lists = {}
        for key in ("provisions", "sources", "victims"):
            found = list_field(doc, (i, key), item.get(key), problems, "INC010",
                               f"'{key}' of incident '{item['id']}'")
            lists[key] = tuple((str(v), where_v) for v, where_v in found)
        date = item.get("date", item.get("period"))
        incidents.append(Incident(
            id=str(item["id"]), summary=str(item.get("summary", "")),
            date=date.isoformat() if isinstance(date, dt.date) else _text(date), place=_text(item.get("place")),
            victims=tuple(v for v, _ in lists["victims"]), provisions=lists["provisions"], sources=lists["sources"],
            state=_text(item.get("state")), location=where))
    return tuple(incidents)
