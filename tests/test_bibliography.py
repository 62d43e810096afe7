"""The list of sources (``bibliography:`` in report.yaml): every cited work, as the
citation style's ``<bibliography>`` writes it through citeproc-js.

Checked on the model and on real outputs: the DOCX's paragraphs, their style and
indent (and what LibreOffice lays out from them), the PDF's text and the position of
its lines, the HTML's markup and stylesheet; grouped by type, in a translated build,
in each edition; and the located errors of a style without a bibliography or a bad
``bibliography:`` value.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile

import pdfplumber
import pytest
from click.testing import CliRunner
from lxml import etree, html as lxml_html

from report import model as m
from report.build import Locale, build, load
from report.cli import main

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")

# Two works by one author (the second is "———" under subsequent-author-substitute), a
# UN document, a treaty, a newspaper article; a work cited only inside a confidential
# span, a confidential source cited through its public note, and one never cited.
TEXT = """\
---
title: Introduction
---

The monitor documented the first wave[@hrw-2019, p. 4] and the second[@hrw-2021, pp. 7–9].
The committee said so[@un-2020, para. 12], as the covenant requires[@iccpr, art. 9].
A newspaper reported it[@daily-2022]. A witness told us more[@interview-2023].

[A lawyer's memorandum confirms it[@memo-2023].]{.confidential} The rest is public.
"""

SOURCES = """\
- id: hrw-2019
  type: report
  author:
    - literal: Human Rights Watch
  title: Held Without Charge
  publisher: Human Rights Watch
  issued: 2019-03-01
  language: en
- id: hrw-2021
  type: report
  author:
    - literal: Human Rights Watch
  title: Beyond the Checkpoint
  publisher: Human Rights Watch
  issued: 2021-06-15
  language: en
- id: un-2020
  type: report
  author:
    - literal: United Nations Human Rights Committee
  title: Concluding observations on the fourth periodic report of Examplestan, adopted at its hundred and thirtieth session
  genre: UN document
  number: CCPR/C/EXA/CO/4
  issued: 2020-11-20
  language: en
- id: iccpr
  type: treaty
  title: International Covenant on Civil and Political Rights
  issued: 1966-12-16
  language: en
- id: daily-2022
  type: article-newspaper
  author:
    - family: Writer
      given: Jane
  title: Journalists Held at the Border
  container-title: The Daily Example
  issued: 2022-02-03
  language: en
- id: interview-2023
  type: interview
  author:
    - family: Karimova
      given: Nigar
  title: Interview with a detained photographer
  issued: 2023-01-05
  language: en
  confidential: true
  public-note: Interview with a photographer, January 2023
- id: memo-2023
  type: report
  author:
    - family: Advocate
      given: Lara
  title: Memorandum on the detentions
  publisher: Bar Association
  issued: 2023-04-01
  language: en
- id: never-cited
  type: book
  author:
    - family: Unread
      given: Una
  title: A Book Nobody Cites
  publisher: Nobody Press
  issued: 2001
  language: en
"""

# The public edition's list, in the order of notes.csl's <sort> (author, then title).
PUBLIC_ORDER = ["hrw-2021", "hrw-2019", "iccpr", "un-2020", "daily-2022"]


def sources_project(make_project, bibliography: str = "true", extra: dict | None = None):
    return make_project({
        "report.yaml": f"""\
            title: Sources Test
            language: en
            date: 2024-05-01
            sections: [01-intro.md]
            citation-style: templates/notes.csl
            bibliography: {bibliography}
            """,
        "sections/01-intro.md": TEXT,
        "references/sources.yaml": SOURCES,
        **(extra or {}),
    })


def lists(document: m.Document) -> list[m.Bibliography]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, m.Bibliography)]


def entry_texts(block: m.Bibliography) -> list[str]:
    return [m.plain_text(entry.children) for entry in block.entries]


def docx_paragraphs(out) -> list[tuple[str, etree._Element]]:
    """Each body paragraph of the DOCX: its style id and the element."""
    with zipfile.ZipFile(out / "report.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml")).find(f"{W}body")
    found = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        found.append((style.get(f"{W}val") if style is not None else "", p))
    return found


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def pdf_lines(path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return [line for page in pdf.pages for line in page.extract_text_lines()]


def after(lines: list[dict], heading: str) -> list[dict]:
    start = next(i for i, line in enumerate(lines) if line["text"] == heading)
    return lines[start + 1:]


def assert_hanging(lines: list[dict], first_words: str) -> None:
    """The entry starting with ``first_words`` runs on to a line indented further than its first."""
    at = next(i for i, line in enumerate(lines) if line["text"].startswith(first_words))
    first, second = lines[at], lines[at + 1]
    assert second["x0"] - first["x0"] > 15, (first, second)  # the indent: 2em / 1.27 cm


# --- the model ---------------------------------------------------------------------


def test_every_cited_work_once_in_the_styles_order_with_its_repeated_author_as_dashes(make_project):
    document = load(sources_project(make_project)).document
    section = document.sections[-1]
    assert (section.id, section.title, section.paragraphs_numbered) == ("list-of-sources", "List of sources", False)
    [block] = lists(document)
    assert [entry.key for entry in block.entries] == PUBLIC_ORDER
    texts = entry_texts(block)
    assert texts[0].startswith("Human Rights Watch, “Beyond the Checkpoint”")
    assert texts[1].startswith("———, “Held Without Charge”")  # subsequent-author-substitute
    # the style's bibliography form, not a note's: no locator, the entry's own punctuation
    assert texts[3] == ("United Nations Human Rights Committee, “Concluding observations on the fourth periodic "
                        "report of Examplestan, adopted at its hundred and thirtieth session”, UN document No. "
                        "CCPR/C/EXA/CO/4 (November 20, 2020).")
    assert texts[4] == "Writer, Jane, “Journalists Held at the Border”, The Daily Example (February 3, 2022)."
    assert block.hanging_indent and block.title is None
    assert not any("Nobody" in text for text in texts)  # cited nowhere: not listed


def test_the_public_list_leaves_out_what_the_public_edition_does_not_cite(make_project):
    root = sources_project(make_project)
    public = " ".join(entry_texts(lists(load(root).document)[0]))
    assert "Memorandum" not in public and "Advocate" not in public  # cited only in a confidential span
    assert "Karimova" not in public and "photographer" not in public  # cited as its public note
    confidential = load(root, locale=Locale(edition="confidential")).document
    keys = [entry.key for entry in lists(confidential)[0].entries]
    assert "memo-2023" in keys and "interview-2023" in keys


def test_a_protected_name_in_a_listed_work_is_its_pseudonym_in_the_public_edition(make_project):
    root = sources_project(make_project, extra={
        "references/sources.yaml": SOURCES.replace("Journalists Held at the Border", "Farid Mammadov Held at the Border"),
        "references/people.yaml": "- name: Farid Mammadov\n  variants: [Mammadov]\n  pseudonym: Witness A\n",
    })
    public = entry_texts(lists(load(root).document)[0])
    assert public[-1] == "Writer, Jane, “Witness A Held at the Border”, The Daily Example (February 3, 2022)."
    assert "Mammadov" not in " ".join(public)
    confidential = load(root, locale=Locale(edition="confidential")).document
    assert "Farid Mammadov Held at the Border" in " ".join(entry_texts(lists(confidential)[0]))


def test_no_list_without_the_setting_or_without_a_citation(make_project):
    assert lists(load(sources_project(make_project, "false")).document) == []
    root = sources_project(make_project, extra={"sections/01-intro.md": "---\ntitle: Intro\n---\n\nNo sources.\n",
                                                "references/sources.yaml": "[]\n"})
    document = load(root).document
    assert lists(document) == [] and [s.id for s in document.sections] == ["intro"]


def test_grouped_by_type_each_group_under_its_heading_the_dashes_within_a_group(make_project):
    root = sources_project(make_project, "{group-by-type: true, title: Sources cited}")
    document = load(root).document
    assert document.sections[-1].title == "Sources cited"
    groups = lists(document)
    assert [(g.title, [e.key for e in g.entries]) for g in groups] == [
        ("Legal instruments", ["iccpr"]),
        ("UN and OSCE documents", ["un-2020"]),
        ("Reports", ["hrw-2021", "hrw-2019"]),
        ("News", ["daily-2022"]),
    ]
    assert entry_texts(groups[2])[1].startswith("———, “Held Without Charge”")
    out = build(root, ("docx", "html")).out_dir
    page = lxml_html.fromstring((out / "report.html").read_bytes())
    section = page.xpath('//section[contains(@class, "bibliography")]')[0]
    assert [h.text_content() for h in section.xpath(".//h1 | .//h2")] == [
        "Sources cited", "Legal instruments", "UN and OSCE documents", "Reports", "News"]
    assert [len(g.xpath('.//div[@class="csl-entry"]')) for g in section.xpath('.//section')] == [1, 1, 2, 1]
    headings = [(style, text_of(p)) for style, p in docx_paragraphs(out) if style in ("Heading1", "Heading2")]
    assert headings[-5:] == [("Heading1", "Sources cited"), ("Heading2", "Legal instruments"),
                             ("Heading2", "UN and OSCE documents"), ("Heading2", "Reports"), ("Heading2", "News")]


def test_a_style_without_author_substitute_or_indent_is_followed_as_it_is(make_project):
    """IEEE repeats the author, numbers its entries in the order of citation and sets the
    number apart (second-field-align): in the DOCX a tab to the indent."""
    root = sources_project(make_project)
    config = root / "report.yaml"
    config.write_text(config.read_text().replace("templates/notes.csl", "ieee"))
    [block] = lists(load(root).document)
    assert [m.plain_text(e.label) for e in block.entries] == ["[1]", "[2]", "[3]", "[4]", "[5]"]
    assert [e.key for e in block.entries] == ["hrw-2019", "hrw-2021", "un-2020", "iccpr", "daily-2022"]
    assert [t.split(",")[0] for t in entry_texts(block)[:2]] == ["Human Rights Watch", "Human Rights Watch"]
    assert block.second_field_align == "flush" and not block.hanging_indent
    out = build(root, ("docx",)).out_dir
    entries = [p for style, p in docx_paragraphs(out) if style == "Bibliography"]
    runs = [("\t" if r.find(f"{W}tab") is not None else text_of(r)) for r in entries[0].iter(f"{W}r")]
    assert runs[:2] == ["[1]", "\t"] and "".join(runs[2:]).startswith("Human Rights Watch, “Held Without Charge,”")
    indent = entries[0].find(f"{W}pPr/{W}ind")
    assert (indent.get(f"{W}left"), indent.get(f"{W}hanging")) == ("720", "720")  # the tab stops at the indent


# --- the outputs -------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import write_project

    root = tmp_path_factory.mktemp("bibliography") / "project"
    write_project(root, {
        "report.yaml": """\
            title: Sources Test
            language: en
            date: 2024-05-01
            sections: [01-intro.md]
            citation-style: templates/notes.csl
            bibliography: true
            """,
        "sections/01-intro.md": TEXT,
        "references/sources.yaml": SOURCES,
    })
    return build(root).out_dir


def test_docx_entries_are_bibliography_paragraphs_with_a_hanging_indent(built):
    paragraphs = docx_paragraphs(built)
    heading = next(i for i, (style, p) in enumerate(paragraphs) if text_of(p) == "List of sources")
    assert paragraphs[heading][0] == "Heading1"
    entries = [(style, p) for style, p in paragraphs[heading + 1:] if style == "Bibliography"]
    assert [text_of(p)[:30] for _, p in entries] == [
        "Human Rights Watch, “Beyond th", "———, “Held Without Charge”, Hu", "International Covenant on Civi",
        "United Nations Human Rights Co", "Writer, Jane, “Journalists Hel"]
    for _, p in entries:
        indent = p.find(f"{W}pPr/{W}ind")
        assert (indent.get(f"{W}left"), indent.get(f"{W}hanging")) == ("720", "720")
    # italics of the newspaper's name are Word's, not markup
    italic = [text_of(r) for r in entries[-1][1].iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None]
    assert italic == ["The Daily Example"]
    with zipfile.ZipFile(built / "report.docx") as docx:
        styles = etree.fromstring(docx.read("word/styles.xml"))
    [style] = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Bibliography"]
    assert style.find(f"{W}name").get(f"{W}val") == "Bibliography"
    assert style.find(f"{W}pPr/{W}ind").get(f"{W}hanging") == "720"


def test_html_entries_take_pandocs_markup_and_the_indent_rule(built):
    page = lxml_html.fromstring((built / "report.html").read_bytes())
    [body] = page.xpath('//section[contains(@class, "bibliography")]/div[contains(@class, "csl-bib-body")]')
    assert body.get("class") == "csl-bib-body hanging-indent"
    entries = [" ".join(e.text_content().split()) for e in body.xpath('div[@class="csl-entry"]')]
    assert len(entries) == 5 and entries[1].startswith("———, “Held Without Charge”")
    assert body.xpath('div[@class="csl-entry"]//em')[0].text == "The Daily Example"
    # the text in a span of its own: a right-to-left report's indent is its margin
    assert len(body.xpath('div[@class="csl-entry"]/span[@class="csl-entry-text"]')) == 5
    css = " ".join(style.text or "" for style in page.iter("style"))
    rule = re.search(r"\.hanging-indent div\.csl-entry\s*\{([^}]*)\}", css)
    assert rule and "margin-left: 2em" in rule.group(1) and "text-indent: -2em" in rule.group(1)


def test_pdf_lists_the_entries_with_their_second_lines_indented(built):
    lines = after(pdf_lines(built / "report.pdf"), "List of sources")
    texts = [line["text"] for line in lines]
    assert any(text.startswith("———, “Held Without Charge”") for text in texts)
    starts = [i for i, text in enumerate(texts) if text.startswith(("Human Rights Watch", "———", "International",
                                                                      "United Nations", "Writer"))]
    assert len(starts) == 5 and starts == sorted(starts)
    assert_hanging(lines, "United Nations Human Rights Committee")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_lays_the_docx_entries_out_with_their_hanging_indent(built, tmp_path):
    env = {**os.environ, "HOME": str(tmp_path / "home")}  # a private LibreOffice profile
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(built / "report.docx")],
                   check=True, capture_output=True, env=env, timeout=180)
    lines = after(pdf_lines(tmp_path / "report.pdf"), "List of sources")
    assert lines[1]["text"].startswith("———, “Held Without Charge”")
    assert_hanging(lines, "United Nations Human Rights Committee")


# --- a translated build ------------------------------------------------------------


def translate_french(root, table: dict[str, str]) -> None:
    """locales/fr.po as ``report i18n update`` writes it, every entry translated (the
    text as it is unless ``table`` says otherwise), as a translator leaves it."""
    from babel.messages.pofile import read_po, write_po

    result = CliRunner().invoke(main, ["i18n", "update", "fr", "--project", str(root)])
    assert result.exit_code == 0, result.output
    path = root / "locales" / "fr.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = table.get(message.id, message.id)
            message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0)


def test_a_translated_build_has_the_catalogs_titles_and_the_styles_french(make_project):
    root = sources_project(make_project, "{group-by-type: true}")
    translate_french(root, {"Introduction": "Introduction"})
    out = build(root, locale=Locale(language="fr")).out_dir
    page = lxml_html.fromstring((out / "report.html").read_bytes())
    section = page.xpath('//section[contains(@class, "bibliography")]')[0]
    assert [h.text_content() for h in section.xpath(".//h1 | .//h2")] == [
        "Liste des sources", "Instruments juridiques", "Documents de l’ONU et de l’OSCE", "Rapports", "Presse"]
    assert "(15 juin 2021)" in section.text_content()  # the style in French
    headings = [text_of(p) for style, p in docx_paragraphs(out) if style in ("Heading1", "Heading2")]
    assert headings[-5:-3] == ["Liste des sources", "Instruments juridiques"]
    lines = [line["text"] for line in after(pdf_lines(out / "report.pdf"), "Liste des sources")]
    assert lines[0] == "Instruments juridiques"


def test_a_title_of_report_yaml_is_translated_in_the_po_file(make_project):
    root = sources_project(make_project, "{title: Sources cited}")
    translate_french(root, {"Sources cited": "Sources citées"})
    po = (root / "locales" / "fr.po").read_text(encoding="utf-8")
    assert 'msgctxt "report:bibliography-title"\nmsgid "Sources cited"' in po
    out = build(root, ("html",), locale=Locale(language="fr")).out_dir
    page = lxml_html.fromstring((out / "report.html").read_bytes())
    assert page.xpath('//section[contains(@class, "bibliography")]/h1')[0].text_content() == "Sources citées"


# --- errors ------------------------------------------------------------------------

NO_BIBLIOGRAPHY = """\
<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
  <info><title>Titles only</title><id>titles-only</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix="." delimiter="; ">
      <text variable="title" font-style="italic"/>
    </layout>
  </citation>
</style>
"""


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_style_without_a_bibliography_is_an_error_at_the_setting(make_project, command):
    root = sources_project(make_project, extra={"templates/titles.csl": NO_BIBLIOGRAPHY})
    config = root / "report.yaml"
    config.write_text(config.read_text().replace("templates/notes.csl", "templates/titles.csl"))
    result = CliRunner().invoke(main, [command, "--project", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("report.yaml:6:1: error[STY005]: the citation style templates/titles.csl has no <bibliography>, which "
            "'bibliography' asks for (choose a style that has one, such as chicago-notes-bibliography-17th-edition, "
            "or remove 'bibliography')") in result.output.splitlines()


@pytest.mark.parametrize("value, line", [
    ("yes please", "report.yaml:6:1: error[CFG005]: 'bibliography' must be true, false or a mapping (title, group-by-type)"),
    ("{group-by: type}", "report.yaml:6:16: error[CFG004]: unknown key 'group-by' in bibliography (did you mean 'group-by-type'?)"),
    ("{group-by-type: maybe}", "report.yaml:6:16: error[CFG005]: 'bibliography.group-by-type' must be true or false"),
    ("{title: ''}", "report.yaml:6:16: error[CFG005]: 'bibliography.title' must not be empty"),
])
def test_a_bad_bibliography_value_is_one_located_line(make_project, value, line):
    result = CliRunner().invoke(main, ["check", "--project", str(sources_project(make_project, value))])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [out for out in result.output.splitlines() if "error[" in out] == [line]


# --- a right-to-left report ----------------------------------------------------------

ARABIC = {
    "report.yaml": """\
        title: تقرير المصادر
        language: ar
        date: 2024-05-01
        sections: [01-intro.md]
        citation-style: templates/notes.csl
        bibliography: true
        """,
    "sections/01-intro.md": """\
        ---
        title: مقدمة
        ---

        وثّق المرصد احتجاز الصحفيين عند نقاط التفتيش[@observatory-2022, p. 4].
        """,
    "references/sources.yaml": """\
        - id: observatory-2022
          type: report
          author:
            - literal: المرصد العربي لحقوق الإنسان
          title: الاحتجاز التعسفي للصحفيين عند نقاط التفتيش الحدودية خلال السنوات الخمس الماضية وأثره على حرية الصحافة
          publisher: المرصد العربي لحقوق الإنسان
          issued: 2022-02-03
          language: ar
        """,
}


def assert_hanging_on_the_right(path) -> None:
    """After the heading "قائمة المصادر" (not its line in the contents), the entry's first
    line starts at the right edge, where the heading does, and its second line 2em (or
    1.27 cm) further in."""
    lines = [line for line in pdf_lines(path) if len(line["text"].strip()) > 2]  # not a raised quote alone
    at = [i for i, line in enumerate(lines) if line["text"].strip() in ("قائمة المصادر", "رداصملا ةمئاق")][-1]
    heading, first, second = lines[at:at + 3]
    assert abs(first["x1"] - heading["x1"]) < 2, (heading, first)
    assert first["x1"] - second["x1"] > 15, (first, second)


def test_a_right_to_left_list_hangs_from_the_right(make_project, tmp_path):
    out = build(make_project(ARABIC), ("docx", "pdf", "html")).out_dir
    page = lxml_html.fromstring((out / "report.html").read_bytes())
    assert page.get("dir") == "rtl"
    assert page.xpath('//div[@class="csl-entry"]/span[@class="csl-entry-text"]')
    assert_hanging_on_the_right(out / "report.pdf")
    if SOFFICE is not None:  # Word and LibreOffice put a bidi paragraph's w:left on its right
        env = {**os.environ, "HOME": str(tmp_path / "home")}
        subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                        str(out / "report.docx")], check=True, capture_output=True, env=env, timeout=180)
        assert_hanging_on_the_right(tmp_path / "report.pdf")
