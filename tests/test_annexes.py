"""Annexes: a section whose front matter says ``annex: true`` is "Annex I", "Annex II"
in its heading, the contents and cross-references (``@sec-…`` → "annex II"); its figures
and tables numbered within it ("Figure I.1") when report.yaml says
``annex: {number-within: true}``; its paragraphs unnumbered unless it asks.

Checked on real builds: the DOCX's headings, bookmarks, SEQ and REF fields and contents
(and what LibreOffice shows), the PDF's text (numerals from the layout's counters), the
HTML and a French build.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
from lxml import html as lxml_html
from PIL import Image

from report import model as m
from report.build import Locale, build, check, load
from report.errors import ReportError
from tests.test_numbered_paragraphs import docx_parts, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")

FINDINGS = """\
---
title: Findings
id: sec-findings
---

The counts are in @sec-annex-data, the cases in @Sec-annex-cases; both are summarised in
[@sec-annex-data; @sec-annex-cases]. @Fig-map shows the places (see also @tbl-counts and @fig-trend).

![Detentions by year](trend.png){#fig-trend fig-alt="A line rising from 2019 to 2024"}

## Method {#sec-method}

As @sec-method and @sec-findings describe.
"""

DATA = """\
---
title: The data
id: sec-annex-data
annex: true
---

The data were collected in 2024.

## Sources of the counts

| Year | Held |
|------|-----:|
| 2023 |   11 |
| 2024 |   14 |

: Detentions by year {#tbl-counts}

![Places of detention](map.png){#fig-map fig-alt="A map with six marked places"}
"""

CASES = """\
---
title: The cases
id: sec-annex-cases
annex: true
numbered: true
---

A paragraph of the annex, numbered because its front matter asks.
"""


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (120, 120, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def project(make_project, within: bool = True, extra: dict | None = None):
    root = make_project({
        "report.yaml": f"""\
            title: Annexed
            language: en
            sections: [01-findings.md, 02-annex-data.md, 03-annex-cases.md]
            citation-style: templates/notes.csl
            number-sections: true
            paragraphs: numbered
            annex: {{number-within: {'true' if within else 'false'}}}
            """,
        "sections/01-intro.md": None,
        "sections/01-findings.md": FINDINGS,
        "sections/02-annex-data.md": DATA,
        "sections/03-annex-cases.md": CASES,
        "sections/trend.png": png(),
        "sections/map.png": png(),
        **(extra or {}),
    })
    (root / "references" / "sources.yaml").write_text("[]\n", encoding="utf-8")  # nothing is cited
    return root


def refs(document: m.Document) -> list[str]:
    return [node.text() for node in m.walk_inlines(document) if isinstance(node, m.Ref)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", ""))


# --- the model --------------------------------------------------------------------


def test_annexes_are_numbered_apart_and_referred_to_as_annexes(make_project):
    document = load(project(make_project)).document
    assert [(s.number, s.annex) for s in document.sections] == [("1", False), ("I", True), ("II", True)]
    headings = [(b.number, m.plain_text(b.children)) for s in document.sections for b in m.walk_blocks(s.blocks)
                if isinstance(b, m.Heading)]
    assert headings == [("1.1", "Method"), (None, "Sources of the counts")]  # an annex's headings: no number
    assert refs(document) == ["annex I", "Annex II", "annexes I and II", "Figure I.1", "Table I.1", "Figure 1",
                              "section 1.1", "section 1"]
    # the annex's paragraphs are unnumbered unless its front matter asks (numbered: true)
    paragraphs = [(s.number, b.number) for s in document.sections for b in s.blocks if isinstance(b, m.Paragraph)]
    assert paragraphs == [("1", 1), ("1", 2), ("I", None), ("II", 3)]


def test_without_number_within_figures_and_tables_run_on(make_project):
    document = load(project(make_project, within=False)).document
    assert refs(document)[3:6] == ["Figure 2", "Table 1", "Figure 1"]


# --- the outputs --------------------------------------------------------------------


def docx_facts(path):
    """(each Heading 1 as (text before its break, text after, the bookmark around its
    numeral), the contents' entries, each SEQ field as (instruction, caption text), each
    REF field as (bookmark, result))."""
    body = docx_parts(path)["word/document.xml"].find(f"{W}body")
    headings, contents, seqs, refs_ = [], [], [], []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        style = style.get(f"{W}val") if style is not None else None
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if style == "Heading1" and p.find(f"{W}r/{W}br") is not None:
            before, after, seen = [], [], False
            for run in p.iter(f"{W}r"):
                seen = seen or run.find(f"{W}br") is not None
                (after if seen else before).append("".join(t.text or "" for t in run.iter(f"{W}t")))
            marks = [s.get(f"{W}name") for s in p.iter(f"{W}bookmarkStart") if s.get(f"{W}name").startswith("_Ref")]
            headings.append(("".join(before), "".join(after), marks))
        elif style == "TOC1":
            contents.append(re.sub(r"\d+$", "", text))  # without its page number
        for instr in p.iter(f"{W}instrText"):
            if instr.text.split()[0] == "SEQ":
                seqs.append((instr.text.strip(), text))
    runs = list(body.iter(f"{W}r"))
    for i, run in enumerate(runs):
        instr = run.find(f"{W}instrText")
        if instr is not None and instr.text.split()[0] == "REF":
            refs_.append((instr.text.split()[1], runs[i + 2].find(f"{W}t").text))
    return headings, contents, seqs, refs_


def test_the_outputs_show_annex_numerals_and_numbers_within(make_project):
    out = build(project(make_project)).out_dir

    headings, contents, seqs, fields = docx_facts(out / "report.docx")
    assert [(before, after) for before, after, _ in headings] == [("Annex I", "The data"), ("Annex II", "The cases")]
    assert contents == ["1 Findings", "Annex I The data", "Annex II The cases"]
    assert seqs == [("SEQ Figure \\* ARABIC", "Figure\u00a01: Detentions by year"),
                    ("SEQ Table \\* ARABIC \\r 1", "Table\u00a0I.1: Detentions by year"),
                    ("SEQ Figure \\* ARABIC \\r 1", "Figure\u00a0I.1: Places of detention")]
    annex_marks = [marks[0] for _, _, marks in headings]
    # @sec-annex-data, @Sec-annex-cases and the group: REF fields to the numeral's bookmark
    assert fields[:4] == [(annex_marks[0], "I"), (annex_marks[1], "II"), (annex_marks[0], "I"), (annex_marks[1], "II")]
    assert [result for _, result in fields[4:7]] == ["I.1", "I.1", "1"]

    text = flat(pdf_text(out / "report.pdf"))
    assert "Annex I The data ...." in text and "Annex II The cases ...." in text  # the contents
    assert "The counts are in annex I, the cases in Annex II; both are summarised in annexes I and II." in text
    assert "Figure I.1 shows the places (see also Table I.1 and Figure 1)." in text
    assert "Annex I The data The data were collected in 2024." in text  # no number before an annex's paragraph
    assert "Table I.1: Detentions by year" in text and "Figure I.1: Places of detention" in text
    assert "Annex II The cases 3. A paragraph of the annex" in text

    tree = lxml_html.fromstring((out / "report.html").read_bytes())
    assert [a.text_content() for a in tree.xpath('//nav[@class="toc"]//a')] == [
        "1 Findings", "Annex I The data", "Annex II The cases"]
    assert [h.text_content() for h in tree.xpath("//section[contains(@class, 'annex')]/h1")] == [
        "Annex I The data", "Annex II The cases"]
    assert [c.text_content().replace("\u00a0", " ") for c in tree.xpath("//figcaption | //caption")] == [
        "Figure 1: Detentions by year", "Table I.1: Detentions by year", "Figure I.1: Places of detention"]
    links = [(a.get("href"), a.text_content()) for a in tree.xpath('//a[contains(@class, "xref")]')]
    assert links[:6] == [("#sec-annex-data", "I"), ("#sec-annex-cases", "II"), ("#sec-annex-data", "I"),
                         ("#sec-annex-cases", "II"), ("#fig-map", "I.1"), ("#tbl-counts", "I.1")]


def po_file(translations: dict) -> str:
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: fr\\n"', ""]
    for (context, source), text in translations.items():
        out += [f'msgctxt "{context}"', f'msgid "{source}"', f'msgstr "{text}"', ""]
    return "\n".join(out)


def test_a_french_build_says_annexe(make_project):
    root = project(make_project, extra={"locales/fr.po": po_file({
        ("sec-annex-data:title", "The data"): "Les données", ("sec-annex-cases:title", "The cases"): "Les cas",
        ("sec-annex-data", "Places of detention"): "Lieux de détention"})})
    document = load(root, locale=Locale("fr")).document
    assert refs(document)[:3] == ["annexe I", "Annexe II", "annexes I et II"]
    out = build(root, ("pdf", "html"), locale=Locale("fr")).out_dir
    text = flat(pdf_text(out / "report.pdf"))
    assert "Annexe I Les données ...." in text and "Annexe II Les cas ...." in text  # the contents
    assert "Annexe I Les données The data were collected in 2024." in text
    # (flat() shows the narrow no-break space French puts before the colon as a space)
    assert "Tableau I.1 : Detentions by year" in text and "Figure I.1 : Lieux de détention" in text
    tree = lxml_html.fromstring((out / "report.html").read_bytes())
    assert [a.text_content() for a in tree.xpath('//nav[@class="toc"]//a')][1:] == [
        "Annexe I Les données", "Annexe II Les cas"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_annexes_and_their_numbers(make_project, tmp_path):
    out = build(project(make_project), ("docx",)).out_dir
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "report.docx")],
                   check=True, capture_output=True, env=env, timeout=180)
    text = flat(pdf_text(tmp_path / "report.pdf"))
    assert "The counts are in annex I, the cases in Annex II; both are summarised in annexes I and II." in text
    assert "Figure I.1: Places of detention" in text and "Table I.1: Detentions by year" in text
    assert "Annex II The cases" in text


# --- bad input ------------------------------------------------------------------------


def test_bad_input_is_located(make_project):
    root = project(make_project, extra={"sections/03-annex-cases.md": CASES.replace("annex: true", "annex: yes please")})
    with pytest.raises(ReportError) as caught:
        load(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "sections/03-annex-cases.md:4:1: error[SEC005]: 'annex' must be true or false"]

    root = project(make_project, extra={"sections/01-findings.md": FINDINGS + "\nSee [@sec-annex-data; @sec-method].\n"})
    _, found = check(root)
    assert [d.format() for d in found if d.code == "XRF003"] == [
        "sections/01-findings.md:15:5: error[XRF003]: a group refers to elements of different kinds "
        "(write one group for the annexes and one for the sections)"]

    config = root / "report.yaml"
    config.write_text(config.read_text().replace("number-within: true", "number-within: roman"))
    with pytest.raises(ReportError) as caught:
        load(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "report.yaml:7:9: error[CFG005]: 'annex.number-within' must be true or false"]
