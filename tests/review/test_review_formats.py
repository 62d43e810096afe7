"""`report review --format json|github`: the findings for other tools. JSON is
review.json as written, with what --apply changed; github, one workflow annotation per
finding at its place (a change not applied a warning, a conflict an error, the others
notices); bad input is the diagnostic in the same format, exit status 2."""

from __future__ import annotations

import json

from tests.review.conftest import S2, S3, at, note, reviewed, run_review
from tests.review import word_edits as we


def _edits(package: we.WordPackage) -> None:
    d = package.document
    we.replace(d, "most tragic", "most painful", "Reviewer A")
    we.replace(note(package, 1), "September", "Sept.", "Reviewer B")  # a month the style writes: not applied
    we.comment(d, package.comments, "under-researched", "aspects", "Reviewer B", "Which aspects?")


def test_json_is_review_json_with_what_apply_wrote(project):
    result = run_review(project, reviewed(project, _edits), "--format", "json", "--apply")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["applied"] == [S3] and data["merged"] == []
    # --apply did what the JSON says: the section reads the reviewer's words (the JSON is
    # review.json as the command wrote it, so comparing the two would prove nothing)
    assert "most painful" in (project / S3).read_text(encoding="utf-8").splitlines()[4]
    assert data["summary"] == {"changes": 2, "placed": 1, "not_applied": 1, "comments": 1, "conflicts": 0}
    change = next(c for c in data["changes"] if c["applied"])
    assert (change["path"], change["line"]) == (S3, 5) and change["new"].endswith("most painful")


def test_github_annotations_at_each_finding(project):
    result = run_review(project, reviewed(project, _edits), "--format", "github")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    tragic = at(project, S3, "most tragic", 5).split(":")
    assert (f"::notice file={S3},line={tragic[1]},col={tragic[2]},title=review change::"
            'change[Reviewer A]: "most tragic" → "most painful"') in lines
    warning = next(line for line in lines if line.startswith("::warning "))
    assert warning.startswith(f"::warning file={S2},") and "not applied" in warning
    assert any(line.startswith(f"::notice file={S3},") and "title=review comment::" in line and
               "Which aspects?" in line for line in lines)
    assert len(lines) == 3  # nothing else: no summary lines among the annotations


def test_bad_input_in_json(project, tmp_path):
    bogus = tmp_path / "not-a-word-file.docx"
    bogus.write_bytes(b"plain text, not a zip")
    result = run_review(project, bogus, "--format", "json")
    assert result.exit_code == 2
    (diagnostic,) = json.loads(result.output)
    assert (diagnostic["severity"], diagnostic["code"]) == ("error", "REV002")
    assert (diagnostic["path"], diagnostic["line"], diagnostic["col"]) == (str(bogus), 1, 1)
    assert "not a Word document" in diagnostic["message"]
