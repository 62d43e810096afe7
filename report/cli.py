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

    # dict.fromkeys: a finding in a file every language reads (the registry) is found by
    # each language of an --all-locales build, and said once.
    shown = sorted(dict.fromkeys(diagnostics), key=sort_key)
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
    """Build evidence-heavy reports with real footnotes from plain sources.

    \b
    Examples:
      report new my-report          # a project that builds and checks clean
      report build                  # build/<lang>/public/report.docx, report.pdf, report.html
      report serve                  # a live preview on http://127.0.0.1:8000/
      report COMMAND --help         # each command's options and examples
    """


@main.command()
@project_option
@click.option("--format", "formats", default=None, metavar="docx,pdf,html",
              help="Comma-separated subset of formats to build.")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed since the last build.")
@click.option("--no-wait", is_flag=True, help="Fail at once when another build of the project is running.")
@click.option("--locale", "-l", "locales", multiple=True, metavar="LANG",
              help="Build this translation (locales/LANG.po); repeat for several.")
@click.option("--all-locales", is_flag=True, help="Build the source language and every translation.")
@click.option("--allow-fuzzy", is_flag=True, help="Use unreviewed (fuzzy) translations; outputs are marked as drafts.")
@click.option("--strict", is_flag=True,
              help="Refuse untranslated and fuzzy segments and figures without alternative text (release builds).")
@click.option("--edition", type=click.Choice(["public", "confidential"]), default="public", show_default=True,
              help="public: confidential material left out, pseudonyms, leak check; confidential: everything, marked.")
@quiet_option
@verbose_option
def build(project: str | None, formats: str | None, force: bool, no_wait: bool, locales: tuple[str, ...],
          all_locales: bool, allow_fuzzy: bool, strict: bool, edition: str, quiet: bool, verbose: bool) -> None:
    """Check the project, then build build/<lang>/<edition>/report.{docx,pdf,html} and manifest.json.

    Errors stop the build and leave the previous outputs untouched; warnings are printed.
    The public edition (the default) is written only when no file of it holds a
    protected name or confidential text (LEAK001).

    \b
    Examples:
      report build
      report build --edition confidential
      report build --format pdf
      report build --locale az --allow-fuzzy
      report build --all-locales --strict
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
    try:
        config = load_config(root)
    except ReportError:
        config = None  # the build below reports it
    if config is None:
        languages = list(locales)
    elif all_locales:
        from report.all_locales import all_languages

        languages = all_languages(root)
    else:
        languages = list(dict.fromkeys(locales)) or [config.language]
    if not force and config is not None:
        from report.freshness import up_to_date

        fresh = [lang for lang in languages
                 if up_to_date(root, lang, wanted or config.outputs, allow_fuzzy and lang != config.language, edition)]
        for lang in fresh:
            if not quiet:
                click.echo(f"build/{lang}/{edition}/ is up to date (nothing changed since the last build)")
        languages = [lang for lang in languages if lang not in fresh]
        if not languages:
            return
    from report.all_locales import build_languages
    from report.build import Locale
    from report.build import build as run_build
    from report.progress import Progress

    progress = Progress(enabled=not quiet, verbose=verbose)
    try:
        if len(languages) > 1:
            results = build_languages(root, languages, wanted, progress, not no_wait, allow_fuzzy, strict, edition)
        else:
            locale = Locale(languages[0] if languages else None, allow_fuzzy, strict, edition)
            results = [run_build(root, wanted, progress, wait=not no_wait, locale=locale)]
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(exit_status(exc.diagnostics) or EXIT_ERRORS)
    _print_diagnostics([d for result in results for d in result.diagnostics], quiet=quiet)
    if not quiet:
        for result in results:
            rel = result.out_dir.relative_to(root) if result.out_dir.is_relative_to(root) else result.out_dir
            click.echo(f"built {', '.join(result.files)} in {rel}/")


@main.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="text (coloured on a terminal), json, or github workflow annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@quiet_option
@verbose_option
def check(project: str | None, fmt: str, strict: bool, quiet: bool, verbose: bool) -> None:
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
    from report.progress import Progress

    try:
        _, found = run_check(_project_root(project), Progress(verbose=verbose))
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


@main.command()
@click.argument("old")
@click.argument("new")
@project_option
@click.option("--locale", "-l", default=None, help="Language of the builds to compare (build/<locale>); revisions are "
              "built in it (a translation: locales/LANG.po).")
@click.option("--allow-fuzzy", is_flag=True, help="Build revisions' translations with fuzzy (draft) entries.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for diff.html, redline.docx and changes.json (default: build/diff/).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="The terminal summary: text, or json (summary counts per kind and the changes).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (as git diff --exit-code).")
@click.option("--edition", default="public", show_default=True, metavar="EDITION[,EDITION]",
              help="The edition of both builds (public or confidential), or OLD's and NEW's: "
                   "confidential,public lists what the public edition withholds.")
def diff(old: str, new: str, project: str | None, locale: str | None, allow_fuzzy: bool, out: str | None,
         fmt: str, exit_code: bool, edition: str) -> None:
    """Compare two builds of the report: OLD and NEW are build folders or git revisions.

    A revision is built in a temporary worktree; the working tree and build/ are not
    touched. Writes diff.html, redline.docx (NEW with tracked changes) and
    changes.json. Exit status: 0 (1 with --exit-code when something changed), 2 on
    bad input.

    \b
    Examples:
      report diff v1.0 HEAD
      report diff old-build/en build/en --format json
      report diff HEAD HEAD --edition confidential,public   # what the public edition withholds
    """
    from report.diff import run_diff
    from report.diff.text import to_json, to_text
    from report.errors import ReportError

    root = _project_root(project)
    out_dir = Path(out).resolve() if out else root / "build" / "diff"
    chosen = tuple(e.strip() for e in edition.split(","))
    if len(chosen) not in (1, 2) or any(e not in ("public", "confidential") for e in chosen):
        raise click.UsageError(f"--edition {edition}: give public or confidential, or two of them (OLD,NEW)")
    try:
        result = run_diff(old, new, root, out_dir, locale, allow_fuzzy, (chosen[0], chosen[-1]))
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(2)
    click.echo(to_json(result) if fmt == "json" else to_text(result))
    for remark in result.remarks:
        click.echo(f"note: {remark}", err=True)
    if fmt == "text":
        shown = out_dir.relative_to(root) if out_dir.is_relative_to(root) else out_dir
        click.echo(f"wrote {', '.join(result.files)} in {shown}/")
    sys.exit(1 if exit_code and result.changes else 0)


@main.command("import")
@click.argument("docx", type=click.Path(dir_okay=False))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False),
              help="Folder of the new project (created; must not exist or be empty).")
@click.option("--force", is_flag=True,
              help="Replace report.yaml, sections/, references/sources.yaml and templates of an existing project.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True),
              help="Take reference.docx, report.html.j2, report.css and notes.csl from this folder.")
def import_docx(docx: str, into: str, force: bool, templates: str | None) -> None:
    """Turn a Word report (.docx) into a project: report.yaml, sections/NN-slug.md,
    references/sources.yaml (footnotes as citations where recognised) and templates.

    Writes nothing when it fails; prints what was accepted, dropped or converted.

    \b
    Example:
      report import last-report.docx --into next-report
    """
    from report.errors import ReportError
    from report.importer import import_docx as run_import

    try:
        result = run_import(Path(docx), Path(into), force=force, templates=Path(templates) if templates else None,
                            shown=docx, shown_into=into)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics)
        sys.exit(EXIT_ERRORS)
    click.echo(f"imported {docx} into {into}/: {result.sections} section(s), {result.notes} note(s) "
               f"({result.cited} as citations), {result.entries} registry entries to review")
    for line in result.statements:
        click.echo(f"  {line}")


# Registered last: these modules import the helpers above.
from report.cli_i18n import i18n  # noqa: E402
from report.cli_project import new, serve  # noqa: E402
from report.cli_review import review  # noqa: E402
from report.cli_stats import stats  # noqa: E402

main.add_command(i18n)
main.add_command(new)
main.add_command(review)
main.add_command(serve)
main.add_command(stats)


def run() -> None:
    """The ``report`` command (``python -m report`` too): :func:`main`, then a hard
    exit. A build's last step is the interpreter tearing down the parsed report, the
    citation engine and the renderers object by object (25 ms of a 0.35 s build);
    everything is written and flushed by then, and no child is left (each build
    joins its worker), so the process ends without it, as mypy does."""
    import os

    try:
        main(prog_name="report")
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what sys.exit("message") would have printed
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: started with the stream closed (>&-)
                stream.flush()
        except (OSError, ValueError):  # a reader that left (| head), or a closed stream
            pass
    os._exit(code or 0)
