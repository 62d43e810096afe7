"""`report review` when the sources changed since the build the reviewed file came from:
the text the build read is found in git by the digest its manifest recorded, and the
review is merged three ways. A change whose words the later edits left alone applies at
its new place; one that collides with an edit made since is a conflict (exit 1), printed
with both versions, in review.json and review.html, and not applied, with or without
--apply."""

from __future__ import annotations

import json
import subprocess

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S3, at, reviewed, run_review
from tests.review.test_review_input import assert_refused, snapshot
from tests.review.test_review_shipped import accepted_texts


def git(root, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Author", "-c", "user.email=author@example.org", *args], cwd=root,
                   check=True, capture_output=True)


def committed(project):
    """The built project under git, the sources as built committed (as a team keeps them)."""
    git(project, "init", "-q")
    git(project, "add", "sections", "references", "report.yaml")
    git(project, "commit", "-q", "-m", "Sent for review")
    return project


def edit_source(project, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def two_changes(package: we.WordPackage) -> None:
    d = package.document
    we.replace(d, "most tragic", "most painful", "Reviewer A")
    we.replace(d, "numerous reports indicating", "many reports indicating", "Reviewer B")
    we.comment(d, package.comments, "under-researched", "aspects", "Reviewer B", "Which aspects?")


def applied_where_now(project, review, rel: str) -> list[str]:
    """``report review --apply`` of :func:`two_changes`: both changes and the comment
    printed where their words stand now in ``rel``, merged with no conflict; the output's lines."""
    tragic, numerous = at(project, rel, "most tragic", 5), at(project, rel, "numerous", 7)
    commented = at(project, rel, "under-researched", 5)
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{tragic}: change[Reviewer A]: "most tragic" → "most painful"' in lines
    assert f'{numerous}: change[Reviewer B]: "numerous reports indicating" → "many reports indicating"' in lines
    assert f"{commented}: comment[Reviewer B, 2026-12-01]: Which aspects?" in lines  # where it is now
    assert f"merged three ways into {rel} (changed since the build): 0 conflict(s)" in lines
    return lines


def test_a_change_away_from_later_edits_applies_at_its_new_place(project):
    committed(project)
    review = reviewed(project, two_changes)
    # Written since the build: a sentence before both changes (they move), and a word after them.
    edit_source(project, S3, "The fate of Azerbaijani", "Since 1994, the fate of Azerbaijani")
    edit_source(project, S3, "in  the formerly occupied", "in the formerly occupied")
    applied_where_now(project, review, S3)
    text = (project / S3).read_text(encoding="utf-8")
    assert "Since 1994, the fate of Azerbaijani prisoners of war remains one of the most painful and" in text
    assert "There are many reports indicating that prisoners were used as laborers in the formerly" in text
    # The round trip: the build of the merged sources reads as the reviewer's file with the later edits.
    build(project, ("docx",))
    body, notes = accepted_texts(review.read_bytes())
    later = [("Since 1994, the f" + p[5:] if p.startswith("The fate of Azerbaijani prisoners of war remains") else
              p.replace("laborers in  the formerly", "laborers in the formerly")) for p in body]
    assert later != body
    rebuilt = accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes())
    assert rebuilt == (later, notes)


def test_a_change_colliding_with_a_later_edit_is_a_conflict_and_not_applied(project):
    committed(project)
    review = reviewed(project, two_changes)
    edit_source(project, S3, "one of the most tragic and", "one of the most painful, tragic and")
    before = (project / S3).read_text(encoding="utf-8")
    result = run_review(project, review)
    assert result.exit_code == 1, result.output
    where = at(project, S3, "most painful, tragic", 5)
    assert f'{where}: conflict[Reviewer A]: "most tragic" → "most painful"; the source now reads ' \
           '"most painful, tragic" (not applied)' in result.output.splitlines()
    assert f'{at(project, S3, "numerous", 7)}: change[Reviewer B]: "numerous reports indicating" → ' \
           '"many reports indicating"' in result.output
    assert f"merged three ways into {S3} (changed since the build): 1 conflict(s) with edits made since, not applied" \
        in result.output.splitlines()
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    conflict = next(c for c in data["changes"] if c["kind"] == "conflict")
    assert (conflict["old"], conflict["new"], conflict["now"], conflict["applied"]) == \
        ("most tragic", "most painful", "most painful, tragic", False)
    assert (conflict["path"], conflict["line"]) == (S3, 5) and data["summary"]["conflicts"] == 1
    page = (project / "build" / "review" / "review.html").read_text(encoding="utf-8")
    assert "<strong>conflict</strong>" in page and "the source now reads: <q>most painful, tragic</q>" in page
    patch = (project / "build" / "review" / "changes.patch").read_text(encoding="utf-8")
    assert "+There are many reports" in patch and "\n+The fate" not in patch  # the conflict is no hunk
    assert (project / S3).read_text(encoding="utf-8") == before  # without --apply nothing is written


def test_apply_writes_the_changes_that_do_not_conflict(project):
    committed(project)
    review = reviewed(project, two_changes)
    edit_source(project, S3, "most tragic", "saddest")
    result = run_review(project, review, "--apply")
    assert result.exit_code == 1, result.output
    assert f'{at(project, S3, "saddest", 5)}: conflict[Reviewer A]: "most tragic" → "most painful"; the source ' \
           'now reads "saddest" (not applied)' in result.output
    assert f"applied 1 change(s) to {S3}" in result.output
    text = (project / S3).read_text(encoding="utf-8")
    assert "remains one of the saddest and under-researched" in text  # the later edit stays
    assert "painful" not in text
    assert "There are many reports indicating" in text


def test_a_later_edit_committed_since_is_merged_too(project):
    """The build read a version git holds in an older commit, not the last."""
    committed(project)
    review = reviewed(project, two_changes)
    edit_source(project, S3, "The fate of Azerbaijani", "A paragraph added since.\n\nThe fate of Azerbaijani")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    result = run_review(project, review, "--comments-in-source")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{at(project, S3, "most tragic", 7)}: change[Reviewer A]: "most tragic" → "most painful"' in lines
    assert f"{at(project, S3, 'under-researched', 7)}: comment[Reviewer B, 2026-12-01]: Which aspects?" in lines
    patch = (project / "build" / "review" / "changes.patch").read_text(encoding="utf-8")
    assert "+The fate of Azerbaijani prisoners of war remains one of the most painful and " \
           "<!-- review Reviewer B 2026-12-01: Which aspects? -->under-researched" in patch
    subprocess.run(["git", "apply", "--check", "build/review/changes.patch"], cwd=project, check=True)


def test_without_the_built_text_in_git_the_change_is_refused(project):
    review = reviewed(project, two_changes)
    edit_source(project, S3, "most tragic", "saddest")
    before = snapshot(project)
    line = assert_refused(run_review(project, review, "--apply"), "REV010", before, project)
    assert line.endswith("(commit the sources you build for review; or apply the review to a checkout of them)")


def test_where_two_texts_differ_is_found_word_by_word():
    from report.review.merge import Moves, hunks

    old = "The fate of prisoners.\nMany were held for days.\n\nA third paragraph.\n"
    new = "Since 1994, the fate of prisoners.\nMany were held for years.\n\nA third paragraph, longer.\n"
    found = hunks(old, new)
    out, at = [], 0
    for a1, a2, n1, n2 in found:
        out += [old[at:a1], new[n1:n2]]
        at = a2
    assert "".join(out) + old[at:] == new
    assert [(old[a1:a2], new[n1:n2]) for a1, a2, n1, n2 in found] == [
        ("The", "Since 1994, the"), ("days", "years"), ("", ", longer")]
    moves = Moves(old, new)
    held = old.index("held")
    assert new[moves.offset(held):].startswith("held") and moves.colliding(held, held + 4) == []
    days = old.index("days")
    collided = moves.colliding(days, days + 4)
    assert collided and moves.now_reads(days, days + 4, collided) == "years"


def _fast_import(root, path: str, texts: list[str]) -> None:
    """One commit per text of ``path`` on the current branch, made in one ``git fast-import``."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True).stdout
    branch = subprocess.run(["git", "symbolic-ref", "HEAD"], cwd=root, check=True, capture_output=True,
                            text=True).stdout.strip()
    stream = []
    for n, text in enumerate(texts):
        data = text.encode("utf-8")
        message = f"Draft {n + 1}".encode()
        stream += [f"commit {branch}\n".encode(), f"committer Author <author@example.org> {1700000000 + n} +0000\n"
                   .encode(), f"data {len(message)}\n".encode(), message + b"\n"]
        if n == 0:
            stream.append(f"from {head.strip()}\n".encode())
        stream += [f"M 100644 inline {path}\n".encode(), f"data {len(data)}\n".encode(), data + b"\n"]
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True,
                   capture_output=True)
    git(root, "reset", "-q", "--hard")


def test_the_built_version_is_found_however_many_commits_ago(project):
    """250 commits of the section since the build (more than a walk of its last 200 would
    read): the version built is still found, by its digest, and the review merged."""
    committed(project)
    review = reviewed(project, two_changes)
    built = (project / S3).read_text(encoding="utf-8")
    _fast_import(project, S3, [built + f"\nA paragraph of draft {n}.\n" for n in range(1, 251)])
    assert (project / S3).read_text(encoding="utf-8").endswith("\nA paragraph of draft 250.\n")
    count = subprocess.run(["git", "rev-list", "--count", "HEAD", "--", S3], cwd=project, check=True,
                           capture_output=True, text=True).stdout
    assert int(count) == 251
    tragic = at(project, S3, "most tragic", 5)
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{tragic}: change[Reviewer A]: "most tragic" → "most painful"' in lines
    assert f"merged three ways into {S3} (changed since the build): 0 conflict(s)" in lines
    text = (project / S3).read_text(encoding="utf-8")
    assert "one of the most painful and" in text and text.endswith("\nA paragraph of draft 250.\n")


def test_the_built_version_is_found_across_renames_and_followed_to_its_name_now(tmp_path):
    """report.review.merge finds a version by its sha256 whatever the file's name then
    (git log --follow), and where a file the build read went (git mv, committed or not)."""
    from report.outputs import sha256
    from report.review.merge import built_text, renamed

    git(tmp_path, "init", "-q")
    lines = "".join(f"Line {n} of a section long enough for git to see the rename.\n" for n in range(30))
    (tmp_path / "sections").mkdir()
    first, second, third = lines + "First draft.\n", lines + "Second draft.\n", lines + "Third draft.\n"
    (tmp_path / "sections/02-old.md").write_text(first, encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "First")
    git(tmp_path, "mv", "sections/02-old.md", "sections/02-new.md")
    (tmp_path / "sections/02-new.md").write_text(second, encoding="utf-8")
    git(tmp_path, "commit", "-q", "-a", "-m", "Renamed")
    git(tmp_path, "mv", "sections/02-new.md", "sections/03-newer.md")  # not committed
    (tmp_path / "sections/03-newer.md").write_text(third, encoding="utf-8")
    digest = sha256(first.encode("utf-8"))
    assert built_text(tmp_path, "sections/02-new.md", digest) == first  # under its name then: 02-old.md
    assert built_text(tmp_path, "sections/02-old.md", digest) == first
    assert built_text(tmp_path, "sections/02-new.md", sha256(third.encode("utf-8"))) is None  # never in git
    assert renamed(tmp_path, "sections/02-old.md", digest) == "sections/03-newer.md"
    assert renamed(tmp_path, "sections/02-new.md", sha256(second.encode("utf-8"))) == "sections/03-newer.md"
    assert renamed(tmp_path, "sections/02-old.md", sha256(b"other text\n")) is None
    (tmp_path / "sections/03-newer.md").unlink()
    git(tmp_path, "rm", "-q", "--cached", "sections/03-newer.md")
    assert renamed(tmp_path, "sections/02-old.md", digest) is None  # deleted, not renamed


def test_a_section_renamed_since_the_build_is_reviewed_where_it_is_now(project):
    """git mv of a section after the build, report.yaml updated, then an edit: the build's
    text is found by its digest under the old name, and the review goes to the new one."""
    committed(project)
    review = reviewed(project, two_changes)
    renamed_to = "sections/03-the-ceasefire.md"
    git(project, "mv", S3, renamed_to)
    edit_source(project, "report.yaml", S3.removeprefix("sections/"), renamed_to.removeprefix("sections/"))
    edit_source(project, renamed_to, "The fate of Azerbaijani", "Since 1994, the fate of Azerbaijani")
    lines = applied_where_now(project, review, renamed_to)
    assert f"applied 2 change(s) to {renamed_to}" in lines
    assert not (project / S3).exists()
    text = (project / renamed_to).read_text(encoding="utf-8")
    assert "Since 1994, the fate of Azerbaijani prisoners of war remains one of the most painful and" in text
    assert "There are many reports indicating" in text
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert {c["path"] for c in data["changes"] + data["comments"]} == {renamed_to}
    patch = (project / "build" / "review" / "changes.patch").read_text(encoding="utf-8")
    assert f"+++ b/{renamed_to}" in patch and S3 not in patch
