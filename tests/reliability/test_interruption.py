"""SIGKILL at random moments, two builds at once, a full disk, a read-only folder:
the outputs are always one complete build, the previous or the new one."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from pypdf import PdfReader

from report.build import build
from report.errors import ReportError
from tests.conftest import REPO, copy_shipped_project

KILLS = 24


def consistent(out) -> dict:
    """The manifest matches every file in the folder; the DOCX opens and the PDF parses."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(list(manifest["outputs"]) + ["manifest.json"])
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    with zipfile.ZipFile(out / "report.docx") as archive:
        assert archive.testzip() is None
    assert len(PdfReader(out / "report.pdf").pages) > 3
    return manifest


@pytest.fixture
def project(tmp_path):
    root = copy_shipped_project(tmp_path / "p")
    build(root)
    return root


def test_killed_builds_leave_the_previous_or_the_new_outputs(project):
    out = project / "build" / "en" / "public"
    section = project / "sections" / "06-conclusion.md"
    original = section.read_text(encoding="utf-8")
    seen = {json.dumps(consistent(out)["outputs"], sort_keys=True)}
    rng = random.Random(20261127)
    for kill in range(KILLS):
        # Each build has something new to write, so a kill can land mid-way through it.
        section.write_text(original + f"\nEdit number {kill}.\n", encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "report", "build", "-q", "--force", "-p", str(project)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.05, 1.6))
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its PDF worker
        proc.wait()
        seen.add(json.dumps(consistent(out)["outputs"], sort_keys=True))
    build(project)  # cleans up whatever the kills left
    consistent(out)
    assert sorted(p.name for p in out.parent.parent.iterdir()) == [".lock", "en"]
    assert len(seen) >= 2  # some kills came after a build had finished its swap


def test_two_builds_at_once_queue_behind_the_lock(project):
    lock_probe = (
        "import sys, time\nfrom pathlib import Path\nfrom report.outputs import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    time.sleep(3)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", lock_probe, str(project)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    refused = subprocess.run([sys.executable, "-m", "report", "build", "--no-wait", "--force", "-p", str(project)],
                             capture_output=True, text=True)
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith("error[OUT002]: another build of this project is running "
                                           "(wait for it, or run without --no-wait to queue behind it)")
    start = time.perf_counter()
    waited = subprocess.run([sys.executable, "-m", "report", "build", "-q", "--force", "--format", "html", "-p", str(project)],
                            capture_output=True, text=True)
    assert waited.returncode == 0, waited.stderr
    assert holder.wait() == 0
    assert time.perf_counter() - start > 1  # it waited for the holder to finish
    consistent(project / "build" / "en" / "public")


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_disk_full_or_read_only_keeps_the_previous_outputs(project, monkeypatch, failure):
    out = project / "build" / "en" / "public"
    before = consistent(out)
    real_open = open

    def failing_open(path, mode="r", *args, **kwargs):
        if "w" in mode and ".report-stage-" in str(path):
            raise OSError(failure, os.strerror(failure))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    section = project / "sections" / "06-conclusion.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        build(project, ("html", "docx"))
    assert caught.value.diagnostics[0].format() == f"build/en/public:1:1: error[OUT001]: cannot write outputs: {os.strerror(failure)}"
    monkeypatch.undo()
    assert consistent(out) == before
    assert sorted(p.name for p in out.parent.parent.iterdir()) == [".lock", "en"]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(p) for p in handle.read().split()]
    except FileNotFoundError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/task") or (os.cpu_count() or 1) < 2,
                    reason="needs Linux's /proc and a second core (for the render worker)")
@pytest.mark.parametrize("moment", ["while the worker waits", "while the worker renders"])
def test_a_killed_build_leaves_no_worker_holding_the_lock(project, moment):
    """Only the build process is killed (a supervisor's SIGKILL to its pid): its render
    worker, forked while the build lock was held, exits too and never keeps the lock."""
    section = project / "sections" / "06-conclusion.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "report", "build", "-q", "--force", "--format", "pdf",
                             "-p", str(project)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not _children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.005)
    [worker] = _children(proc.pid)
    if moment == "while the worker renders":
        time.sleep(0.8)  # past the parse and WeasyPrint's import: laying out pages
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)
    after = subprocess.run([sys.executable, "-m", "report", "build", "-q", "--no-wait", "--format", "html",
                            "-p", str(project)], capture_output=True, text=True)
    assert after.returncode == 0, after.stderr


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux's /proc")
def test_a_worker_whose_parent_died_at_once_exits():
    """The parent dies right after forking, before the worker has even set itself up:
    the worker still ends (it knows its parent's pid from before the fork, and sees the
    end of its job pipe), rather than waiting forever for a job."""
    script = (
        "import os, sys\n"
        "from report.render.run import RenderWorker\n"
        "worker = RenderWorker('docx', 'en')\n"
        "print(worker._process.pid, flush=True)\n"
        "os._exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    worker = int(done.stdout.strip())
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    fields = handle.read().split(") ", 1)[1].split()
            except (FileNotFoundError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[3]) == sid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not os.path.exists("/proc/self/task") or (os.cpu_count() or 1) < 2,
                    reason="needs Linux's /proc and a second core (for the render pool)")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_all_locales_build_leaves_no_process_and_no_traceback(project, signum):
    """--all-locales renders the languages' PDFs in a pool and its forks: Ctrl-C (or a
    SIGKILL of the build alone) while they render ends every one of them, quietly."""
    shutil.copytree(REPO / "locales", project / "locales")
    proc = subprocess.Popen([sys.executable, "-m", "report", "build", "-q", "--force", "--all-locales",
                             "--allow-fuzzy", "-p", str(project)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 20
    while len(_session(proc.pid)) < 3 and time.monotonic() < deadline:  # the build, the pool, a render
        time.sleep(0.005)
    proc.send_signal(signum)  # a render is under way: the build cannot have ended yet
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err
    deadline = time.monotonic() + 5
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session(proc.pid) == []
