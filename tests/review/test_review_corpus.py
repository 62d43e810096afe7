"""`report review` of one realistic reviewed file of the shipped report, where every kind
of change the review carries back stands beside the others and they interact: tracked
replacements, deletions and insertions in the body and in the notes by four reviewers
(some runs split mid-word), a paragraph moved into the next section and one moved
with its note (whose title the reviewer then fixed), a paragraph split right after a
footnote inserted there and two joined, a deleted note call, changes made with
tracking off, locators relabelled ("p. 4" → "pp. 4–5"), a suffix, a registry title,
bold and italic, and comments with replies on ranges across runs and paragraphs and in
a note. Each is printed at its place in the sources; applied (or the patch taken by
`git apply`) and rebuilt, the report reads as the reviewed file with every change
accepted; and the same holds once LibreOffice has opened and saved the file. (A
translation's review and a conflict with a later source edit:
test_review_translation*.py, test_review_merge.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S1, S2, S3, S4, S5, S6, at, note, reviewed, run_review
from tests.review.test_review_citation_notes import REGISTRY, _in_registry
from tests.review.test_review_formatting import formatting
from tests.review.test_review_libreoffice import in_reading_order, saved_by_libreoffice
from tests.review.test_review_moved_paragraphs import _move
from tests.review.test_review_shipped import accepted_texts

SOFFICE = shutil.which("soffice")
A, B, C, D = "Reviewer A", "Reviewer B", "Reviewer C", "Reviewer D"
LATER = "2026-12-02T09:00:00Z"  # replies come after the comments they answer


def corpus(package: we.WordPackage, note_comment: bool = True) -> None:
    """The review: the build's DOCX as four reviewers (and Reviewer M, who moved two
    paragraphs) send it back. ``note_comment``: with the comment thread in note 6."""
    d = package.document
    we.replace(d, "analyze", "analyse", A, split_at=3)
    we.replace(d, "As the civil society", "As civil society", C)
    we.delete(d, " great", B)
    we.untracked(d, "social network and", "social networks and")
    we.replace(d, "killed", "executed", A, split_at=3)
    we.replace(note(package, 1), "25–26", "25–27", D)  # a locator
    we.restyle(d, "genocide", B, bold=True)
    we.delete(d, " with particular cruelty", B)
    we.insert_before_text(d, "beaten with rifle butts", "brutally ", C)
    we.insert_after(we.isolate(note(package, 3), "88–98"), ", emphasis added", D)  # a suffix
    call = next(r for r in d.iter(we.wa("footnoteReference")) if r.get(we.wa("id")) == "4").getparent()
    we._as_deleted(call)
    we._wrap([call], "del", A)  # note 4 ("Ibid., pp. 15–16.") deleted with its call
    _move("However, Armenia still refuses", "The fate of Azerbaijani prisoners")(package)  # into section 3
    we.replace(d, "most tragic", "most painful", B)
    we.insert_footnote(package, "aspects of the conflict.", "See the ICRC's figures for 1994.", C)
    we.split_paragraph(d, "Many of them were subjected", D)  # right after the new note's call
    _move("There are numerous reports indicating", "In addition, the violations mentioned")(package)
    we.replace(package.footnotes[-1], "mistreatment", "ill-treatment", D)  # the moved call's new note: the title
    we.replace(d, "neighboring", "neighbouring", C, split_at=6)
    we.insert_before_text(note(package, 6), "Red Cross", "the ", B)  # a free-text note
    we.delete(note(package, 6), "other ", B)
    we.replace(note(package, 7), "p. 4", "pp. 4–5", D)  # a locator and its label
    we.restyle(d, "gagged and bound", C, italic=True)
    we.untracked(d, "Two captured prisoners of war", "Two captured soldiers")
    we.replace(d, "severely injured", "seriously injured", C)
    we.delete(d, "particularly ", A, nth=1)
    we.insert_before_text(d, "captive was deceived", "a ", A)
    we.replace(note(package, 11), "p. 288", "pp. 288–289", D)  # an "Ibid." note's
    we.join_paragraph(d, "in military uniforms", D)
    we.insert_before_text(d, "As the representatives", " ", D)
    we.replace(d, "As of today, more", "More", A)
    we.replace(d, "over 500", "more than 500", C)
    we.restyle(d, "gross violations", B, bold=True)
    we.delete(d, "prompt and ", C, tag="moveFrom")  # a word moved within its sentence
    we.insert_after(we.isolate(d, "impartial investigations into all cases of torture"), " promptly", C, tag="moveTo")
    we.replace(d, "the convention.", "the Convention.", B)
    we.insert_before_text(d, "confirm that the described", "clearly ", A)
    asked = we.comment(d, package.comments, "The purpose of this report", "concern over these actions", A,
                       "Too long?")  # over the deletion of " great"
    we.reply(package, d, asked, B, "Agreed, split it.", date=LATER)
    asked = we.comment(d, package.comments, "People were", "cites examples", C, "Check both reports.")  # 2 paragraphs
    we.reply(package, d, asked, A, "Both checked.", date=LATER)
    we.reply(package, d, asked, D, "Thanks.", date="2026-12-03T09:00:00Z")
    if note_comment:
        asked = we.comment(note(package, 6), package.comments, "and reports of the", "Red Cross", B, "Which reports?")
        we.reply(package, note(package, 6), asked, C, "The 1999 ones.", date=LATER)
    in_reading_order(package)  # as Word lists them: the new notes among the others


IN_NOTE = ("Which reports?", "The 1999 ones.")
FOUND = [  # (file, line, the source text the finding is printed at, what follows "path:line:col: ")
    (S1, 5, "analyze", 'change[Reviewer A]: "analyze" → "analyse"'),
    (S1, 5, "The purpose", "comment[Reviewer A, 2026-12-01]: Too long?"),
    (S1, 5, "The purpose", "comment[Reviewer B, 2026-12-02, reply to Reviewer A]: Agreed, split it."),
    (S1, 5, "As the civil", 'change[Reviewer C]: "As the civil society" → "As civil society"'),
    (S1, 5, " great", 'change[Reviewer B]: "we express great" → "we express"'),
    (S1, 5, "network and", 'untracked: "network" → "networks"'),
    (S2, 5, "killed", 'change[Reviewer A]: "killed" → "executed"'),
    (S2, 5, "25–26]", 'change[Reviewer D]: "25–26" → "25–27" in note 1'),
    (S2, 7, "genocide", 'change[Reviewer B]: "genocide" → "**genocide**"'),
    (S2, 7, "People were", "comment[Reviewer C, 2026-12-01]: Check both reports."),
    (S2, 7, "People were", "comment[Reviewer A, 2026-12-02, reply to Reviewer C]: Both checked."),
    (S2, 7, "People were", "comment[Reviewer D, 2026-12-03, reply to Reviewer C]: Thanks."),
    (S2, 7, " with particular", 'change[Reviewer B]: "in Khojaly with particular cruelty" → "in Khojaly"'),
    (S2, 7, "beaten with rifle", 'change[Reviewer C]: "were beaten" → "were brutally beaten"'),
    (S2, 9, "]]{#civilians", 'change[Reviewer D]: "88–98" → "88–98, emphasis added" in note 3'),
    (S2, 9, "[@hrw-1994-seven-years, pp. 15", 'change[Reviewer A]: "Armenian forces[note]" → "Armenian forces"'),
    (S2, 11, "However", 'move[Reviewer M]: "However, Armenia still refuses to compl…re all violations have been '
                        'documented." → ""'),
    (S3, 5, "The fate", 'move[Reviewer M]: "" → "However, Armenia still refuses to compl…e all violations have '
                        'been documented.¶"'),
    (S3, 5, "most tragic", 'change[Reviewer B]: "most tragic" → "most painful"'),
    (S3, 5, " Many", 'change[Reviewer C]: "conflict." → "conflict.^[See the ICRC\'s figures for 1994.]"'),
    (S3, 5, " Many", 'change[Reviewer D]: "conflict. Many" → "conflict. ¶Many"'),
    (S3, 7, "There are", 'move[Reviewer M]: "There are numerous reports indicating t…rabakh, was executed on the '
                         'spot.[note]" → ""'),
    (S3, 10, "neighboring", 'change[Reviewer C]: "neighboring" → "neighbouring"'),
    (S3, 10, "and reports", "comment[Reviewer B, 2026-12-01]: Which reports?"),
    (S3, 10, "and reports", "comment[Reviewer C, 2026-12-02, reply to Reviewer B]: The 1999 ones."),
    (S3, 10, "Red Cross", 'change[Reviewer B]: "of Red" → "of the Red" in note 6'),
    (S3, 10, "other international", 'change[Reviewer B]: "and other international" → "and international" in note 6'),
    (S3, 13, "p. 4]", 'change[Reviewer D]: "p. 4" → "pp. 4–5" in note 7'),
    (S4, 5, "gagged", 'change[Reviewer C]: "gagged and bound" → "*gagged and bound*"'),
    (S4, 7, "prisoners of war were", 'untracked: "prisoners of war" → "soldiers"'),
    (S4, 7, "severely", 'change[Reviewer C]: "severely injured" → "seriously injured"'),
    (S4, 7, "particularly", 'change[Reviewer A]: "a particularly disturbing" → "a disturbing"'),
    (S4, 7, "captive was", 'change[Reviewer A]: "incident, captive" → "incident, a captive"'),
    (S4, 7, "p. 288]", 'change[Reviewer D]: "p. 288" → "pp. 288–289" in note 11'),
    (S4, 7, None, 'change[Reviewer D]: "dead[note].¶As" → "dead[note].As"'),  # (None: at the line's end)
    (S4, 9, "As the", 'change[Reviewer D]: "As" → " As"'),
    (S5, 5, "As of today", 'change[Reviewer A]: "As of today, more" → "More"'),
    (S5, 5, "over 500", 'change[Reviewer C]: "over 500" → "more than 500"'),
    (S5, 5, "gross violations", 'change[Reviewer B]: "gross violations" → "**gross violations**"'),
    (S6, 5, "prompt and", 'move[Reviewer C]: "conduct prompt and impartial" → "conduct impartial"'),
    (S6, 5, ". The lack", 'move[Reviewer C]: "of torture" → "of torture promptly"'),
    (S6, 5, "the convention", 'change[Reviewer B]: "the convention." → "the Convention."'),
    (S6, 7, "In addition", 'move[Reviewer M]: "" → "There are numerous reports indicating t…abakh, was executed '
                           'on the spot.[note]¶"'),
    (S6, 7, "confirm that", 'change[Reviewer A]: "norms confirm" → "norms clearly confirm"'),
    (REGISTRY, 0, "Preliminary report", 'change[Reviewer D]: "mistreatment" → "ill-treatment" in note 5'),
]
SUMMARY = "38 change(s): 38 placed in the sources, 0 not applied; {} comment(s)"


def expected_lines(root: Path, note_comment: bool = True) -> list[str]:
    lines = []
    for rel, line, needle, text in FOUND:
        if not note_comment and text.endswith(IN_NOTE):
            continue
        if rel == REGISTRY:
            where = _in_registry(root, needle, "id: dscr-2020")
        elif needle is None:
            where = f"{rel}:{line}:{len((root / rel).read_text(encoding='utf-8').split(chr(10))[line - 1]) + 1}"
        else:
            where = at(root, rel, needle, line)
        lines.append(f"{where}: {text}")
    return lines


def _stripped(texts):
    """Word keeps the space before a paragraph split at the end of the first part; Markdown does not."""
    return [[paragraph.strip() for paragraph in part] for part in texts]


def _round_trip(project: Path, review: Path) -> None:
    """--apply, then a rebuild: its body and notes read as ``review``'s with every change accepted."""
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(f"applied 38 change(s) to {REGISTRY}, {S1}, {S2}")
    rebuilt = (build(project, ("docx",)).out_dir / "report.docx").read_bytes()
    assert _stripped(accepted_texts(rebuilt)) == _stripped(accepted_texts(review.read_bytes()))
    shown = formatting(rebuilt)  # bold and italic as the reviewers set them
    assert any("act of **genocide**, accompanied" in p for p in shown)
    assert any("_gagged and bound_" in p for p in shown) and any("of **gross violations** of" in p for p in shown)


def test_every_change_and_comment_is_printed_at_its_source(project):
    review = reviewed(project, corpus)
    result = run_review(project, review)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-3] == expected_lines(project)
    assert lines[-3] == SUMMARY.format(7)
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert data["summary"] == {"changes": 38, "placed": 38, "not_applied": 0, "comments": 7, "conflicts": 0}
    changes = data["changes"]
    assert sum(c["part"].startswith("note") for c in changes) == 7  # in notes 1, 3, 5, 6 (two), 7 and 11
    assert {a for c in changes for a in c["authors"]} == {A, B, C, D, "Reviewer M"}
    replies = [c for c in data["comments"] if c["reply_to"]]
    assert [(c["reply_to_author"], c["text"]) for c in replies] == [
        (A, "Agreed, split it."), (C, "Both checked."), (C, "Thanks."), (B, "The 1999 ones.")]


def test_applied_or_patched_and_rebuilt_it_reads_as_reviewed(project, tmp_path):
    review = reviewed(project, corpus)
    copy = Path(shutil.copytree(project, tmp_path / "unmodified"))
    _round_trip(project, review)
    git = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["git", "init", "-q"], ["git", "add", "sections", "references"], ["git", "commit", "-qm", "s"]):
        subprocess.run(command, cwd=copy, check=True, env=git, capture_output=True)
    done = subprocess.run(["git", "apply", str(project / "build" / "review" / "changes.patch")], cwd=copy,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for rel in (S1, S2, S3, S4, S5, S6, REGISTRY):  # the patch makes what --apply wrote
        assert (copy / rel).read_bytes() == (project / rel).read_bytes(), rel


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_saved_by_libreoffice_it_reads_the_same_and_round_trips(project, tmp_path):
    """LibreOffice rewrites every part when it saves (runs, ids, properties; 7.4 writes no
    commentsExtended.xml: a reply is then a comment on the same range, the thread told by
    the dates). What it cannot keep: a comment in a footnote (LibreOffice 7.4 cannot
    open such a file at all), so this file has none there."""
    review = reviewed(project, lambda package: corpus(package, note_comment=False))
    saved = saved_by_libreoffice(review, tmp_path / "home")
    result = run_review(project, saved)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-3] == expected_lines(project, note_comment=False)
    assert result.output.splitlines()[-3] == SUMMARY.format(5)
    _round_trip(project, saved)
    assert _stripped(accepted_texts(saved.read_bytes())) == _stripped(accepted_texts(review.read_bytes()))
