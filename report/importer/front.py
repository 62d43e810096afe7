"""The title page and the headings of a file typed without heading styles.

:func:`front_matter` takes the paragraph records the body opens with and fills the
:class:`~report.importer.docx.ImportedDocument`'s title, subtitle, organization and
date from the paragraphs styled so (without a Title style, a short first paragraph
is the title); it returns the records left for the body. :func:`caps_headings`
turns short all-capitals paragraphs into level-1 headings, as reports typed
without styles mark their chapters.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from report import model as m

if TYPE_CHECKING:
    from report.importer.docx import Para

DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%A, %B %d, %Y", "%A, %d %B %Y", "%d.%m.%Y", "%B %Y")
MAX_TITLE = 200


def plain(record: Para) -> str:
    return " ".join(m.plain_text(record.inlines).split())


def has_note(record: Para) -> bool:
    return any(isinstance(n, m.Note) for n in m.descendants(record.inlines))


def front_matter(records: list, doc) -> list:
    """Take title, subtitle, organization and date from the styled paragraphs the
    document opens with; without a Title style, a short first paragraph is the title.
    Figures among them (a logo) open the body."""
    i, figures = 0, []
    while i < len(records) and isinstance(records[i], tuple) and records[i][0] == "figure":
        figures.append(records[i])
        i += 1
    while i < len(records) and not isinstance(records[i], tuple) and records[i].role in ("title", "subtitle", "organization", "date") \
            and not has_note(records[i]):
        while i + 1 < len(records) and isinstance(records[i + 1], tuple) and records[i + 1][0] == "figure":
            figures.append(records.pop(i + 1))
        record, text = records[i], plain(records[i])
        if record.role == "date":
            parsed = parse_date(text)
            if parsed is None and text:
                break
            doc.date = doc.date or parsed
        elif text:
            current = getattr(doc, record.role)
            setattr(doc, record.role, f"{current} {text}" if current else text)
        i += 1
    if doc.title is None and i < len(records) and not isinstance(records[i], tuple):
        first = records[i]
        if first.role is None and first.list_key is None and first.marker is None and not has_note(first) \
                and 0 < len(plain(first)) <= MAX_TITLE and not any(isinstance(n, m.LineBreak) for n in first.inlines):
            doc.title = plain(first)
            i += 1
    return figures + records[i:]


def parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def caps_headings(records: list, log) -> bool:
    """Short all-capitals paragraphs become level-1 headings (files without heading styles)."""
    found = False
    for record in records:
        if isinstance(record, tuple) or record.role or record.list_key or record.marker or has_note(record):
            continue
        text = plain(record)
        letters = [c for c in text if c.isalpha()]
        if len(letters) >= 3 and all(c.isupper() for c in letters) and len(text) <= 120 and len(text.split()) <= 15 \
                and not any(isinstance(n, m.LineBreak) for n in record.inlines):
            record.role = "heading:1"
            log.count("converted", "all-capitals paragraph to a section heading")
            found = True
    return found
