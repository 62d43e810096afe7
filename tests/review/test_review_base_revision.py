"""`report review --base REV`: the build a reviewed file came from named by the git
revision it was made from. That revision is built again in a temporary worktree (as
`report diff` builds one), so the review needs no build/ kept; the sources changed since
are merged three ways. A revision that does not exist, or a project not under git, is one
REV013 line, exit 2, and nothing is written."""

from __future__ import annotations

import shutil
import subprocess

from tests.review.conftest import S3, at, reviewed, run_review
from tests.review.test_review_input import assert_refused, snapshot
from tests.review.test_review_merge import edit_source, git, two_changes


def _head(project) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, check=True, capture_output=True,
                          text=True).stdout.strip()


def _under_git(project) -> None:
    """The whole project committed, build/ ignored (as a team keeps it)."""
    (project / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Sent for review")


def test_base_names_the_revision_the_file_was_built_from(project):
    _under_git(project)
    sent = _head(project)
    review = reviewed(project, two_changes)
    # Written and committed since: a paragraph before both changes, which moves them two lines down.
    edit_source(project, S3, "The fate of Azerbaijani", "A paragraph added since.\n\nThe fate of Azerbaijani")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    shutil.rmtree(project / "build")  # no copy of the build kept: the revision is built again
    tragic, numerous = at(project, S3, "most tragic", 7), at(project, S3, "numerous", 9)
    commented = at(project, S3, "under-researched", 7)
    result = run_review(project, review, "--base", sent[:10], "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{tragic}: change[Reviewer A]: "most tragic" → "most painful"' in lines
    assert f'{numerous}: change[Reviewer B]: "numerous reports indicating" → "many reports indicating"' in lines
    assert f"{commented}: comment[Reviewer B, 2026-12-01]: Which aspects?" in lines
    assert f"merged three ways into {S3} (changed since the build): 0 conflict(s)" in lines
    text = (project / S3).read_text(encoding="utf-8").split("\n")
    assert text[4] == "A paragraph added since."
    assert "The fate of Azerbaijani prisoners of war remains one of the most painful and" in text[6]
    assert text[8].startswith("There are many reports indicating that")
    # the build is named by its revision, never by the worktree it was made in (gone)
    data = (project / "build" / "review" / "review.json").read_text(encoding="utf-8")
    assert f"({sent[:12]})" in data and "report-diff-" not in data
    assert not [line for line in subprocess.run(["git", "worktree", "list"], cwd=project, check=True,
                                                capture_output=True, text=True).stdout.splitlines()[1:]]


def test_an_unknown_revision_is_refused(project):
    _under_git(project)
    review = reviewed(project, two_changes)
    before = snapshot(project)
    line = assert_refused(run_review(project, review, "--base", "v9.9"), "REV013", before, project,
                          "unknown revision or build folder 'v9.9'")
    assert line.startswith("v9.9:")


def test_a_revision_outside_git_is_refused(project):
    review = reviewed(project, two_changes)
    before = snapshot(project)
    assert_refused(run_review(project, review, "--base", "HEAD"), "REV013", before, project,
                   "is not in a git repository")
