"""`report diff` on bad input (one located line, exit 2) and on git revisions, built
in a temporary worktree of a repository the test makes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from report.build import build
from report.cli import main
from tests.conftest import write_project

ONE_LINE = re.compile(r"^[^\n]+:\d+:\d+: error\[DIF\d{3}\]: [^\n]+$")
MINIMAL_YAML = """\
title: A Minimal Report
language: {lang}
date: 2024-05-01
sections: [01-intro.md]
citation-style: templates/notes.csl
outputs: [docx, html]
"""


def run(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def assert_one_error(result, code: str) -> str:
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert ONE_LINE.match(line), line
    assert f"error[{code}]" in line and "Traceback" not in result.output
    return line


@pytest.fixture
def en_build(make_project):
    root = make_project({"report.yaml": MINIMAL_YAML.format(lang="en")})
    return root, build(root).out_dir


def test_a_folder_that_is_not_a_build(en_build, tmp_path):
    root, built = en_build
    (tmp_path / "empty").mkdir()
    line = assert_one_error(run(tmp_path / "empty", built, "--project", root, "--out", tmp_path / "o"), "DIF001")
    assert line.startswith(f"{tmp_path / 'empty'}:1:1:")
    (tmp_path / "file.txt").write_text("x")
    assert_one_error(run(built, tmp_path / "file.txt", "--project", root, "--out", tmp_path / "o"), "DIF001")


def test_a_malformed_model_is_located(en_build, tmp_path):
    root, built = en_build
    broken = shutil.copytree(built, tmp_path / "broken")
    (broken / "model.json").write_text('{"document": \n  oops}', encoding="utf-8")
    line = assert_one_error(run(broken, built, "--project", root, "--out", tmp_path / "o"), "DIF003")
    assert ":2:3: error[DIF003]" in line


def test_an_unknown_revision(en_build, tmp_path):
    root, built = en_build
    # Not a git repository: the word cannot be a revision either.
    assert_one_error(run("v9.9", built, "--project", root, "--out", tmp_path / "o"), "DIF002")
    git(root, "init", "-q")
    commit(root, "first")
    line = assert_one_error(run("v9.9", built, "--project", root, "--out", tmp_path / "o"), "DIF002")
    assert line.startswith("v9.9:1:1: error[DIF002]: unknown revision")
    assert not (tmp_path / "o").exists()


def test_builds_of_different_languages(en_build, tmp_path):
    root, en = en_build
    de_root = write_project(tmp_path / "de", {"report.yaml": MINIMAL_YAML.format(lang="de")})
    de = build(de_root).out_dir
    line = assert_one_error(run(en, de, "--project", root, "--out", tmp_path / "o"), "DIF004")
    assert "different languages" in line and "'en'" in line and "'de'" in line
    # A project's build/ folder holding both: --locale picks one, and none is ambiguous.
    shutil.copytree(de, root / "build" / "de" / "public")
    assert_one_error(run(root / "build", en, "--project", root, "--out", tmp_path / "o"), "DIF004")
    assert run(root / "build", en, "--project", root, "--locale", "en", "--out", tmp_path / "o").exit_code == 0


# --- git revisions -----------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root, *args) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(root, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_revisions_are_built_aside_and_compared(make_project, tmp_path):
    root = make_project({"report.yaml": MINIMAL_YAML.format(lang="en")})
    (root / ".gitignore").write_text("build/\n")
    git(root, "init", "-q")
    commit(root, "v1")
    git(root, "tag", "v1.0")
    intro = root / "sections" / "01-intro.md"
    intro.write_text(intro.read_text().replace("A second paragraph", "A second paragraph[@ngo-2021, para. 3]"),
                     encoding="utf-8")
    commit(root, "v2")
    # The working tree has an uncommitted edit and a build: neither may be touched.
    intro.write_text(intro.read_text() + "\nUncommitted text.\n", encoding="utf-8")
    build(root)
    before = {p: p.read_bytes() for p in sorted((root / "build").rglob("*")) if p.is_file()}
    status = git(root, "status", "--porcelain")

    result = run("v1.0", "HEAD", "--project", root, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["footnotes"] == {"added": 1, "removed": 0, "changed": 0, "moved": 0}
    assert [c["location"].rsplit(":", 1)[0] for c in data["changes"]] == ["sections/01-intro.md:7"]
    assert data["old"].startswith("v1.0 (") and data["new"].startswith("HEAD (")
    assert sorted(p.name for p in (root / "build" / "diff").iterdir()) == ["changes.json", "diff.html", "redline.docx"]

    after = {p: p.read_bytes() for p in sorted((root / "build").rglob("*")) if p.is_file() and "diff" not in p.parts}
    assert after == before
    assert git(root, "status", "--porcelain") == status
    assert git(root, "worktree", "list").count("\n") == 1
    # A revision against the working tree's own build, with --exit-code.
    assert run("HEAD", root / "build" / "en", "--project", root, "--exit-code").exit_code == 1
    assert run("HEAD", "HEAD", "--project", root, "--exit-code").exit_code == 0


def test_an_output_folder_with_other_files_is_not_replaced(en_build, tmp_path):
    root, built = en_build
    assert_one_error(run(built, built, "--project", root, "--out", built), "DIF006")
    assert (built / "model.json").is_file()


def test_without_report_docx_there_is_no_redline(make_project, tmp_path):
    root = make_project({"report.yaml": MINIMAL_YAML.format(lang="en")})
    built = build(root, ("html",)).out_dir
    result = run(built, built, "--project", root, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["changes.json", "diff.html"]
    assert "redline.docx not written" in result.stderr


def test_everything_in_the_page_is_escaped(make_project, tmp_path):
    root = make_project({"report.yaml": MINIMAL_YAML.format(lang="en")})
    old = shutil.copytree(build(root).out_dir, tmp_path / "old")
    intro = root / "sections" / "01-intro.md"
    # Escaped: raw HTML is refused by the parser (MD020); as text it must stay text in the page.
    intro.write_text(intro.read_text() + "\nA \\<script>alert(1)\\</script> & \"quoted\" \\<b onclick=x>text\\</b>.\n",
                     encoding="utf-8")
    registry = root / "references" / "sources.yaml"
    hostile = 'title: "A <img src=x onerror=alert(1)> Report"'
    registry.write_text(registry.read_text().replace("title: A Report", hostile), encoding="utf-8")
    new = build(root).out_dir
    result = run(old, new, "--project", root, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "o" / "diff.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b " not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium")
def test_chromium_reads_the_page(make_project, tmp_path):
    root = make_project({"report.yaml": MINIMAL_YAML.format(lang="en")})
    old = shutil.copytree(build(root).out_dir, tmp_path / "old")
    intro = root / "sections" / "01-intro.md"
    intro.write_text(intro.read_text().replace("first claim", "main claim"), encoding="utf-8")
    new = build(root).out_dir
    assert run(old, new, "--project", root, "--out", tmp_path / "o").exit_code == 0
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                           (tmp_path / "o" / "diff.html").as_uri()], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr
    dom = done.stdout
    assert '<a class="badge" id="c1" href="#changes"' in dom
    assert "<del>first</del><ins>main</ins>" in dom
    assert '<nav id="changes"><h2>1 change</h2>' in dom


def test_a_build_found_below_the_folder_given_is_named(en_build, tmp_path):
    """`report diff build OLD` compares build/en/public (the only build there) and says so."""
    root, built = en_build
    folder = built.parent.parent  # build/, holding build/en/public
    result = CliRunner().invoke(main, ["diff", str(folder), str(built), "--project", str(root),
                                       "--out", str(tmp_path / "o"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"] == f"{folder}/en/public" and data["new"] == str(built)
