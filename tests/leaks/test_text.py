"""Normalising and matching: case, diacritics, typography, scripts, whole words, and the
PDF's line and page breaks."""

from __future__ import annotations

import pytest

from report.leaks.text import Matcher, normalise, pdf_variants


@pytest.mark.parametrize("written, same_as", [
    ("SÉGOLÈNE  Royal", "segolene royal"),
    ("O’Brien", "o'brien"),
    ("Zarifa\u00a0Mammadova", "zarifa mammadova"),  # no-break space
    ("Zarifa\u202fMammadova", "zarifa mammadova"),  # narrow no-break space
    ("Zarifa\n\t Mammadova", "zarifa mammadova"),
    ("Mamma\u00addova", "mammadova"),  # soft hyphen
    ("Mamma\u200bdova", "mammadova"),  # zero-width space
    ("Jean\u2011Pierre", "jean pierre"),  # non-breaking hyphen: a separator, as "-" and "_"
    ("Jean_Pierre", "jean pierre"),
    ("Ilham—Rustam", "ilham rustam"),  # an em dash between words
    ("ﬁrst", "first"),  # a ligature
    ("İlham Əliyev Qılınc", "ilham əliyev qilinc"),  # Azerbaijani: dotted İ, ə kept, dotless ı as i
    ("Łukasz Søren Đorđe", "lukasz soren dorde"),
    ("Ёлкин", "елкин"),
    ("Илья\u0301", "илья"),  # a stress mark
    ("ﻣﺤﻤﺪ", "محمد"),  # Arabic presentation forms (what a PDF may hold)
    ("مُحَمَّد", "محمد"),  # vowel marks
    ("أحمد", "احمد"),  # hamza on alef
    ("张 伟", "张伟"),  # no space inside Chinese
    ("Ｚａｒｉｆａ", "zarifa"),  # full-width
])
def test_normalise(written, same_as):
    assert normalise(written) == normalise(same_as)


MATCHER = Matcher(["Ali", "Zarifa Mammadova", "Jean-Pierre", "Илья Ёлкин", "张伟", "محمد علي", "12 Main Street",
                   "https://example.org/records/interview-7"])
ALI, ZARIFA, JEAN, ILYA, ZHANG, MUHAMMAD, STREET, URL = range(8)


@pytest.mark.parametrize("text, found", [
    ("Alice checked the quality; Khalil and Aliyev too.", set()),
    ("Ali's statement", {ALI}),
    ("(ALI)", {ALI}),
    ("said Ali1 in a note", {ALI}),  # a note call's number after the name
    ("Ali-Baba", {ALI}),
    ("ZARIFA MAMMADOVA", {ZARIFA}),
    ("Zarifa Mammadovas", set()),
    ("Zarifa Mammadov", set()),
    ("Jean Pierre and Jean–Pierre", {JEAN}),
    ("ИЛЬЯ ЕЛКИН", {ILYA}),
    ("Ильяс Елкин", set()),
    ("我们见到了张伟。", {ZHANG}),  # no word boundaries in Chinese
    ("张三", set()),
    ("مُحَمَّد عَلِي", {MUHAMMAD}),
    ("112 Main Street", set()),
    ("at 12 main street,", {STREET}),
    ("see https://example.org/records/interview-7.", {URL}),
    ("see https://example.org/records/interview-70", set()),
])
def test_find_whole_words(text, found):
    assert MATCHER.find_text(text) == found


@pytest.mark.parametrize("page, found", [
    ("the witness Zarifa Mam\u2010\r\nmadova said", {ZARIFA}),  # WeasyPrint's hyphenation hyphen
    ("the witness Zarifa Mam\u00ad\r\nmadova said", {ZARIFA}),  # a soft hyphen
    ("the witness Zarifa Mam\x02\r\nmadova said", {ZARIFA}),  # pdfium's mark for one
    ("the witness Zarifa\r\nMammadova said", {ZARIFA}),
    ("Jean-\r\nPierre", {JEAN}),  # a real hyphen at a line end: kept…
    ("Jean\ufffePierre", {JEAN}),  # …as pdfium writes it (the line break dropped)
    ("Ali-\r\nBaba", {ALI}),  # …and dropped
    ("the witness Ali\u2010\r\nce said", set()),  # "Alice" hyphenated: no "Ali"
    ("by Ali\u2010\r\n1. A note", set()),  # the word goes on over the page: its half is no word
    ("张\r\n伟", {ZHANG}),
    ("see https://example.org/\r\nrecords/interview-7", {URL}),  # a URL broken across lines
])
def test_pdf_lines(page, found):
    assert set().union(*MATCHER.find_pages([page]).values()) == found


def test_a_name_broken_over_a_page_counts_on_the_first_page():
    """After the body come the notes, the running header and the page number; the next
    page starts with the rest of the name."""
    pages = ["body text by the witness Zarifa\r\n1. A note.\r\nREPORT TITLE\r\nPage 3 of 8",
             "Mammadova, who said\r\nmore text", "unrelated"]
    assert MATCHER.find_pages(pages) == {0: {ZARIFA}}
    hyphenated = ["by Zarifa Mam\u2010\r\n1. A note.\r\nPage 3 of 8", "REPORT TITLE\r\nmadova said"]
    assert MATCHER.find_pages(hyphenated) == {0: {ZARIFA}}
    assert MATCHER.find_pages(["the end of\r\n张", "伟 said"]) == {0: {ZHANG}}


def test_no_name_is_made_of_two_pages_that_do_not_continue_it():
    assert MATCHER.find_pages(["by Zarifa\r\nPage 1", "Other words\r\nMammadovas said"]) == {}
    assert MATCHER.find_pages(["by Ali\u2010\r\nPage 1", "ce said"]) == {}


def test_pdf_variants():
    assert pdf_variants("Jean-\nPierre Mam\u2010\nmadova") == ["jean pierre mammadova", "jeanpierre mammadova"]
    assert pdf_variants("one\ntwo") == ["one two"]


def test_nothing_to_find():
    assert Matcher(["", " ", "—"]).find_text("anything at all") == set()
    assert Matcher([]).find_pages(["a", "b"]) == {}
