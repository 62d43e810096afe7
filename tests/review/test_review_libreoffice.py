"""A review made in LibreOffice Writer itself: a Basic macro (tests/review/fixtures/Review.xba)
opens the build's DOCX headless, turns on change tracking, replaces words in the body,
inserts words, deletes words in a free-text note, and saves it as Word. `report review`
finds each change where it is in the Markdown, and --apply then a rebuild gives the
text LibreOffice shows with every change accepted. Skipped without soffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from report.build import build
from tests.review.conftest import S2, S3, at, run_review
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
