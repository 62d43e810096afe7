"""``report i18n extract | update | stats``: the translators' workflow on PO files.

extract: the project's segments → ``locales/report.pot``.
update: merge the template into ``locales/<lang>.po`` (new entries untranslated,
changed ones fuzzy with the previous source as ``#|``, removed ones obsolete).
stats: translated, fuzzy and untranslated entries per locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError
from report.i18n.catalog import TEMPLATE, available_languages, po_path, read_catalog_file, write_catalog
from report.parse.segments import Segment, section_segments


def project_segments(root: Path) -> tuple[object, list[Segment]]:
    """(project, every translatable segment in reading order)."""
    from report.sources.project import read_project
    from report.sources.treaties import read_treaties

    project = read_project(root)
    config = project.config
    found = [Segment("report:title", config.title, "report.yaml", config.where("title").line, "The report's title.")]
    if config.subtitle:
        found.append(Segment("report:subtitle", config.subtitle, "report.yaml", config.where("subtitle").line,
                             "The report's subtitle."))
    if config.organization:
        found.append(Segment("report:organization", config.organization, "report.yaml",
                             config.where("organization").line, "The publishing organization."))
    for source in project.sections:
        found += section_segments(source)
    if config.bibliography is not None and config.bibliography.title:  # the catalog translates the default
        found.append(Segment("report:bibliography-title", config.bibliography.title, "report.yaml",
                             config.where("bibliography").line, "The title of the list of sources."))
    treaties = read_treaties(root)
    for incident in (treaties.incidents if treaties else ()):
        if incident.summary:
            found.append(Segment(f"incident:{incident.id}", incident.summary, incident.location.path,
                                 incident.location.line, "Incident summary (evidence matrix)."))
    return project, found


def _drop_format_flags(catalog) -> None:
    """Babel flags a msgid with braces as python-brace-format; ours are Pandoc markers
    ({#id .incident}), and the flag makes Poedit and msgfmt check them as placeholders."""
    for message in catalog:
        message.flags.discard("python-brace-format")
        message.flags.discard("python-format")


def template_catalog(root: Path):
    from babel.messages.catalog import Catalog

    project, segments = project_segments(root)
    catalog = Catalog(project=project.config.title, charset="utf-8", fuzzy=False)
    for segment in segments:
        message = catalog.get(segment.text, segment.context)
        if message is None:
            catalog.add(segment.text, context=segment.context, locations=[(segment.path, segment.line)],
                        auto_comments=[segment.comment] if segment.comment else [])
    _drop_format_flags(catalog)
    return catalog


def extract(root: Path) -> Path:
    path = root / TEMPLATE
    write_catalog(template_catalog(root), path)
    return path


def update(root: Path, languages: list[str]) -> list[Path]:
    """Merge the current segments into each language's PO file (created when missing)."""
    from babel.core import Locale, UnknownLocaleError
    from babel.messages.catalog import Catalog

    template = template_catalog(root)
    written = []
    for language in languages or available_languages(root):
        rel = po_path(language)
        if (root / rel).is_file():
            catalog = read_catalog_file(root, rel)
        else:
            try:
                # Catalog() quietly takes a tag it does not know (xx, zz_ZZ) as no locale.
                Locale.parse(language.replace("-", "_"))
                catalog = Catalog(locale=language.replace("-", "_"), charset="utf-8")
            except (UnknownLocaleError, ValueError):
                raise ReportError(error("PO003", f"unknown language '{language}'", Location(rel, 1, 1),
                                        "use a BCP 47 tag that Babel knows, e.g. az, ru, fr")) from None
        catalog.update(template, update_creation_date=False)
        _drop_format_flags(catalog)
        write_catalog(catalog, root / rel)
        written.append(root / rel)
    return written


@dataclass(frozen=True)
class Stats:
    language: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def stats(root: Path) -> list[Stats]:
    """Per locale, against the project's current segments (not a stale template)."""
    from report.i18n.catalog import read_translations

    _, segments = project_segments(root)
    keys = {(s.context, s.text) for s in segments}
    out = []
    for language in available_languages(root):
        translations = read_translations(root, language)
        translated = fuzzy = 0
        for key in keys:
            entry = translations.entries.get(key)
            if entry is not None and entry.text:
                if entry.fuzzy:
                    fuzzy += 1
                else:
                    translated += 1
        out.append(Stats(language, translated, fuzzy, len(keys) - translated - fuzzy))
    return out
