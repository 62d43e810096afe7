"""Whole builds of the shipped report: reproducible, atomic, with a truthful manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os

import pytest
from click.testing import CliRunner

from report.build import build
from report.cli import main
from report.errors import ReportError
from tests.conftest import copy_shipped_project

FORMATS = ("docx", "pdf", "html")


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@contextlib.contextmanager
def edited(root, old: str, new: str, rel: str = "sections/02-first-karabakh-war.md"):
    """The section with ``old`` replaced by ``new`` while the block runs, then as it was."""
    section = root / rel
    original = section.read_text(encoding="utf-8")
    assert old in original
    section.write_text(original.replace(old, new), encoding="utf-8")
    try:
        yield
    finally:
        section.write_text(original, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_shipped_project(tmp_path_factory.mktemp("shipped"))
    result = build(root)
    return root, result


def test_build_writes_every_output_and_a_manifest(built):
    root, result = built
    out = root / "build" / "en" / "public"
    assert result.out_dir == out
    assert sorted(p.name for p in out.iterdir()) == [
        "evidence.csv", "evidence.html", "manifest.json", "model.json", "report.docx", "report.html", "report.pdf"]
    data = json.loads((out / "manifest.json").read_text())
    assert data["tool"] == "report" and data["version"]
    for name, digest in data["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert "report.yaml" in data["inputs"] and "references/sources.yaml" in data["inputs"]
    assert any(path.startswith("sections/") for path in data["inputs"])
    for rel, digest in data["inputs"].items():
        if digest is None:  # an optional file the project has not (references/people.yaml): adding it rebuilds
            assert not (root / rel).exists()
            continue
        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == digest


def test_model_json_is_the_resolved_model(built):
    root, _ = built
    data = json.loads((root / "build" / "en" / "public" / "model.json").read_text(encoding="utf-8"))
    text = json.dumps(data["document"], separators=(",", ":"))
    assert text.count('"type":"Footnote"') == 14 and '"type":"Citation"' not in text
    assert "hrw-1992-bloodshed" in data["registry"]
    assert len(data["incidents"]) >= 10


def test_two_builds_are_byte_identical(built):
    root, _ = built
    before = digests(root / "build" / "en" / "public")
    build(root)
    assert digests(root / "build" / "en" / "public") == before


def test_source_date_epoch_dates_every_output(built, monkeypatch):
    root, _ = built
    out = root / "build" / "en" / "public"
    before = digests(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(root)
    dated = digests(out)
    for name in ("report.html", "report.pdf", "report.docx"):
        assert dated[name] != before[name], name
    from pypdf import PdfReader

    assert PdfReader(out / "report.pdf").metadata.creation_date.date().isoformat() == "2023-11-14"
    assert '<meta name="dcterms.created" content="2023-11-14T22:13:20+00:00">' in (out / "report.html").read_text()
    build(root)
    assert digests(out) == dated
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(root)
    assert digests(out) == before


def test_builds_in_separate_processes_with_other_hash_seeds_are_identical(built, tmp_path):
    import os
    import subprocess
    import sys

    root, _ = built
    results = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "report", "build", "-q", "-p", str(root)], env=env, check=True)
        results.append(digests(root / "build" / "en" / "public"))
    assert results[0] == results[1]


def test_failed_build_leaves_previous_outputs_intact(built):
    root, _ = built
    out = root / "build" / "en" / "public"
    before = digests(out)
    with edited(root, "[@hrw-1992-bloodshed, pp. 25–26]", "[@hrw-1992-bloodshd, pp. 25–26]"):
        result = CliRunner().invoke(main, ["build", "--project", str(root)])
    assert result.exit_code == 1
    assert "error[CIT001]: unknown citation key 'hrw-1992-bloodshd' (did you mean 'hrw-1992-bloodshed'?)" in result.stderr
    assert digests(out) == before


def test_renderer_failure_after_others_succeeded_writes_nothing(built, monkeypatch):
    root, _ = built
    out = root / "build" / "en" / "public"
    before = digests(out)
    (root / "sections" / "01-introduction.md").write_text(
        (root / "sections" / "01-introduction.md").read_text(encoding="utf-8") + "\nAn added paragraph.\n", encoding="utf-8")
    from report.diagnostics import Location, error
    from report.render import pdf

    def explode(self, document, context):
        raise ReportError(error("PDF001", "simulated failure", Location("templates/report.css")))

    monkeypatch.setattr(pdf.PdfRenderer, "render", explode)
    with pytest.raises(ReportError):
        build(root)
    assert digests(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]  # no staging folder left
    assert sorted(p.name for p in out.parent.parent.iterdir()) == [".lock", "en"]


def test_killed_between_the_two_renames_is_recovered(built):
    root, _ = built
    out = root / "build" / "en" / "public"
    before = digests(out)
    aside = out.parent / ".public.report-old-12345"
    out.rename(aside)  # as if the build died after moving the old outputs aside
    (out.parent / ".public.report-stage-abc").mkdir()
    build(root, ("html",))
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]
    after = digests(out)
    assert after["report.pdf"] == before["report.pdf"] and after["report.docx"] == before["report.docx"]


def test_a_subset_build_keeps_the_other_outputs(built):
    root, _ = built
    out = root / "build" / "en" / "public"
    before = digests(out)
    build(root, ("html",))
    assert digests(out)["report.pdf"] == before["report.pdf"]
    data = json.loads((out / "manifest.json").read_text())
    assert data["built"] == ["evidence.csv", "evidence.html", "model.json", "report.html"]
    assert data["outputs"]["report.pdf"] == before["report.pdf"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the render worker needs a second core")
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_render_worker_and_a_single_process_make_the_same_bytes(built, fmt, monkeypatch):
    """With a spare core the PDF (else the DOCX) is rendered in a worker forked before
    parsing, which opened the reference document early; on one core everything is
    rendered here. Both give the same file."""
    import multiprocessing

    from report.build import build_unlocked
    from report.render.run import RenderWorker

    submitted = []
    original = RenderWorker.submit
    monkeypatch.setattr(RenderWorker, "submit", lambda self, *a: submitted.append(self.format) or original(self, *a))
    root, _ = built
    build(root, (fmt,))
    assert submitted == [fmt]
    in_worker = digests(root / "build" / "en" / "public")[f"report.{fmt}"]
    build_unlocked(root, (fmt,), parallel=False)
    assert digests(root / "build" / "en" / "public")[f"report.{fmt}"] == in_worker
    assert multiprocessing.active_children() == []


def test_a_build_that_fails_leaves_no_worker_behind(built, monkeypatch):
    """A check error (before the render) and a renderer crash (during it) both end the
    worker: it neither keeps running nor holds the build lock."""
    import multiprocessing

    from report.build import build_unlocked
    from report.render import html

    root, _ = built
    section = root / "sections" / sorted(p.name for p in (root / "sections").iterdir())[0]
    text = section.read_text(encoding="utf-8")
    section.write_text(text + "\n\nAn unknown source.[@no-such-key]\n", encoding="utf-8")
    with pytest.raises(ReportError):
        build_unlocked(root, ("pdf", "html"))
    assert multiprocessing.active_children() == []
    section.write_text(text, encoding="utf-8")

    def crash(*args, **kwargs):
        raise RuntimeError("a renderer bug")

    import threading

    uncaught = []
    monkeypatch.setattr(threading, "excepthook", uncaught.append)
    monkeypatch.setattr(html.HtmlRenderer, "render", crash)
    with pytest.raises(RuntimeError):
        build_unlocked(root, ("pdf", "html"))
    assert multiprocessing.active_children() == []
    # The thread still writing the job to the stopped worker ends quietly, no traceback.
    assert [(u.exc_type, str(u.exc_value)) for u in uncaught] == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the render worker needs a second core")
def test_a_check_error_found_while_the_worker_renders_stops_the_build(built, monkeypatch):
    """When reading and citing find no error, the worker gets its document before the
    check rules run; an error those rules then find (a backwards page range) still
    stops the build: nothing written, the worker ended, the error reported."""
    import multiprocessing

    from report.render.run import RenderWorker

    submitted = []
    original = RenderWorker.submit
    monkeypatch.setattr(RenderWorker, "submit", lambda self, *a: submitted.append(self.format) or original(self, *a))
    root, _ = built
    out = root / "build" / "en" / "public"
    before = digests(out)
    with edited(root, "[@hrw-1992-bloodshed, pp. 25–26]", "[@hrw-1992-bloodshed, pp. 26–25]"):
        with pytest.raises(ReportError) as raised:
            build(root, ("docx",))
    assert submitted == ["docx"]  # handed over before the checks found the error
    assert [d.code for d in raised.value.diagnostics if d.severity.name == "ERROR"] == ["CIT006"]
    assert multiprocessing.active_children() == []
    assert digests(out) == before


def test_the_hard_exit_keeps_the_commands_output_and_exit_status(built, tmp_path):
    """``report`` ends with os._exit (no teardown of the parsed report): what it printed
    to a pipe is all there, the exit status is the command's (0, 1 for an error, 2 for
    a usage error), and a closed standard output is no traceback."""
    import subprocess
    import sys

    root, _ = built
    checked = subprocess.run([sys.executable, "-m", "report", "check", "--format", "json", "-p", str(root)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert isinstance(json.loads(checked.stdout), list)
    missing = subprocess.run([sys.executable, "-m", "report", "build", "-p", str(tmp_path)],
                             capture_output=True, text=True, check=False)
    assert missing.returncode == 1
    assert missing.stderr.strip().endswith("error[CFG001]: no report.yaml in this folder "
                                           "(run in a project folder or pass --project DIR)")
    usage = subprocess.run([sys.executable, "-m", "report", "buidl"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "No such command 'buidl'" in usage.stderr
    closed = subprocess.run([sys.executable, "-m", "report", "--version"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, check=False, preexec_fn=lambda: os.close(1))
    assert closed.returncode in (0, 1) and "Traceback" not in closed.stderr
