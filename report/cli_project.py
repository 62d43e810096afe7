"""``report new`` and ``report serve``: starting a project and previewing it, kept apart
from ``report.cli`` so each module stays readable; heavy imports stay inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from report.cli import (EXIT_ERRORS, _print_diagnostics, _project_root, project_option, quiet_option,
                        verbose_option)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--title", default=None, help="The report's title (default: the example's).")
@click.option("--force", is_flag=True, help="Write into an existing, non-empty folder, replacing files of the same name.")
@quiet_option
def new(directory: str, title: str | None, force: bool, quiet: bool) -> None:
    """Create a new project in DIRECTORY that builds and checks clean as created.

    It holds report.yaml, one section (a citation, a note, an incident and the provision
    it engages), a two-entry registry, the instruments and incidents files, the default
    templates, a .gitignore and a CI workflow (.github/workflows/report.yml).

    \b
    Examples:
      report new my-report
      report new my-report --title "Detention in 2024"
      cd my-report && report build
    """
    from report.errors import ReportError
    from report.scaffold import DEFAULT_TITLE, new_project

    try:
        files = new_project(Path(directory), force, title or DEFAULT_TITLE, shown=directory)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    if not quiet:
        import shlex

        click.echo(f"created {directory}/ ({len(files)} files); next: cd {shlex.quote(directory)} && report build")


@click.command()
@project_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--locale", "-l", "locale", default=None, metavar="LANG",
              help="Preview this translation (locales/LANG.po).")
@click.option("--allow-fuzzy", is_flag=True, help="Use unreviewed (fuzzy) translations, as a draft build does.")
@click.option("--edition", type=click.Choice(["public", "confidential"]), default="public", show_default=True,
              help="The edition to preview: the confidential one only when asked.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@quiet_option
@verbose_option
def serve(project: str | None, port: int, locale: str | None, allow_fuzzy: bool, edition: str, open_browser: bool,
          quiet: bool, verbose: bool) -> None:
    """Preview the HTML on http://127.0.0.1:PORT/, rebuilt and reloaded on every save.

    Builds build/<lang>/<edition>/report.html (the public edition unless
    --edition confidential), serves it on 127.0.0.1 only, watches the sources
    and rebuilds when one changes; the open page reloads by itself. A failed build
    prints its diagnostics and the page lists them until they are fixed. Ctrl-C stops.

    \b
    Examples:
      report serve
      report serve --port 8080 --open
      report serve --locale az --allow-fuzzy
      report serve --edition confidential
    """
    from report.errors import ReportError
    from report.serve import Preview
    from report.serve import serve as run_serve

    preview = Preview(_project_root(project), locale, allow_fuzzy, verbose=verbose, quiet=quiet,
                      colour=sys.stderr.isatty(), edition=edition)
    try:
        run_serve(preview, port, open_browser)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
