"""The strings the tool itself writes into a report, translated by its own catalogs.

``report/locale/<lang>.po`` ships for en, az, ru, fr, es, ar, zh and zh-TW (a
language's region-specific catalog is taken before its base language's). A language
without a catalog (or a message a catalog lacks) falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOGS = Path(__file__).resolve().parents[1] / "locale"

# Every message the renderers may ask for, with its English text.
MESSAGES = (
    "Contents",
    "Notes",
    "Page {page} of {pages}",
    "Back to note call {number}",
    "Draft translation",
    "This is a draft translation: it has not been reviewed.",
    "Confidential",
    "Confidential edition: not for publication.",
    "Annex: Evidence matrix",
    "Incident",
    "Documented incidents and the provisions they engage (article numbers); each cell gives "
    "the footnotes that source the incident.",
    # Figures, tables, boxes and cross-references ("Figure 2", "Tables 1 and 3").
    "Figure",
    "Figures",
    "Table",
    "Tables",
    "Box",
    "Boxes",
    "section",
    "sections",
    "para.",
    "paras.",
    # Recommendations ("recommendation 4") and annexes ("Annex II", "annex II").
    "recommendation",
    "recommendations",
    "annex",
    "annexes",
    "Annex {number}",
    "and",
    "Note",
    "Warning",
    "Tip",
    "Important",
    "Caution",
    "List of figures",
    "List of tables",
    # The list of sources (report.yaml ``bibliography``) and its groups (report.transforms.bibliography).
    "List of sources",
    "Legal instruments",
    "Case law",
    "UN and OSCE documents",
    "Reports",
    "Books and articles",
    "News",
    "Web pages",
    "Other sources",
)


@dataclass(frozen=True)
class Strings:
    language: str
    table: tuple[tuple[str, str], ...]

    def __call__(self, message: str, **values) -> str:
        """The translation of ``message`` (English when there is none), formatted."""
        text = dict(self.table).get(message) or message
        return text.format(**values) if values else text


@lru_cache(maxsize=None)
def tool_strings(language: str) -> Strings:
    # the language's own catalog first (zh-TW: Traditional Chinese), then its base language's
    parts = language.split("-")
    candidates = [CATALOGS / f"{parts[0].lower()}-{parts[1].upper()}.po"] if len(parts) > 1 else []
    path = next((p for p in candidates + [CATALOGS / f"{parts[0].lower()}.po"] if p.is_file()), None)
    if path is None:
        return Strings(language, ())
    return Strings(language, _table(path))


def _table(path: Path) -> tuple[tuple[str, str], ...]:
    """(message, translation) of each reviewed entry of the catalog at ``path``. Kept in
    the cache folder (report.cache) by the file's name, size and time: babel's PO reader,
    imported and run, is 18 ms of a build's critical path, the kept table 1 ms."""
    import json

    from report import cache

    stat = path.stat()
    kept = cache.folder() / f"strings_{path.stem}_{stat.st_size}_{stat.st_mtime_ns}.json"
    try:
        return tuple(tuple(pair) for pair in json.loads(kept.read_bytes()))
    except Exception:  # noqa: BLE001 - not kept yet, or damaged (or no cache folder): read again
        pass
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle)
    table = tuple((m.id, m.string) for m in catalog
                  if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy)
    cache.keep(kept, json.dumps(table, ensure_ascii=False).encode("utf-8"))
    return table
