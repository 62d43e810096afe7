"""Shared test helpers: the repository root, the seed, and ``make_project``."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The seed and the import fixtures are read in place from shared/ beside the clone (as
# CI has it), or from REPORT_SHARED for a clone made elsewhere.
SHARED = Path(os.environ.get("REPORT_SHARED") or REPO.parent / "shared")
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
