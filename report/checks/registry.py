"""Registry rules: required fields per CSL type and the house rules for URLs and documents."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from report.checks import CheckContext
from report.diagnostics import Diagnostic, error, warning

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


RULES = [required_fields, url_rules, document_symbols]
