"""The three outputs of the shipped report against the seed and against each other.

Text is read back from the files themselves: ``word/document.xml`` and
``word/footnotes.xml`` of the DOCX, the parsed HTML, and the PDF's characters
(by size: body 11 pt, notes below 9.5 pt, running header and calls smaller).
"""

from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from lxml import etree, html

from report.build import build
from tests.conftest import copy_shipped_project
from tests.seed import missing_facts, normalise, seed_body, seed_notes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOT_BODY_STYLES = {"Subtitle", "Organization", "Date", "TOCHeading", "TOC1", "TOC2", "TOC3"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = copy_shipped_project(tmp_path_factory.mktemp("cross"))
    return build(root).out_dir


# --- DOCX ------------------------------------------------------------------

def docx_paragraph_text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(W + "t"))


@pytest.fixture(scope="module")
def docx(out):
    with zipfile.ZipFile(out / "report.docx") as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        footnotes = etree.fromstring(archive.read("word/footnotes.xml"))
    body = []
    for paragraph in document.iter(W + "p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(W + "val") in NOT_BODY_STYLES:
            continue
        body.append(docx_paragraph_text(paragraph))
    notes = {}
    for note in footnotes.iter(W + "footnote"):
        number = int(note.get(W + "id"))
        if number > 0:
            notes[number] = normalise(" ".join(docx_paragraph_text(p) for p in note.iter(W + "p")))
    return normalise(" ".join(body)), notes


# --- HTML ------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(out):
    tree = html.fromstring((out / "report.html").read_bytes())
    title = tree.find_class("report-title")[0].text_content()
    main = tree.find("body/main") if tree.find("body/main") is not None else tree.xpath("//main")[0]
    notes = {}
    for item in tree.xpath("//ol[@class='footnotes']/li"):
        for back in item.xpath(".//a[@role='doc-backlink']"):
            back.drop_tree()
        notes[int(item.get("id").split("-")[1])] = normalise(item.text_content())
    for call in main.find_class("fn-call") + main.find_class("endnotes"):
        call.drop_tree()
    return normalise(title + " " + main.text_content()), notes


# --- PDF -------------------------------------------------------------------

def squash(text: str) -> str:
    """Text without whitespace and hyphens: PDF line breaks (justified, hyphenated,
    URLs split anywhere) cannot be told from the source's own hyphens, so both sides
    drop them; every other character must match in order."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


@pytest.fixture(scope="module")
def pdf(out):
    body, note_lines, calls = [], [], []
    with pdfplumber.open(out / "report.pdf") as document:
        for index, page in enumerate(document.pages):
            chars = page.chars
            headings = "".join(c["text"] for c in chars if 12 < c["size"] < 14)
            if index == 0:
                body.append(page.filter(lambda o: o.get("size", 0) > 18).extract_text())
                continue
            if headings.upper().startswith("CONTENTS"):
                continue
            body.append(page.filter(lambda o: o.get("object_type") != "char" or o["size"] > 10.5).extract_text())
            notes_text = page.filter(lambda o: o.get("object_type") != "char" or 8.6 < o["size"] < 9.2).extract_text()
            note_lines += [(index, line) for line in notes_text.splitlines()]
            calls += [(index, c) for c in chars if c["size"] < 7 and c["text"].isdigit()]
    notes, pages, current = {}, {}, None
    for index, line in note_lines:
        match = re.match(r"^(\d+)\.\s(.*)$", line)
        if match and int(match.group(1)) == (current or 0) + 1:
            current = int(match.group(1))
            notes[current], pages[current] = match.group(2), index
        elif current is not None:
            notes[current] += "\n" + line
    return " ".join(body), notes, pages, calls


# --- tests -----------------------------------------------------------------

def test_html_is_valid_html5_without_parse_errors(out):
    import html5lib

    html5lib.HTMLParser(strict=True).parse((out / "report.html").read_bytes())


def test_docx_body_is_the_seed_word_for_word(docx):
    assert docx[0] == seed_body()


def test_html_body_is_the_seed_word_for_word(page):
    assert page[0] == seed_body()


def test_pdf_body_is_the_seed_character_for_character(pdf):
    assert squash(pdf[0]) == squash(seed_body())


@pytest.mark.parametrize("number", sorted(seed_notes()))
def test_every_format_carries_every_fact_of_the_note(docx, page, pdf, number):
    assert missing_facts(number, docx[1][number]) == set()
    assert missing_facts(number, page[1][number]) == set()
    # PDF lines may break inside a URL or a hyphenated word: compare squashed.
    pdf_note = pdf[1][number]
    for fact in {f for f in missing_facts(number, pdf_note)}:
        assert squash(fact) in squash(pdf_note).lower(), fact


def test_the_three_formats_have_the_same_notes_in_the_same_order(docx, page, pdf):
    assert list(docx[1]) == list(page[1]) == list(pdf[1]) == sorted(seed_notes())
    for number in docx[1]:
        assert docx[1][number] == page[1][number]
        assert squash(pdf[1][number]) == squash(docx[1][number])


def test_pdf_notes_sit_on_the_page_of_their_call(pdf):
    _, notes, pages, calls = pdf
    call_pages = {}
    for index, char in calls:
        # Calls of two digits are two small characters side by side.
        call_pages.setdefault(index, []).append(char)
    for number, page_index in pages.items():
        digits = "".join(c["text"] for c in sorted(call_pages.get(page_index, []), key=lambda c: (round(c["top"]), c["x0"])))
        assert str(number) in digits, f"note {number} is on page {page_index + 1} but its call is not"
