"""`report review` of paragraph marks inserted and deleted with Track Changes, on the
shipped report: Enter pressed inside a paragraph (a blank line written there), a new
paragraph typed after the last one of a section, two paragraphs joined (the blank line
between them removed), and a word made bold in the split paragraph; applied and
rebuilt, the report reads as the reviewed file with every change accepted."""

from __future__ import annotations

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S3, S5, S6, at, reviewed, run_review
from tests.review.test_review_formatting import formatting
from tests.review.test_review_shipped import accepted_texts


def _paragraph_marks(package: we.WordPackage) -> None:
    d = package.document
    we.restyle(d, "Many of them were subjected", "Reviewer C", bold=True)
    we.split_paragraph(d, "Many of them were subjected", "Reviewer D")
    we.insert_paragraph_after(d, "prevent similar violations in the future.", "A new paragraph, *not* emphasis.",
                              "Reviewer D")
    we.join_paragraph(d, "The actions described in the report", "Reviewer D")
    we.insert_before_text(d, "In addition, the violations", " ", "Reviewer D")


def _stripped(texts):
    return [[paragraph.strip() for paragraph in part] for part in texts]


def test_split_added_and_joined_paragraphs_round_trip(project):
    review = reviewed(project, _paragraph_marks)
    conclusion = (project / S6).read_text(encoding="utf-8").split("\n")
    ending = (project / S5).read_text(encoding="utf-8").split("\n")[4]
    expected = [
        f'{at(project, S3, " Many of them were", 5)}: change[Reviewer D]: "conflict. Many" → "conflict. ¶Many"',
        f'{at(project, S3, "Many of them were", 5)}: change[Reviewer C]: "Many of them were subjected" → '
        '"**Many of them were subjected**"',
        f'{S5}:5:{len(ending) + 1}: change[Reviewer D]: "future." → "future.¶A new paragraph, *not* emphasis."',
        f'{S6}:5:{len(conclusion[4]) + 1}: change[Reviewer D]: "16.¶In" → "16.In"',
        f'{S6}:7:1: change[Reviewer D]: "In" → " In"',
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-3] == expected
    assert result.output.splitlines()[-3] == "5 change(s): 5 placed in the sources, 0 not applied; 0 comment(s)"
    s3 = (project / S3).read_text(encoding="utf-8").split("\n")
    assert s3[4].endswith("aspects of the conflict.") and s3[5] == ""
    assert s3[6].startswith("**Many of them were subjected** to ill-treatment")
    s5 = (project / S5).read_text(encoding="utf-8")
    assert s5.endswith("in the future.\n\nA new paragraph, \\*not\\* emphasis.\n")
    s6 = (project / S6).read_text(encoding="utf-8").split("\n")
    assert s6[4] == conclusion[4] + " " + conclusion[6] and s6[5:] == conclusion[7:]
    rebuilt = build(project, ("docx",)).out_dir / "report.docx"
    assert _stripped(accepted_texts(rebuilt.read_bytes())) == _stripped(accepted_texts(review.read_bytes()))
    assert formatting(rebuilt.read_bytes()) == formatting(review.read_bytes())


def _marks_in_emphasis(package: we.WordPackage) -> None:
    we.split_paragraph(package.document, "trying to surrender", "Reviewer D")  # inside a span


def test_a_split_inside_a_span_is_listed(project):
    review = reviewed(project, _marks_in_emphasis)
    result = run_review(project, review)
    assert result.exit_code == 0, result.output
    assert "(not applied: it splits a paragraph inside emphasis, a span or a link (apply it by hand))" in \
        result.output.splitlines()[0]
