"""The git revision a DOCX's sources were (``ReportRevision``), and a review that needs it.

A build of committed sources records the last commit that changed them: a commit of
other files leaves the DOCX byte-identical, sources with work not committed record
none. A reviewed file whose build ``build/`` no longer holds (the authors rebuilt since)
is reviewed against that revision, built again, and merged three ways, with no
``--base``; a revision the repository does not have is REV008 naming it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

from lxml import etree

from click.testing import CliRunner

from report.build import build
from report.cli import main
from tests.review.conftest import S3, at, reviewed, run_review
from tests.review.test_review_base_revision import _head, _under_git
from tests.review.test_review_input import assert_refused, snapshot
from tests.review.test_review_merge import edit_source, git, two_changes

CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def _properties(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("docProps/custom.xml"))
    return {prop.get("name"): "".join(prop.itertext()) for prop in root.iter(CUSTOM + "property")}


def _docx(project) -> bytes:
    return (project / "build" / "en" / "public" / "report.docx").read_bytes()


def test_a_build_of_committed_sources_names_the_commit_that_made_them(project):
    _under_git(project)
    sources = _head(project)
    build(project, ("docx",))
    first = _docx(project)
    assert _properties(first)["ReportRevision"] == sources
    # A commit of a file the build does not read: the same revision, the same bytes.
    (project / "NOTES.txt").write_text("Call the partners on Monday.\n", encoding="utf-8")
    git(project, "add", "NOTES.txt")
    git(project, "commit", "-q", "-m", "Notes")
    assert _head(project) != sources
    build(project, ("docx",))
    assert _docx(project) == first
    # Work not committed in a section: no revision names these sources.
    edit_source(project, S3, "most tragic", "most painful")
    build(project, ("docx",))
    assert "ReportRevision" not in _properties(_docx(project))
    # Committed: the new commit.
    git(project, "commit", "-q", "-a", "-m", "Edit")
    build(project, ("docx",))
    assert _properties(_docx(project))["ReportRevision"] == _head(project)


def test_a_file_whose_build_is_gone_is_reviewed_against_its_revision(project):
    _under_git(project)
    build(project, ("docx",))
    sent = _head(project)
    review = reviewed(project, two_changes)
    # Since then: a paragraph written before both changes, committed, and the report rebuilt.
    edit_source(project, S3, "The fate of Azerbaijani", "A paragraph added since.\n\nThe fate of Azerbaijani")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    build(project, ("docx",))
    tragic = at(project, S3, "most tragic", 7)
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{tragic}: change[Reviewer A]: "most tragic" → "most painful"' in lines
    assert f"merged three ways into {S3} (changed since the build): 0 conflict(s)" in lines
    assert f"reviewed against revision {sent[:12]}, named by the file (build/ no longer holds its build)" in lines
    text = (project / S3).read_text(encoding="utf-8")
    assert "A paragraph added since." in text and "one of the most painful and" in text
    data = (project / "build" / "review" / "review.json").read_text(encoding="utf-8")
    assert f"revision {sent[:12]}, named by the file" in data and "report-diff-" not in data
    worktrees = subprocess.run(["git", "worktree", "list"], cwd=project, check=True, capture_output=True,
                               text=True).stdout.splitlines()
    assert len(worktrees) == 1  # the temporary worktree is gone


def test_a_revision_this_repository_does_not_have_is_refused(project):
    _under_git(project)
    build(project, ("docx",))
    review = reviewed(project, two_changes)
    data = review.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    stranger = "0123456789abcdef" * 2 + "01234567"
    parts["docProps/custom.xml"] = re.sub(rb"[0-9a-f]{40}", stranger.encode(), parts["docProps/custom.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, blob in parts.items():
            package.writestr(name, blob)
    review.write_bytes(out.getvalue())
    shutil.rmtree(project / "build")
    before = snapshot(project)
    line = assert_refused(run_review(project, review), "REV008", before, project,
                          "of revision 0123456789ab, which this repository cannot build")
    assert "fetch that commit" in line


def test_committing_the_sources_makes_the_next_build_name_them(project):
    """A build of work not yet committed names no revision; once it is committed, the next
    `report build` is no no-op (the DOCX would name the commit) and the one after is."""
    (project / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(project, "init", "-q")
    edit_source(project, S3, "most tragic", "most painful")
    cli = CliRunner()
    assert cli.invoke(main, ["build", "--format", "docx", "-p", str(project)]).exit_code == 0
    assert "ReportRevision" not in _properties(_docx(project))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Sent for review")
    again = cli.invoke(main, ["build", "--format", "docx", "-p", str(project)])
    assert again.exit_code == 0 and "up to date" not in again.output, again.output
    assert _properties(_docx(project))["ReportRevision"] == _head(project)
    noop = cli.invoke(main, ["build", "--format", "docx", "-p", str(project)])
    assert "up to date" in noop.output, noop.output


def test_files_read_through_a_symbolic_link_count(project):
    """templates/ linked to a folder the repository keeps elsewhere (as this repository
    links its own): a commit changing a template there is the revision the DOCX names."""
    shutil.move(project / "templates", project / "house-style")
    (project / "templates").symlink_to("house-style")
    _under_git(project)
    css = project / "house-style" / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* wider margins */\n", encoding="utf-8")
    build(project, ("docx",))
    assert "ReportRevision" not in _properties(_docx(project))  # the change not committed: no revision
    git(project, "commit", "-q", "-a", "-m", "House style")
    build(project, ("docx",))
    assert _properties(_docx(project))["ReportRevision"] == _head(project)
