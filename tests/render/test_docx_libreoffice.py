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


def test_a_line_ended_by_a_hard_break_is_not_stretched(make_project, tmp_path):
    """A justified paragraph with Markdown hard breaks (a backslash, two trailing
    spaces), as an address is written: the words of a broken line keep their normal
    spacing in the word processor, as in the PDF, not spread to the right margin."""
    pdfplumber = pytest.importorskip("pdfplumber")
    root = make_project({"sections/01-intro.md": (
        "---\ntitle: Introduction\n---\n\nThe claim[@un-2020, p. 3] and another[@ngo-2021].\n\n"
        "Write to the Registry of the Court\\\nat the address it gives  \non its website, in writing.\n")})
    build(root, ("docx",))
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(root / "build" / "en" / "public" / "report.docx")], check=True, capture_output=True,
                   env=env, timeout=120)
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    for first, last in (("Write", "Court"), ("at", "gives")):
        start = next(w for w in words if w["text"] == first)
        line = [w for w in words if abs(w["top"] - start["top"]) < 1 and w["x0"] >= start["x0"]]
        assert line[-1]["text"] == last
        gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
        assert max(gaps) < 6, (first, gaps)  # a space of the 11 pt body font, about 3 pt
