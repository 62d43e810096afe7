"""``report review``: a reviewer's Word file back into the sources, kept apart from
``report.cli`` so each module stays readable; heavy imports stay inside the command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from report.cli import _print_diagnostics, _project_root, project_option, quiet_option


@click.command()
@click.argument("reviewed")  # a folder given: run_review's located REV001, not a usage error
@project_option
@click.option("--base", "base", default=None,  # a file given: run_review's located REV009
              help="The build folder the reviewed file came from (default: the build/<lang>/ it names), "
                   "or the git revision (tag, branch, commit) it was built from: built again in a temporary worktree.")
@click.option("--apply", "apply", is_flag=True, help="Write the changes into the sources (all or nothing).")
@click.option("--comments-in-source", "comments_in_source", is_flag=True,
              help="Also put each comment into the sources at its place, as <!-- review … --> (never shown).")
@click.option("--locale", "-l", "locale", default=None,
              help="The language the file was built in (it says so itself; for a file that lost its properties, "
                   "such as a Google Docs export, with --base REV).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="text (a line per change and comment), json (review.json, and what --apply wrote), or github "
                   "workflow annotations.")
@quiet_option
def review(reviewed: str, project: str | None, base: str | None, apply: bool, comments_in_source: bool,
           locale: str | None, fmt: str, quiet: bool) -> None:
    """Put a reviewer's tracked changes and comments (Word or LibreOffice) back into
    the Markdown sources.

    Prints each change and comment at its place in the sources, and writes
    build/review/changes.patch (for git apply), review.json and review.html
    (each change and comment beside its source lines); --apply also
    changes the sources. Changes to text the tool writes (notes made by the
    citation style, numbers) are listed as not applied. When sections changed
    since the build (their text then found in git), the review is merged three
    ways: a change whose words were edited since is a conflict, not applied.
    Exit status: 0, 1 when there are conflicts, or 2 on bad input (not a Word
    file, not a build of this project, sources changed since and not in git).

    \b
    Examples:
      report review reviewed.docx
      report review reviewed.docx --apply
      report review reviewed.docx --apply --comments-in-source
      report review reviewed.docx --base release/en
      report review reviewed.docx --base v1.0
      report review reviewed.docx --format github
    """
    from report.errors import ReportError
    from report.review import run_review
    from report.review.output import finding_line, summary

    root = _project_root(project)
    # --base: a folder when there is one of that name, else a git revision (as `report diff` reads its sides)
    folder = Path(base).resolve() if base and Path(base).exists() else None
    try:
        result = run_review(Path(reviewed), root, folder, apply, shown=reviewed, comments_in_source=comments_in_source,
                            base_rev=base if base and folder is None else None, locale=locale)
    except ReportError as exc:
        _print_diagnostics(exc.diagnostics, fmt)
        sys.exit(2)
    if fmt != "text":
        _print_formatted(result, root, fmt)
    elif not quiet:
        for finding in result.findings:
            click.echo(finding_line(finding))
    if base is None and not result.build.startswith("build/") and not quiet and fmt == "text":
        click.echo(f"reviewed against {result.build}")  # the file's revision, built again
    for line in summary(result.findings, result.written, "build/review", result.applied, result.merged):
        if fmt == "text" and (not quiet or line.startswith("applied")):
            click.echo(line)
    if any(f.kind == "conflict" for f in result.findings):
        sys.exit(1)  # changes that collide with edits made since the build: not applied


def _print_formatted(result, root: Path, fmt: str) -> None:
    """``--format json``: review.json as written in build/review/, with the files --apply
    changed and the sections merged three ways; ``github``: one workflow annotation per
    finding (a conflict an error, a change not applied a warning, the others notices)."""
    import json

    from report.review.output import annotation

    if fmt == "json":
        data = json.loads((root / "build" / "review" / "review.json").read_text(encoding="utf-8"))
        data.update(applied=list(result.applied), merged=list(result.merged))
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
        return
    for finding in result.findings:
        click.echo(annotation(finding))
