"""Venue rules (``venue:`` in report.yaml): what the venue's guidelines ask of a submission.

Each rule takes the CheckContext and returns warnings located in report.yaml (a draft
over the limit still builds; ``report check --strict``, the release gate CI runs, fails
on them). The figures come from the venue's profile (report/venues/*.yaml) as
report.yaml overrides them.

VEN001 the word count exceeds the limit (at ``venue``, or at the ``word-limit`` that
       report.yaml sets), with an info line at each section counted, saying its share
VEN002 opening information the venue requires is missing from report.yaml
VEN003 ``paragraphs: plain`` where the venue requires numbered paragraphs (without the key,
       a venue that requires them numbers them)
VEN004 ``outputs`` lists a format the venue does not accept
VEN005 the report's language is not one the venue accepts
VEN006 the Word template's header and footer show no page number where pages must be numbered
VEN007 an annex where the venue accepts none
"""

from __future__ import annotations

import re
import zipfile

from report.checks import CheckContext
from report.diagnostics import Diagnostic, Severity, warning
from report.venues import FIELDS
from report.venues.words import section_counted, section_words, totals

_PAGE_FIELD = re.compile(rb"(?:instrText[^>]*>|w:instr=\")\s*PAGE\b")


def word_limit(ctx: CheckContext) -> list[Diagnostic]:
    venue = ctx.config.venue
    if venue is None or not venue.word_limit:
        return []
    parts = venue.counted()
    sections = section_words(ctx.document)
    counted = totals(sections).counted(parts)
    if counted <= venue.word_limit:
        return []
    what = " and ".join(parts)
    found = [warning("VEN001", f"{counted:,} words ({what}) where {venue.label} allows {venue.word_limit:,}: "
                     f"{counted - venue.word_limit:,} over", venue.where("word-limit"),
                     "each section's share is listed at its file; report stats shows every count")]
    for section in sections:
        share = section_counted(section, parts)
        if share:
            detail = "annex" if section.annex else f"{section.body:,} in the body" + (
                f", {section.notes:,} in notes" if "notes" in parts else "")
            found.append(Diagnostic("VEN001", Severity.INFO, f"{share:,} of the {counted:,} words counted for "
                                    f"{venue.label} are in this section ({detail})", section.location))
    return found


def required_fields(ctx: CheckContext) -> list[Diagnostic]:
    config = ctx.config
    venue = config.venue
    if venue is None:
        return []
    given = dict(config.submission)
    found = []
    for field in venue.required:
        if field == "organization":
            present = bool(config.organization)
        elif field == "venue.submission":
            present = venue.submission is not None
        else:
            present = field.split(".", 1)[1] in given
        if not present:
            where = config.where("submission") if field.startswith("submission.") and given else venue.location
            what, add = FIELDS[field]
            found.append(warning("VEN002", f"{venue.label} requires {what}", where,
                                 "add " + add.format(venue=venue.name)))
    return found


def numbered_paragraphs(ctx: CheckContext) -> list[Diagnostic]:
    """A venue that requires numbered paragraphs numbers them (report.config), so only a
    ``paragraphs: plain`` written in report.yaml leaves them unnumbered."""
    config = ctx.config
    venue = config.venue
    if venue is None or not venue.numbered_paragraphs or config.numbered_paragraphs:
        return []
    return [warning("VEN003", f"{venue.label} requires numbered paragraphs; paragraphs: plain leaves them unnumbered",
                    config.where("paragraphs"), "write paragraphs: numbered, or leave the key out")]


def formats(ctx: CheckContext) -> list[Diagnostic]:
    config = ctx.config
    venue = config.venue
    refused = [fmt for fmt in config.outputs if venue is not None and venue.formats and fmt not in venue.formats]
    if not refused:
        return []
    keys = dict(config.key_locations)
    accepted = ", ".join(venue.formats)
    outputs = "outputs" if "outputs" in keys else "outputs (docx, pdf, html by default)"
    return [warning("VEN004", f"{venue.label} accepts {accepted} only; {outputs} also lists {', '.join(refused)}",
                    keys.get("outputs", venue.location),
                    f"outputs: [{accepted}], or ignore VEN004 when the others are for publishing elsewhere")]


def language(ctx: CheckContext) -> list[Diagnostic]:
    config = ctx.config
    venue = config.venue
    built = ctx.document.metadata.language  # a translation's build checks its own language
    if venue is None or venue.accepts_language(built):
        return []
    translations = sorted(p.stem for p in (config.root / "locales").glob("*.po") if venue.accepts_language(p.stem))
    hint = (f"submit the {translations[0]} translation (report build --locale {translations[0]})" if translations
            else f"translate it (docs/translators.md) into {', '.join(venue.languages)}")
    return [warning("VEN005", f"{venue.label} accepts submissions in {', '.join(venue.languages)}, not '{built}'",
                    config.where("language"), hint)]


def page_numbers(ctx: CheckContext) -> list[Diagnostic]:
    """The PDF's footer always numbers its pages (report.render.labels); a Word file
    shows a number only when its reference document's header or footer has a PAGE field."""
    config = ctx.config
    venue = config.venue
    if venue is None or not venue.page_numbers or "docx" not in config.outputs:
        return []
    path, where = config.template("docx")
    try:
        with zipfile.ZipFile(path) as package:
            parts = [n for n in package.namelist() if re.match(r"word/(header|footer)\d*\.xml$", n)]
            if any(_PAGE_FIELD.search(package.read(n)) for n in parts):
                return []
    except (OSError, zipfile.BadZipFile):
        return []  # a missing or broken template is TPL001's to report
    shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
    return [warning("VEN006", f"{venue.label} requires numbered pages; the Word template shows no page number",
                    where, f"insert a PAGE field in the footer of {shown}: Insert › Page Number in Word")]


def annexes(ctx: CheckContext) -> list[Diagnostic]:
    """VEN007: an annex (``annex: true``) where the venue accepts none, at its front matter."""
    venue = ctx.config.venue
    if venue is None or venue.annexes:
        return []
    return [warning("VEN007", f"{venue.label} accepts no annexes; '{section.title}' is one", section.location,
                    "move what it holds into the body, or publish it apart (a second file)")
            for section in ctx.source.sections if getattr(section, "annex", False) is True]


RULES = [word_limit, required_fields, numbered_paragraphs, formats, language, page_numbers, annexes]
