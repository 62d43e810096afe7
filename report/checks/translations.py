"""Translation rules: a translated segment keeps what its source has, besides words.

For every entry of every ``locales/<lang>.po`` that has a translation (fuzzy ones
too: draft builds use them), compared with its source: the same citations (keys
and locators, in order), notes, incident and provision markers, URLs and numbers
(by value: "1 275" matches "1,275"), balanced brackets and emphasis, no raw HTML,
and the same cross-references (``@fig-gate``, ``[-@tbl-x]``: labels, in any order);
no blank line that would split a paragraph in two (TRN009: every language keeps the
source's paragraphs, hence the same paragraph numbers).
Each finding points at the entry's line in the PO file.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from report.checks import CheckContext
from report.diagnostics import Diagnostic, error
from report.parse.citations import KEY, bracket_pairs, parse_group
from report.model import crossref_kind
from report.parse.inlines import crossref_label
from report.parse.markdown import make_parser

_MARKER = re.compile(r"\{[^{}]*[#.=][^{}]*\}")
# A confidential span's public wording, which the translator translates: the rest of its
# marker must stay (a translation that drops {.confidential} would publish the words).
_PUBLIC = re.compile(r"""(?<![\w-])public=(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s}]+)""")
_URL = re.compile(r"https?://[^\s)\]>\"]+")
# A number, with the group separators any locale writes (comma, dot, spaces, NBSPs).
_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f\u2009 ]\d{3})*(?:[.,]\d+)?")
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A bare "@label" as the in-text rule reads it (not inside a word: an e-mail address).
_INTEXT = re.compile(rf"(?<![\w.+@\\-])@{KEY}")


def citations(text: str) -> list[tuple]:
    """(key, locator label, locator) of every cited work, in order; cross-references
    (``[@fig-a]``) are no citations and are compared by :func:`crossrefs`."""
    found = []
    for start, end in sorted(bracket_pairs(text).items()):
        items = parse_group(text[start + 1:end], 0) if "@" in text[start:end] else None
        found += [(i.key.lower(), i.locator_label, (i.locator or "").replace("-", "–"))
                  for i in items or () if not crossref_kind(i.key)]
    return found


_parser = functools.cache(make_parser)  # built when first needed, then shared


def crossrefs(text: str) -> Counter:
    """The labels the text's cross-references name (``@fig-gate``, ``[@fig-a; @fig-b]``,
    ``[-@tbl-x]``, notes included), as the parser reads them; ``@Fig-gate`` counts as
    ``fig-gate``."""
    env: dict = {}
    found = Counter()
    pending = list(_parser().parseInline(text, env)[0].children or ())
    notes = env.get("footnotes", {}).get("list", {})
    while pending:
        token = pending.pop()
        if token.type == "citation":
            keys = [item.key for item in token.meta["items"]]
        elif token.type == "intext":
            keys = [token.meta["key"]]
        else:
            keys = []
            if token.type == "footnote_ref":  # an inline note's own tokens
                pending += (notes.get(token.meta.get("id")) or {}).get("tokens") or ()
        found.update(crossref_label(key) for key in keys if crossref_kind(key))
    return found


def numbers(text: str) -> Counter:
    """Numeric values in running text; citations and markers are compared on their own."""
    text = _URL.sub(" ", text)
    for start, end in sorted(bracket_pairs(text).items(), reverse=True):
        if "@" in text[start:end]:
            text = text[:start] + " " + text[end + 1:]
    text = _INTEXT.sub(" ", text)  # a cross-reference's label ("@fig-2"), compared on its own
    text = _MARKER.sub(" ", text)
    values = Counter()
    for match in _NUMBER.finditer(text):
        token = match.group(0)
        digits = re.sub(r"[,.\u00a0\u202f\u2009 ](?=\d{3}(?:\D|$))", "", token)
        values[digits.replace(",", ".")] += 1
    return values


def _markers(text: str) -> list[str]:
    return [_PUBLIC.sub("public=…", marker) for marker in _MARKER.findall(text)]


def compare(source: str, translated: str) -> list[tuple[str, str]]:
    """(code, message) for each way ``translated`` departs from ``source``."""
    found = []
    if citations(source) != citations(translated):
        found.append(("TRN001", "citations differ from the source (keys, locators or order)"))
    if source.count("^[") != translated.count("^["):
        found.append(("TRN002", f"the source has {source.count('^[')} notes, the translation {translated.count('^[')}"))
    if _markers(source) != _markers(translated):
        found.append(("TRN003", "incident, provision or confidential markers {…} differ from the source"))
    if sorted(_URL.findall(source)) != sorted(_URL.findall(translated)):
        found.append(("TRN004", "URLs differ from the source"))
    missing, extra = numbers(source) - numbers(translated), numbers(translated) - numbers(source)
    if missing or extra:
        parts = ([f"missing {', '.join(sorted(missing))}"] if missing else []) + \
                ([f"added {', '.join(sorted(extra))}"] if extra else [])
        found.append(("TRN005", f"numbers differ from the source: {'; '.join(parts)}"))
    if translated.count("[") != translated.count("]") or translated.count("*") % 2 or translated.count("`") % 2:
        found.append(("TRN006", "unbalanced markup: brackets, * or ` do not pair up"))
    if _HTML.search(translated) and not _HTML.search(source):
        found.append(("TRN007", "raw HTML in a translation"))
    if _BLANK_LINE.search(translated.strip()) and not _BLANK_LINE.search(source.strip()):
        found.append(("TRN009", "a blank line splits the paragraph: a translation keeps the source's paragraphs "
                                "one for one, so that every language has the same paragraph numbers"))
    source_refs, translated_refs = crossrefs(source), crossrefs(translated)
    if source_refs != translated_refs:
        missing, extra = source_refs - translated_refs, translated_refs - source_refs
        parts = ([f"missing {', '.join('@' + k for k in sorted(missing.elements()))}"] if missing else []) + \
                ([f"added {', '.join('@' + k for k in sorted(extra.elements()))}"] if extra else [])
        found.append(("TRN008", f"cross-references differ from the source: {'; '.join(parts)}"))
    return found


def translation_rules(ctx: CheckContext) -> list[Diagnostic]:
    from report.i18n.catalog import available_languages, read_translations
    from report.errors import ReportError

    found: list[Diagnostic] = []
    for language in available_languages(ctx.config.root):
        try:
            translations = read_translations(ctx.config.root, language)
        except ReportError as exc:
            found += exc.diagnostics
            continue
        found += _problems(translations)
    return found


# The problems of each catalog read, by identity (report.i18n.catalog shares a catalog
# read before): an --all-locales build checks every catalog once per language it builds.
@functools.lru_cache(maxsize=16)
def _problems(translations) -> tuple[Diagnostic, ...]:
    found = []
    for (context, source), entry in sorted(translations.entries.items(), key=lambda kv: kv[1].location.line):
        if not entry.text:
            continue
        for code, message in compare(source, entry.text):
            found.append(error(code, f"{message} ({context})", entry.location))
    return tuple(found)


RULES = [translation_rules]
