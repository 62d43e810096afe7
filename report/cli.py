"""The ``report`` command: parses options, calls the library, maps results to exit codes.

Heavy modules (renderers, citeproc) are imported inside the commands that need
them so ``report --help`` stays fast; ``report check`` never imports a renderer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from report import __version__

EXIT_ERRORS = 1  # usage errors exit 2 through click; report.diagnostics.exit_status decides the rest

project_option = click.option("--project", "-p", type=click.Path(file_okay=False),
                              help="Project folder (default: the current one).")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Print the time of each stage.")


def _print_diagnostics(diagnostics, fmt: str = "text", quiet: bool = False) -> None:
    from report.diagnostics import Severity, format_github, format_text, sort_key, to_json

    shown = sorted(diagnostics, key=sort_key)
    if quiet:
        shown = [d for d in shown if d.severity is Severity.ERROR]
    if fmt == "json":
        click.echo(json.dumps(to_json(shown), indent=2, ensure_ascii=False))
        return
    colour = fmt == "text" and sys.stderr.isatty()
    for diagnostic in shown:
        line = format_github(diagnostic) if fmt == "github" else format_text(diagnostic, colour)
        click.echo(line, err=fmt == "text")


def _project_root(project: str | None) -> Path:
    return Path(project).resolve() if project else Path.cwd()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report")
def main() -> None:
    """Build evidence-heavy reports with real footnotes from plain sources."""


@main.command()
@project_option
@click.option("--format", "formats", default=None, metavar="docx,pdf,html",
              help="Comma-separated subset of formats to build.")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed since the last build.")
@click.option("--no-wait", is_flag=True, help="Fail at once when another build of the project is running.")
@quiet_option
@verbose_option
def build(project: str | None, formats: str | None, force: bool, no_wait: bool, quiet: bool, verbose: bool) -> None:
    """Check the project, then build build/<lang>/report.{docx,pdf,html} and manifest.json.

    Errors stop the build and leave the previous outputs untouched; warnings are printed.

    \b
    Examples:
      report build
      report build --format pdf
      report build --project path/to/report
    """
    from report.config import FORMATS, load_config
    from report.errors import ReportError

    wanted = None
    if formats:
        wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown:
            raise click.UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    from report.diagnostics import exit_status

    root = _project_root(project)
    if not force:
        from report.freshness import up_to_date

        try:
            config = load_config(root)
        except ReportError:
            config = None  # the build below reports it
        if config is not None and up_to_date(root, config.language, wanted or config.outputs):
            if not quiet:
                click.echo(f"build/{config.language}/ is up to date (nothing changed since the last build)")
            return
    from report.build import build as run_build
    from report.progress import Progress

    try:
        result = run_build(root, wanted, Progress(enabled=not quiet, verbose=verbose), wait=not no_wait)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(exit_status(exc.diagnostics) or EXIT_ERRORS)
    _print_diagnostics(result.diagnostics, quiet=quiet)
    if not quiet:
        rel = result.out_dir.relative_to(root) if result.out_dir.is_relative_to(root) else result.out_dir
        click.echo(f"built {', '.join(result.files)} in {rel}/")


@main.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="text (coloured on a terminal), json, or github workflow annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@quiet_option
def check(project: str | None, fmt: str, strict: bool, quiet: bool) -> None:
    """Check citations, locators, the registry, typography, incidents and provisions.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage error.

    \b
    Examples:
      report check
      report check --format github --strict
    """
    from report.build import check as run_check
    from report.diagnostics import exit_status
    from report.errors import ReportError

    try:
        _, found = run_check(_project_root(project))
    except ReportError as exc:
        found = exc.diagnostics
    _print_diagnostics(found, fmt, quiet and not strict)
    sys.exit(exit_status(found, strict))


@main.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def notes(project: str | None, fmt: str) -> None:
    """List every footnote: number, source location, cited keys and locators, and the
    position the style gave each cite (first, subsequent, ibid, ibid-with-locator) with why.

    \b
    Example:
      report notes
    """
    from report.build import load
    from report.errors import ReportError
    from report.model import plain_text

    try:
        loaded = load(_project_root(project))
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    rows = []
    for note in loaded.document.footnotes():
        rows.append({
            "number": note.number, "location": str(note.location), "text": plain_text(note.children),
            "cites": [{"key": c.key, "locator": f"{c.locator_label} {c.locator}" if c.locator else None,
                       "position": c.position, "reason": c.reason, "location": str(c.location)} for c in note.cites],
        })
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['number']:>3}  {row['location']}")
        for cite in row["cites"]:
            locator = f", {cite['locator']}" if cite["locator"] else ""
            click.echo(f"     @{cite['key']}{locator}: {cite['position']} ({cite['reason']})")
        if not row["cites"]:
            click.echo("     (free text, no citation)")
