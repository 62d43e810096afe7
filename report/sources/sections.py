"""Section files: YAML front matter split from the Markdown body, both located."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError
from report.sources.files import read_text
from report.sources.yamlfile import load_yaml

_FRONT_KEYS = {"title", "id", "numbered", "confidential", "annex", "recommendations", "addressee"}
_FLAGS = ("numbered", "confidential", "annex", "recommendations")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")


@dataclass(frozen=True)
class SectionSource:
    """A section file as read: its front matter and body, and the 1-based file line
    on which the body starts (so parser locations can be made file-relative)."""

    path: str
    id: str
    title: str | None
    body: str
    body_line: int
    location: Location
    numbered: bool = True  # ``numbered: false``: the section's paragraphs stay unnumbered
    confidential: bool = False  # ``confidential: true``: the whole section is left out of the public edition
    annex: bool = False  # ``annex: true``: "Annex I", its paragraphs unnumbered unless ``numbered: true``
    recommendations: bool = False  # ``recommendations: true``: its lists are recommendations
    addressee: str | None = None  # to whom the section's recommendations are addressed


def read_section(root: Path, name: str, listed_at: Location) -> SectionSource:
    rel = f"sections/{name}"
    return section_from_text(rel, read_text(root, rel, code_missing="SEC001", where=listed_at))


def section_from_text(rel: str, text: str) -> SectionSource:
    """A section file's text (at project path ``rel``) → its SectionSource; a malformed
    front matter raises ReportError (SEC002–SEC007). ``report review`` parses the
    sections it edits with it, before writing them."""
    name = rel.rsplit("/", 1)[-1]
    front, body, body_line = _split_front_matter(text, rel)
    problems = []
    data = {}
    if front is not None:
        doc = load_yaml(front, rel, line_offset=1, code="SEC002")
        data = doc.data if doc.data is not None else {}
        if not isinstance(data, dict):
            raise ReportError(error("SEC003", "front matter must be a mapping", Location(rel, 2, 1)))
        for key, value in data.items():
            if key not in _FRONT_KEYS:
                problems.append(error("SEC004", f"unknown front matter key '{key}'", doc.where(key),
                                      "allowed: title, id, numbered, confidential, annex, recommendations, addressee"))
            elif key in _FLAGS:
                if not isinstance(value, bool):
                    problems.append(error("SEC005", f"'{key}' must be true or false", doc.where(key)))
            elif not isinstance(value, str) or not value.strip():
                problems.append(error("SEC005", f"'{key}' must be non-empty text", doc.where(key)))
        if "id" in data and isinstance(data["id"], str) and not _ID.match(data["id"]):
            problems.append(error("SEC006", f"invalid section id '{data['id']}'", doc.where("id"), "letters, digits, - _ . :"))
    if problems:
        raise ReportError(problems)
    default_id = re.sub(r"^\d+[-_]", "", Path(name).stem) or Path(name).stem
    title = data.get("title")
    annex = data.get("annex") is True
    addressee = data.get("addressee")
    # An annex's paragraphs are unnumbered unless its front matter asks (UN Editorial Manual).
    return SectionSource(rel, data.get("id", default_id), title.strip() if title else None, body, body_line, Location(rel, 1, 1),
                         data.get("numbered", not annex) is not False, data.get("confidential") is True, annex,
                         data.get("recommendations") is True, addressee.strip() if addressee else None)


def _split_front_matter(text: str, rel: str):
    """(front matter text or None, body, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise ReportError(error("SEC007", "front matter is not closed with '---'", Location(rel, 1, 1)))
