"""`report review` of bold and italic turned on or off with Track Changes (Word's
``w:rPrChange``): each becomes Markdown emphasis around the words, or the emphasis's
delimiters taken away, never inside a citation group, a note or a link; and the
rebuilt report shows the words as the reviewer formatted them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from report.build import build
from tests.diff.docx_revisions import resolve, wa
from tests.review import word_edits as we
from tests.review.conftest import at, run_review
from tests.review.test_review_shipped import accepted_texts

S = "sections/01-intro.md"
SECTION = """\
---
title: Introduction
---

The first claim cites a source[@un-2020, p. 3] and names *the committee* in passing.

A second paragraph with **strong words** and our [linked report](https://example.org/r) here.

A third paragraph with a free note.^[See also the *annexed* material.]
"""


def _project(make_project) -> tuple[Path, Path]:
    root = make_project({S: SECTION})
    return root, build(root, ("docx",)).out_dir / "report.docx"


def _reviewed(root: Path, docx: Path, edit) -> Path:
    package = we.WordPackage(docx.read_bytes())
    edit(package)
    path = root / "reviewed.docx"
    path.write_bytes(package.save())
    return path


def formatting(docx: bytes) -> list[str]:
    """Each body paragraph and note with every change accepted, its bold words in ``**``
    and italic ones in ``_`` (spaces never marked), as a reader sees them."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = [etree.fromstring(archive.read(name)) for name in ("word/document.xml", "word/footnotes.xml")]
    out = []
    for root in parts:
        resolve(root, accept=True)
        for p in root.iter(wa("p")):
            chars = []
            for run in p.iter(wa("r")):
                rpr = run.find(wa("rPr"))
                flags = {tag for tag in ("b", "i") if rpr is not None and rpr.find(wa(tag)) is not None
                         and rpr.find(wa(tag)).get(wa("val"), "1") not in ("0", "false")}
                chars += [(ch, flags if ch.strip() else set()) for t in run.iter(wa("t")) for ch in t.text or ""]
            text, last, end = "", set(), 0  # end: just after the last marked character
            for ch, flags in chars + [("", set())]:
                if ch.isspace():
                    text += ch
                    continue
                closing = "".join(mark for flag, mark in (("i", "_"), ("b", "**")) if flag in last - flags)
                opening = "".join(mark for flag, mark in (("b", "**"), ("i", "_")) if flag in flags - last)
                text = text[:end] + closing + text[end:] + opening + ch
                last, end = flags, len(text)
            if text.strip():
                out.append(text.strip())
    return out


def _edits(package: we.WordPackage) -> None:
    d, notes = package.document, package.footnotes
    we.restyle(d, "first claim", "Reviewer A", italic=True)
    we.restyle(d, "passing", "Reviewer A", bold=True)
    we.restyle(d, "the committee", "Reviewer B", italic=False)
    we.restyle(d, "strong words", "Reviewer B", bold=False)
    we.restyle(d, "our ", "Reviewer C", italic=True)  # "our [linked report]": a link wholly inside
    we.restyle(d, "linked report", "Reviewer C", italic=True)
    we.restyle(notes, "annexed", "Reviewer C", italic=False)


def test_bold_and_italic_become_markdown_emphasis(make_project):
    root, docx = _project(make_project)
    review = _reviewed(root, docx, _edits)
    expected = [
        f'{at(root, S, "first claim", 5)}: change[Reviewer A]: "first claim" → "*first claim*"',
        f'{at(root, S, "the committee", 5)}: change[Reviewer B]: "*the committee*" → "the committee"',
        f'{at(root, S, "passing", 5)}: change[Reviewer A]: "passing" → "**passing**"',
        f'{at(root, S, "strong words", 7)}: change[Reviewer B]: "**strong words**" → "strong words"',
        f'{at(root, S, "our [", 7)}: change[Reviewer C]: "our linked report" → "*our linked report*"',
        f'{at(root, S, "annexed", 9)}: change[Reviewer C]: "*annexed*" → "annexed" in note 2',
    ]
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-3] == expected
    assert (root / S).read_text(encoding="utf-8").split("\n")[4:9] == [
        "The *first claim* cites a source[@un-2020, p. 3] and names the committee in **passing**.",
        "",
        "A second paragraph with strong words and *our [linked report](https://example.org/r)* here.",
        "",
        "A third paragraph with a free note.^[See also the annexed material.]",
    ]
    rebuilt = build(root, ("docx",)).out_dir / "report.docx"
    assert formatting(rebuilt.read_bytes()) == formatting(review.read_bytes())
    assert accepted_texts(rebuilt.read_bytes()) == accepted_texts(review.read_bytes())
    shown = formatting(rebuilt.read_bytes())
    assert "The _first claim_ cites a source and names the committee in **passing**." in shown
    assert "A second paragraph with strong words and _our linked report_ here." in shown


def _not_carried(package: we.WordPackage) -> None:
    d, notes = package.document, package.footnotes
    we.restyle(d, "our ", "Reviewer A", italic=True)  # and part of a link's text
    we.restyle(d, "linked", "Reviewer A", italic=True)
    we.restyle(notes, "United Nations", "Reviewer A", bold=True)  # a note the citation style writes
    we.restyle(d, "committ", "Reviewer B", italic=False)  # part of an emphasis


def test_formatting_that_markdown_cannot_carry_is_listed(make_project):
    root, docx = _project(make_project)
    before = (root / S).read_bytes()
    result = run_review(root, _reviewed(root, docx, _not_carried), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-2] == [
        f'{at(root, S, "[@un-2020", 5)}: change[Reviewer A]: "United Nations" → "**United Nations**" in note 1 '
        "(not applied: its text is not all from the sources (a number, a cross-reference, a note the style wrote))",
        f'{at(root, S, "committee", 5)}: change[Reviewer B]: "*committ*" → "committ" (not applied: it takes the '
        "formatting off part of an emphasis (apply it by hand))",
        f'{at(root, S, "our [", 7)}: change[Reviewer A]: "our linked" → "*our linked*" (not applied: it covers '
        "part of a link, a span or an emphasis (apply it by hand))",
    ]
    assert (root / S).read_bytes() == before


def _type(d, before: str, words: list[tuple[str, str]]) -> None:
    """``words`` typed with tracking on right before ``before``, each (text, "b", "i", "bi"
    or "": plain) its own run, as Word writes typed words."""
    anchor = we.isolate(d, before)
    for text, flags in words:
        ins = we.insert_before_text(d, before, text, "Reviewer T")
        run = ins.find(wa("r"))
        rpr = run.find(wa("rPr"))
        if rpr is None:
            rpr = etree.Element(wa("rPr"))
            run.insert(0, rpr)
        for old in [c for c in rpr if c.tag in (wa("b"), wa("i"), wa("bCs"), wa("iCs"))]:
            rpr.remove(old)
        for flag in flags:
            etree.SubElement(rpr, wa(flag))
        ins.getparent().remove(ins)
        anchor.addprevious(ins)


def _typed(package: we.WordPackage) -> None:
    """Words typed in bold, in italic, in both, and mixed, with tracking on; and words typed
    inside the bold words already there (bold like them: no new markup)."""
    d = package.document
    _type(d, "cites a source", [("plainly ", "b")])
    _type(d, "in passing", [("and ", ""), ("never ", "i"), ("ever ", "bi")])
    we.insert_before_text(d, "words", "very ", "Reviewer T")  # inside the bold run: bold as it is


def test_words_typed_in_bold_or_italic_keep_it(make_project):
    root, docx = _project(make_project)
    review = _reviewed(root, docx, _typed)
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    assert "3 change(s): 3 placed in the sources, 0 not applied" in result.output  # "and never ever ": one
    lines = (root / S).read_text(encoding="utf-8").split("\n")
    assert lines[4] == ("The first claim **plainly** cites a source[@un-2020, p. 3] and names *the committee* "
                        "and *never* ***ever*** in passing.")
    assert lines[6] == "A second paragraph with **strong very words** and our [linked report](https://example.org/r) here."
    rebuilt = build(root, ("docx",)).out_dir / "report.docx"
    assert formatting(rebuilt.read_bytes()) == formatting(review.read_bytes())
    assert accepted_texts(rebuilt.read_bytes()) == accepted_texts(review.read_bytes())


PLAIN_INSIDE = """\
---
title: Introduction
---

A second paragraph with **strong words** and *an italic phrase* here.

A third with **bold and [a linked report](https://example.org/r) inside** it.

| Place | Count |
| --- | --- |
| **North region** | 12 |
"""


def _typed_plain(package: we.WordPackage) -> None:
    """Words typed plain (bold or italic turned off before typing) in the middle of bold
    and italic text; and in a link's text inside bold, where no emphasis can close."""
    d = package.document
    _type(d, "words", [("very ", "")])
    _type(d, "phrase", [("and ", ""), ("bold ", "b")])
    _type(d, "report", [("plain ", "")])
    _type(d, "region", [("upper ", "")])  # in a table's cell


def test_words_typed_plain_inside_bold_or_italic_close_and_reopen_it(make_project):
    root = make_project({S: PLAIN_INSIDE})
    review = _reviewed(root, build(root, ("docx",)).out_dir / "report.docx", _typed_plain)
    expected = [
        f'{at(root, S, "words", 5)}: change[Reviewer T]: "strong words" → "strong very words"',
        f'{at(root, S, "phrase", 5)}: change[Reviewer T]: "italic phrase" → "italic and bold phrase"',
        f'{at(root, S, "report", 7)}: change[Reviewer T]: "linked report" → "linked plain report" (the typed '
        "words' bold or italic could not be written in Markdown: they read as the words around them)",
        f'{at(root, S, "region", 11)}: change[Reviewer T]: "North region" → "North upper region"',
    ]
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-3] == expected
    assert "4 change(s): 4 placed in the sources, 0 not applied" in result.output
    lines = (root / S).read_text(encoding="utf-8").split("\n")
    assert lines[4] == "A second paragraph with **strong** very **words** and *an italic* and **bold** *phrase* here."
    assert lines[6] == "A third with **bold and [a linked plain report](https://example.org/r) inside** it."
    assert lines[10] == "| **North** upper **region** | 12 |"
    rebuilt = build(root, ("docx",)).out_dir / "report.docx"
    assert accepted_texts(rebuilt.read_bytes()) == accepted_texts(review.read_bytes())
    shown, wanted = formatting(rebuilt.read_bytes()), formatting(review.read_bytes())
    assert [p for p in shown if not p.startswith("A third")] == [p for p in wanted if not p.startswith("A third")]
    assert "A second paragraph with **strong** very **words** and _an italic_ and **bold** _phrase_ here." in shown
    assert "**North** upper **region**" in shown
    # the words the Markdown could not set apart are kept, bold like the link around them
    assert "A third with **bold and a linked plain report inside** it." in shown
    assert "A third with **bold and a linked** plain **report inside** it." in wanted


def test_typed_punctuation_is_escaped_only_where_markdown_would_read_it(make_project):
    """What a reviewer types stays text, and stays readable in the source: "_" inside a word
    and "*" between spaces are written as they are (CommonMark reads them as themselves);
    "*note*", brackets, "<b>" and "@home" are escaped."""
    root, docx = _project(make_project)
    typed = " (see a_b_c, 5 * 3, *note* [1], <b> and @home)"
    review = _reviewed(root, docx, lambda p: we.insert_before_text(p.document, " in passing", typed, "Reviewer T"))
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    assert ("names *the committee* (see a_b_c, 5 * 3, \\*note\\* \\[1\\], \\<b\\> and \\@home) in passing."
            in (root / S).read_text(encoding="utf-8"))
    rebuilt = build(root, ("docx",)).out_dir / "report.docx"
    assert accepted_texts(rebuilt.read_bytes()) == accepted_texts(review.read_bytes())
