"""The list of abbreviations (issue 18): references/abbreviations.yaml, printed where a
``::: {.abbreviations}`` div asks, in every format and in the build's language;
report check warns at an abbreviation used before it is spelled out (ABB002) and at
one defined and never used (ABB003)."""

from __future__ import annotations

import zipfile

import pdfplumber
from click.testing import CliRunner
from lxml import etree, html as lxml_html

from report.build import build, check
from report.cli import main
from report.diagnostics import Severity
from report.sources.abbreviations import read_abbreviations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FRONT = """\
---
title: Abbreviations
numbered: false
---

::: {.abbreviations}
:::
"""

BODY = """\
---
title: Introduction
---

The OSCE sent observers. The Organization for Security and
Co-operation in Europe (OSCE) later reported to the Committee against Torture (CAT).

The CAT agreed.^[As the UNHCR noted.]
"""

ABBREVIATIONS = """\
- abbreviation: {en: OSCE, ru: ОБСЕ}
  expansion:
    en: Organization for Security and Co-operation in Europe
    ru: Организация по безопасности и сотрудничеству в Европе
- abbreviation: CAT
  expansion: Committee against Torture
- abbreviation: UNHCR
  expansion: Office of the United Nations High Commissioner for Refugees
- abbreviation: ICRC
  expansion: International Committee of the Red Cross
"""


def project(make_project, body=BODY, front=FRONT, language="en"):
    return make_project({
        "report.yaml": f"""\
            title: Abbreviated
            language: {language}
            sections: [00-front.md, 01-intro.md]
            citation-style: templates/notes.csl
            """,
        "sections/00-front.md": front,
        "sections/01-intro.md": body,
        "sections/01-intro.md.bak": None,
        "references/sources.yaml": "[]\n",
        "references/abbreviations.yaml": ABBREVIATIONS,
    })


def test_the_list_holds_the_used_abbreviations_sorted_in_every_format(make_project):
    root = project(make_project)
    out = build(root).out_dir
    expected = [("CAT", "Committee against Torture"),
                ("OSCE", "Organization for Security and Co-operation in Europe"),
                ("UNHCR", "Office of the United Nations High Commissioner for Refugees")]  # not ICRC: never used
    tree = lxml_html.fromstring((out / "report.html").read_bytes())
    terms = [(dt.text_content().strip(), dd.text_content().strip())
             for dl in tree.iter("dl") for dt, dd in zip(dl.iter("dt"), dl.iter("dd"))]
    assert terms == expected
    with zipfile.ZipFile(out / "report.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    listed = [t for t in texts if t in {a for a, _ in expected} | {e for _, e in expected}]
    assert listed == [text for pair in expected for text in pair]
    with pdfplumber.open(out / "report.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    for abbreviation, expansion in expected:
        assert abbreviation in text and expansion in text
    assert text.index("CAT") < text.index("Committee against Torture") < text.index("OSCE")


def test_check_warns_at_a_use_before_the_expansion_and_at_an_unused_entry(make_project):
    root = project(make_project)
    _, found = check(root)
    said = sorted(d.format() for d in found if d.code.startswith("ABB"))
    assert said == [
        "references/abbreviations.yaml:9:3: warning[ABB003]: 'ICRC' is defined and never used "
        "(remove it from references/abbreviations.yaml, or use it)",
        "sections/01-intro.md:5:1: warning[ABB002]: 'OSCE' is used before it is spelled out "
        "(write 'Organization for Security and Co-operation in Europe (OSCE)' where it is first used)",
        "sections/01-intro.md:8:1: warning[ABB002]: 'UNHCR' is used before it is spelled out "
        "(write 'Office of the United Nations High Commissioner for Refugees (UNHCR)' where it is first used)",
    ]


def test_a_report_in_another_language_lists_that_language_s_forms(make_project):
    body = BODY.replace("The OSCE sent observers. The Organization for Security and\nCo-operation in Europe (OSCE)",
                        "Организация по безопасности и сотрудничеству в Европе (ОБСЕ) направила наблюдателей. ОБСЕ")
    root = project(make_project, body=body, language="ru")
    tree = lxml_html.fromstring((build(root, ("html",)).out_dir / "report.html").read_bytes())
    terms = [dt.text_content() for dt in tree.iter("dt")]
    assert terms == ["CAT", "UNHCR", "ОБСЕ"]
    _, found = check(root)
    assert not [d for d in found if d.code == "ABB002" and "ОБСЕ" in d.message]


def test_bad_entries_and_a_written_list_are_located_errors(make_project):
    root = project(make_project, front=FRONT.replace("::: {.abbreviations}\n:::", "::: {.abbreviations}\nOSCE: a text\n:::"))
    (root / "references" / "abbreviations.yaml").write_text(
        "- abbreviation: OSCE\n- abbreviation: {english: CAT}\n  expansion: Committee against Torture\n- just text\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if "error[" in line]
    assert errors == [
        "references/abbreviations.yaml:1:3: error[ABB001]: an entry needs 'expansion': a text, or a mapping from "
        "a language to a text",
        "references/abbreviations.yaml:2:18: error[ABB001]: 'english' is not a language tag (write a BCP 47 tag "
        "such as en, ru or zh-TW)",
        "references/abbreviations.yaml:4:3: error[ABB001]: each entry must be a mapping with 'abbreviation' and "
        "'expansion'",
        "sections/00-front.md:6:1: error[ABB004]: the list of abbreviations is made from "
        "references/abbreviations.yaml: leave its div empty (move the text out of the ::: {.abbreviations} div)",
    ]


def test_a_project_without_the_file_has_no_list_and_no_finding(make_project):
    root = project(make_project)
    (root / "references" / "abbreviations.yaml").unlink()
    abbreviations, problems = read_abbreviations(root)
    assert not abbreviations and problems == []
    loaded, found = check(root)
    assert [d.code for d in found if d.code.startswith("ABB")] == ["ABB005"]
    assert all(d.severity != Severity.ERROR for d in found)
