"""``report stats``: a submission's figures at a glance (words, pages, paragraphs, notes,
sources, figures, tables) beside its venue's limits; kept apart from ``report.cli`` so
each module stays readable, heavy imports inside the command."""

from __future__ import annotations

import json
import sys

import click

from report.cli import EXIT_ERRORS, _print_diagnostics, _project_root, project_option


@click.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text, or json with stable keys (docs/authors.md, \"Venues\") for CI.")
@click.option("--locale", "-l", "locale", default=None, metavar="LANG",
              help="Count this translation (locales/LANG.po).")
@click.option("--allow-fuzzy", is_flag=True, help="Count unreviewed (fuzzy) translations, as a draft build uses them.")
@click.option("--edition", type=click.Choice(["public", "confidential"]), default="public", show_default=True,
              help="Count this edition (the public one is what is submitted).")
def stats(project: str | None, fmt: str, locale: str | None, allow_fuzzy: bool, edition: str) -> None:
    """Words (body, notes, annexes), pages of the last build, paragraphs, notes, sources,
    figures and tables, with the limits of the venue report.yaml names beside them.

    Words are counted as Word counts them, in the edition and language built
    (docs/authors.md, "Venues"). Exit status: 0, also over a limit (report check
    --strict is the gate: VEN001); 1 when the project cannot be read.

    \b
    Examples:
      report stats
      report stats --format json
      report stats --locale az --allow-fuzzy
    """
    from report.build import Locale, load
    from report.errors import ReportError
    from report.venues.stats import gather, to_text

    root = _project_root(project)
    try:
        # Errors a check would report (an unknown citation key) do not stop a count.
        loaded = load(root, stop_on_error=False, locale=Locale(locale, allow_fuzzy, edition=edition))
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    data = gather(loaded, root)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for line in to_text(data):
            click.echo(line)
