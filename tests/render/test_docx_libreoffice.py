"""A real word processor's view of the DOCX: LibreOffice lays it out, and every
footnote must sit at the foot of the page that calls it. Skipped without soffice."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from report.build import build
from tests.conftest import copy_shipped_project

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def numbers(chars):
    """Digit characters grouped into numbers: neighbours on one line, left to right."""
    groups, last = [], None
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if last and abs(c["top"] - last["top"]) < 1 and c["x0"] - last["x1"] < 1:
            groups[-1] += c["text"]
        else:
            groups.append(c["text"])
        last = c
    return [int(g) for g in groups]


@pytest.fixture(scope="module")
def pdf_pages(tmp_path_factory):
    pdfplumber = pytest.importorskip("pdfplumber")
    root = copy_shipped_project(tmp_path_factory.mktemp("shipped"))
    build(root, ("docx",))
    out = tmp_path_factory.mktemp("lo")
    env = {**os.environ, "HOME": str(out / "home")}  # a private LibreOffice profile
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    str(root / "build" / "en" / "public" / "report.docx")], check=True, capture_output=True, env=env, timeout=120)
    with pdfplumber.open(out / "report.pdf") as pdf:
        pages = []
        for page in pdf.pages:
            rules = [r["top"] for r in page.rects if r["height"] < 1.5 and r["width"] > 50]
            foot = min(rules, default=page.height)
            small = [c for c in page.chars if c["text"].isdigit() and c["size"] < 8]
            calls = numbers([c for c in small if c["top"] < foot])
            marks = numbers([c for c in small if c["top"] > foot])
            pages.append((page.extract_text() or "", calls, marks))
        return pages


def test_every_note_sits_on_its_calls_page(pdf_pages):
    seen = []
    for text, calls, marks in pdf_pages:
        assert calls == marks, text[:80]
        seen += calls
    assert seen == list(range(1, 15))


def test_title_contents_header_and_footer(pdf_pages):
    first, second = pdf_pages[0][0], pdf_pages[1][0]
    assert first.startswith("REPORT ON SYSTEMATIC") and "Page" not in first
    assert "Contents" in second and "FIRST KARABAKH WAR" in second
    total = len(pdf_pages)
    for number, (text, _, _) in enumerate(pdf_pages[1:], start=2):
        assert text.startswith("REPORT ON SYSTEMATIC") and f"Page {number} of {total}" in text
