"""Shared set-up of the review tests: the shipped report built once (DOCX only: a review
reads model.json, manifest.json and report.docx), copied for each test that changes
it, and the reviewer's edits as Word writes them (tests/review/word_edits.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from report.build import build
from report.cli import main
from tests.conftest import copy_shipped_project
from tests.review import word_edits as we

S1 = "sections/01-introduction.md"
S2, S3, S4 = "sections/02-first-karabakh-war.md", "sections/03-ceasefire-period.md", "sections/04-second-karabakh-war.md"
S5, S6 = "sections/05-post-war-events.md", "sections/06-conclusion.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_shipped_project(tmp_path_factory.mktemp("review") / "shipped")
    build(root, ("docx",))
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A fresh copy of the built shipped report, build/ included."""
    return Path(shutil.copytree(built, tmp_path / "project"))


def run_review(root: Path, docx: Path, *args: str):
    return CliRunner().invoke(main, ["review", str(docx), "--project", str(root), *args])


def applied(root: Path, docx: Path, expected: list[str]):
    """``report review --apply`` of ``docx``, asserted to succeed and to print exactly the
    findings ``expected`` (then its summary, and what it wrote and applied: three lines)."""
    result = run_review(root, docx, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-3] == expected
    return result


def at(root: Path, rel: str, needle: str, line: int) -> str:
    """``rel:line:col`` of ``needle``'s first occurrence on ``line`` of the file."""
    text = (root / rel).read_text(encoding="utf-8").split("\n")[line - 1]
    assert needle in text, (rel, line, needle)
    return f"{rel}:{line}:{text.index(needle) + 1}"


def note(package: we.WordPackage, number: int):
    """The ``w:footnote`` element of note ``number``."""
    return next(n for n in package.footnotes.iter(we.wa("footnote")) if n.get(we.wa("id")) == str(number))


def reviewed_in(root: Path, edit, language: str) -> Path:
    """A translation's build (build/<language>/public/report.docx) as a reviewer sends it back."""
    package = we.WordPackage((root / "build" / language / "public" / "report.docx").read_bytes())
    edit(package)
    path = root / "reviewed.docx"
    path.write_bytes(package.save())
    return path


def po_at(root: Path, po: str, needle: str) -> str:
    """``po:line:col`` of ``needle`` in a msgstr of the PO file ``po``."""
    for number, line in enumerate((root / po).read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("msgstr ") and needle in line:
            return f"{po}:{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def reviewed(root: Path, edit, name: str = "reviewed.docx") -> Path:
    """The build's report.docx as a reviewer sends it back: ``edit(package)`` applied."""
    package = we.WordPackage((root / "build" / "en" / "public" / "report.docx").read_bytes())
    edit(package)
    path = root / name
    path.write_bytes(package.save())
    return path


def review_edits(package: we.WordPackage, footnote_comment: bool = True) -> None:
    """Every kind of change this increment carries back, as Word records them."""
    d = package.document
    we.replace(d, "killed", "executed", "Reviewer A", split_at=3)  # runs split mid-word
    we.insert_before_text(d, "under-researched aspects", "deeply ", "Reviewer B")
    we.delete(d, " As of today,", "Reviewer A")
    we.delete(note(package, 6), "other ", "Reviewer B")
    mark = we.delete(d, "prompt and ", "Reviewer C", tag="moveFrom")
    assert mark is not None
    we.insert_after(we.isolate(d, "impartial investigations into all cases of torture"), " promptly", "Reviewer C",
                    tag="moveTo")
    call = next(r for r in d.iter(we.wa("footnoteReference")) if r.get(we.wa("id")) == "4").getparent()
    we._as_deleted(call)
    we._wrap([call], "del", "Reviewer A")  # note 4 ("Ibid., pp. 15–16.") deleted with its call
    we.untracked(d, "Two captured prisoners of war", "Two captured soldiers")
    we.comment(d, package.comments, "A September 1992 report", "white flag", "Reviewer A", "Source for this date?")
    if footnote_comment:
        we.comment(note(package, 6), package.comments, "and reports of the", "Red Cross", "Reviewer B",
                   "Which reports?")
