"""A review made in LibreOffice Writer itself: a Basic macro (tests/review/fixtures/Review.xba)
opens the build's DOCX headless, turns on change tracking, replaces words in the body,
inserts words, deletes words in a free-text note, and saves it as Word. `report review`
finds each change where it is in the Markdown, and --apply then a rebuild gives the
text LibreOffice shows with every change accepted. And files reviewed with Word's markup
(a bold and an italic change, a split paragraph, an inserted footnote) then opened and
saved by LibreOffice: the same changes are found, and applied they round trip. Skipped
without soffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S2, S3, at, reviewed, run_review
from tests.review.test_review_formatting import formatting
from tests.review.test_review_moved_paragraphs import _move
from tests.review.test_review_shipped import accepted_texts

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
MACRO = Path(__file__).parent / "fixtures" / "Review.xba"


def edit_in_libreoffice(source: Path, target: Path, home: Path) -> None:
    env = {**os.environ, "HOME": str(home)}
    profile = f"-env:UserInstallation={(home / 'profile').as_uri()}"
    subprocess.run([SOFFICE, profile, "--headless", "--terminate_after_init"], env=env, capture_output=True,
                   timeout=120, check=True)
    shutil.copy(MACRO, home / "profile" / "user" / "basic" / "Standard" / "Module1.xba")
    call = f'macro:///Standard.Module1.Review("{source}","{target}")'
    subprocess.run([SOFFICE, profile, "--headless", call], env=env, capture_output=True, timeout=120)
    assert target.is_file(), "the LibreOffice macro did not save the reviewed file"


def test_a_review_made_in_libreoffice(project, tmp_path):
    review = tmp_path / "reviewed-in-writer.docx"
    edit_in_libreoffice(project / "build" / "en" / "public" / "report.docx", review, tmp_path / "home")
    expected = [
        f'{at(project, S2, "were shot and killed", 5)}: change[Reviewer L]: "were shot and killed" → '
        '"were shot and executed"',
        f'{at(project, S3, " and under-researched", 5)}: change[Reviewer L]: "most tragic" → "most tragic and painful"',
        f'{at(project, S3, "international organizations", 10)}: change[Reviewer L]: "other international organizations" '
        '→ "other organizations" in note 6',
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == expected
    assert "3 change(s): 3 placed in the sources, 0 not applied; 0 comment(s)" in result.output
    build(project, ("docx",))
    assert accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes()) == accepted_texts(review.read_bytes())


def saved_by_libreoffice(source: Path, home: Path) -> Path:
    """``source`` opened and saved as Word by LibreOffice headless, with no edit of its own."""
    env = {**os.environ, "HOME": str(home)}
    out = home / "saved"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(home / 'profile').as_uri()}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(source)], env=env, capture_output=True,
                   timeout=120)
    assert (out / source.name).is_file(), "LibreOffice did not save the file"
    return out / source.name


def in_reading_order(package: we.WordPackage) -> None:
    """footnotes.xml's notes listed in the order of their calls and numbered so (a note
    inserted before others then no longer comes last)."""
    calls = list(package.document.iter(we.wa("footnoteReference")))
    notes = {n.get(we.wa("id")): n for n in package.footnotes.iter(we.wa("footnote"))
             if n.get(we.wa("type")) in (None, "normal")}
    first = min(int(key) for key in notes)
    for number, call in enumerate(calls, first):
        note = notes[call.get(we.wa("id"))]
        package.footnotes.append(note)  # moved to the end, one after another: reading order
        call.set(we.wa("id"), str(number))
        note.set(we.wa("id"), str(number))


def _bold_and_italic(package: we.WordPackage) -> None:
    we.restyle(package.document, "most tragic", "Reviewer C", bold=True)
    we.restyle(package.document, "under-researched", "Reviewer C", italic=True)


def _split(package: we.WordPackage) -> None:
    we.split_paragraph(package.document, "Many of them were subjected", "Reviewer D")


def _footnote(package: we.WordPackage) -> None:
    we.insert_footnote(package, "aspects of the conflict.", "See the ICRC's figures for 1994, *not* later ones.",
                       "Reviewer E")
    in_reading_order(package)


def _footnote_listed_last(package: we.WordPackage) -> None:
    we.insert_footnote(package, "aspects of the conflict.", "See the ICRC's figures for 1994.", "Reviewer E")


def _moved_paragraph(package: we.WordPackage) -> None:
    _move("There are numerous reports indicating", "In addition, the violations mentioned")(package)


def _deleted_paragraph(package: we.WordPackage) -> None:
    we.delete_paragraph(package.document, "In addition, the violations mentioned", "Reviewer F")


ROUND_TRIPS = {
    "bold-and-italic": (_bold_and_italic, 2),
    "moved-paragraph": (_moved_paragraph, 2),
    "deleted-paragraph": (_deleted_paragraph, 1),
    "split-paragraph": (_split, 1),
    "inserted-footnote": (_footnote, 1),
    "inserted-footnote-listed-last": pytest.param(
        _footnote_listed_last, 1, marks=pytest.mark.xfail(strict=True, reason=(
            "a new note that footnotes.xml lists after the others (by id, as OOXML allows): once LibreOffice "
            "saved the file, the calls from the new one on point at the next note's text"))),
}


def _stripped(texts):
    return [[part.strip() for part in parts] for parts in texts]


@pytest.mark.parametrize("edit, changes", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_word_markup_saved_by_libreoffice_round_trips(project, tmp_path, edit, changes):
    word = reviewed(project, edit)
    found = run_review(project, word)
    assert found.exit_code == 0, found.output
    lines = found.output.splitlines()[:changes]
    assert all(("change[Reviewer" in line or "move[Reviewer" in line) and "not applied" not in line
               for line in lines), lines
    saved = saved_by_libreoffice(word, tmp_path / "home")
    result = run_review(project, saved, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:changes + 1] == \
        lines + [f"{changes} change(s): {changes} placed in the sources, 0 not applied; 0 comment(s)"]
    rebuilt = (build(project, ("docx",)).out_dir / "report.docx").read_bytes()
    assert _stripped(accepted_texts(rebuilt)) == _stripped(accepted_texts(saved.read_bytes())) == \
        _stripped(accepted_texts(word.read_bytes()))
    if edit is not _moved_paragraph:  # (a move leaves moveFrom/moveTo runs and renumbers pages: texts above)
        assert formatting(rebuilt) == formatting(saved.read_bytes())
