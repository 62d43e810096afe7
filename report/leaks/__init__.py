"""The leak check: no protected string in any byte that would be published.

After a public edition is rendered and before its outputs are swapped into place, the
build calls :func:`scan` with every output file (name → bytes) and every protected
string (a name or one of its variants, the text of a confidential span, block, note or
section, the title, author or URL of a confidential source), each with the place in the
sources where it was marked. Each protected string found in a file is one LEAK001 error
at that place, naming the file and where in it::

    sections/03-x.md:12:5: error[LEAK001]: "Name Surname" would be published in report.pdf, page 4

How each kind of file is read: :mod:`report.leaks.files` (and docx, pdf, pdfobjects,
html, images, xmltext). How text is normalised and matched: :mod:`report.leaks.text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from report.diagnostics import Diagnostic, Location, error
from report.leaks.text import Matcher, Place

CODE = "LEAK001"


@dataclass(frozen=True)
class Protected:
    """A string the public edition must not contain, and where it was marked as such.
    ``kind`` says what it is ("name", "confidential span", "source title"…)."""

    text: str
    location: Location
    kind: str = "name"


def scan(files: Mapping[str, bytes], protected: Sequence[Protected]) -> list[Diagnostic]:
    """One LEAK001 error for each (protected string, file, place in the file) where the
    string occurs, sorted by source location, then string, file and place. Each file is
    read and normalised once, whatever the number of protected strings."""
    if not protected or not files:
        return []
    texts = sorted({p.text for p in protected})  # a string marked in several places is searched once
    matcher = Matcher(texts)
    found: dict[str, set[tuple[str, Place]]] = {}
    for name in sorted(files):
        for owner, place in find_in_file(matcher, name, files[name]):
            found.setdefault(texts[owner], set()).add((name, place))
    hits = {(p.location, p.text, name, place) for p in protected for name, place in found.get(p.text, ())}
    return [error(CODE, _message(text, name, place), location)
            for location, text, name, place in sorted(hits, key=lambda hit: hit[:3] + (hit[3].order, hit[3].label))]


def find_in_file(matcher: Matcher, name: str, data: bytes) -> set[tuple[int, Place]]:
    """(index of a protected string, place) for each string found in one file. The texts
    of one place are searched together: one normalisation a place, not one a string."""
    from report.leaks.files import file_chunks
    from report.leaks.pdf import Pages

    texts: dict[Place, list[str]] = {}
    hits: set[tuple[int, Place]] = set()
    for place, text in file_chunks(name, data):
        if isinstance(text, Pages):
            for n, owners in matcher.find_pages(text.texts).items():
                page = Place(place.order + (n,), f"{place.label}, page {n + 1}" if place.label else f"page {n + 1}")
                hits.update((owner, page) for owner in owners)
        elif text:
            texts.setdefault(place, []).append(text)
    for place, parts in texts.items():
        # "\n|\n" keeps two texts apart: no protected string is found across it.
        hits.update((owner, place) for owner in matcher.find_text("\n|\n".join(parts)))
    return hits


def _message(text: str, name: str, place: Place) -> str:
    where = f"{name}, {place.label}" if place.label else name
    return f'"{text}" would be published in {where}'
