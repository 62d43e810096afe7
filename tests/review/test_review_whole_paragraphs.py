"""Whole paragraphs a reviewer deleted or typed, tracked or not: nothing typed is lost.

A paragraph deleted whole (tracked, as Word records selecting it and pressing Delete; or
gone with tracking off) takes its block out of the Markdown, its citations and notes
with it; a paragraph typed with tracking off is written in as a new paragraph where it
stands; a paragraph rewritten beyond recognition with tracking off is both. The round
trip holds: the rebuilt report reads as the reviewed file with every change accepted.
A paragraph carrying a label (an incident, ``{#…}``) is listed, not deleted."""

from __future__ import annotations

import pytest
from lxml import etree

from report.build import build
from tests.diff.docx_revisions import wa
from tests.review import word_edits as we
from tests.review.conftest import S1, S3, S5, S6, reviewed, run_review
from tests.review.test_review_shipped import accepted_texts

NUMEROUS = "There are numerous reports indicating"


def _rebuilt(project) -> tuple[list[str], list[str]]:
    build(project, ("docx",))
    return accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes())


def _typed_after(d, text: str, new: str) -> None:
    """A paragraph of ``new`` typed with tracking off after the one holding ``text``."""
    after = we.isolate(d, text).getparent()
    added = etree.Element(wa("p"))
    etree.SubElement(etree.SubElement(added, wa("r")), wa("t")).text = new
    after.addnext(added)


CITING = ("Reports of the period cite it too.[@hrw-1994-seven-years, p. 3] So did the press,^[A free-text note, "
          "*in italics*.] in *several* languages.")


def test_a_paragraph_deleted_whole_goes_with_its_notes(project):
    path = project / S6
    text = path.read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("The actions described in the report"))
    path.write_text(text[:first] + "\n\n" + CITING + text[first:], encoding="utf-8")
    build(project, ("docx",))
    before = path.read_text(encoding="utf-8")
    notes = len(accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes())[1])
    review = reviewed(project, lambda p: we.delete_paragraph(p.document, "Reports of the period", "Reviewer A"))
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f'{S6}:7:1: change[Reviewer A]: "Reports of the period cite it')
    assert "1 change(s): 1 placed in the sources, 0 not applied" in result.output
    assert path.read_text(encoding="utf-8") == before.replace(CITING + "\n\n", "")
    rebuilt = _rebuilt(project)
    assert rebuilt == accepted_texts(review.read_bytes()) and len(rebuilt[1]) == notes - 2


def _untracked(package: we.WordPackage) -> None:
    d = package.document
    gone = we.isolate(d, "The fate of Azerbaijani prisoners").getparent()
    gone.getparent().remove(gone)
    _typed_after(d, "Even after active hostilities", "A paragraph typed with tracking off, *not* emphasis.")
    _typed_after(d, "Even after active hostilities", "And another before it.")


def test_paragraphs_added_or_deleted_without_tracking_are_applied(project):
    review = reviewed(project, _untracked)
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f'{S3}:5:1: untracked: "The fate of Azerbaijani prisoners of wa…tion and even extrajudicial '
                        'executions." → ""')
    assert lines[1].startswith(f'{S5}:5:') and lines[1].endswith(
        'untracked: "" → "And another before it.¶A paragraph typed with tracking off, *not* emphasis."')
    assert "2 change(s): 2 placed in the sources, 0 not applied" in result.output
    text = (project / S5).read_text(encoding="utf-8")
    assert text.endswith("\n\nAnd another before it.\n\nA paragraph typed with tracking off, \\*not\\* emphasis.\n")
    assert "The fate of Azerbaijani prisoners" not in (project / S3).read_text(encoding="utf-8")
    assert _rebuilt(project) == accepted_texts(review.read_bytes())


def _rewritten(words: str):
    def edit(package: we.WordPackage) -> None:
        p = we.isolate(package.document, words).getparent()
        for run in [r for r in p if r.tag == wa("r")]:
            p.remove(run)
        etree.SubElement(etree.SubElement(p, wa("r")), wa("t")).text = "Entirely new words, with no note."
    return edit


@pytest.mark.parametrize("rel, words", [
    (S1, "in this report aims to analyze"),  # the first under its section's title: after the front matter
    (S6, "In addition, the violations mentioned"),  # after the paragraph before it
])
def test_a_paragraph_rewritten_without_tracking_replaces_the_old_one(project, rel, words):
    review = reviewed(project, _rewritten(words))
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert "1 change(s): 1 placed in the sources, 0 not applied" in result.output
    assert result.output.splitlines()[0].endswith(' → "Entirely new words, with no note."')
    text = (project / rel).read_text(encoding="utf-8")
    assert "\n\nEntirely new words, with no note.\n" in text and words not in text
    assert _rebuilt(project) == accepted_texts(review.read_bytes())


def test_a_labelled_paragraph_is_listed_not_deleted(project):
    sources = (project / S3).read_bytes()
    review = reviewed(project, lambda p: we.delete_paragraph(p.document, NUMEROUS, "Reviewer A"))
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith(
        "(not applied: it deletes a paragraph with a label ({#…}) other text may refer to (delete it in the source))")
    assert (project / S3).read_bytes() == sources


def test_a_title_page_line_rewritten_without_tracking_is_listed(project):
    review = reviewed(project, _rewritten("Strategic Communications Centre"))  # the organization's line
    result = run_review(project, review)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        'report.yaml:2:1: untracked: "" → "Entirely new words, with no note." (not applied: a paragraph typed or '
        'rewritten with tracking off on the title page or in the contents (apply it by hand))')
