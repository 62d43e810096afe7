"""A rebuild with nothing changed does no work and never imports WeasyPrint."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import copy_shipped_project

PROBE = """
import sys
from click.testing import CliRunner
from report.cli import main
result = CliRunner().invoke(main, ["build", "--project", sys.argv[1]])
print(result.output.strip())
# the citation engine's module: imported by a build that runs, not by a no-op
print("weasyprint" in sys.modules, "report.transforms.citeproc_js" in sys.modules)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_shipped_project(tmp_path_factory.mktemp("noop"))
    subprocess.run([sys.executable, "-m", "report", "build", "-q", "-p", str(root), "--format", "html,docx"], check=True)
    return root


def run(root, *formats, env=None):
    args = [sys.executable, "-c", PROBE.replace('"--project", sys.argv[1]', '"--project", sys.argv[1]' +
                                                 (', "--format", "' + ",".join(formats) + '"' if formats else ""))]
    out = subprocess.run(args + [str(root)], capture_output=True, text=True, check=True, env=env or os.environ.copy())
    return out.stdout.strip().splitlines()


def test_nothing_changed_is_a_no_op_without_heavy_imports(project):
    lines = run(project, "html", "docx")
    assert lines == ["build/en/public/ is up to date (nothing changed since the last build)", "False False"]


def test_a_format_not_built_yet_is_built(project):
    lines = run(project, "pdf", "html")
    assert lines[-2].startswith("built ") and "report.pdf" in lines[-2]


def test_an_edited_source_an_output_gone_or_another_date_rebuild(project):
    section = project / "sections" / "06-conclusion.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run(project, "html")[-1] == "False True"  # rebuilt (html needs no WeasyPrint)
    assert run(project, "html")[0].endswith("is up to date (nothing changed since the last build)")
    (project / "build" / "en" / "public" / "report.html").unlink()
    assert run(project, "html")[-1] == "False True"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    assert run(project, "html", env=env)[-1] == "False True"


def test_a_source_saved_while_the_build_runs_is_built_by_the_next_one(tmp_path, monkeypatch):
    """The manifest keeps the inputs as they were before the build read them: a section
    saved after it was read (the author keeps writing during a long PDF) differs from
    the manifest, so the next build is no no-op and takes the edit in."""
    from report import build as recipe
    from report.freshness import up_to_date

    root = copy_shipped_project(tmp_path / "project")
    section = root / "sections" / "06-conclusion.md"
    read = recipe.load

    def load_then_save(*args, **kwargs):
        loaded = read(*args, **kwargs)
        section.write_text(section.read_text(encoding="utf-8") + "\nA sentence saved during the build.\n",
                           encoding="utf-8")
        return loaded

    monkeypatch.setattr(recipe, "load", load_then_save)
    recipe.build(root, ("html",))
    monkeypatch.setattr(recipe, "load", read)
    assert "saved during the build" not in (root / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
    assert not up_to_date(root, "en", ("html",))
    recipe.build(root, ("html",))
    assert "saved during the build" in (root / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
    assert up_to_date(root, "en", ("html",))
