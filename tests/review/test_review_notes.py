"""`report review` of footnotes a reviewer inserted or deleted with Track Changes: a new
Word footnote becomes a ``^[…]`` note at its call (its text escaped so it stays text),
a deleted call removes its citation group or ``^[…]`` note; applied and rebuilt, the
report's body and notes read as the reviewed file with every change accepted."""

from __future__ import annotations

from pathlib import Path

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S2, S3, S4, S6, applied, at, note, reviewed, run_review
from tests.review.test_review_shipped import accepted_texts


def _new_notes(package: we.WordPackage) -> None:
    we.insert_footnote(package, "aspects of the conflict.", "See the ICRC's figures for 1994, *not* later ones.",
                       "Reviewer E")
    we.insert_footnote(package, "Universal Declaration of Human Rights.", "Adopted on 10 December 1948.",
                       "Reviewer E")


def test_an_inserted_footnote_becomes_a_markdown_note(project):
    review = reviewed(project, _new_notes)
    conclusion = (project / S6).read_text(encoding="utf-8").split("\n")[6]
    expected = [
        f'{at(project, S3, " Many of them", 5)}: change[Reviewer E]: "conflict." → "conflict.^[See the '
        "ICRC's figures for 1994, *not* later ones.]\"",
        f'{S6}:7:{len(conclusion) + 1}: change[Reviewer E]: "Rights." → "Rights.^[Adopted on 10 '
        'December 1948.]"',
    ]
    applied(project, review, expected)
    s3 = (project / S3).read_text(encoding="utf-8")
    assert "aspects of the conflict.^[See the ICRC's figures for 1994, \\*not\\* later ones.] Many of them" in s3
    assert (project / S6).read_text(encoding="utf-8").split("\n")[6] == \
        conclusion + "^[Adopted on 10 December 1948.]"
    rebuilt = build(project, ("docx",)).out_dir / "report.docx"
    assert accepted_texts(rebuilt.read_bytes()) == accepted_texts(review.read_bytes())


def test_a_deleted_call_removes_its_note(make_project):
    root = make_project()
    docx = build(root, ("docx",)).out_dir / "report.docx"
    rel = "sections/01-intro.md"
    package = we.WordPackage(docx.read_bytes())
    calls = [r.getparent() for r in package.document.iter(we.wa("footnoteReference"))]
    for call in calls:  # both notes: a citation group's and a free-text note's
        we._as_deleted(call)
        we._wrap([call], "del", "Reviewer E")
    review = Path(root / "reviewed.docx")
    review.write_bytes(package.save())
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    assert "2 change(s): 2 placed in the sources" in result.output
    text = (root / rel).read_text(encoding="utf-8")
    assert "The first claim cites a source." in text and "A second paragraph with a free note." in text
    assert "[@" not in text and "^[" not in text
    rebuilt = build(root, ("docx",)).out_dir / "report.docx"
    assert accepted_texts(rebuilt.read_bytes()) == accepted_texts(review.read_bytes())


def _locators(package: we.WordPackage) -> None:
    we.replace(note(package, 1), "25–26", "25–27", "Reviewer F")  # a first citation's locator
    we.replace(note(package, 4), "15–16", "15–17", "Reviewer F")  # an "Ibid., pp. 15–16."
    we.replace(note(package, 1), ", “Bloodshed", "; “Bloodshed", "Reviewer F")  # the style's: not guessed


def test_a_changed_locator_goes_to_the_citation(project):
    review = reviewed(project, _locators)
    s2 = (project / S2).read_text(encoding="utf-8")
    expected = [
        f'{at(project, S2, "[@hrw-1992-bloodshed, pp. 25–26]", 5)}: change[Reviewer F]: "Helsinki, “Bloodshed" '
        '→ "Helsinki; “Bloodshed" in note 1 (not applied: it changes the text of note 1, which the citation style '
        'writes from the registry (edit the citation or references/ by hand))',
        f'{at(project, S2, "25–26]", 5)}: change[Reviewer F]: "25–26" → "25–27" in note 1',
        f'{at(project, S2, "15–16]", 9)}: change[Reviewer F]: "15–16" → "15–17" in note 4',
    ]
    applied(project, review, expected)
    after = (project / S2).read_text(encoding="utf-8")
    assert after == s2.replace("[@hrw-1992-bloodshed, pp. 25–26]", "[@hrw-1992-bloodshed, pp. 25–27]").replace(
        "[@hrw-1994-seven-years, pp. 15–16]", "[@hrw-1994-seven-years, pp. 15–17]")
    rebuilt = accepted_texts((build(project, ("docx",)).out_dir / "report.docx").read_bytes())
    wanted = accepted_texts(review.read_bytes())
    assert rebuilt[0] == wanted[0]
    assert [n for n in rebuilt[1] if n not in wanted[1]] == [wanted[1][0].replace("; “", ", “")]


def _relabelled(package: we.WordPackage) -> None:
    we.replace(note(package, 7), "p. 4", "pp. 4–5", "Reviewer F")  # the label with the locator, as one types it
    we.replace(note(package, 11), "p. 288", "pp. 288–289", "Reviewer F")  # in an "Ibid., p. 288."
    we.replace(note(package, 12), "p. 289", "289", "Reviewer F")  # the style would print "p." again


def test_a_locator_retyped_with_its_label_goes_to_the_citation(project):
    review = reviewed(project, _relabelled)
    s3, s4 = ((project / rel).read_text(encoding="utf-8") for rel in (S3, S4))
    expected = [
        f'{at(project, S3, "p. 4]", 13)}: change[Reviewer F]: "p. 4" → "pp. 4–5" in note 7',
        f'{at(project, S4, "p. 288]", 7)}: change[Reviewer F]: "p. 288" → "pp. 288–289" in note 11',
        f'{at(project, S4, "[@ngos-2020-patriotic-war-international-crimes, p. 289]", 7)}: change[Reviewer F]: '
        '"p. 289" → "289" in note 12 (not applied: it changes the text of note 12, which the citation style writes '
        'from the registry (edit the citation or references/ by hand))',
    ]
    applied(project, review, expected)
    assert (project / S3).read_text(encoding="utf-8") == s3.replace("13930, p. 4]", "13930, pp. 4–5]")
    assert (project / S4).read_text(encoding="utf-8") == s4.replace("crimes, p. 288]", "crimes, pp. 288–289]")
    rebuilt = accepted_texts((build(project, ("docx",)).out_dir / "report.docx").read_bytes())
    wanted = accepted_texts(review.read_bytes())
    assert [n for n in wanted[1] if n not in rebuilt[1]] == [" Ibid., 289."]  # the one not applied
    assert rebuilt[1][6].endswith("(December 11, 2015), pp. 4–5.") and rebuilt[1][10] == " Ibid., pp. 288–289."
