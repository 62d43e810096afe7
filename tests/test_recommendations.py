"""Recommendations: lists marked ``.recommendations`` (an attribute line, a fenced div, a
section's front matter), numbered across the report, referred to as ``@rec-…``, listed
in ``recommendations.csv``.

Checked on real builds: the DOCX's numbering and REF fields (and what LibreOffice shows
after a recommendation is added in the file), the PDF's text (numbers from the layout's
counters), the HTML, a French build and the CSV.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import html as lxml_html

from report import model as m
from report.build import Locale, build, check, load
from report.errors import ReportError
from tests.render.docx_support import ref_fields, styled_paragraphs
from tests.test_numbered_paragraphs import docx_parts, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")

FINDINGS = """\
---
title: Findings
---

Detention limits were exceeded in every region.

The Committee recommends that the Ministry of Justice:

{.recommendations addressee="the Ministry of Justice"}
1. Establish independent inspection of places of detention. {#rec-independent-inspection}
2. Publish monthly figures of people held. {#rec-figures}

See @rec-independent-inspection, @Rec-figures, [@rec-figures; @rec-law; @rec-protocol] and
[@rec-independent-inspection; @rec-hearings].
"""

RECOMMENDATIONS = """\
---
title: Recommendations to the Government
recommendations: true
addressee: the Government
---

The Government should:

- Amend the Criminal Procedure Code.^[As the Ombudsman proposed in 2023.] {#rec-law}
- Ratify the Optional Protocol. {#rec-protocol}

::: {.recommendations addressee="Parliament"}
- Hold public hearings on detention. {#rec-hearings}
:::
"""

CSV = """\
number,id,text,addressee,paragraph
1,rec-independent-inspection,Establish independent inspection of places of detention.,the Ministry of Justice,2
2,rec-figures,Publish monthly figures of people held.,the Ministry of Justice,2
3,rec-law,Amend the Criminal Procedure Code.,the Government,4
4,rec-protocol,Ratify the Optional Protocol.,the Government,4
5,rec-hearings,Hold public hearings on detention.,Parliament,4
"""

INSERTED = "1. Close the temporary holding facility. {#rec-close}\n"


def project(make_project, numbered: bool = True, extra: dict | None = None):
    root = make_project({
        "report.yaml": f"""\
            title: Follow-up
            language: en
            sections: [01-findings.md, 02-recommendations.md]
            citation-style: templates/notes.csl
            {"paragraphs: numbered" if numbered else ""}
            """,
        "sections/01-intro.md": None,
        "sections/01-findings.md": FINDINGS,
        "sections/02-recommendations.md": RECOMMENDATIONS,
        **(extra or {}),
    })
    (root / "references" / "sources.yaml").write_text("[]\n", encoding="utf-8")  # nothing is cited
    return root


def refs(document: m.Document) -> list[str]:
    return [node.text() for node in m.walk_inlines(document) if isinstance(node, m.Ref)]


def lists(document: m.Document) -> list[m.ListBlock]:
    return [b for s in document.sections for b in m.walk_blocks(s.blocks) if isinstance(b, m.ListBlock)]


# --- the model and the CSV ---------------------------------------------------------


def test_items_are_numbered_across_lists_and_sections_with_their_addressees(make_project):
    document = load(project(make_project)).document
    assert [(b.first_recommendation, len(b.items), b.addressee, b.subparagraph) for b in lists(document)] == [
        (1, 2, "the Ministry of Justice", 0), (3, 2, "the Government", 0), (5, 1, "Parliament", 0)]
    assert refs(document) == ["recommendation 1", "Recommendation 2", "recommendations 2–4",
                              "recommendations 1 and 5"]


def test_the_csv_lists_number_text_addressee_and_paragraph(make_project):
    root = project(make_project)
    out = build(root, ("html",)).out_dir
    assert (out / "recommendations.csv").read_text(encoding="utf-8") == CSV
    # without numbered paragraphs the paragraph column is empty
    out = build(project(make_project, numbered=False), ("html",)).out_dir
    rows = list(csv.reader(io.StringIO((out / "recommendations.csv").read_text(encoding="utf-8"))))
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"] and {row[4] for row in rows[1:]} == {""}


def test_a_report_without_recommendations_writes_no_csv(make_project):
    out = build(make_project(), ("html",)).out_dir
    assert not (out / "recommendations.csv").exists()


# --- the outputs, before and after a recommendation is inserted --------------------------


def docx_facts(path):
    """(the Recommendation style's numbering level, the recommendations' texts in order,
    each REF field as (index of the recommendation its bookmark is in, switches, result))."""
    parts = docx_parts(path)
    style = parts["word/styles.xml"].find(f"{W}style[@{W}styleId='Recommendation']")
    num_id = style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    numbering = parts["word/numbering.xml"]
    abstract_id = numbering.find(f"{W}num[@{W}numId='{num_id}']/{W}abstractNumId").get(f"{W}val")
    level = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract_id}']/{W}lvl")
    level = (level.find(f"{W}numFmt").get(f"{W}val"), level.find(f"{W}lvlText").get(f"{W}val"),
             level.find(f"{W}pStyle").get(f"{W}val"))
    body = parts["word/document.xml"].find(f"{W}body")
    texts, marks = styled_paragraphs(body, "Recommendation")
    fields = [(marks.get(words[1]), " ".join(words[2:]), result) for words, result in ref_fields(body)]
    return level, texts, fields


def html_facts(path):
    tree = lxml_html.fromstring(path.read_bytes())
    lists_ = [(ol.get("start"), ol.get("data-addressee"), [li.text_content().strip() for li in ol.findall("li")])
              for ol in tree.xpath('//ol[@class="recommendations"]')]
    links = [(a.get("href"), a.text_content()) for a in tree.xpath('//a[contains(@class, "xref")]')]
    return lists_, links


def flat(text: str) -> str:
    """PDF text on one line: lines joined, words the layout hyphenated made whole."""
    return re.sub(r"\s+", " ", text.replace("\u2010\n", ""))


def expect_outputs(out, shift: int):
    n = lambda k: str(k + shift)  # noqa: E731
    level, texts, fields = docx_facts(out / "report.docx")
    assert level == ("decimal", "%1.", "Recommendation")
    assert len(texts) == 5 + shift and texts[shift].startswith("Establish independent inspection")
    assert texts[-1] == "Hold public hearings on detention."
    # each reference is a REF \r field to the bookmark of its recommendation, pre-filled with its number
    assert [(str(index), switches) for index, switches, _ in fields] == [(result, "\\r \\h") for _, _, result in fields]
    assert [result for _, _, result in fields] == [n(1), n(2), n(2), n(4), n(1), n(5)]

    text = flat(pdf_text(out / "report.pdf"))
    assert f"{n(1)}. Establish independent inspection of places of detention." in text
    assert f"{n(5)}. Hold public hearings on detention." in text
    assert f"See recommendation {n(1)}, Recommendation {n(2)}, recommendations {n(2)}–{n(4)} and" in text
    assert f"recommendations {n(1)} and {n(5)}." in text
    assert f"{3}. See recommendation" in text  # the paragraph around them keeps its number

    found, links = html_facts(out / "report.html")
    assert [(start, addressee) for start, addressee, _ in found] == [
        ("1", "the Ministry of Justice"), (n(3), "the Government"), (n(5), "Parliament")]
    assert found[2][2] == ["Hold public hearings on detention."]
    assert links == [("#rec-independent-inspection", n(1)), ("#rec-figures", n(2)), ("#rec-figures", n(2)),
                     ("#rec-protocol", n(4)), ("#rec-independent-inspection", n(1)), ("#rec-hearings", n(5))]


def test_an_inserted_recommendation_renumbers_every_output_reference_and_the_csv(make_project):
    root = project(make_project)
    expect_outputs(build(root).out_dir, 0)
    section = root / "sections/01-findings.md"
    section.write_text(section.read_text().replace('the Ministry of Justice"}\n',
                                                   'the Ministry of Justice"}\n' + INSERTED))
    out = build(root).out_dir
    expect_outputs(out, 1)
    rows = list(csv.reader(io.StringIO((out / "recommendations.csv").read_text(encoding="utf-8"))))
    assert rows[1] == ["1", "rec-close", "Close the temporary holding facility.", "the Ministry of Justice", "2"]
    assert [row[:2] for row in rows[2:]] == [["2", "rec-independent-inspection"], ["3", "rec-figures"],
                                             ["4", "rec-law"], ["5", "rec-protocol"], ["6", "rec-hearings"]]


def po_file(language: str, translations: dict) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', f'"Language: {language}\\n"', ""]
    for (context, source), text in translations.items():
        out += [f"msgctxt {quote(context)}", f"msgid {quote(source)}", f"msgstr {quote(text)}", ""]
    return "\n".join(out)


FRENCH = {
    ("findings", "Publish monthly figures of people held. {#rec-figures}"):
        "Publier chaque mois le nombre de personnes détenues. {#rec-figures}",
    ("findings", "See @rec-independent-inspection, @Rec-figures, [@rec-figures; @rec-law; @rec-protocol] and\n"
                 "[@rec-independent-inspection; @rec-hearings]."):
        "Voir @rec-independent-inspection, @Rec-figures, [@rec-figures; @rec-law; @rec-protocol] et\n"
        "[@rec-independent-inspection; @rec-hearings].",
    ("findings", "the Ministry of Justice"): "le ministère de la Justice",
    ("recommendations", "Parliament"): "le Parlement",
    ("recommendations:addressee", "the Government"): "le Gouvernement",
}


def test_a_french_build_has_the_same_numbers_its_words_and_translated_addressees(make_project):
    root = project(make_project, extra={"locales/fr.po": po_file("fr", FRENCH)})
    document = load(root, locale=Locale("fr")).document
    assert refs(document) == ["recommandation 1", "Recommandation 2", "recommandations 2–4",
                              "recommandations 1 et 5"]
    out = build(root, ("pdf", "html"), locale=Locale("fr")).out_dir
    text = flat(pdf_text(out / "report.pdf"))
    assert "2. Publier chaque mois le nombre de personnes détenues." in text
    assert "Voir recommandation 1, Recommandation 2, recommandations 2–4 et" in text
    rows = list(csv.reader(io.StringIO((out / "recommendations.csv").read_text(encoding="utf-8"))))
    assert [(row[0], row[3]) for row in rows[1:]] == [("1", "le ministère de la Justice"),
                                                       ("2", "le ministère de la Justice"),
                                                       ("3", "le Gouvernement"), ("4", "le Gouvernement"),
                                                       ("5", "le Parlement")]
    assert rows[2][2] == "Publier chaque mois le nombre de personnes détenues."
    found, _ = html_facts(out / "report.html")
    assert [start for start, _, _ in found] == ["1", "3", "5"]


def test_the_addressees_are_offered_to_translators(make_project):
    from report.i18n.workflow import project_segments

    _, segments = project_segments(project(make_project))
    offered = {(s.context, s.text): (s.path, s.line) for s in segments}
    assert offered[("findings", "the Ministry of Justice")] == ("sections/01-findings.md", 9)
    assert offered[("recommendations", "Parliament")] == ("sections/02-recommendations.md", 12)
    assert offered[("recommendations:addressee", "the Government")] == ("sections/02-recommendations.md", 1)


# --- bad input ----------------------------------------------------------------------


def test_bad_input_is_located(make_project):
    findings = FINDINGS + """
A paragraph is no recommendation. {#rec-paragraph}

Compare @rec-figuers.

{.recommendations .urgent}
- Not taken.

::: {.recommendations}
Nothing is listed here.
:::
"""
    recommendations = RECOMMENDATIONS + "\n- Ratify it twice. {#rec-protocol}\n"
    root = project(make_project, extra={"sections/01-findings.md": findings,
                                        "sections/02-recommendations.md": recommendations})
    _, found = check(root)
    lines = sorted(d.format() for d in found if d.code.startswith(("XRF", "REC", "MD")))
    assert lines == [
        "sections/01-findings.md:16:1: error[XRF004]: label 'rec-paragraph' is on a paragraph that is no "
        "recommendation (a rec- label goes at the end of an item of a list marked {.recommendations}, or of a "
        "list in a div or section so marked)",
        "sections/01-findings.md:18:9: error[XRF001]: unknown cross-reference target 'rec-figuers' "
        "(did you mean 'rec-figures'?)",
        "sections/01-findings.md:20:1: error[MD021]: attributes before a list, which takes none (put the id or "
        "class on a paragraph or heading, or leave it out; a list takes {.recommendations addressee=\"…\"} only)",
        "sections/01-findings.md:23:1: warning[REC001]: a div marked .recommendations holds no list "
        "(write each recommendation as an item of a list inside the div)",
        "sections/02-recommendations.md:16:1: error[XRF002]: label 'rec-protocol' is defined twice "
        "(first defined at sections/02-recommendations.md:10:1)",
    ]


def test_a_recommendations_section_without_a_list_is_a_warning(make_project):
    root = project(make_project, extra={"sections/02-recommendations.md":
                                        "---\ntitle: R\nrecommendations: true\n---\n\nNone yet.\n"})
    (root / "sections/01-findings.md").write_text("---\ntitle: Findings\n---\n\nText.\n")
    _, found = check(root)
    assert [d.format() for d in found if d.code == "REC001"] == [
        "sections/02-recommendations.md:1:1: warning[REC001]: a section marked 'recommendations: true' holds no list "
        "(write each recommendation as an item of a list)"]


def test_bad_front_matter_is_located(make_project):
    root = project(make_project, extra={"sections/02-recommendations.md":
                                        RECOMMENDATIONS.replace("recommendations: true", "recommendations: yes please")
                                        .replace("addressee: the Government", "addressee: ''")})
    with pytest.raises(ReportError) as caught:
        load(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "sections/02-recommendations.md:3:1: error[SEC005]: 'recommendations' must be true or false",
        "sections/02-recommendations.md:4:1: error[SEC005]: 'addressee' must be non-empty text"]


# --- Word ---------------------------------------------------------------------------


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_recommendation_added_in_the_word_file_renumbers_it_and_its_references(make_project, tmp_path):
    root = project(make_project)
    out = build(root, ("docx",)).out_dir
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(out / "report.docx") as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                first = b'<w:p><w:pPr><w:pStyle w:val="Recommendation"/></w:pPr>'
                assert data.count(first) == 5
                data = data.replace(first, first + b'<w:r><w:t>Added in Word.</w:t></w:r></w:p>' + first, 1)
            target.writestr(item, data)
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(edited)],
                   check=True, capture_output=True, env=env, timeout=180)
    text = flat(pdf_text(tmp_path / "edited.pdf"))
    assert "1. Added in Word." in text and "2. Establish independent inspection" in text
    assert "6. Hold public hearings on detention." in text
    assert "See recommendation 2, Recommendation 3, recommendations 3–5 and" in text
