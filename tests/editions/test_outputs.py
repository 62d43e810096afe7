"""Both editions built for real, in English and in Russian: the public files (DOCX,
PDF, HTML, model.json) hold nothing withheld, show the pseudonyms and public wording,
and number their notes without gaps; the confidential files hold everything and say
"Confidential" on every page."""

from __future__ import annotations

import re
import zipfile

import pytest

from report.build import Locale, build, load
from report.transforms.protected import protected_strings
from tests.editions.support import (WITHHELD, docx_texts, fold, html_text_and_attributes, make_edition_project,
                                    outputs_text, pdf_text)


def _built(tmp_path_factory, name: str, locale: Locale):
    root = make_edition_project(tmp_path_factory.mktemp(name) / "project", russian=True)
    result = build(root, locale=locale)
    return root, result.out_dir


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    return _built(tmp_path_factory, "public", Locale())


@pytest.fixture(scope="module")
def confidential(tmp_path_factory):
    return _built(tmp_path_factory, "confidential", Locale(edition="confidential"))


@pytest.fixture(scope="module")
def russian(tmp_path_factory):
    return _built(tmp_path_factory, "russian", Locale("ru"))


def _leaks(root, out, language: str) -> list[str]:
    loaded = load(root, stop_on_error=False, locale=Locale(language))
    strings = [p.text for p in protected_strings(loaded.source, loaded.project.registry, loaded.people, language,
                                                 loaded.document)]
    texts = outputs_text(out)
    return [f"{text!r} in {name}" for text in strings + list(WITHHELD) for name, found in texts.items()
            if fold(text) in found]


@pytest.mark.parametrize("edition", ["public", "russian"])
def test_no_public_file_holds_a_protected_string(request, edition):
    root, out = request.getfixturevalue(edition)
    assert _leaks(root, out, "ru" if edition == "russian" else "en") == []


def test_the_public_word_file_shows_pseudonyms_public_wording_and_public_notes(public):
    body, notes = docx_texts(public[1])
    assert "Witness A was held for five days" in body
    assert "He was taken in a western city by police. His lawyer, was not allowed in." in body
    assert "Where Witness A was held" in body and "The case of Witness A" in body
    assert "Interview with a former detainee, March 2024." in notes
    with zipfile.ZipFile(public[1] / "report.docx") as docx:
        footnotes = docx.read("word/footnotes.xml").decode("utf-8")
    numbers = sorted(int(n) for n in re.findall(r'<w:footnote [^>]*w:id="(\d+)"', footnotes) if int(n) > 0)
    assert numbers == list(range(1, 8))  # contiguous: the confidential notes left no gap


def test_the_public_pdf_and_web_page_read_the_same(public):
    pdf = pdf_text(public[1])
    html, attributes = html_text_and_attributes(public[1])
    for text in (pdf, html):
        assert "Witness A was held for five days" in text
        assert "in a western city" in text
        assert "Interview with a former detainee, March 2024." in text
        assert "Figure 1: Detentions by month" in text
    assert "where-witness-a-was-held" in attributes  # the heading's id, made from its pseudonymised text
    assert "Confidential" not in html and "CONFIDENTIAL" not in pdf


def test_the_confidential_files_hold_everything_and_say_so(confidential):
    root, out = confidential
    found = _leaks(root, out, "en")  # what the leak search finds in the public files' place
    for name in ("pdf", "docx", "html"):
        assert f"'Farid Mammadov' in {name}" in found and f"'in Ganja' in {name}" in found
    body, notes = docx_texts(out)
    for text in ("Farid Mammadov was held", "in Ganja", "Leyla Aliyeva", "The guard admitted the beatings",
                 "Annex on the prison director"):
        assert text in body, text
    assert "Told by his brother Elnur on the phone." in notes and "Transcript of the interview at Ganja" in notes
    assert "Confidential edition: not for publication." in body
    with zipfile.ZipFile(out / "report.docx") as docx:
        headers = " ".join(docx.read(n).decode("utf-8") for n in docx.namelist() if n.startswith("word/header"))
    assert "Confidential" in headers
    pdf = pdf_text(out)
    assert "Leyla Aliyeva" in pdf and pdf.count("Confidential") >= 3  # one mark a page, and the title page's
    html, _ = html_text_and_attributes(out)
    assert "Confidential edition: not for publication." in html and "in Ganja" in html


def test_the_russian_public_edition_uses_the_russian_pseudonym(russian):
    _, out = russian
    body, notes = docx_texts(out)
    assert "Свидетель А содержался под стражей пять дней" in body
    assert "в одном из западных городов" in body
    assert "Интервью с бывшим задержанным, март 2024 г." in notes
    html, _ = html_text_and_attributes(out)
    assert "Дело Свидетель А" in html and "Witness A" not in html
