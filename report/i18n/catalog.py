"""PO catalogs: the project's template (``locales/report.pot``) and its translations
(``locales/<lang>.po``), read with located errors and written reproducibly.

A PO file comes from outside the team: reading it never raises anything but a
located ReportError, and nothing in it is trusted (renderers escape it all).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError

LOCALES = "locales"
TEMPLATE = f"{LOCALES}/report.pot"
# PO files carry creation dates; a fixed one keeps extract and update reproducible.
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Entry:
    text: str
    fuzzy: bool
    location: Location  # the msgstr's line in the PO file


@dataclass(frozen=True, eq=False)  # one a catalog read, told apart by identity (see read_translations)
class Translations:
    language: str
    path: str
    entries: dict  # (context, msgid) → Entry

    def get(self, context: str, text: str) -> Entry | None:
        entry = self.entries.get((context, text))
        return entry if entry is not None and entry.text else None


def po_path(language: str) -> str:
    return f"{LOCALES}/{language}.po"


def available_languages(root: Path) -> list[str]:
    folder = root / LOCALES
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.po") if _LANG.match(p.stem))


def read_catalog_file(root: Path, rel: str, where: Location | None = None):
    """A babel Catalog from ``root/rel``; malformed files are a located PO001 error."""
    return _parse_catalog(_catalog_text(root, rel, where), rel)


def _catalog_text(root: Path, rel: str, where: Location | None) -> str:
    from report.sources.files import read_text

    if not (root / rel).exists():
        language = Path(rel).stem
        raise ReportError(error("PO002", f"no translation file {rel}", Location(rel, 1, 1),
                                f"create it with `report i18n update {language}`"))
    return read_text(root, rel, code_missing="PO002", where=where)


def _parse_catalog(text: str, rel: str):
    from babel.messages.pofile import PoFileError, read_po

    syntax_error = _syntax_error(text)
    if syntax_error:
        line, message = syntax_error
        raise ReportError(error("PO001", f"malformed PO file: {message}", Location(rel, line, 1)))
    try:
        return read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 1
        raise ReportError(error("PO001", f"malformed PO file: {str(exc).split(' on line')[0]}", Location(rel, line, 1))) from None
    except (ValueError, TypeError, IndexError, UnicodeError) as exc:  # babel's parser on odd input
        raise ReportError(error("PO001", f"malformed PO file: {exc}", Location(rel, 1, 1))) from None


_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+(".*)$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')


def _syntax_error(text: str) -> tuple[int, str] | None:
    """(line, problem) for the first line that is not PO syntax. Babel's reader skips
    an unterminated string or a stray line silently; msgfmt calls both fatal."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword = _KEYWORD.match(stripped)
        string = keyword.group(3) if keyword else stripped
        if not string.startswith('"'):
            return number, f"unexpected text {stripped[:30]!r}"
        if not _STRING.match(string):
            return number, "a string is not closed with a quote (or has a stray quote)"
    return None


def read_translations(root: Path, language: str, where: Location | None = None) -> Translations:
    """The entries of ``locales/<language>.po`` (read-only: a catalog read before may be shared)."""
    rel = po_path(language)
    return _parsed(language, rel, _catalog_text(root, rel, where))


# Catalogs this process read, by path and text: an --all-locales build reads each one to
# translate its language and again for every language's translation checks. The text
# read each time is the key, so an edited file is parsed anew.
@functools.lru_cache(maxsize=16)
def _parsed(language: str, rel: str, text: str) -> Translations:
    return _translations(language, rel, _parse_catalog(text, rel))


def _translations(language: str, rel: str, catalog) -> Translations:
    entries = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        text = message.string if isinstance(message.string, str) else ""
        # babel gives the msgid's line; the msgstr follows it (good enough to find it).
        line = (message.lineno or 1) + 1
        entries[(message.context or "", message.id)] = Entry(text, message.fuzzy, Location(rel, line, 1))
    return Translations(language, rel, entries)


def write_catalog(catalog, path: Path) -> None:
    """Write ``catalog`` reproducibly (fixed dates, sorted by reference), atomically."""
    from babel.messages.pofile import write_po

    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    buffer = io.BytesIO()
    # A huge width, not 0: babel wraps comments at 76 even with width=0, which breaks
    # "#| msgid" lines (the wrapped rest loses its quotes).
    write_po(buffer, catalog, width=1_000_000, sort_by_file=False, include_previous=True, ignore_obsolete=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)


_PREVIOUS = re.compile(r'^#\|\s*(msgctxt|msgid)\s+(".*")\s*$')
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def restore_previous(catalog, text: str) -> None:
    """Give back the previous sources (``#| msgid``, written by ``update`` for a fuzzy
    entry) that babel's reader takes for translator comments, so that a catalog read and
    written again keeps them as they were."""
    for block in re.split(r"\n[ \t]*\n", text):
        previous: dict[str, list[str]] = {}
        current: dict[str, list[str]] = {}
        into = None
        for line in block.split("\n"):
            stripped = line.strip()
            match = _PREVIOUS.match(stripped)
            if match:
                into = previous.setdefault(match.group(1), [])
                into.append(match.group(2))
            elif stripped.startswith('#| "') and into is not None:
                into.append(stripped[2:].strip())
            elif stripped.startswith(("msgctxt ", "msgid ")):
                keyword, _, rest = stripped.partition(" ")
                into = current.setdefault(keyword, [])
                into.append(rest.strip())
            elif stripped.startswith('"') and into is not None:
                into.append(stripped)
            else:
                into = None
        if "msgid" not in previous or "msgid" not in current:
            continue
        context = _string(current["msgctxt"]) if "msgctxt" in current else None
        message = catalog.get(_string(current["msgid"]), context)
        if message is not None:
            message.previous_id = [_string(previous["msgid"])]
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]


def _string(lines: list[str]) -> str:
    from babel.messages.pofile import unescape

    return "".join(unescape(f'"{part}"') for line in lines for part in _QUOTED.findall(line))
