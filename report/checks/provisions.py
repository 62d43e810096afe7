"""Treaty-provision rules: every argued provision is backed by a documented, sourced incident.

Incidents are described in the text by a paragraph marked ``{#id .incident}``
(or a span ``[…]{#id .incident}``); provisions are argued where the text is
marked ``[Article 12]{.provision ref=cat:12}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from report import model as m
from report.checks import CheckContext
from report.diagnostics import Diagnostic, Location, Severity, closest_hint, error, warning
from report.sources.treaties import parse_ref


@dataclass(frozen=True)
class Marked:
    id: str
    keys: frozenset  # registry keys cited in the enclosing paragraph
    location: Location


def _keys(inlines) -> set:
    keys = set()
    for node in inlines:
        if isinstance(node, m.Citation):
            keys |= {item.key.lower() for item in node.items}
        elif hasattr(node, "children"):
            keys |= _keys(node.children)
    return keys


def _spans(inlines):
    return (node for node in m.descendants(inlines) if isinstance(node, m.Span))


def described_incidents(document: m.Document) -> list[Marked]:
    found = []
    for section in document.sections:
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                keys = frozenset(_keys(inlines))
                if isinstance(block, m.Paragraph) and "incident" in block.classes and block.id:
                    found.append(Marked(block.id, keys, block.location))
                for span in _spans(inlines):
                    if "incident" in span.classes and span.id:
                        found.append(Marked(span.id, keys, span.location))
    return found


def argued_provisions(document: m.Document) -> list[tuple[str, Location]]:
    found = []
    for node in m.walk_inlines(document):
        if isinstance(node, m.Span) and "provision" in node.classes:
            refs = dict(node.attributes).get("ref", "")
            if not refs.strip():
                found.append(("", node.location))
            found += [(ref, node.location) for ref in refs.split()]
    return found


def resolve(ref: str, where: Location, treaties) -> tuple[str | None, Diagnostic | None]:
    """``ref`` as a canonical ``instrument:article``, or the diagnostic saying why not."""
    parsed = parse_ref(ref)
    if parsed is None:
        return None, error("TRE004", f"malformed provision '{ref}'", where, "write instrument:article, e.g. cat:12")
    instrument_id, article = parsed
    if instrument_id in treaties.families:
        family = treaties.families[instrument_id]
        having = [i for i in family.members if article <= treaties.instruments[i].articles]
        if len(having) == 1:
            return f"{having[0]}:{article}", None
        options = ", ".join(f"{i}:{article}" for i in having) or "none of them has it"
        return None, error("TRE003", f"ambiguous provision '{ref}': {family.title} article {article}", where,
                           f"name which: {options}")
    instrument = treaties.instruments.get(instrument_id)
    if instrument is None:
        return None, error("TRE001", f"unknown instrument '{instrument_id}'", where,
                           closest_hint(instrument_id, list(treaties.instruments) + list(treaties.families)))
    if not 1 <= article <= instrument.articles:
        return None, error("TRE002", f"{instrument.short_title} has no article {article} (it has {instrument.articles})", where)
    return f"{instrument_id}:{article}", None


def provision_rules(ctx: CheckContext) -> list[Diagnostic]:
    treaties = ctx.treaties
    argued = argued_provisions(ctx.source)
    marked = described_incidents(ctx.source)
    found: list[Diagnostic] = []
    if treaties is None:
        if argued or marked:
            where = (argued or [(None, marked[0].location)])[0][1]
            found.append(error("TRE010", "the text marks incidents or provisions but references/instruments.yaml is missing", where))
        return found
    incidents = {}
    for incident in treaties.incidents:
        if incident.id in incidents:
            found.append(error("INC007", f"duplicate incident id '{incident.id}'", incident.location))
        incidents[incident.id] = incident
    engaged: dict[str, list] = {}
    for incident in treaties.incidents:
        if not incident.provisions:
            found.append(error("INC001", f"incident '{incident.id}' engages no provision", incident.location))
        if not incident.sources:
            found.append(error("INC002", f"incident '{incident.id}' has no source", incident.location))
        for ref, where in incident.provisions:
            canonical, problem = resolve(ref, where, treaties)
            if problem:
                found.append(problem)
            else:
                engaged.setdefault(canonical, []).append(incident)
        for key, where in incident.sources:
            if ctx.registry.get(key) is None:
                found.append(error("INC006", f"incident '{incident.id}' names unknown source '{key}'", where))
        found += _binding_dates(incident, treaties)
    descriptions: dict[str, Marked] = {}
    for mark in marked:
        incident = incidents.get(mark.id)
        if incident is None:
            found.append(error("INC005", f"text marks unknown incident '{mark.id}'", mark.location,
                               closest_hint(mark.id, incidents) or "add it to references/incidents.yaml"))
            continue
        if mark.id in descriptions:
            found.append(error("INC008", f"incident '{mark.id}' is described twice", mark.location,
                               f"first at {descriptions[mark.id].location}"))
            continue
        descriptions[mark.id] = mark
        for key, where in incident.sources:
            if key.lower() not in mark.keys and ctx.registry.get(key) is not None:
                found.append(error("INC003", f"the text of incident '{mark.id}' does not cite its source '{key}'", mark.location))
    for incident in treaties.incidents:
        if incident.id not in descriptions:
            found.append(error("INC004", f"incident '{incident.id}' is never described in the text", incident.location,
                               f"mark its paragraph with {{#{incident.id} .incident}}"))
    argued_set = set()
    for ref, where in argued:
        canonical, problem = resolve(ref, where, treaties)
        if problem:
            found.append(problem)
            continue
        argued_set.add(canonical)
        if canonical not in engaged:
            found.append(error("TRE005", f"provision {canonical} is argued but no documented incident engages it", where,
                               "add the incident that supports it, or do not argue it"))
    for canonical, engaging in sorted(engaged.items()):
        if canonical not in argued_set:
            first = engaging[0]
            found.append(_info("TRE006", f"provision {canonical} is engaged by incident '{first.id}' but never argued",
                               first.location))
    return found


def _info(code, message, where) -> Diagnostic:
    return Diagnostic(code, Severity.INFO, message, where)


def _binding_dates(incident, treaties) -> list[Diagnostic]:
    """Warn when an incident predates the instrument's entry into force for its state."""
    if not incident.state or not incident.date:
        return []
    latest = incident.date.split("/")[-1]
    try:
        parts = [int(p) for p in latest.split("-")]
        when = dt.date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    except (ValueError, IndexError):
        return []
    found = []
    for ref, where in incident.provisions:
        parsed = parse_ref(ref)
        instrument = treaties.instruments.get(parsed[0]) if parsed else None
        for state, date, _ in (instrument.entry_into_force if instrument else ()):
            if state == incident.state and when < date:
                found.append(warning("TRE007", f"incident '{incident.id}' ({incident.date}) predates the entry into force "
                                     f"of {instrument.short_title} for {state} ({date.isoformat()})", where))
    return found


RULES = [provision_rules]
