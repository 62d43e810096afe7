"""The tool's own words in the report's language (ru, az) in HTML, PDF and DOCX; the
draft-translation mark; dates, ``lang`` and hyphenation; and catalog strings that
try to inject markup staying text in every format."""

from __future__ import annotations

import datetime as dt
import io
import re

import html5lib
import lxml.html
import pdfplumber
import pytest
import tinycss2
from lxml import etree

from report import model as m
from report.i18n import strings
from report.render.docx.labels import footer_values
from report.render.html import HtmlRenderer, document_html
from report.render.labels import css_string, fill, page_content, page_css
from report.render.pdf import PdfRenderer
from tests.conftest import REPO, write_project
from tests.render.docx_support import NS, body_of, reference_with, render, visible, wa
from tests.render.htmlpdf_support import L, context_for
from tests.render.weasyprint_support import besides_fallback_note

RU = {"contents": "Содержание", "notes": "Примечания", "back": "Вернуться к ссылке на примечание 1",
      "draft": "Черновой перевод", "sentence": "Это черновой перевод: он ещё не проверен.",
      "date": "1 мая 2024\u202fг.", "page": "Страница {page} из {pages}", "word": "ru-RU", "upper": "СОДЕРЖАНИЕ"}
AZ = {"contents": "Mündəricat", "notes": "Qeydlər", "back": "1 saylı qeyd çağırışına qayıt",
      "draft": "Tərcümə layihəsi", "sentence": "Bu, tərcümə layihəsidir: hələ yoxlanılmayıb.",
      "date": "1 may 2024", "page": "Səhifə {page} / {pages}", "word": "az-Latn-AZ",
      "upper": "MÜNDƏRİCAT"}  # WeasyPrint upper-cases by the language: i → İ
LANGUAGES = {"ru": RU, "az": AZ}

# A catalog string that tries to end a CSS string, the <style> element, and to open XML.
HOSTILE = 'X"</style><script>alert(1)</script>\\"; content: url(x)\n<w:p>Y'
HOSTILE_PAGE = 'P"</style><script>{page}\\"; content: url(x)\n{pages}<w:p>'


def report(language: str, draft: bool = False) -> m.Document:
    """Two sections (a long one for hyphenation), a footnote, a date."""
    words = "Достопримечательности высокопревосходительство человеконенавистничество " * 12
    note = m.Footnote(1, (m.Text("Примечание.", L),), (), L)
    intro = m.Section("intro", "Введение", (m.Paragraph((m.Text("Текст", L), note), L),), L)
    long = m.Section("long", "Раздел", (m.Paragraph((m.Text(words.strip(), L),), L),), L)
    meta = m.Metadata("Доклад о положении", "Организация", language, dt.date(2024, 5, 1), draft=draft)
    return m.Document(meta, (intro, long))


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_project(tmp_path_factory.mktemp("localised") / "project", {})


@pytest.fixture
def hostile(monkeypatch):
    def hostile_text(message):
        return HOSTILE_PAGE if "{page}" in message else HOSTILE + " {number}" if "{number}" in message else HOSTILE

    table = tuple((message, hostile_text(message)) for message in strings.MESSAGES)
    monkeypatch.setattr(strings, "tool_strings", lambda language: strings.Strings(language, table))


def html_page(document, root) -> lxml.html.HtmlElement:
    data = HtmlRenderer().render(document, context_for(root))
    html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False)  # a browser's parse too
    return lxml.html.document_fromstring(data)


def pdf_pages(document, root) -> list[str]:
    renderer = PdfRenderer()
    data = renderer.render(document, context_for(root))
    assert besides_fallback_note(renderer.diagnostics) == []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def headers(parts) -> dict[str, str]:
    """Header text by type (default, first) as the document's section properties relate them."""
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    out = {}
    for ref in body_of(parts).iterfind("w:sectPr/w:headerReference", NS):
        part = etree.fromstring(parts["word/" + targets[ref.get(R_ID)]])
        out[ref.get(wa("type"))] = "".join(visible(p) for p in part.iter(wa("p")))
    return out


R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def footer_text(parts) -> str:
    return "".join(visible(p) for p in etree.fromstring(parts["word/footer1.xml"]).iter(wa("p")))


# --- HTML ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "az"])
def test_html_labels_date_and_lang_follow_the_language(root, language):
    words = LANGUAGES[language]
    page = html_page(report(language), root)
    assert page.get("lang") == language
    assert page.findtext(".//nav/h2") == words["contents"]
    assert page.findtext(".//section[@role='doc-endnotes']/h2") == words["notes"]
    assert page.find(".//a[@role='doc-backlink']").get("aria-label") == words["back"]
    assert page.findtext(".//time") == words["date"]
    assert page.find(".//*[@class='draft-mark']") is None
    assert "Contents" not in page.text_content() and "Notes" not in page.text_content()


@pytest.mark.parametrize("language", ["ru", "az"])
def test_html_draft_banner_is_the_first_thing_on_the_page(root, language):
    words = LANGUAGES[language]
    page = html_page(report(language, draft=True), root)
    [banner] = page.findall(".//p[@class='draft-mark']")
    assert banner.get("role") == "note"
    assert flat(banner.text_content()) == f"{words['draft']} {words['sentence']}"
    first = next(page.find("body").iter("p", "h1", "h2", "nav", "main"))
    assert first is banner


def test_html_hostile_catalog_strings_stay_text(root, hostile):
    document = report("ru", draft=True)
    page = html_page(document, root)
    assert page.findall(".//script") == [] and len(page.findall(".//style")) == 2
    assert page.findtext(".//nav/h2") == HOSTILE
    assert page.find(".//a[@role='doc-backlink']").get("aria-label") == " ".join(HOSTILE.split()) + " 1"
    assert flat(page.find(".//p[@class='draft-mark']").text_content()) == flat(f"{HOSTILE} {HOSTILE}")
    printed = lxml.html.document_fromstring(document_html(document, context_for(root), "print"))
    assert printed.findall(".//script") == [] and printed.findtext(".//nav/h2") == HOSTILE


# --- PDF ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "az"])
def test_pdf_footer_and_contents_are_translated_and_unmarked(root, language):
    words = LANGUAGES[language]
    pages = [flat(text) for text in pdf_pages(report(language), root)]
    assert len(pages) >= 3
    assert flat(words["date"]) in pages[0] and words["draft"] not in " ".join(pages)
    assert words["upper"] in pages[1]
    for number, text in enumerate(pages[1:], start=2):
        assert text.endswith(words["page"].format(page=number, pages=len(pages)))
    assert "Page" not in " ".join(pages)


@pytest.mark.parametrize("language", ["ru", "az"])
def test_pdf_draft_mark_on_title_page_and_every_page(root, language):
    words = LANGUAGES[language]
    pages = [flat(text) for text in pdf_pages(report(language, draft=True), root)]
    assert words["sentence"] in pages[0]
    assert all(words["draft"] in text for text in pages)
    assert words["page"].format(page=2, pages=len(pages)) in pages[1]


def test_pdf_hyphenates_russian_and_leaves_azerbaijani_whole(root):
    """WeasyPrint hyphenates with pyphen's dictionary for ``lang``; pyphen has none
    for az, so an az document is laid out without hyphens (and without failing)."""
    breaks = {}
    for language in ("ru", "az"):
        lines = [line for text in pdf_pages(report(language), root)[2:] for line in text.splitlines()]
        breaks[language] = [line for line in lines if line.endswith("\u2010")]
    assert len(breaks["ru"]) >= 3 and breaks["az"] == []
    assert all(re.search(r"[а-я]{2,}\u2010$", line) for line in breaks["ru"])


def test_pdf_project_footer_wins_but_the_draft_mark_stays(tmp_path):
    root = write_project(tmp_path / "project", {})
    css = root / "templates" / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + '\n@page { @bottom-center { content: "Seite " counter(page); }'
                   ' @bottom-left { content: none; } }\n', encoding="utf-8")
    pages = [flat(text) for text in pdf_pages(report("ru", draft=True), root)]
    assert pages[1].endswith("Seite 2") and "Страница" not in " ".join(pages)
    assert all(RU["draft"] in text for text in pages)


def test_pdf_hostile_catalog_strings_stay_text(root, hostile):
    pages = [flat(text) for text in pdf_pages(report("ru", draft=True), root)]
    # The two bottom margin boxes wrap side by side, so their lines interleave when
    # extracted: look for each line's text. Nothing was fetched from url(x) (no PDF001).
    assert flat(HOSTILE) in pages[0]  # the title-page banner
    for number, text in enumerate(pages, start=1):
        assert 'X"</style><script>alert(1)</script>\\";' in text and "<w:p>Y" in text
        if number > 1:
            assert f'P"</style><script>{number}\\"; content: url(x)' in text and f"{len(pages)}<w:p>" in text


def test_css_string_is_one_css_string_token():
    for text in (HOSTILE, HOSTILE_PAGE, "Страница ", "a'b", "\x00\x7f\u2028"):
        [token] = tinycss2.parse_component_value_list(css_string(text))
        assert token.type == "string" and token.value == text.replace("\x00", "\ufffd")
        assert "</" not in css_string(text) and "\n" not in css_string(text)


def test_page_content_splits_the_message_into_strings_and_counters():
    russian = strings.tool_strings("ru")
    assert page_content(russian) == '"Страница " counter(page) " из " counter(pages)'
    assert page_content(lambda text: "{pages}:{page}") == 'counter(pages) ":" counter(page)'
    assert page_content(lambda text: "no placeholder") == '"Page " counter(page) " of " counter(pages)'
    assert fill("{{x}} {number} {nope} {", number=3) == "{x} 3 {nope} {"


def test_shipped_css_holds_no_ui_words_and_the_generated_rule_is_per_document():
    css = (REPO / "templates" / "report.css").read_text(encoding="utf-8")
    assert not re.search(r'content:\s*"[^"\\]*[A-Za-z]', css)
    assert 'content: "Страница " counter(page)' in page_css(report("ru"))
    assert "!important" not in page_css(report("ru"))
    assert '"Tərcümə layihəsi" !important' in page_css(report("az", draft=True))


# --- DOCX ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "az"])
def test_docx_contents_footer_date_and_language(root, language):
    words = LANGUAGES[language]
    parts = render(context_for(root), report(language))
    paragraphs = list(body_of(parts).iter(wa("p")))
    [heading] = [p for p in paragraphs if p.find("w:pPr/w:pStyle[@w:val='TOCHeading']", NS) is not None]
    assert visible(heading) == words["contents"]
    assert words["date"] in [visible(p) for p in paragraphs]
    assert footer_text(parts) == words["page"].format(page=1, pages=1)
    assert headers(parts) == {"default": "Доклад о положении", "first": ""}
    assert words["draft"].encode() not in b"".join(parts.values())
    lang = etree.fromstring(parts["word/styles.xml"]).find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    theme = etree.fromstring(parts["word/settings.xml"]).find("w:themeFontLang", NS)
    assert lang.get(wa("val")) == theme.get(wa("val")) == words["word"]


@pytest.mark.parametrize("language", ["ru", "az"])
def test_docx_draft_mark_after_the_title_and_in_every_header(root, language):
    words = LANGUAGES[language]
    parts = render(context_for(root), report(language, draft=True))
    paragraphs = body_of(parts).findall("w:p", NS)
    assert paragraphs[0].find("w:pPr/w:pStyle[@w:val='Title']", NS) is not None
    assert visible(paragraphs[1]) == f"{words['draft']} — {words['sentence']}"
    assert headers(parts) == {"default": f"Доклад о положении — {words['draft']}", "first": words["draft"]}
    assert render(context_for(root), report(language, draft=True)) == parts  # deterministic


def test_docx_reference_without_draft_placeholders_still_marks_headers(tmp_path):
    def edit(name, data):
        if name == "+":
            return None
        if name.startswith("word/header"):
            return data.replace(b"{% if draft %} \xe2\x80\x94 {{ draft }}{% endif %}", b"").replace(b"{{ draft }}", b"")
        return data

    root = write_project(tmp_path / "project", {"templates/reference.docx": reference_with(edit)})
    parts = render(context_for(root), report("ru", draft=True))
    assert headers(parts) == {"default": f"Доклад о положении — {RU['draft']}", "first": RU["draft"]}


def test_docx_hostile_catalog_strings_stay_text(root, hostile):
    parts = render(context_for(root), report("ru", draft=True))
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)
    body = body_of(parts)
    [heading] = [p for p in body.iter(wa("p")) if p.find("w:pPr/w:pStyle[@w:val='TOCHeading']", NS) is not None]
    assert visible(heading) == HOSTILE
    assert visible(body.findall("w:p", NS)[1]) == f"{HOSTILE} — {HOSTILE}"
    assert headers(parts)["default"] == f"Доклад о положении — {HOSTILE}"
    assert footer_text(parts) == HOSTILE_PAGE.format(page=1, pages=1)
    assert not any(e.tag.endswith("}script") for e in body.iter() if isinstance(e.tag, str))


def test_docx_footer_falls_back_to_english_when_fields_cannot_follow_the_translation():
    assert footer_values(lambda text: "{pages} / {page}") == {
        "page_prefix": "Page ", "page_infix": " of ", "page_suffix": ""}
    assert footer_values(lambda text: "стр. {page} из {pages}.") == {
        "page_prefix": "стр. ", "page_infix": " из ", "page_suffix": "."}
