"""The list of abbreviations: ``references/abbreviations.yaml``, read into located entries.

Takes the project root; returns :class:`Abbreviations` (empty when the file does not
exist) and the ABB001 diagnostics of malformed entries. Each entry has an
``abbreviation`` and its ``expansion``, each one text (every language) or a mapping from
a language tag to a text, as translations write them differently (OSCE, ОБСЕ)::

    - abbreviation: {en: OSCE, ru: ОБСЕ}
      expansion:
        en: Organization for Security and Co-operation in Europe
        ru: Организация по безопасности и сотрудничеству в Европе
    - abbreviation: CAT
      expansion: Committee against Torture

The list is printed where a section holds an empty ``::: {.abbreviations}`` div
(report.transforms.abbreviations); report.checks.abbreviations reports an
abbreviation used before it is spelled out, and one defined and never used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Diagnostic, Location, error
from report.errors import ReportError
from report.sources.files import read_text
from report.sources.yamlfile import Located, load_yaml

ABBREVIATIONS = "references/abbreviations.yaml"
_KEYS = ("abbreviation", "expansion")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Abbreviation:
    """One entry: (language or None for every language, text) for each field, as listed."""

    abbreviations: tuple[tuple[str | None, str], ...]
    expansions: tuple[tuple[str | None, str], ...]
    location: Location

    def in_language(self, language: str, source_language: str) -> tuple[str, str] | None:
        """(abbreviation, expansion) in ``language`` (``zh-TW``, then ``zh``), else in the
        report's source language or for every language; None when either is missing."""
        found = [_pick(self.abbreviations, language, source_language), _pick(self.expansions, language, source_language)]
        return (found[0], found[1]) if None not in found else None


@dataclass(frozen=True)
class Abbreviations:
    path: str
    entries: tuple[Abbreviation, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def in_language(self, language: str, source_language: str) -> list[tuple[str, str, Location]]:
        """(abbreviation, expansion, where it is defined) of each entry in ``language``."""
        out = []
        for entry in self.entries:
            pair = entry.in_language(language, source_language)
            if pair is not None:
                out.append((*pair, entry.location))
        return out


def _primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else tag


def _pick(given: tuple, language: str, source_language: str) -> str | None:
    table = {(key.lower() if key else key): text for key, text in given}
    for key in (language.lower(), _primary(language), None, source_language.lower(), _primary(source_language)):
        if key in table:
            return table[key]
    return None


def read_abbreviations(root: Path) -> tuple[Abbreviations, list[Diagnostic]]:
    """The abbreviations of the project at ``root`` and the problems of their file."""
    if not (root / ABBREVIATIONS).exists():
        return Abbreviations(ABBREVIATIONS), []
    try:
        doc = load_yaml(read_text(root, ABBREVIATIONS), ABBREVIATIONS, code="ABB001", value_locations=True)
    except ReportError as exc:
        return Abbreviations(ABBREVIATIONS), list(exc.diagnostics)
    data = doc.data if doc.data is not None else []
    if not isinstance(data, list):
        return Abbreviations(ABBREVIATIONS), [error(
            "ABB001", "abbreviations.yaml must be a list of entries (- abbreviation: …, expansion: …)", doc.where())]
    problems: list[Diagnostic] = []
    entries = [entry for i, item in enumerate(data) if (entry := _entry(doc, i, item, problems)) is not None]
    return Abbreviations(ABBREVIATIONS, tuple(entries)), problems


def _entry(doc: Located, i: int, item, problems: list) -> Abbreviation | None:
    where = doc.where(i)
    if not isinstance(item, dict):
        problems.append(error("ABB001", "each entry must be a mapping with 'abbreviation' and 'expansion'", where))
        return None
    before = len(problems)
    for key in item:
        if key not in _KEYS:
            problems.append(error("ABB001", f"unknown key '{key}'", doc.where(i, key), "allowed: " + ", ".join(_KEYS)))
    fields = [_texts(doc, i, key, item.get(key), problems) for key in _KEYS]
    if len(problems) > before:
        return None
    return Abbreviation(fields[0], fields[1], where)


def _texts(doc: Located, i: int, key: str, value, problems: list) -> tuple[tuple[str | None, str], ...]:
    """One text for every language, or a mapping language → text."""
    if isinstance(value, str) and value.strip():
        return ((None, value.strip()),)
    if isinstance(value, dict) and value:
        out = []
        for tag, text in value.items():
            if not (isinstance(tag, str) and _LANGUAGE_TAG.match(tag)):
                problems.append(error("ABB001", f"'{tag}' is not a language tag", doc.where(i, key, tag),
                                      "write a BCP 47 tag such as en, ru or zh-TW"))
            elif not (isinstance(text, str) and text.strip()):
                problems.append(error("ABB001", f"'{key}' in '{tag}' must be a non-empty text", doc.where(i, key, tag)))
            else:
                out.append((tag, text.strip()))
        return tuple(out)
    problems.append(error("ABB001", f"an entry needs '{key}': a text, or a mapping from a language to a text",
                          doc.where(i, key) if isinstance(doc.data[i], dict) and key in doc.data[i] else doc.where(i)))
    return ()
