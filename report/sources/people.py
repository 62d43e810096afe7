"""Protected people: ``references/people.yaml``, read into located records.

Takes the project root; returns :class:`People` (empty when the file does not exist),
or raises ReportError with one located PPL diagnostic per malformed entry. Each
person has a ``name``, its ``variants`` (a list, the same in every language, or a
mapping from a language tag to a list) and a ``pseudonym`` (one text, or a mapping
from a language tag to a text)::

    - name: Farid Mammadov
      variants:
        en: [Farid Mammadov, F. Mammadov, Mr Mammadov]
        ru: [Фарид Мамедов, Мамедова]
      pseudonym: {en: Witness A, ru: Свидетель А}

The public edition writes the pseudonym in place of every variant
(:mod:`report.transforms.pseudonyms`); the leak check searches every output for
every variant of every language (:mod:`report.transforms.protected`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Diagnostic, Location, error
from report.errors import ReportError
from report.sources.files import read_text
from report.sources.yamlfile import Located, load_yaml

PEOPLE = "references/people.yaml"
_KEYS = ("name", "variants", "pseudonym")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Variant:
    """One way the text may write a person's name: ``language`` None for every language."""

    text: str
    language: str | None
    location: Location


@dataclass(frozen=True)
class Person:
    name: str
    variants: tuple[Variant, ...]  # the name itself first (every language), then as listed
    pseudonyms: tuple[tuple[str | None, str], ...]  # (language or None, pseudonym), as listed
    location: Location

    def pseudonym(self, language: str) -> str:
        """The pseudonym in ``language`` (``zh-TW``, then ``zh``), else the one given for
        every language or for English, else the first given."""
        given = dict(self.pseudonyms)
        for key in (language, _primary(language), None, "en"):
            if key in given:
                return given[key]
        return self.pseudonyms[0][1]

    def variants_for(self, language: str) -> tuple[Variant, ...]:
        """The variants the ``language`` edition replaces: those of every language and
        those listed under ``language`` or its primary subtag (``ru`` for ``ru-RU``)."""
        return tuple(v for v in self.variants if v.language is None or _primary(v.language) == _primary(language))


@dataclass(frozen=True)
class People:
    path: str
    persons: tuple[Person, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.persons)


def _primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else tag


def read_people(root: Path) -> People:
    """The protected people of the project at ``root``; no file, no people."""
    if not (root / PEOPLE).exists():
        return People(PEOPLE)
    doc = load_yaml(read_text(root, PEOPLE), PEOPLE, code="PPL001", value_locations=True)
    data = doc.data if doc.data is not None else []
    if not isinstance(data, list):
        raise ReportError(error("PPL001", "people.yaml must be a list of people (- name: …, pseudonym: …)",
                                doc.where()))
    problems: list[Diagnostic] = []
    persons = [person for i, item in enumerate(data) if (person := _person(doc, i, item, problems)) is not None]
    problems += _clashes(persons)
    if problems:
        raise ReportError(problems)
    return People(PEOPLE, tuple(persons))


def _person(doc: Located, i: int, item, problems: list) -> Person | None:
    where = doc.where(i)
    if not isinstance(item, dict):
        problems.append(error("PPL001", "each person must be a mapping with 'name' and 'pseudonym'", where))
        return None
    before = len(problems)
    for key in item:
        if key not in _KEYS:
            problems.append(error("PPL005", f"unknown key '{key}'", doc.where(i, key), "allowed: " + ", ".join(_KEYS)))
    name = item.get("name")
    if not _is_text(name):
        problems.append(error("PPL002", "a person needs a 'name' (non-empty text)", doc.where(i, "name")))
    variants = [Variant(name.strip(), None, doc.value_where(i, "name"))] if _is_text(name) else []
    variants += _variants(doc, i, item.get("variants"), problems)
    pseudonyms = _pseudonyms(doc, i, item.get("pseudonym"), problems)
    if len(problems) > before:
        return None
    return Person(name.strip(), tuple(variants), tuple(pseudonyms), where)


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _variants(doc: Located, i: int, value, problems: list) -> list[Variant]:
    """``variants:`` as a list (every language) or a mapping language → list (or one text)."""
    if value is None:
        return []
    if isinstance(value, (str, list)):
        return _texts(doc, (i, "variants"), value, None, problems)
    if not isinstance(value, dict):
        problems.append(error("PPL003", "'variants' must be a list of names, or a mapping from a language to a list",
                              doc.where(i, "variants")))
        return []
    found = []
    for language, names in value.items():
        if not _tag(doc, (i, "variants", language), language, problems):
            continue
        found += _texts(doc, (i, "variants", language), names, str(language), problems)
    return found


def _texts(doc: Located, path: tuple, value, language: str | None, problems: list) -> list[Variant]:
    items = [(value, doc.value_where(*path))] if isinstance(value, str) else (
        [(item, doc.where(*path, j)) for j, item in enumerate(value)] if isinstance(value, list) else None)
    if items is None:
        problems.append(error("PPL003", "a list of variants must hold names (texts)", doc.where(*path)))
        return []
    found = []
    for text, where in items:
        if not _is_text(text):
            problems.append(error("PPL003", f"a variant must be a name (non-empty text), not {text!r}", where))
        else:
            found.append(Variant(text.strip(), language, where))
    return found


def _pseudonyms(doc: Located, i: int, value, problems: list) -> list[tuple[str | None, str]]:
    where = doc.where(i, "pseudonym")
    if _is_text(value):
        return [(None, value.strip())]
    if isinstance(value, dict) and value:
        found = []
        for language, text in value.items():
            if not _tag(doc, (i, "pseudonym", language), language, problems):
                continue
            if not _is_text(text):
                problems.append(error("PPL004", f"the '{language}' pseudonym must be non-empty text",
                                      doc.where(i, "pseudonym", language)))
                continue
            found.append((str(language), text.strip()))
        return found
    problems.append(error("PPL004", "a person needs a 'pseudonym': a text, or a mapping from a language to a text",
                          where, "e.g. pseudonym: {en: Witness A, ru: Свидетель А}"))
    return []


def _tag(doc: Located, path: tuple, language, problems: list) -> bool:
    if isinstance(language, str) and _LANGUAGE_TAG.match(language):
        return True
    problems.append(error("PPL003" if path[1] == "variants" else "PPL004",
                          f"'{language}' is not a language tag", doc.where(*path), "e.g. en, ru, az"))
    return False


def _clashes(persons: list[Person]) -> list[Diagnostic]:
    """A variant listed for two people (which pseudonym would it take?), and a pseudonym
    that holds a protected name (the public edition would still show it)."""
    problems = []
    owner: dict[str, tuple[Person, Variant]] = {}
    for person in persons:
        for variant in person.variants:
            key = variant.text.casefold()
            first = owner.setdefault(key, (person, variant))
            if first[0] is not person:
                problems.append(error("PPL006", f"'{variant.text}' is a variant of '{first[0].name}' too",
                                      variant.location, f"first listed at {first[1].location}"))
    for person in persons:
        for _, pseudonym in person.pseudonyms:
            words = _words(pseudonym)
            for key, (_, variant) in owner.items():
                if _words(key).strip() and _words(key) in words:
                    problems.append(error("PPL007", f"the pseudonym '{pseudonym}' holds the protected name "
                                                    f"'{variant.text}'", person.location,
                                          "a pseudonym must not reveal a name"))
    return problems


def _words(text: str) -> str:
    """The words of ``text``, case-folded, one space around each: " witness a "."""
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "
