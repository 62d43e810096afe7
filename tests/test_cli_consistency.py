"""The command line as a whole: --version, examples in every --help, one name per option
across commands, shell completion through click, and `report new`."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import click
import pytest
import yaml
from click.testing import CliRunner

from report import __version__
from report.cli import main
from report.scaffold import TEMPLATE_FILES, WORKFLOW, new_project, templates_dir
from tests.conftest import REPO

# Option → the names it has wherever a command offers it.
NAMES = {
    "project": ["--project", "-p"],
    "quiet": ["--quiet", "-q"],
    "verbose": ["--verbose", "-v"],
    "locale": ["--locale", "-l"],
    "locales": ["--locale", "-l"],
}


def every_command(group=main, path=("report",)):
    yield path, group
    if isinstance(group, click.Group):
        for name, command in sorted(group.commands.items()):
            yield from every_command(command, path + (name,))


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output == f"report, version {__version__}\n"


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in every_command()])
def test_every_help_has_examples(path):
    result = CliRunner().invoke(main, path.split()[1:] + ["--help"], terminal_width=100)
    assert result.exit_code == 0
    assert re.search(r"^ *Examples?:$", result.output, re.MULTILINE), result.output


def test_shared_options_have_one_name_everywhere():
    seen = {}
    for path, command in every_command():
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            if param.name in NAMES:
                assert param.opts + param.secondary_opts == NAMES[param.name], (" ".join(path), param.opts)
            if "--format" in param.opts:
                assert param.opts == ["--format"], (" ".join(path), param.opts)
            for opt in param.opts:
                seen.setdefault(opt, set()).add(param.name.rstrip("s") if param.name in ("locales", "formats") else
                                                "format" if param.name == "fmt" else param.name)
    clashes = {opt: names for opt, names in seen.items() if len(names) > 1}
    assert not clashes  # e.g. -l never means anything but --locale


def test_bash_completion_script_comes_from_click():
    env = {**os.environ, "_REPORT_COMPLETE": "bash_source"}
    result = subprocess.run([sys.executable, "-m", "report"], env=env, check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "_report_completion()" in result.stdout and "complete -o nosort -F _report_completion report" in result.stdout
    env = {**os.environ, "_REPORT_COMPLETE": "bash_complete", "COMP_WORDS": "report se", "COMP_CWORD": "1"}
    result = subprocess.run([sys.executable, "-m", "report"], env=env, check=False, capture_output=True, text=True, timeout=60)
    assert "plain,serve" in result.stdout.split()


def test_new_makes_a_project_that_checks_and_builds_clean(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["new", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "demo"
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == sorted([
        ".github/workflows/report.yml", ".gitignore", "README.md", "images/held-by-quarter.png", "references/incidents.yaml",
        "references/instruments.yaml", "references/sources.yaml", "report.yaml", "requirements.txt",
        "sections/01-introduction.md", *(f"templates/{name}" for name in TEMPLATE_FILES)])
    for name in TEMPLATE_FILES:
        assert not (root / "templates" / name).is_symlink()
        assert (root / "templates" / name).read_bytes() == (REPO / "report" / "templates" / name).read_bytes()
    assert (root / ".gitignore").read_text() == "build/\n"
    check = runner.invoke(main, ["check", "-p", str(root), "--format", "json"])
    assert check.exit_code == 0 and check.output.strip() == "[]"  # no error, no warning, no info
    build = runner.invoke(main, ["build", "-p", str(root)])
    assert build.exit_code == 0, build.output
    assert "warning" not in build.output
    out = root / "build" / "en" / "public"
    assert {"report.docx", "report.pdf", "report.html", "evidence.csv"} <= {p.name for p in out.iterdir()}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Ibid." in html and "A/RES/217(III)" in html  # the note with its citation, the UN symbol


def test_new_shows_each_feature_once(tmp_path):
    root = tmp_path / "demo"
    new_project(root)
    section = (root / "sections" / "01-introduction.md").read_text(encoding="utf-8")
    assert "[@example-monitor-2024, p. 12]" in section and "^[" in section
    assert "{#journalist-detained-2024 .incident}" in section and "{.provision ref=udhr:9}" in section
    sources = yaml.safe_load((root / "references" / "sources.yaml").read_text(encoding="utf-8"))
    assert len(sources) == 2 and all(entry.get("accessed") for entry in sources if entry.get("URL"))
    assert any(entry.get("number") for entry in sources if entry.get("genre") == "UN document")
    instruments = yaml.safe_load((root / "references" / "instruments.yaml").read_text(encoding="utf-8"))
    udhr = instruments["instruments"][0]
    shipped = next(i for i in yaml.safe_load((REPO / "references" / "instruments.yaml").read_text(encoding="utf-8"))
                   ["instruments"] if i["id"] == "udhr")
    assert udhr["articles"] == 30 and udhr["adopted"] == 1948
    assert udhr["article-titles"] == shipped["article-titles"]


def test_new_refuses_a_non_empty_folder_unless_forced(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    runner = CliRunner()
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"{target}:1:1: error[NEW001]: {target} is not empty " \
                            "(choose a new folder, or pass --force to write into it)\n"
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    forced = runner.invoke(main, ["new", str(target), "--force", "--title", 'Say "yes": #1'])
    assert forced.exit_code == 0, forced.output
    assert (target / "notes.txt").read_text() == "mine\n"
    assert yaml.safe_load((target / "report.yaml").read_text())["title"] == 'Say "yes": #1'
    assert runner.invoke(main, ["check", "-p", str(target)]).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(main, ["new", str(empty)]).exit_code == 0
    before = (target / "report.yaml").read_bytes()
    again = runner.invoke(main, ["new", str(target), "--force"])
    assert again.exit_code == 1
    assert again.stderr == (f"{target}:1:1: error[NEW001]: {target} already holds a project (report.yaml) "
                            "(choose a new folder; --force only writes into a folder without a project)\n")
    assert (target / "report.yaml").read_bytes() == before


def test_the_templates_ship_in_the_package_and_the_repository_links_to_them():
    assert templates_dir() == REPO / "report" / "templates"
    assert sorted(p.name for p in templates_dir().iterdir()) == sorted(TEMPLATE_FILES)
    link = REPO / "templates"
    assert link.is_symlink() and os.readlink(link) == "report/templates"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates/*"' in pyproject


def test_the_shipped_workflow_is_the_one_report_new_writes():
    shipped = (REPO / ".github" / "workflows" / "report.yml").read_text(encoding="utf-8")
    assert shipped == WORKFLOW
    workflow = yaml.safe_load(shipped)
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["report"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0] == "actions/checkout@v4" and steps[0]["with"]["fetch-depth"] == 0
    assert "actions/setup-python@v5" in uses and uses.count("actions/upload-artifact@v4") == 2
    runs = "\n".join(step.get("run", "") for step in steps)
    for needed in ("libharfbuzz-subset0", "fonts-noto-core", "fonts-noto-cjk", "libpango-1.0-0", "report check --format github",
                   "report build --all-locales --allow-fuzzy", "report build --all-locales --strict",
                   'report diff "$tag" HEAD'):
        assert needed in runs


def test_pre_commit_hook():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "report-check")
    assert hook["entry"] == "report check" and hook["language"] == "python" and hook["pass_filenames"] is False
