"""Independent check rules. Each rule takes a :class:`CheckContext` and returns
diagnostics; none raises for a finding and none decides the exit status.

Code families: CIT (citations and locators), REG (registry entries), TYP
(typography in notes and registry), TRE/INC (treaty provisions and incidents), VEN
(the rules of the venue report.yaml names: report.checks.venue), ABB (abbreviations).
"""

from __future__ import annotations

from dataclasses import dataclass

from report import model as m
from report.config import Config
from report.diagnostics import Diagnostic
from report.sources.registry import Registry


@dataclass(frozen=True)
class CheckContext:
    config: Config
    registry: Registry
    source: m.Document    # as parsed: Citation and Note nodes still in place
    document: m.Document  # resolved: numbered Footnotes
    treaties: object | None = None  # report.sources.treaties.Treaties, when the project has them


def all_rules():
    from report.checks import (abbreviations, citations, paragraphs, provisions, registry, translations, typography,
                               venue)

    return (citations.RULES + registry.RULES + typography.RULES + provisions.RULES + translations.RULES
            + paragraphs.RULES + venue.RULES + abbreviations.RULES)


def run_checks(context: CheckContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in all_rules():
        found.extend(rule(context))
    return found


def cite_items(document: m.Document):
    """Every CiteItem of a parsed document, in reading order."""
    for node in m.walk_inlines(document):
        if isinstance(node, m.Citation):
            yield from node.items


def notes(document: m.Document):
    """Every free-text Note of a parsed document, in reading order."""
    for node in m.walk_inlines(document):
        if isinstance(node, m.Note):
            yield node
