"""Real builds the leak check's tests read: a small project that names people in every
way a report does (text split across runs, a note, a link, an image's alternative text,
Cyrillic and Chinese names), the shipped report, and a narrow-column PDF that breaks
names across lines and pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from report.build import build
from tests.conftest import copy_shipped_project, write_project

SECTION = """\
    ---
    title: Introduction
    ---

    The witness Rustam **Ali**yev spoke to us in March[@un-2020, p. 3]. Alice checked
    the quality of the record.

    See [the record](https://example.org/records/rustam-aliyev) of the interview.^[Told
    to us by Rustam *Aliyev* in Ganja, see also [@ngo-2021, para. 12].]

    Илья Ёлкин and 张伟 were held in the same cell.

    ![The gate](images/gate.png){#fig-gate fig-alt="The gate where Leyla Karimova waited"}

    As @fig-gate shows, the gate was closed.
    """


def gate_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def outputs(root: Path, language: str = "en") -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "build" / language / "public").iterdir())}


@pytest.fixture(scope="session")
def small_project(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("leaks-small") / "project",
                         {"sections/01-intro.md": SECTION, "images/gate.png": gate_png()})
    build(root)
    return root


@pytest.fixture(scope="session")
def small_build(small_project) -> dict[str, bytes]:
    """Every output of the small project, name → bytes."""
    return outputs(small_project)


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> dict[str, bytes]:
    root = copy_shipped_project(tmp_path_factory.mktemp("leaks-shipped"))
    build(root)
    return outputs(root)


def narrow_project(root: Path, body: str, css: str) -> Path:
    """A project whose PDF body column is narrow (``css`` added to the stylesheet), with
    one section of text ``body``."""
    from tests.conftest import REPO

    stylesheet = (REPO / "templates" / "report.css").read_text(encoding="utf-8") + css
    section = "---\ntitle: Introduction\n---\n\n" + body + "\n"
    return write_project(root, {"sections/01-intro.md": section, "templates/report.css": stylesheet,
                                "references/sources.yaml": "[]\n"})


HYPHENATED = "Maximiliane Oberhollenzerberger"


@pytest.fixture(scope="session")
def narrow_pdf(tmp_path_factory) -> bytes:
    """A PDF with a 30 mm column: "Maximiliane" ends a line, and "Oberhollenzerberger",
    too long for a line, is hyphenated by WeasyPrint."""
    body = f"The witness {HYPHENATED} spoke to us about the camp, and then about the road."
    root = narrow_project(tmp_path_factory.mktemp("leaks-narrow") / "project", body,
                          "@media print { main p { width: 30mm; text-align: left; } }")
    build(root, formats=("pdf",))
    return (root / "build" / "en" / "public" / "report.pdf").read_bytes()


# One word a line (none hyphenated), a line or two more per page than widows and orphans need.
ONE_WORD_A_LINE = "@media print { main p { width: 25mm; text-align: left; hyphens: manual; orphans: 1; widows: 1; } }"
FILLER = "evidence"


def body_words_by_page(pdf: bytes) -> list[int]:
    """How many filler words each page shows (pdfplumber's reading)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(page.extract_text() or "").split().count(FILLER) for page in document.pages]


@pytest.fixture(scope="session")
def page_split_pdf(tmp_path_factory) -> tuple[bytes, int]:
    """A PDF where "Zarifa" is the last line of a page's body and "Mammadova" the first
    line of the next page's, and the 1-based number of the first page. Built twice: once
    with filler words only to find the last line of a page, then with the name there
    (one word a line, so the name takes the two filler words' lines)."""
    words = [FILLER] * 120
    root = narrow_project(tmp_path_factory.mktemp("leaks-pages") / "project", " ".join(words), ONE_WORD_A_LINE)
    build(root, formats=("pdf",))
    counts = body_words_by_page((root / "build" / "en" / "public" / "report.pdf").read_bytes())
    first = next(n for n, count in enumerate(counts) if count)  # the page the text starts on (0-based)
    last_on_page = counts[first] - 1
    words[last_on_page:last_on_page + 2] = ["Zarifa", "Mammadova"]
    narrow_project(root, " ".join(words), ONE_WORD_A_LINE)
    build(root, formats=("pdf",))
    return (root / "build" / "en" / "public" / "report.pdf").read_bytes(), first + 1
