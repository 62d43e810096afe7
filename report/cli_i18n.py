"""``report i18n``: the translators' commands (extract, update, stats), kept apart from
``report.cli`` so each module stays readable; heavy imports stay inside the commands."""

from __future__ import annotations

import sys

import click

from report.cli import EXIT_ERRORS, _print_diagnostics, _project_root, project_option


@click.group()
def i18n() -> None:
    """Translate the report through gettext PO files (Poedit, Weblate, Crowdin).

    \b
    Examples:
      report i18n extract              # locales/report.pot
      report i18n update az ru         # merge into locales/az.po, locales/ru.po
      report i18n stats --min-complete 90
    """


@i18n.command()
@project_option
def extract(project: str | None) -> None:
    """Write locales/report.pot: one entry per title, heading, paragraph and incident summary.

    \b
    Example:
      report i18n extract
    """
    from report.errors import ReportError
    from report.i18n.workflow import extract as run_extract

    root = _project_root(project)
    try:
        path = run_extract(root)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    click.echo(f"wrote {path.relative_to(root)}")


@i18n.command()
@project_option
@click.argument("languages", nargs=-1)
def update(project: str | None, languages: tuple[str, ...]) -> None:
    """Merge the current text into locales/LANG.po (every existing locale when none is named):
    new entries untranslated, changed ones fuzzy with the previous source, removed ones obsolete.

    \b
    Examples:
      report i18n update fr            # creates locales/fr.po when missing
      report i18n update               # every existing locale
    """
    from report.errors import ReportError
    from report.i18n.workflow import update as run_update

    root = _project_root(project)
    try:
        paths = run_update(root, list(languages))
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    for path in paths:
        click.echo(f"updated {path.relative_to(root)}")


@i18n.command()
@project_option
@click.option("--min-complete", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="Fail (exit 1) when a locale has less than N percent translated and reviewed.")
def stats(project: str | None, min_complete: float | None) -> None:
    """Translated, fuzzy and untranslated entries per locale.

    \b
    Examples:
      report i18n stats
      report i18n stats --min-complete 90   # exit 1 when a locale is below 90 %
    """
    from report.errors import ReportError
    from report.i18n.workflow import stats as run_stats

    try:
        rows = run_stats(_project_root(project))
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    failed = False
    for row in rows:
        click.echo(f"{row.language}: {row.translated} translated, {row.fuzzy} fuzzy, {row.untranslated} untranslated "
                   f"({row.percent:.0f}% complete)")
        failed |= min_complete is not None and row.percent < min_complete
    sys.exit(EXIT_ERRORS if failed else 0)


@i18n.command(name="export")
@project_option
@click.argument("language")
@click.option("--format", "fmt", type=click.Choice(["xliff"]), default="xliff", show_default=True,
              help="The exchange format: XLIFF 2.1, for CAT tools (Trados, memoQ, Phrase).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Where to write it (default: locales/LANG.xlf).")
def export_command(project: str | None, language: str, fmt: str, output: str | None) -> None:
    """Write locales/LANG.po as XLIFF 2.1 for a CAT tool: one unit an entry, citations, notes'
    markers, URLs and other Markdown as locked inline codes, the PO states as segment states.

    \b
    Examples:
      report i18n export az --format xliff     # locales/az.xlf
      report i18n export ru -o ~/to-agency/ru.xlf
    """
    from pathlib import Path

    from report.errors import ReportError
    from report.i18n.xliff import export

    root = _project_root(project)
    try:
        path = export(root, language, Path(output).resolve() if output else None)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    click.echo(f"wrote {_shown(path, root)}")


@i18n.command(name="import")
@project_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--locale", "-l", default=None, metavar="LANG",
              help="Refuse the file unless it is a translation into LANG.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
def import_command(project: str | None, file: str, locale: str | None, dry_run: bool) -> None:
    """Merge a translated XLIFF file (from `report i18n export`, through a CAT tool) into
    locales/LANG.po. Locked codes come back as their Markdown; a lost, duplicated or moved
    code is an error at its line in the XLIFF file, and then nothing is written.

    \b
    Examples:
      report i18n import locales/az.xlf
      report i18n import ~/from-agency/ru.xlf --locale ru --dry-run
    """
    from pathlib import Path

    from report.diagnostics import exit_status
    from report.errors import ReportError
    from report.i18n.xliff_import import import_xliff

    root = _project_root(project)
    path = Path(file).resolve()
    shown = _shown(path, root)
    try:
        result = import_xliff(root, path, shown, locale, dry_run)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    _print_diagnostics(result.diagnostics)
    status = exit_status(result.diagnostics)
    if status:
        click.echo(f"{result.po} not written: the file has errors", err=True)
        sys.exit(status)
    summary = (f"{result.changed} changed, {result.unchanged} unchanged, {result.untranslated} untranslated"
               + (f", {result.skipped} skipped" if result.skipped else ""))
    verb = "would update" if dry_run and result.changed else "updated" if result.written else "kept"
    click.echo(f"{verb} {result.po}: {summary}")


def _shown(path, root) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
