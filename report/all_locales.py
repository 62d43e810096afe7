"""``report build --all-locales``: several languages of one edition, at once.

Takes the project and its languages; builds each as report.build builds one (read,
cite and check, render, write), with the languages' slowest format (the PDF, else the
DOCX) rendered by one RenderPool forked at the start (report.render.pool) while this
process checks every language and renders its other formats. Every language is built
or reported; the errors of any are one ReportError at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

# The stages are called through the module: one language's recipe, however it is set up.
from report import build as recipe
from report.build import QUIET, BuildResult, Locale, Progress, ReportError, _CheckedBuild, _StartedBuild, build_lock


def _start_pool(root: Path, formats, languages: list[str]):
    """A RenderPool for the languages' PDFs (else DOCX files), or None (no such format,
    one core, report.yaml unreadable: the languages are then built as before)."""
    from report.render.pool import RenderPool

    found = recipe._render_setup(root, formats)
    if found is None:
        return None
    _, formats, templates = found
    return RenderPool.start(formats, languages, templates)


def all_languages(root: Path) -> list[str]:
    """The source language and every language with a ``locales/<lang>.po``."""
    from report.config import load_config

    source = load_config(root).language
    return [source] + [lang for lang in recipe._translations(root) if lang != source]


def build_languages(root: Path, languages: list[str], formats=None, progress: Progress = QUIET, wait: bool = True,
                    allow_fuzzy: bool = False, strict: bool = False, edition: str = "public") -> list[BuildResult]:
    """Build several languages (of one edition), in parallel processes when there are cores
    to spare. Every language is built or reported; errors of any raise one ReportError at the end."""
    locales = [Locale(lang, allow_fuzzy, strict, edition) for lang in languages]
    import multiprocessing

    with build_lock(root, wait):
        cores = os.cpu_count() or 1
        if cores < 2 or len(locales) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            outcomes = [_build_outcome(root, formats, locale, True, progress) for locale in locales]
        elif (pool := _start_pool(root, formats, languages)) is not None:
            outcomes = _build_with_pool(root, formats, locales, progress, pool)
        else:  # no PDF or DOCX to pool (or no fork): one process a language, as each builds alone
            from concurrent.futures import ProcessPoolExecutor

            from report.children import child_setup

            # Ctrl-C reaches every language's process, as it always did; child_setup
            # only keeps a worker from holding the build lock past its parent.
            with ProcessPoolExecutor(min(len(locales), cores), mp_context=multiprocessing.get_context("fork"),
                                     initializer=child_setup, initargs=(os.getpid(), False)) as pool:
                futures = [pool.submit(_build_outcome, root, formats, locale, False) for locale in locales]
                with progress.stage(f"build {', '.join(languages)}"):
                    outcomes = [future.result() for future in futures]
    problems = [d for outcome in outcomes if isinstance(outcome, list) for d in outcome]
    if problems:
        raise ReportError(problems + [d for o in outcomes if isinstance(o, BuildResult) for d in o.diagnostics])
    return outcomes


def _build_with_pool(root: Path, formats, locales: list[Locale], progress: Progress, pool) -> list:
    """Every language checked and its PDF (or DOCX) handed to the pool first (see
    RenderPool.start for how many render at once), then each language's other formats
    rendered here while the pool works; then each language written. A BuildResult or the
    errors (a list) a language. The checked languages are held here all at once, not one
    after the other: 3 MiB more at the peak for three languages of a 10-copy report."""
    outcomes: dict[str, object] = {}
    started: dict[str, _StartedBuild] = {}
    failed = True
    try:
        with progress.stage(f"build {', '.join(locale.language for locale in locales)}"):
            # Every language's PDF goes to the pool before any DOCX or HTML is rendered
            # here: the last language's PDF would otherwise start last and end alone,
            # one core idle, while the others' other formats took its place.
            checked: dict[str, _CheckedBuild] = {}
            for locale in locales:
                try:
                    worker = pool.job(locale.language)
                    checked[locale.language] = recipe._check_build(root, formats, QUIET, locale, worker)
                except ReportError as exc:
                    outcomes[locale.language] = exc.diagnostics
            for language in list(checked):
                try:
                    started[language] = recipe._render_here(checked.pop(language), QUIET)
                except ReportError as exc:
                    outcomes[language] = exc.diagnostics  # (its PDF, rendered meanwhile, is left unread)
            for build in started.values():
                recipe._finish_rendering(build, QUIET, free_memory=False)
        failed = False
    finally:
        pool.close(abort=failed)
    for language, build in started.items():
        try:
            outcomes[language] = recipe._write_build(root, build, QUIET)
        except ReportError as exc:
            outcomes[language] = exc.diagnostics
    return [outcomes[locale.language] for locale in locales]


def _build_outcome(root, formats, locale, parallel, progress: Progress = QUIET):
    """A BuildResult, or the errors as a list, so every language's errors are collected."""
    try:
        return recipe.build_unlocked(root, formats, progress, locale, parallel)
    except ReportError as exc:
        return exc.diagnostics


