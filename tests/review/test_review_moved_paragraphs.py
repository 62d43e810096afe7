"""A whole paragraph moved in Word (dragged, or cut and pasted with tracking on, which
Word records as a move): its Markdown block moves as written, with its citations, notes,
emphasis and incident label, so the rebuilt report reads as the reviewed file with every
change accepted. Moved before another paragraph, before a heading, or to the end of a
section; a move whose new place the tool cannot write leaves the paragraph where it is."""

from __future__ import annotations

import copy
import subprocess

import pytest

from report.build import build
from tests.diff.docx_revisions import wa
from tests.review import word_edits as we
from tests.review.conftest import S2, S3, S6, reviewed, run_review
from tests.review.test_review_citation_notes import _in_registry
from tests.review.test_review_shipped import accepted_texts

HOWEVER = "However, Armenia still refuses"
NUMEROUS = "There are numerous reports indicating"
FATE = "The fate of Azerbaijani prisoners"


def _move(words: str, before: str, nth: int = 0, tags=("moveFrom", "moveTo")):
    """``words``' paragraph moved before ``before``'s, its notes given new ids as Word gives them."""
    def edit(package: we.WordPackage) -> None:
        origin = we.isolate(package.document, words).getparent()
        notes = {n.get(wa("id")): n for n in package.footnotes.iter(wa("footnote"))}
        fresh = max(int(key) for key in notes) + 1
        ids = {}
        for call in origin.iter(wa("footnoteReference")):
            copied = copy.deepcopy(notes[call.get(wa("id"))])
            copied.set(wa("id"), str(fresh))
            package.footnotes.append(copied)
            ids[call.get(wa("id"))] = str(fresh)
            fresh += 1
        we.move_paragraph(package.document, words, before, "Reviewer M", ids, nth, tags)
    return edit


def _round_trip(project, review) -> None:
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    build(project, ("docx",))
    assert accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes()) == \
        accepted_texts(review.read_bytes())
    return result


def _block(rel_text: str, words: str) -> str:
    return next(b.strip("\n") for b in rel_text.split("\n\n") if words in b)


@pytest.mark.parametrize("tags, kind", [(("moveFrom", "moveTo"), "move"), (("del", "ins"), "change")],
                         ids=["dragged", "cut-and-pasted"])
def test_a_paragraph_with_citations_and_a_label_moves_as_written(project, tags, kind):
    moved = _block((project / S3).read_text(encoding="utf-8"), NUMEROUS)
    assert "[@" in moved and "{#" in moved  # citations and an incident's label go with it
    review = reviewed(project, _move(NUMEROUS, "In addition, the violations mentioned", tags=tags))
    result = _round_trip(project, review)
    lines = result.output.splitlines()
    assert lines[0].startswith(f'{S3}:7:1: {kind}[Reviewer M]: "There are numerous reports') and lines[0].endswith('→ ""')
    assert lines[1].startswith(f'{S6}:7:1: {kind}[Reviewer M]: "" → "There are numerous reports')
    assert "2 change(s): 2 placed in the sources, 0 not applied" in result.output
    assert moved not in (project / S3).read_text(encoding="utf-8")
    conclusion = (project / S6).read_text(encoding="utf-8").split("\n\n")
    assert conclusion[2] == moved and conclusion[3].startswith("In addition, the violations mentioned")


def test_a_paragraph_moved_to_the_end_of_a_section(project):
    moved = _block((project / S3).read_text(encoding="utf-8"), FATE)
    review = reviewed(project, _move(FATE, "SECOND KARABAKH WAR", nth=1))  # before the next section's title
    _round_trip(project, review)
    text = (project / S3).read_text(encoding="utf-8")
    assert text.endswith("\n\n" + moved + "\n") and text.count(FATE) == 1


def test_a_plain_paragraph_moved_up(project):
    moved = _block((project / S2).read_text(encoding="utf-8"), HOWEVER)
    review = reviewed(project, _move(HOWEVER, FATE))
    _round_trip(project, review)
    assert (project / S3).read_text(encoding="utf-8").split("\n\n")[1] == moved


def test_a_paragraph_moved_where_the_tool_cannot_write_it_stays(project):
    sources = {rel: (project / rel).read_bytes() for rel in (S2, S3)}
    review = reviewed(project, _move(FATE, "CEASEFIRE PERIOD"))  # into the contents, before its entry
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert f"{S3}:5:1: move[Reviewer M]: " in result.output
    assert "(not applied: it moves the paragraph to a place the tool cannot write it (move it by hand))" in result.output
    assert "0 placed in the sources" in result.output
    assert {rel: (project / rel).read_bytes() for rel in (S2, S3)} == sources


def _fixed_after_moving(package: we.WordPackage) -> None:
    _move(NUMEROUS, "In addition, the violations mentioned")(package)
    moved_note = package.footnotes[-1]  # Word's new note for the moved call, a copy of note 5
    we.replace(moved_note, "mistreatment", "ill-treatment", "Reviewer H")
    we.replace(moved_note, "21–22", "21–23", "Reviewer H")


def test_what_was_fixed_in_a_moved_paragraphs_note_is_read(project):
    """The moved call's new note is read against the note it was (it was not read at all):
    a title fixed there goes to the registry; a locator changed there goes to the
    citation, in the block the move writes at its new place."""
    moved = _block((project / S3).read_text(encoding="utf-8"), NUMEROUS)
    review = reviewed(project, _fixed_after_moving)
    expected = [
        f'{S3}:7:1: move[Reviewer M]: "There are numerous reports indicating t…rabakh, was executed on the '
        'spot.[note]" → ""',
        f'{S6}:7:1: move[Reviewer M]: "" → "There are numerous reports indicating t…abakh, was executed on the '
        'spot.[note]¶"',
        f'{S6}:7:1: change[Reviewer H]: "21–22" → "21–23" in note 5',
        f'{_in_registry(project, "Preliminary report", "id: dscr-2020")}: change[Reviewer H]: "mistreatment" → '
        '"ill-treatment" in note 5',
    ]
    result = _patched(project, review)
    assert result.output.splitlines()[:-3] == expected
    assert "4 change(s): 4 placed in the sources, 0 not applied" in result.output
    assert _block((project / S6).read_text(encoding="utf-8"), NUMEROUS) == moved.replace("21–22]", "21–23]")


def _patched(project, review):
    """The review's changes.patch applied with `git apply`: the rebuilt report reads as
    the reviewed file with every change accepted."""
    result = run_review(project, review)
    assert result.exit_code == 0, result.output
    done = subprocess.run(["git", "apply", "build/review/changes.patch"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    build(project, ("docx",))
    assert accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes()) == \
        accepted_texts(review.read_bytes())
    return result


def _retyped_after_moving(author: str):
    def edit(package: we.WordPackage) -> None:
        _move(NUMEROUS, "In addition, the violations mentioned")(package)
        copy_ = next(t for t in package.document.iter(wa("t")) if NUMEROUS in (t.text or "")).getparent().getparent()
        we.replace(copy_, "numerous", "many", author)  # in the moved runs: Word nests it in the w:moveTo
    return edit


@pytest.mark.parametrize("author", ["Reviewer H", "Reviewer M"], ids=["another-reviewer", "the-mover"])
def test_a_word_changed_in_a_moved_paragraph_moves_with_it(project, author):
    """A word retyped in the moved copy (by the reviewer who moved it, or another):
    still a move, its block written at the new place with the word changed there."""
    moved = _block((project / S3).read_text(encoding="utf-8"), NUMEROUS)
    review = reviewed(project, _retyped_after_moving(author))
    result = _patched(project, review)
    lines = result.output.splitlines()
    assert lines[1].startswith(f'{S6}:7:1: move[Reviewer M]: "" → "There are many reports indicating')
    assert lines[2] == f'{S6}:7:1: change[{author}]: "numerous" → "many"'
    assert "3 change(s): 3 placed in the sources, 0 not applied" in result.output
    assert NUMEROUS not in (project / S3).read_text(encoding="utf-8")
    written = _block((project / S6).read_text(encoding="utf-8"), "There are many reports")
    assert written == moved.replace("There are numerous", "There are many", 1)  # citations and label as written
