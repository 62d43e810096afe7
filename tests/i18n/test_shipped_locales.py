"""The shipped Azerbaijani and Russian drafts: built, checked, swapped."""

from __future__ import annotations

import difflib
import re
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree, html
from pypdf import PdfReader

from report.cli import main
from tests.conftest import copy_shipped_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def texts(out):
    """Words of each output: the HTML page, the DOCX document and footnotes, the PDF."""
    page = html.fromstring((out / "report.html").read_bytes()).text_content()
    with zipfile.ZipFile(out / "report.docx") as archive:
        docx = " ".join("".join(t.text or "" if t.tag == W + "t" else " " for t in paragraph.iter(W + "t", W + "tab"))
                        for part in ("word/document.xml", "word/footnotes.xml")
                        for paragraph in etree.fromstring(archive.read(part)).iter(W + "p"))
    pdf = " ".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    return {name: re.sub(r"[\s\u00ad\u2010-]+", " ", text).split() for name, text in
            (("html", page), ("docx", docx), ("pdf", pdf))}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = copy_shipped_project(tmp_path_factory.mktemp("locales"))
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "locales", root / "locales")
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--locale", "az", "--locale", "ru", "--allow-fuzzy"])
    assert result.exit_code == 0, result.stderr
    return root


def test_shipped_translations_check_clean(shipped):
    result = CliRunner().invoke(main, ["check", "-p", str(shipped)])
    assert result.exit_code == 0
    assert "TRN" not in result.stderr


@pytest.mark.parametrize("language, letters", [("az", "əğıƏşç"), ("ru", "ДЖЯжщы")])
def test_letters_render_in_the_shipped_font(shipped, language, letters):
    out = shipped / "build" / language / "public"
    reader = PdfReader(out / "report.pdf")
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert fonts and all("NotoSerif" in f.replace("-", "") for f in fonts), fonts
    pdf_text = " ".join(p.extract_text() for p in reader.pages)
    assert all(ch in pdf_text for ch in letters)
    with zipfile.ZipFile(out / "report.docx") as archive:
        document = archive.read("word/document.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert all(ch in document for ch in letters)
    assert f'w:val="{language}' in styles
    assert f'<html lang="{language}">' in (out / "report.html").read_text(encoding="utf-8")


def test_notes_use_the_languages_terms(shipped):
    assert "Там же, сс. 42–43." in (shipped / "build" / "ru" / "public" / "report.html").read_text(encoding="utf-8")
    az = (shipped / "build" / "az" / "public" / "report.html").read_text(encoding="utf-8")
    assert "Yenə orada, s. 42–43." in az and "(sentyabr 1992)" in az


def test_a_month_beside_its_day_is_in_the_genitive(shipped):
    """Russian writes "11 декабря 2015 г." but "декабрь 1994 г.": the CSL locale has only
    the second form, so the first comes from CLDR (through Babel)."""
    ru = (shipped / "build" / "ru" / "public" / "report.html").read_text(encoding="utf-8")
    dates = set(re.findall(r"\((\d* ?\w+ \d{4} г\.)\)", ru))
    assert {"11 декабря 2015 г.", "7 февраля 2017 г.", "декабрь 1994 г.", "сентябрь 1992 г."} <= dates
    assert not any(re.match(r"\d+ (декабрь|февраль|сентябрь)", d) for d in dates)
    from report import model as m
    from report.build import load

    en = " ".join(m.plain_text(note.children) for note in load(shipped).document.footnotes())
    assert "(December 11, 2015)" in en and "(December 1994)" in en


def test_month_with_day_keeps_a_styles_own_term():
    from report.transforms.csl import month_with_day

    assert month_with_day("декабрь", 12, "ru-RU") == "декабря"
    assert month_with_day("Декабрь", 12, "ru") == "Декабря"
    assert month_with_day("дек.", 12, "ru-RU") == "дек."  # not the locale's long name: left alone
    assert month_with_day("December", 12, "en-US") == "December"
    assert month_with_day("dekabr", 12, "az-AZ") == "dekabr"
    assert month_with_day("декабрь", 12, None) == "декабрь"
    assert month_with_day("декабрь", 12, "xx-YY") == "декабрь"


def test_draft_mark_in_every_output(shipped):
    for language, mark in (("az", "Tərcümə layihəsi"), ("ru", "Черновой перевод")):
        words = texts(shipped / "build" / language / "public")
        for name, found in words.items():
            assert " ".join(mark.split()) in " ".join(found), (language, name)


def test_swapping_a_po_file_changes_exactly_the_affected_text(shipped):
    out = shipped / "build" / "az" / "public"
    before = texts(out)
    po = shipped / "locales" / "az.po"
    original = po.read_text(encoding="utf-8")
    po.write_text(original.replace('msgstr "ATƏŞKƏS DÖVRÜ"', 'msgstr "ATƏŞKƏS İLLƏRİ"'), encoding="utf-8")
    try:
        result = CliRunner().invoke(main, ["build", "-p", str(shipped), "--locale", "az", "--allow-fuzzy"])
        assert result.exit_code == 0, result.stderr
        after = texts(out)
    finally:
        po.write_text(original, encoding="utf-8")
    for name in before:
        changes = [(op, before[name][i1:i2], after[name][j1:j2]) for op, i1, i2, j1, j2 in
                   difflib.SequenceMatcher(None, before[name], after[name], autojunk=False).get_opcodes() if op != "equal"]
        assert changes, name
        for op, old, new in changes:
            assert op == "replace" and old == ["DÖVRÜ"] and new == ["İLLƏRİ"], (name, changes)


def test_month_names_are_kept_in_the_cache_folder_and_a_damaged_file_is_replaced(tmp_path, monkeypatch):
    """CLDR's month names are read through babel once and kept as JSON in the user's
    cache folder; later builds read them from there, and a damaged file is read again
    from babel and rewritten."""
    import json

    from report.transforms import csl

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    csl._month_names.cache_clear()
    try:
        first = csl._month_names("ru-RU")
        kept = list((tmp_path / "report").glob("month_names_*.json"))
        assert len(kept) == 1
        assert first == csl._cldr_month_names("ru-RU") and first[0][12] == "декабрь" and first[1][12] == "декабря"
        alone, with_day = json.loads(kept[0].read_text(encoding="utf-8"))
        with_day["12"] = "kept"  # the kept file, not babel, answers the next build
        kept[0].write_text(json.dumps([alone, with_day]), encoding="utf-8")
        csl._month_names.cache_clear()
        assert csl._month_names("ru-RU")[1][12] == "kept"
        kept[0].write_text("{damaged", encoding="utf-8")
        csl._month_names.cache_clear()
        assert csl._month_names("ru-RU") == first
        assert json.loads(kept[0].read_text(encoding="utf-8"))[1]["12"] == first[1][12]
    finally:
        csl._month_names.cache_clear()
