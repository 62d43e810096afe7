"""Citation rules: uncited entries, one work under two keys, locators, hand-written Ibid."""

from __future__ import annotations

import re
import unicodedata

from report import model as m
from report.checks import CheckContext, cite_items, notes
from report.diagnostics import Diagnostic, error, warning
from report.parse.citations import LOCATOR_LABELS

_RANGE = re.compile(r"^\s*(\d+)\s*([-–—])\s*(\d+)\s*$")
_LOOKS_LIKE_LOCATOR = re.compile(r"^,?\s*([A-Za-z§¶]+\.?)\s*\d")
_HANDWRITTEN = re.compile(r"\b(ibid\.?|ibidem|op\.\s?cit\.?|loc\.\s?cit\.?|id\.)(?=\W|$)", re.I)


def uncited_entries(ctx: CheckContext) -> list[Diagnostic]:
    cited = {item.key.lower() for item in cite_items(ctx.source)}
    return [warning("CIT003", f"registry entry '{ref.id}' is never cited", ref.location,
                    "cite it or remove it from the registry")
            for ref in ctx.registry.entries if ref.id.lower() not in cited]


def _normal(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


def _author_key(ref) -> str:
    names = ref.csl.get("author", [])
    return " ".join(_normal(n.get("literal") or f"{n.get('given', '')} {n.get('family', '')}") for n in names)


def _year(ref):
    parts = (ref.csl.get("issued") or {}).get("date-parts") or [[None]]
    return parts[0][0] if parts and parts[0] else None


def same_work_twice(ctx: CheckContext) -> list[Diagnostic]:
    """One work under two keys: same URL, same document symbol, or same author+title+year."""
    seen: dict = {}
    found = []
    for ref in ctx.registry.entries:
        signatures = []
        if ref.csl.get("URL"):
            signatures.append(("URL", ref.csl["URL"].strip().rstrip("/").lower()))
        if ref.csl.get("number"):
            signatures.append(("document symbol", _normal(ref.csl["number"])))
        if ref.csl.get("title"):
            signatures.append(("author, title and year", (_author_key(ref), _normal(ref.csl["title"]), _year(ref))))
        for kind, signature in signatures:
            other = seen.get((kind, signature))
            if other is not None:
                found.append(warning("CIT004", f"'{ref.id}' and '{other.id}' look like one work (same {kind})",
                                     ref.location, f"cite one key; '{other.id}' is at {other.location}"))
                break
        for kind, signature in signatures:
            seen.setdefault((kind, signature), ref)
    return found


def locators(ctx: CheckContext) -> list[Diagnostic]:
    found = []
    for item in cite_items(ctx.source):
        match = _LOOKS_LIKE_LOCATOR.match(item.suffix)
        if item.locator is None and match and match.group(1).lower() not in LOCATOR_LABELS:
            found.append(error("CIT005", f"unknown locator label '{match.group(1)}' for '{item.key}'", item.location,
                               "use p./pp., para., §, art., chap., vol., n., l., fig. or col."))
        if item.locator is None:
            continue
        for piece in item.locator.split(","):
            rng = _RANGE.match(piece)
            if not rng:
                continue
            start, dash, end = int(rng.group(1)), rng.group(2), int(rng.group(3))
            if end < start:
                found.append(error("CIT006", f"locator range {piece.strip()} of '{item.key}' runs backwards", item.location))
            if dash == "-":
                found.append(warning("CIT007", f"locator range {piece.strip()} of '{item.key}' uses a hyphen", item.location,
                                     f"write {start}–{end} with an en dash"))
    return found


def handwritten_ibid(ctx: CheckContext) -> list[Diagnostic]:
    """"Ibid." and "op. cit." must come from the style, or reordering breaks them."""
    found = []
    for note in notes(ctx.source):
        match = _HANDWRITTEN.search(m.plain_text(note.children))
        if match:
            found.append(error("CIT008", f"hand-written '{match.group(1)}' in a note", note.location,
                               "cite the source again with its locator; the style writes Ibid."))
    for ref in ctx.registry.entries:
        for field in ("title", "note", "container-title"):
            value = ref.csl.get(field)
            match = _HANDWRITTEN.search(value) if isinstance(value, str) else None
            if match:
                found.append(error("CIT008", f"hand-written '{match.group(1)}' in '{field}' of '{ref.id}'", ref.where(field),
                                   "give the full reference; the style writes Ibid."))
    return found


RULES = [uncited_entries, same_work_twice, locators, handwritten_ibid]
