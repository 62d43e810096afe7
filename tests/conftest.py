"""Shared test helpers: the repository root, the seed, and ``make_project``."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """shared/: REPORT_SHARED, else beside the clone (as CI has it), else beside the
    checkout a clone made elsewhere was cloned from (`git clone . /tmp/fresh`)."""
    if os.environ.get("REPORT_SHARED"):
        return Path(os.environ["REPORT_SHARED"])
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside
    import subprocess

    try:
        origin = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and "://" not in origin and ":" not in origin.split("/")[0]:  # a local path, not a URL
        cloned_from = Path(origin).expanduser().resolve()
        if (cloned_from.parent / "shared").is_dir():
            return cloned_from.parent / "shared"
    return beside


# The seed and the import fixtures are read in place from shared/ (never written there).
SHARED = _shared()
SEED = SHARED / "seed" / "000_d1baae04751f4244.txt"


def pytest_configure(config):
    if not SEED.is_file():
        raise pytest.UsageError(f"the seed is not at {SEED}: clone beside shared/, or set REPORT_SHARED "
                                "to the shared folder")

MINIMAL = {
    "report.yaml": """\
        title: A Minimal Report
        organization: Test Org
        language: en
        date: 2024-05-01
        sections:
          - 01-intro.md
        citation-style: templates/notes.csl
        """,
    "sections/01-intro.md": """\
        ---
        title: Introduction
        ---

        The first claim cites a source[@un-2020, p. 3].

        A second paragraph with a free note.^[See also [@ngo-2021, para. 12].]
        """,
    "references/sources.yaml": """\
        - id: un-2020
          type: report
          author:
            - literal: United Nations
          title: A Report
          genre: UN document
          number: A/75/123
          issued: 2020-06-01
          language: en
        - id: ngo-2021
          type: webpage
          author:
            - literal: An NGO
          title: A Web Page
          URL: https://example.org/page
          accessed: 2024-04-30
          issued: 2021
          language: en
        """,
}


def write_project(root: Path, files: dict[str, str | bytes | None], templates: bool = True) -> Path:
    """Write a project from ``files`` (path → text; None deletes) over the minimal one."""
    merged = {**MINIMAL, **files}
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    if templates:
        dest = root / "templates"
        dest.mkdir(exist_ok=True)
        for template in (REPO / "templates").iterdir():
            rel = f"templates/{template.name}"
            if rel not in merged and not (dest / template.name).exists():
                shutil.copy(template, dest / template.name)
    return root


@pytest.fixture
def make_project(tmp_path):
    def make(files: dict[str, str | bytes | None] | None = None, templates: bool = True) -> Path:
        return write_project(tmp_path / "project", files or {}, templates)
    return make


def copy_shipped_project(dest: Path) -> Path:
    """The shipped report's sources, copied so a test never writes into the repository."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "report.yaml", dest / "report.yaml")
    for folder in ("sections", "references", "templates"):
        shutil.copytree(REPO / folder, dest / folder, dirs_exist_ok=True)
    return dest


# --- the leak scan (tests/constructs/leaks.py): no build output of any test shows syntax ------

_LEAK_SCAN = {"scan": None, "start": 0}


@pytest.fixture(autouse=True)
def _no_leaked_syntax(request):
    """After each test that has a tmp_path, scan the outputs it built there (each file once)
    for leaked Markdown syntax; a leak fails the test at teardown. Outputs built elsewhere
    (tmp_path_factory, the repository's build/) are scanned when the session ends."""
    yield
    tmp = request.node.funcargs.get("tmp_path") if hasattr(request.node, "funcargs") else None
    if tmp is None:
        return
    from tests.constructs.leaks import LeakScan

    scan = _LEAK_SCAN["scan"] = _LEAK_SCAN["scan"] or LeakScan()
    leaks = scan.scan(Path(tmp))
    if leaks:
        pytest.fail("leaked syntax in a build output:\n" + "\n".join(map(str, leaks)), pytrace=False)


def pytest_sessionstart(session):
    import time

    _LEAK_SCAN["start"] = time.time_ns()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    """Scan what the tests' teardowns did not: the session's temporary folders and the
    repository's build/ (outputs written during the session); a leak fails the session."""
    from tests.constructs.leaks import LeakScan

    scan = _LEAK_SCAN["scan"] = _LEAK_SCAN["scan"] or LeakScan()
    factory = getattr(session.config, "_tmp_path_factory", None)
    base = getattr(factory, "_basetemp", None)
    leaks = (scan.scan(Path(base)) if base else []) + scan.scan(REPO / "build", since_ns=_LEAK_SCAN["start"])
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_sep("=", "leaked syntax in build outputs (tests/constructs/leaks.py)", red=True)
            for leak in leaks:
                reporter.write_line(str(leak))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
