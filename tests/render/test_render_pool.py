"""--all-locales renders every language's PDF in processes forked from one warm pool
(report.render.pool): the same files as building each language alone, each language's
failure its own, and no process left behind whatever happens."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal

import pytest

from report.all_locales import build_languages
from report.build import Locale, build_unlocked
from report.errors import ReportError
from report.progress import QUIET
from report.render import pool as pool_module
from tests.conftest import REPO, copy_shipped_project

LANGUAGES = ["en", "az", "ru"]


@pytest.fixture
def project(tmp_path):
    root = copy_shipped_project(tmp_path / "p")
    shutil.copytree(REPO / "locales", root / "locales")
    return root


@pytest.fixture
def submitted(monkeypatch):
    keys = []
    original = pool_module.RenderPool.submit
    monkeypatch.setattr(pool_module.RenderPool, "submit",
                        lambda self, key, *args: keys.append(key) or original(self, key, *args))
    return keys


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_all_locales_write_the_same_files_as_each_language_alone(project, submitted):
    results = build_languages(project, LANGUAGES, None, QUIET, True, True, False)
    assert submitted == LANGUAGES  # the PDFs went to the pool
    assert [r.out_dir.parent.name for r in results] == LANGUAGES
    together = {lang: _files(project / "build" / lang / "public") for lang in LANGUAGES}
    for lang in LANGUAGES:
        build_unlocked(project, None, QUIET, Locale(lang, True, False), parallel=False)
        alone = _files(project / "build" / lang / "public")
        assert sorted(alone) == sorted(together[lang])
        for name in alone:
            assert alone[name] == together[lang][name], f"{lang}/{name}"
    assert multiprocessing.active_children() == []


def test_every_pdf_goes_to_the_pool_before_any_other_format_renders_here(project, monkeypatch):
    # Else the last language's PDF starts last and ends alone, one core idle.
    from report.render import run

    events = []
    submit, render_one = pool_module.RenderPool.submit, run._render_one
    monkeypatch.setattr(pool_module.RenderPool, "submit",
                        lambda self, key, *args: events.append(("pdf", key)) or submit(self, key, *args))
    monkeypatch.setattr(run, "_render_one", lambda fmt, document, *args: events.append(
        (fmt, document.metadata.language)) or render_one(fmt, document, *args))
    monkeypatch.setattr(run, "_return_freed_memory", lambda: events.append("collect"))
    build_languages(project, LANGUAGES, ("pdf", "docx", "html"), QUIET, True, True, False)
    # No collection while waiting: the renders still at work would lose its time.
    assert "collect" not in events
    assert events[:3] == [("pdf", lang) for lang in LANGUAGES]
    assert sorted(events[3:]) == sorted((fmt, lang) for fmt in ("docx", "html") for lang in LANGUAGES)


def test_a_language_that_fails_leaves_the_others_built(project, submitted):
    with pytest.raises(ReportError) as caught:
        build_languages(project, ["en", "zz", "ru"], ("pdf",), QUIET, True, True, False)
    errors = [d for d in caught.value.diagnostics if d.severity.name == "ERROR"]
    assert [(d.code, d.location.path) for d in errors] == [("PO002", "locales/zz.po")]
    assert submitted == ["en", "ru"]
    for lang in ("en", "ru"):
        assert (project / "build" / lang / "public" / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert not (project / "build" / "zz" / "public").exists()
    assert multiprocessing.active_children() == []


def test_a_render_killed_is_reported_for_its_language_only(project, monkeypatch):
    original = pool_module._render_job

    def render_job(fmt, job, out, *rest):
        if "ru" in multiprocessing.current_process().name:
            os.kill(os.getpid(), signal.SIGKILL)
        original(fmt, job, out, *rest)

    monkeypatch.setattr(pool_module, "_render_job", render_job)
    with pytest.raises(ReportError) as caught:
        build_languages(project, LANGUAGES, ("pdf",), QUIET, True, True, False)
    [stopped] = [d for d in caught.value.diagnostics if d.severity.name == "ERROR"]
    assert stopped.code == "REN001" and "render process stopped" in stopped.message
    assert (project / "build" / "en" / "public" / "report.pdf").exists() and (project / "build" / "az" / "public" / "report.pdf").exists()
    assert not (project / "build" / "ru" / "public").exists()
    assert multiprocessing.active_children() == []


def test_a_language_failing_after_its_pdf_was_sent_leaves_the_others_built(project, monkeypatch):
    # Its render's result is never asked for: the pool must not hang writing it (2 MB,
    # more than a pipe holds) while the build waits for the pool to end.
    import time

    import report.build as build_module
    from report.diagnostics import Location, error

    render_here = build_module._render_here

    def failing(checked, progress):
        if checked.document.metadata.language == "az":
            raise ReportError(error("REN001", "cannot render the HTML", Location("report.yaml", 1, 1)))
        return render_here(checked, progress)

    def render_one(fmt, document, context, live=False):
        if document.metadata.language == "az":
            time.sleep(1)  # its result comes last, after those the build reads
        return b"%PDF-" + b"0" * 2_000_000, []

    monkeypatch.setattr(build_module, "_render_here", failing)
    monkeypatch.setattr(pool_module, "_render_one", render_one)

    class Stuck(Exception):  # not TimeoutError: an OSError, which waitpid's caller swallows
        pass

    def stuck(signum, frame):
        raise Stuck("the build waited for the pool for a minute")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(60)
    try:
        with pytest.raises(ReportError) as caught:
            build_languages(project, LANGUAGES, ("pdf", "html"), QUIET, True, True, False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [d.code for d in caught.value.diagnostics if d.severity.name == "ERROR"] == ["REN001"]
    assert (project / "build" / "en" / "public" / "report.pdf").stat().st_size > 2_000_000
    assert (project / "build" / "ru" / "public" / "report.pdf").exists() and not (project / "build" / "az" / "public").exists()
    assert multiprocessing.active_children() == []


def test_a_crash_while_checking_stops_the_pool_and_its_renders(project, monkeypatch):
    import report.build as build_module

    original = build_module._check_build

    def check_build(root, formats, progress, locale, worker):
        if locale.language == "ru":
            raise RuntimeError("a bug")
        return original(root, formats, progress, locale, worker)

    monkeypatch.setattr(build_module, "_check_build", check_build)
    with pytest.raises(RuntimeError):
        build_languages(project, LANGUAGES, ("pdf",), QUIET, True, True, False)
    assert multiprocessing.active_children() == []
    assert not any((project / "build" / lang / "public").exists() for lang in LANGUAGES)


def test_without_a_pdf_or_docx_the_languages_build_in_a_process_each(project, submitted):
    results = build_languages(project, LANGUAGES, ("html",), QUIET, True, True, False)
    assert submitted == []  # nothing worth a pool
    for lang, result in zip(LANGUAGES, results):
        assert result.out_dir.parent.name == lang and "report.html" in result.files
        assert (project / "build" / lang / "public" / "report.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert multiprocessing.active_children() == []
