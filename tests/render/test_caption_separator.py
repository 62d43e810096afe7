"""The colon between a caption's label and its text follows the language's typography:
French "Tableau 1 : …" (a narrow no-break space before it, as in the body), Chinese
"表 1：…" (the full-width colon, no space after), English "Table 1: …"; in the HTML,
the PDF and the DOCX alike."""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from lxml import etree, html

from report.build import build

SECTION = """\
---
title: {title}
---

{words}

| A | B |
|---|---|
| 1 | 2 |

: {caption} {{#tbl-counts}}
"""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CASES = {
    "en": ("Table\u00a01: Counts by month", "Counts by month", "Introduction", "See @tbl-counts."),
    "fr": ("Tableau\u00a01\u202f: Décomptes par mois", "Décomptes par mois", "Introduction", "Voir @tbl-counts."),
    "zh": ("表\u00a01：按月统计", "按月统计", "引言", "见@tbl-counts。"),
}


@pytest.mark.parametrize("language", CASES)
def test_the_caption_colon_is_the_languages(make_project, language):
    label, caption, title, words = CASES[language]
    config = (f"title: A Report\nlanguage: {language}\ndate: 2024-05-01\nsections:\n  - 01-intro.md\n"
              "citation-style: templates/notes.csl\n")
    root = make_project({"report.yaml": config,
                         "sections/01-intro.md": SECTION.format(title=title, words=words, caption=caption)})
    out = build(root, ("html", "docx", "pdf")).out_dir
    page = html.fromstring((out / "report.html").read_bytes())
    assert " ".join(page.xpath("//caption")[0].text_content().split(" ")) == label
    with zipfile.ZipFile(out / "report.docx") as docx:
        body = "".join(t.text or "" for t in etree.fromstring(docx.read("word/document.xml")).iter(W + "t"))
    assert label in body
    pdf = subprocess.run(["pdftotext", "-layout", str(out / "report.pdf"), "-"], capture_output=True, check=True,
                         text=True).stdout
    # (pdftotext shows the no-break spaces as spaces)
    assert label.replace("\u00a0", " ").replace("\u202f", " ") in pdf.replace("\u00a0", " ").replace("\u202f", " ")
