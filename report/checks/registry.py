"""Registry rules: required fields per CSL type and the house rules for URLs and documents."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from report.checks import CheckContext
from report.diagnostics import Diagnostic, closest_hint, error, warning
from report.sources.registry import OWN_FIELDS

# Fields a reader needs to find the work again, per CSL type (others: title).
REQUIRED = {
    "article-newspaper": ("title", "container-title"),
    "article-journal": ("title", "container-title"),
    "article-magazine": ("title", "container-title"),
    "chapter": ("title", "container-title"),
    "webpage": ("title", "URL"),
    "post-weblog": ("title", "URL"),
    "legal_case": ("title",),
    "treaty": ("title",),
}
# CSL 1.0.2 variables, plus the legacy names Zotero's CSL-JSON export still writes.
CSL_VARIABLES = frozenset("""abstract accessed annote archive archive-collection archive_collection archive-location
archive_location archive-place authority author available-date call-number chair chapter-number citation-key
citation-label citation-number collection-editor collection-number collection-title compiler composer
container-author container-title container-title-short contributor curator custom dimensions director division DOI
edition editor editorial-director editor-translator event event-date event-place event-title executive-producer
first-reference-note-number genre guest host id illustrator interviewer ISBN ISSN issue issued jurisdiction keyword
language license locator medium narrator note number number-of-pages number-of-volumes organizer original-author
original-date original-publisher original-publisher-place original-title page page-first part-number part-title
performer PMCID PMID printing-number producer publisher publisher-place recipient references reviewed-author
reviewed-genre reviewed-title scale script-writer section series-creator source status submitted supplement-number
title title-short translator type URL version volume volume-title volume-title-short year-suffix
shortTitle journalAbbreviation system_id""".split())
_INTERGOVERNMENTAL = re.compile(r"\b(UN|United Nations|OSCE|Organi[sz]ation for Security and Co-operation in Europe)\b")


def required_fields(ctx: CheckContext) -> list[Diagnostic]:
    found = []
    for ref in ctx.registry.entries:
        for field in REQUIRED.get(ref.csl.get("type"), ("title",)):
            if not ref.csl.get(field):
                found.append(warning("REG010", f"'{ref.id}' ({ref.csl['type']}) has no '{field}'", ref.location))
        if not ref.csl.get("issued") and ref.csl.get("type") not in ("treaty", "legislation"):
            found.append(warning("REG010", f"'{ref.id}' has no 'issued' date", ref.location))
    return found


def url_rules(ctx: CheckContext) -> list[Diagnostic]:
    found = []
    for ref in ctx.registry.entries:
        url = ref.csl.get("URL")
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
            found.append(error("REG013", f"malformed URL in '{ref.id}': {url}", ref.where("URL"),
                               "an absolute http(s) address without spaces"))
        if not ref.csl.get("accessed"):
            found.append(warning("REG011", f"'{ref.id}' has a URL but no 'accessed' date", ref.where("URL"),
                                 "add accessed: YYYY-MM-DD, the day the page was consulted"))
    return found


def document_symbols(ctx: CheckContext) -> list[Diagnostic]:
    """A UN or OSCE document is found by its symbol: it belongs in ``number``."""
    found = []
    for ref in ctx.registry.entries:
        names = [n.get("literal", "") for n in ref.csl.get("author", [])]
        said = " ".join([ref.csl.get("genre", ""), ref.csl.get("publisher", ""), *names])
        if _INTERGOVERNMENTAL.search(said) and not ref.csl.get("number"):
            found.append(error("REG012", f"'{ref.id}' is a UN or OSCE document without its symbol in 'number'",
                               ref.location, "e.g. number: A/71/782 or SEC.DEL/585/16"))
    return found


def unknown_fields(ctx: CheckContext) -> list[Diagnostic]:
    """A misspelt field ("titel") would silently vanish from every note."""
    found = []
    for ref in ctx.registry.entries:
        for field, _ in ref.field_locations:
            if field not in CSL_VARIABLES and field not in OWN_FIELDS:
                found.append(warning("REG014", f"'{field}' of '{ref.id}' is not a CSL variable and is not rendered",
                                     ref.where(field), closest_hint(field, CSL_VARIABLES)))
    return found


def imported_entries(ctx: CheckContext) -> list[Diagnostic]:
    """Entries `report import` made from Word footnotes wait for a person to review them."""
    return [warning("REG015", f"'{ref.id}' was imported from Word: review it", ref.where("annote"),
                    "check its fields against the source, then remove the annote marker")
            for ref in ctx.registry.entries
            if str(ref.csl.get("annote", "")).startswith("Imported from Word")]


RULES = [required_fields, url_rules, document_symbols, unknown_fields, imported_entries]
