"""`report review` of changes made with Track Changes off: the reviewed file's text and
formatting (its tracked changes rejected) compared with the build it came from, and
every difference an ``untracked`` change, placed and applied like a tracked one.

A footnote inserted without tracking becomes a ``^[…]`` note at its call; a call
deleted without tracking removes its citation group or note; bold and italic turned
on or off become Markdown emphasis; words typed in a free-text note, or in the
locator of a note the citation style wrote, go to the note or the citation. Each is
printed at its source line and column, applied with --apply, and the rebuilt report
reads (and is formatted) as the reviewed file with every change accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S3, S4, applied, at, note, reviewed, run_review
from tests.review.test_review_formatting import formatting
from tests.review.test_review_shipped import accepted_texts

S = "sections/01-intro.md"
SECTION = """\
---
title: Introduction
---

The first claim cites a source[@un-2020, p. 12] and names *the committee* in passing.

A second paragraph with **strong words** and a free note.^[See also the *annexed* material.]

A third paragraph cites one source[@un-2020, p. 5] and compares another.^[Compare [@ngo-2021, para. 12].]
"""


def _review(make_project, edit) -> tuple[Path, Path, str]:
    """The project built, its DOCX edited by ``edit(package)``: (root, the reviewed file, the section as built)."""
    root = make_project({S: SECTION})
    docx = build(root, ("docx",)).out_dir / "report.docx"
    package = we.WordPackage(docx.read_bytes())
    edit(package)
    review = root / "reviewed.docx"
    review.write_bytes(package.save())
    return root, review, (root / S).read_text(encoding="utf-8")


def _round_trip(root: Path, review: Path) -> None:
    """Rebuilt from the applied sources, the report reads as the reviewed file with every change accepted."""
    rebuilt = (build(root, ("docx",)).out_dir / "report.docx").read_bytes()
    assert accepted_texts(rebuilt) == accepted_texts(review.read_bytes())
    # (formatting lists notes as footnotes.xml does: Word's new ones last, the build's in calling order)
    assert sorted(formatting(rebuilt)) == sorted(formatting(review.read_bytes()))


def _notes_typed(package: we.WordPackage) -> None:
    we.insert_footnote(package, "The first claim", "Tracked, before it.", "Reviewer A")
    we.untracked_footnote(package, "in passing.", "Typed with tracking off, *as is*.")
    we.untracked_footnote(package, "and compares", "A second one, in the same paragraph as another.")


def test_a_footnote_inserted_without_tracking_becomes_a_markdown_note(make_project):
    root, review, before = _review(make_project, _notes_typed)
    expected = [
        f'{at(root, S, " cites a source", 5)}: change[Reviewer A]: "first claim" → "first claim^[Tracked, before it.]"',
        f'{S}:5:{len(before.split(chr(10))[4]) + 1}: untracked: "passing." → "passing.^[Typed with tracking off, '
        '*as is*.]"',
        f'{at(root, S, " another.", 9)}: untracked: "and compares" → "and compares^[A second one, in the same '
        'paragraph as another.]"',
    ]
    result = applied(root, review, expected)
    assert "3 change(s): 3 placed in the sources, 0 not applied" in result.output
    lines = (root / S).read_text(encoding="utf-8").split("\n")
    assert lines[4] == ("The first claim^[Tracked, before it.] cites a source[@un-2020, p. 12] and names *the "
                        "committee* in passing.^[Typed with tracking off, \\*as is\\*.]")
    assert lines[8] == ("A third paragraph cites one source[@un-2020, p. 5] and compares^[A second one, in the same "
                        "paragraph as another.] another.^[Compare [@ngo-2021, para. 12].]")
    _round_trip(root, review)


def _calls_deleted(package: we.WordPackage) -> None:
    we.untracked_call_deleted(package, 1)  # "[@un-2020, p. 12]"
    we.untracked_call_deleted(package, 1)  # then the first left: the free-text note "^[See also …]"
    we.untracked_call_deleted(package, 1)  # "[@un-2020, p. 5]", whose paragraph has another note…
    we.untracked(package.footnotes, "Compare", "Contrast")  # …edited too: still that note's change


def test_a_call_deleted_without_tracking_removes_its_citation_or_note(make_project):
    root, review, before = _review(make_project, _calls_deleted)
    expected = [
        f'{at(root, S, "[@un-2020, p. 12]", 5)}: untracked: "a source[note]" → "a source"',
        f'{at(root, S, "^[See also", 7)}: untracked: "note.[note]" → "note."',
        f'{at(root, S, "[@un-2020, p. 5]", 9)}: untracked: "one source[note]" → "one source"',
        f'{at(root, S, "Compare", 9)}: untracked: "Compare" → "Contrast" in note 4',
    ]
    applied(root, review, expected)
    assert (root / S).read_text(encoding="utf-8") == before.replace("[@un-2020, p. 12]", "").replace(
        "^[See also the *annexed* material.]", "").replace("[@un-2020, p. 5]", "").replace("Compare", "Contrast")
    _round_trip(root, review)


def _restyled(package: we.WordPackage) -> None:
    d = package.document
    we.untracked(d, "cites a source", "cites one source")  # the paragraph's text changed too
    we.untracked_restyle(d, "first claim", italic=True)
    we.untracked_restyle(d, "the committee", italic=False)
    we.restyle(d, "passing", "Reviewer A", bold=True)  # tracked, beside them
    we.untracked_restyle(d, "strong words", bold=False)
    calls = [r.getparent() for r in d.iter(we.wa("footnoteReference"))]
    we.untracked_restyle(d, "free note.", bold=True)  # its call's run made bold with it: the words only
    calls[1].find(we.wa("rPr")).append(etree.Element(we.wa("b")))
    we.untracked_restyle(d, "one source", bold=True, nth=1)  # words, a call and words: the call inside
    calls[2].find(we.wa("rPr")).append(etree.Element(we.wa("b")))
    we.untracked_restyle(d, " and compares", bold=True)
    we.untracked_restyle(package.footnotes, "annexed", italic=False)  # in a free-text note


def test_bold_and_italic_changed_without_tracking_become_markdown_emphasis(make_project):
    root, review, before = _review(make_project, _restyled)
    expected = [
        f'{at(root, S, "first claim", 5)}: untracked: "first claim" → "*first claim*"',
        f'{at(root, S, "a source", 5)}: untracked: "a" → "one"',
        f'{at(root, S, "the committee", 5)}: untracked: "*the committee*" → "the committee"',
        f'{at(root, S, "passing", 5)}: change[Reviewer A]: "passing" → "**passing**"',
        f'{at(root, S, "strong words", 7)}: untracked: "**strong words**" → "strong words"',
        f'{at(root, S, "free note.", 7)}: untracked: "free note." → "**free note.**"',
        f'{at(root, S, "annexed", 7)}: untracked: "*annexed*" → "annexed" in note 2',
        f'{at(root, S, "one source", 9)}: untracked: "one source[note] and compares" → "**one source[note] and '
        'compares**"',
    ]
    applied(root, review, expected)
    lines = (root / S).read_text(encoding="utf-8").split("\n")
    assert lines[8] == ("A third paragraph cites **one source[@un-2020, p. 5] and compares** another.^[Compare "
                        "[@ngo-2021, para. 12].]")
    assert lines[4] == "The *first claim* cites one source[@un-2020, p. 12] and names the committee in **passing**."
    assert lines[6] == "A second paragraph with strong words and a **free note.**^[See also the annexed material.]"
    _round_trip(root, review)
    shown = formatting((root / "build" / "en" / "public" / "report.docx").read_bytes())
    assert "The _first claim_ cites one source and names the committee in **passing**." in shown


def _in_notes(package: we.WordPackage) -> None:
    we.untracked(package.footnotes, "annexed", "appended")  # a free-text note
    we.untracked(note(package, 1), "p. 12", "p. 13")  # the locator of a note the style wrote
    we.untracked(note(package, 3), "p. 5", "p. 6")  # an "Ibid., p. 5."
    we.untracked(note(package, 1), "A Report", "The Report")  # the style's title: the registry's field


def test_words_typed_in_notes_without_tracking_go_to_the_note_or_the_citation(make_project):
    root, review, before = _review(make_project, _in_notes)
    assert "Ibid., p. 5." in accepted_texts((root / "build" / "en" / "public" / "report.docx").read_bytes())[1][2]
    expected = [
        f'{at(root, S, "12]", 5)}: untracked: "12" → "13" in note 1',
        f'{at(root, S, "annexed", 7)}: untracked: "annexed" → "appended" in note 2',
        f'{at(root, S, "5]", 9)}: untracked: "5" → "6" in note 3',
    ]
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == expected
    assert lines[3] == 'references/sources.yaml:5:10: untracked: "A" → "The" in note 1 (note 3 cites it too and ' \
        'changes with it)'
    assert "  title: The Report\n" in (root / "references" / "sources.yaml").read_text(encoding="utf-8")
    assert (root / S).read_text(encoding="utf-8") == before.replace("p. 12]", "p. 13]").replace(
        "annexed", "appended").replace("p. 5]", "p. 6]")
    _round_trip(root, review)


def _shipped(package: we.WordPackage) -> None:
    we.untracked(note(package, 7), "p. 4", "p. 5")  # PACE's locator
    we.untracked_call_deleted(package, 12)  # an "Ibid., p. 289."
    we.untracked_footnote(package, "aspects of the conflict.", "Typed in Word with tracking off.")
    we.untracked_restyle(package.document, "under-researched", italic=True)


def test_the_shipped_report_reviewed_without_tracking_round_trips(project):
    review = reviewed(project, _shipped)
    expected = [
        f'{at(project, S3, "under-researched", 5)}: untracked: "under-researched" → "*under-researched*"',
        f'{at(project, S3, " Many of them", 5)}: untracked: "conflict." → "conflict.^[Typed in Word with tracking '
        'off.]"',
        f'{at(project, S3, "4]", 13)}: untracked: "4" → "5" in note 7',
        f'{at(project, S4, "[@ngos-2020-patriotic-war-international-crimes, p. 289]", 7)}: untracked: '
        '"uniforms).[note]" → "uniforms)."',
    ]
    result = applied(project, review, expected)
    assert "4 change(s): 4 placed in the sources, 0 not applied" in result.output
    _round_trip(project, review)


def _call_run(package: we.WordPackage, note_id: str):
    """The run that holds the call of note ``note_id``."""
    calls = package.document.iter(we.wa("footnoteReference"))
    return next(r.getparent() for r in calls if r.get(we.wa("id")) == note_id)


def _beside_calls(package: we.WordPackage) -> None:
    """Footnotes inserted with tracking off right before a call the build has (``source.[new][old]``)
    and right after one (``another.[old][new]``)."""
    we.untracked_footnote(package, "cites a source", "New, before the old one.")
    calls = [r.get(we.wa("id")) for r in package.document.iter(we.wa("footnoteReference"))]
    new = we.untracked_footnote(package, "and compares another.", "New, after the old one.")
    _call_run(package, calls[-1]).addnext(_call_run(package, new))  # past the note called after "another."


def _beside_calls_renumbered(package: we.WordPackage) -> None:
    _beside_calls(package)
    we.renumbered(package)  # the new note before the first call takes its id, 1: its text tells them apart


@pytest.mark.parametrize("edit", [_beside_calls, _beside_calls_renumbered])
def test_a_footnote_inserted_without_tracking_beside_a_call_gets_its_own_text(make_project, edit):
    root, review, before = _review(make_project, edit)
    lines = before.split("\n")
    expected = [
        f'{at(root, S, "[@un-2020, p. 12]", 5)}: untracked: "a source" → "a source^[New, before the old one.]"',
        f'{S}:9:{len(lines[8]) + 1}: untracked: "another.[note]" → "another.[note]^[New, after the old one.]"',
    ]
    result = applied(root, review, expected)
    assert "2 change(s): 2 placed in the sources, 0 not applied" in result.output
    assert (root / S).read_text(encoding="utf-8") == before.replace(
        "source[@un-2020, p. 12]", "source^[New, before the old one.][@un-2020, p. 12]").replace(
        "para. 12].]", "para. 12].]^[New, after the old one.]")
    _round_trip(root, review)
