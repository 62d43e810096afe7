"""Issue 20, scripts and fonts: a project translated into Arabic and Chinese (with the
project's own i18n commands) builds all three formats; the Arabic outputs are
right-to-left with their Latin pieces isolated, the Chinese PDF breaks no line before
closing punctuation, and each PDF embeds the families of its scripts alone."""

from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from click.testing import CliRunner
from lxml import etree

from report.cli import main
from report.config import load_config
from report.render.scripts import families_for, is_rtl, language_script, ltr_segments
from tests.conftest import write_project
from tests.i18n.un_project import make_un_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# No line of Chinese text may start with these (kinsoku shori).
RTL_ELEMENT = re.compile(r'<[A-Za-z][^<>]*\sdir="rtl"')
NO_LINE_START = "。，、；：！？）」』》〉】”’．，"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_un_project(tmp_path_factory.mktemp("un") / "project", ("ar", "zh"))
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--locale", "en", "--locale", "ar",
                                       "--locale", "zh", "--force", "--quiet"])
    assert result.exit_code == 0, result.output
    return root / "build"


def _pdf_fonts(path) -> set[str]:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[1]
            for page in reader.pages for font in page["/Resources"].get("/Font", {}).values()}


def _docx_root(path, member: str):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(member))


def _runs(paragraph) -> list[tuple[bool, str]]:
    """(has w:rtl, text) of each run of a paragraph that holds text."""
    out = []
    for run in paragraph.iter(W + "r"):
        text = "".join(t.text or "" for t in run.iter(W + "t"))
        if text:
            out.append((run.find(f"{W}rPr/{W}rtl") is not None, text))
    return out


# --- the building blocks -------------------------------------------------------------

def test_ltr_pieces_of_arabic_text():
    assert ltr_segments("يصف تقرير الأمين العام A/71/782 الحالة.") == [
        (False, "يصف تقرير الأمين العام "), (True, "A/71/782"), (False, " الحالة.")]
    assert ltr_segments("انظر https://example.org/page، ص. 25.") == [
        (False, "انظر "), (True, "https://example.org/page"), (False, "، ص. 25.")]
    # a Latin title with its locator is one piece; the day of an Arabic date is not in it
    assert ltr_segments("العنوان (The Report, p. 25).")[1] == (True, "The Report, p. 25")
    assert ltr_segments("A/75/123 (1 يونيو 2020)")[0] == (True, "A/75/123")
    assert ltr_segments("نص فقط 2017") == [(False, "نص فقط 2017")]


def test_language_directions_and_scripts():
    assert is_rtl("ar") and is_rtl("ar-EG") and is_rtl("fa") and not is_rtl("az") and not is_rtl("zh-CN")
    assert not is_rtl("az-Latn") and is_rtl("az-Arab")
    assert [language_script(tag) for tag in ("ar", "zh-TW", "ru", "en", "fr")] == \
        ["arabic", "cjk", "cyrillic", "latin", "latin"]


def test_fonts_per_script_in_report_yaml(make_project):
    root = make_project({"report.yaml": """\
        title: T
        language: en
        sections: [01-intro.md]
        citation-style: templates/notes.csl
        fonts:
          family: Noto Serif
          files: {regular: /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf}
          arabic: {family: Noto Sans Arabic, files: {regular: /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf}}
        """})
    font = load_config(root).font
    assert [(f.family, f.scripts) for f in font.all_families()] == [
        ("Noto Serif", ("latin", "cyrillic", "greek")), ("Noto Sans Arabic", ("arabic",)),
        ("Noto Serif CJK", ("cjk",))]
    # only the families of the scripts the text has, the language's own first
    assert [f.family for f in families_for(font, "en", "Latin only")] == ["Noto Serif"]
    assert [f.family for f in families_for(font, "ar", "نص")] == ["Noto Sans Arabic", "Noto Serif"]
    assert [f.family for f in families_for(font, "zh", "中文")] == ["Noto Serif CJK", "Noto Serif"]


def test_fonts_as_a_list_and_unknown_script(make_project):
    from report.errors import ReportError

    root = make_project({"report.yaml": """\
        title: T
        language: en
        sections: [01-intro.md]
        fonts:
          - {family: Noto Serif, files: {regular: /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf}}
          - {family: Noto Naskh Arabic, files: {regular: /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf}}
        """})
    font = load_config(root).font
    assert font.family == "Noto Serif" and [f.family for f in font.all_families()] == ["Noto Serif", "Noto Naskh Arabic"]
    (root / "report.yaml").write_text("title: T\nlanguage: en\nsections: [01-intro.md]\nfonts:\n  arabik: {family: X}\n",
                                      encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_config(root)
    assert any(d.code == "CFG004" and "arabik" in d.message for d in caught.value.diagnostics)


def test_a_missing_font_of_a_used_script_is_fnt001(make_project):
    root = make_project({
        "report.yaml": """\
            title: T
            language: zh
            sections: [01-intro.md]
            citation-style: templates/notes.csl
            outputs: [pdf]
            fonts:
              cjk: {family: Missing CJK, files: {regular: fonts/missing.otf}}
            """,
        "sections/01-intro.md": "---\ntitle: 导言\n---\n\n中文。\n"})
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--quiet"])
    assert result.exit_code != 0 and "FNT001" in result.output and "missing.otf" in result.output
    # a Latin report does not need that file
    text = (root / "report.yaml").read_text(encoding="utf-8").replace("language: zh", "language: en")
    (root / "report.yaml").write_text(text, encoding="utf-8")
    (root / "sections/01-intro.md").write_text("---\ntitle: Intro\n---\n\nLatin text.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--quiet"])
    assert result.exit_code == 0, result.output


# --- the translated project ----------------------------------------------------------

def test_embedded_fonts_follow_the_scripts(built):
    assert _pdf_fonts(built / "en" / "public" / "report.pdf") <= {"Noto-Serif", "Noto-Serif-Bold"}
    assert {"Noto-Naskh-Arabic", "Noto-Serif"} <= _pdf_fonts(built / "ar" / "public" / "report.pdf") <= {
        "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold", "Noto-Serif", "Noto-Serif-Bold"}
    assert "Noto-Serif-CJK" in _pdf_fonts(built / "zh" / "public" / "report.pdf") <= {"Noto-Serif-CJK", "Noto-Serif-CJK-Bold"}


def test_arabic_html_is_rtl_with_isolated_latin(built):
    page = (built / "ar" / "public" / "report.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="ar" dir="rtl">', page)
    assert '<span dir="ltr" class="ltr-word">A/71/782</span>' in page
    assert '<span dir="ltr">https://example.org/page</span>' in page  # a URL may still break
    assert "المحتويات" in page and "الحواشي" in page  # the tool's words from ar.po
    assert "letter-spacing: 0 !important" in page  # spaced letters would break Arabic joining
    # no element right to left (the stylesheet's [dir="rtl"] rules are for Arabic pages)
    assert not RTL_ELEMENT.search((built / "en" / "public" / "report.html").read_text(encoding="utf-8"))


def test_arabic_docx_paragraphs_sections_and_runs(built):
    document = _docx_root(built / "ar" / "public" / "report.docx", "word/document.xml")
    body = document.find(W + "body")
    paragraphs = list(body.iter(W + "p"))
    assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    section = body.find(W + "sectPr")
    assert section.find(W + "bidi") is not None and section.find(W + "rtlGutter") is not None
    assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in body.iter(W + "tbl"))
    line = next(_runs(p) for p in paragraphs if "A/71/782" in "".join(t for _, t in _runs(p)))
    assert (False, "A/71/782") in line  # the UN symbol: a run without w:rtl
    assert line[0] == (True, "يصف تقرير الأمين العام ")
    styles = _docx_root(built / "ar" / "public" / "report.docx", "word/styles.xml")
    defaults = styles.find(W + "docDefaults")
    assert defaults.find(f"{W}pPrDefault/{W}pPr/{W}bidi") is not None
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts").get(W + "cs") == "Noto Naskh Arabic"
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang").get(W + "bidi").startswith("ar")
    notes = _docx_root(built / "ar" / "public" / "report.docx", "word/footnotes.xml")
    cited = [runs for p in notes.iter(W + "p") if (runs := _runs(p)) and "United Nations" in "".join(t for _, t in runs)]
    assert cited and all(p.find(f"{W}pPr/{W}bidi") is not None for p in notes.iter(W + "p"))
    latin = [text for rtl, text in cited[0] if "United Nations" in text]
    assert latin and all(not rtl for rtl, text in cited[0] if "United Nations" in text)
    # the English build is untouched
    english = _docx_root(built / "en" / "public" / "report.docx", "word/document.xml")
    assert english.find(f".//{W}bidi") is None and english.find(f".//{W}rtl") is None


def test_arabic_pdf_line_keeps_the_symbol_whole_between_arabic_words(built):
    with pdfplumber.open(built / "ar" / "public" / "report.pdf") as pdf:
        page = next(p for p in pdf.pages if "A/71/782" in (p.extract_text() or ""))
        chars = page.chars
        latin = [c for c in chars if c["text"] in "A/71/782" and abs(c["top"] - _top_of(chars, "A")) < 1]
        latin.sort(key=lambda c: c["x0"])
        assert "".join(c["text"] for c in latin).find("A/71/782") >= 0
        start, end = min(c["x0"] for c in latin), max(c["x1"] for c in latin)
        middle = (latin[0]["top"] + latin[0]["bottom"]) / 2  # fonts differ in ascent: the line is what spans it
        line = [c for c in chars if c["top"] < middle < c["bottom"] and c["text"].strip()]
        right = [c for c in line if c["x0"] >= end]
        left = [c for c in line if c["x1"] <= start]
        arabic = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
        # read right to left: "يصف تقرير الأمين العام" to its right, "الحالة." to its left
        assert right and all(arabic.match(c["text"]) for c in right)
        assert left and any(arabic.match(c["text"]) for c in left)
        assert max(c["x1"] for c in line) == max(c["x1"] for c in right)  # the line starts at the right
        notes_text = page.extract_text()
    assert "https://example.org/page" in notes_text


def _top_of(chars, text: str) -> float:
    return next(c["top"] for c in chars if c["text"] == text)


def test_chinese_pdf_lines_never_start_with_closing_punctuation(built):
    with pdfplumber.open(built / "zh" / "public" / "report.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    lines = [line for line in text.splitlines() if re.search(r"[\u4e00-\u9fff]", line)]
    assert len([line for line in lines if "水是一项权利" in line or "委员会" in line]) >= 5  # the long paragraph wraps
    assert [line for line in lines if line[0] in NO_LINE_START] == []
    assert "目录" in text and "第 3 页，共 3 页" in text


def test_chinese_docx_east_asian_font_and_language(built):
    styles = _docx_root(built / "zh" / "public" / "report.docx", "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert rpr.find(W + "rFonts").get(W + "eastAsia") == "Noto Serif CJK SC"
    assert rpr.find(W + "lang").get(W + "eastAsia") == "zh-CN"
    html = (built / "zh" / "public" / "report.html").read_text(encoding="utf-8")
    assert not RTL_ELEMENT.search(html) and "hyphens: manual" in html


def test_source_language_build_is_unchanged_by_the_other_scripts(tmp_path):
    """A Latin-only project's PDF stylesheet names its one family, as before issue 20."""
    from report.render.pdf import font_face_css

    root = write_project(tmp_path / "p", {})
    font = load_config(root).font
    assert font_face_css(families_for(font, "en", "Latin text")) == font_face_css(font)
    assert "CJK" not in font_face_css(font) and "Arabic" not in font_face_css(font)


def test_french_and_spanish_build_with_their_own_citation_terms(tmp_path):
    """The two other Latin-script UN languages build too: the notes are rendered by the
    citation engine in the language's own CSL locale (Spanish is es-ES, as citeproc-js
    takes it: a Spanish build once failed with CIT010 when only es-CL was handed over),
    and Spanish keeps its ¿ and ¡."""
    from lxml import html as lxml_html

    from report.build import Locale, build

    root = make_un_project(tmp_path / "project", ("fr", "es"))
    for language, words in (("fr", "Le rapport du Secrétaire général"), ("es", "¿Es suficiente?")):
        out = build(root, ("html",), locale=Locale(language)).out_dir
        tree = lxml_html.fromstring((out / "report.html").read_bytes())
        assert tree.get("lang") == language
        text = tree.text_content()
        assert words in text
        notes = " ".join(li.text_content() for li in tree.iter("li") if "United Nations" in li.text_content())
        assert "p.\u00a03" in notes or "p. 3" in notes, notes
