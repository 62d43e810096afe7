"""The CI workflow's own steps (check, build, compare), run as GitHub Actions runs them
(`bash -eo pipefail`), in a project `report new` made, on a branch push and on a tag push."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from report.scaffold import WORKFLOW, new_project
from tests.conftest import REPO

STEPS = ("Check", "Build every language", "Compare with the last release tag")


def run_steps(root, env, ref_type):
    steps = {step.get("name"): step["run"] for step in yaml.safe_load(WORKFLOW)["jobs"]["report"]["steps"]
             if "run" in step}
    output = root.parent / f"github-output-{ref_type}"
    output.write_text("")
    logs = []
    for name in STEPS:
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", steps[name]], cwd=root,
                                env={**env, "GITHUB_REF_TYPE": ref_type, "GITHUB_OUTPUT": str(output)},
                                capture_output=True, text=True, timeout=180, check=False)
        assert result.returncode == 0, f"step {name!r} on a {ref_type} push:\n{result.stdout}{result.stderr}"
        logs.append(result.stdout + result.stderr)
    return output.read_text(), "\n".join(logs)


def test_the_workflow_checks_builds_and_compares_with_the_last_tag(tmp_path):
    root = tmp_path / "project"
    new_project(root)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "report").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m report "$@"\n')
    (bin_dir / "report").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "PYTHONPATH": str(REPO), "HOME": str(tmp_path),
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.org",
                "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.org"})

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    # No tag yet: nothing to compare.
    outputs, log = run_steps(root, env, "branch")
    assert "tag=" not in outputs and "no release tag yet" in log
    git("tag", "v1.0")
    section = root / "sections" / "01-introduction.md"
    section.write_text(section.read_text(encoding="utf-8").replace("five days", "six days"), encoding="utf-8")
    git("commit", "-q", "-a", "-m", "second")

    outputs, log = run_steps(root, env, "branch")
    assert "tag=v1.0" in outputs.splitlines()
    assert "paragraph changed: “five” → “six”" in log
    assert {p.name for p in (root / "build" / "diff").iterdir()} >= {"diff.html", "redline.docx", "changes.json"}
    assert (root / "build" / "en" / "public" / "report.pdf").is_file()

    git("tag", "v1.1")  # a release: strict build, compared with the tag before it
    outputs, log = run_steps(root, env, "tag")
    assert "tag=v1.0" in outputs.splitlines()
