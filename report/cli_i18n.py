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
