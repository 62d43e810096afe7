"""The ``report`` command: parses options, calls the library, maps results to exit codes.

Heavy modules (renderers, citeproc) are imported inside the commands that need
them so ``report --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from report import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _print_diagnostics(diagnostics) -> None:
    from report.diagnostics import sort_key

    for diagnostic in sorted(diagnostics, key=sort_key):
        click.echo(diagnostic.format(), err=True)


def _project_root(project: str | None) -> Path:
    return Path(project).resolve() if project else Path.cwd()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report")
def main() -> None:
    """Build evidence-heavy reports with real footnotes from plain sources."""


@main.command()
@click.option("--project", "-p", type=click.Path(file_okay=False), help="Project folder (default: the current one).")
@click.option("--format", "formats", default=None, metavar="docx,pdf,html",
              help="Comma-separated subset of formats to build.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but diagnostics.")
def build(project: str | None, formats: str | None, quiet: bool) -> None:
    """Build build/<lang>/report.{docx,pdf,html} and manifest.json.

    \b
    Examples:
      report build
      report build --format pdf
      report build --project path/to/report
    """
    from report.build import build as run_build
    from report.config import FORMATS
    from report.errors import ReportError

    wanted = None
    if formats:
        wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown:
            raise click.UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    root = _project_root(project)
    try:
        result = run_build(root, wanted)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    _print_diagnostics(result.diagnostics)
    if not quiet:
        rel = result.out_dir.relative_to(root) if result.out_dir.is_relative_to(root) else result.out_dir
        click.echo(f"built {', '.join(result.files)} in {rel}/")
