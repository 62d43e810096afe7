"""Numbered paragraphs (``paragraphs: numbered``, UN style) and ``@para-`` references.

Checked on real outputs: the DOCX's numbering.xml, styles and REF fields (and what
LibreOffice, a real word processor, shows after a paragraph is inserted in the file),
the PDF's text (numbers from CSS counters and target-counter) and the HTML.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile

import pdfplumber
import pytest
from lxml import etree, html as lxml_html

from report import model as m
from report.build import build, check, load
from tests.conftest import copy_shipped_project
from tests.render.docx_support import ref_fields, styled_paragraphs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")

SUMMARY = """\
---
title: Summary
numbered: false
---

The summary is not numbered; it points to @para-limits and [@para-a; @para-b; @para-c].
"""

BODY = """\
---
title: Findings
---

The first finding.

{#para-limits}
Detention limits were exceeded in three ways:

- beyond 72 hours
- without a court order
    - in police stations

Second finding {#para-a}

Third finding {#para-b}

> A quoted passage is no paragraph of the report.

Fourth finding {#para-c}

As @Para-limits shows, and [@para-a; @para-c] and [-@para-b] confirm.
"""

INSERTED = "An inserted finding.\n\n"


def numbered_project(make_project, extra: dict | None = None, body: str = BODY):
    return make_project({
        "report.yaml": """\
            title: Numbered
            language: en
            sections: [01-summary.md, 02-findings.md]
            citation-style: templates/notes.csl
            paragraphs: numbered
            """,
        "sections/01-summary.md": SUMMARY,
        "sections/02-findings.md": body,
        "sections/01-intro.md": None,
        **(extra or {}),
    })


def cite_free(root):
    """The minimal project's registry is never cited here: an empty one keeps the build clean."""
    (root / "references" / "sources.yaml").write_text("[]\n", encoding="utf-8")
    return root


def paragraphs(document: m.Document) -> list[tuple[int | None, str]]:
    return [(b.number, m.plain_text(b.children)) for s in document.sections for b in m.walk_blocks(s.blocks)
            if isinstance(b, m.Paragraph)]


def refs(document: m.Document) -> list[str]:
    return [node.text() for node in m.walk_inlines(document) if isinstance(node, m.Ref)]


# --- the model -------------------------------------------------------------------


def test_body_paragraphs_are_numbered_across_sections_and_lists_become_subparagraphs(make_project):
    root = cite_free(numbered_project(make_project))
    document = load(root).document
    numbered = [(n, text) for n, text in paragraphs(document) if n is not None]
    assert [n for n, _ in numbered] == [1, 2, 3, 4, 5, 6]
    assert numbered[1][1].startswith("Detention limits")
    # the summary (numbered: false), the list items and the quote are not numbered
    unnumbered = [text for n, text in paragraphs(document) if n is None]
    assert unnumbered[0].startswith("The summary") and "A quoted passage is no paragraph of the report." in unnumbered
    lists = [b for s in document.sections for b in m.walk_blocks(s.blocks) if isinstance(b, m.ListBlock)]
    assert [b.subparagraph for b in lists] == [1, 2]
    assert refs(document) == ["para. 2", "paras. 3–5", "Para. 2", "paras. 3 and 5", "4"]


def test_without_the_setting_nothing_is_numbered_and_a_para_reference_says_why(make_project):
    root = cite_free(numbered_project(make_project))
    config = root / "report.yaml"
    config.write_text(config.read_text().replace("paragraphs: numbered\n", ""))
    _, found = check(root)
    lines = [d.format() for d in found if d.code == "XRF004"]
    assert lines and all("has no number to refer to" in line and "paragraphs: numbered" in line for line in lines)
    assert all(n is None for n, _ in paragraphs(load(root, stop_on_error=False).document))


@pytest.mark.parametrize("language, single, plural", [("ru", "п. 2", "пп. 3–5"), ("fr", "par. 2", "par. 3–5"),
                                                      ("az", "bənd 2", "bəndlər 3–5")])
def test_the_words_come_from_the_language(make_project, language, single, plural):
    root = cite_free(numbered_project(make_project))
    config = root / "report.yaml"
    config.write_text(config.read_text().replace("language: en", f"language: {language}"))
    assert refs(load(root).document)[:2] == [single, plural]


def test_located_diagnostics(make_project):
    body = BODY + """
See @para-limts and paras. 3–5, as para. 2 says.

Twice {#para-a}

Quoting [@un-2020, para. 27] is another document's paragraph; so is article 9, paragraph 3 of the Covenant.
"""
    root = numbered_project(make_project, body=body)
    _, found = check(root)
    lines = sorted(d.format() for d in found if d.code.startswith("XRF00") and d.code != "XRF005")
    assert lines == [
        "sections/02-findings.md:24:1: warning[XRF006]: a paragraph number written by hand: 'para. 2' "
        "(write @para-limits: a reference follows its paragraph when paragraphs are inserted or moved)",
        "sections/02-findings.md:24:1: warning[XRF006]: a paragraph number written by hand: 'paras. 3–5' "
        "(write [@para-a; @para-b; @para-c]: a reference follows its paragraph when paragraphs are inserted or moved)",
        "sections/02-findings.md:24:5: error[XRF001]: unknown cross-reference target 'para-limts' "
        "(did you mean 'para-limits'?)",
        "sections/02-findings.md:26:1: error[XRF002]: label 'para-a' is defined twice "
        "(first defined at sections/02-findings.md:14:1)",
    ]
    # the locator [@un-2020, para. 27] and "article 9, paragraph 3 of the Covenant" are not flagged


def test_a_number_without_an_id_says_to_give_one(make_project):
    root = cite_free(numbered_project(make_project, body=BODY + "\nAs paragraph 1 says.\n"))
    _, found = check(root)
    assert [d.format() for d in found if d.code == "XRF006"] == [
        "sections/02-findings.md:24:1: warning[XRF006]: a paragraph number written by hand: 'paragraph 1' "
        "(give paragraph 1 an id {#para-…} and write @para-…)"]


def test_bad_settings_are_located(make_project):
    root = cite_free(numbered_project(make_project, {"sections/01-summary.md": SUMMARY.replace("false", "maybe")}))
    config = root / "report.yaml"
    from report.errors import ReportError
    with pytest.raises(ReportError) as caught:
        load(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "sections/01-summary.md:3:1: error[SEC005]: 'numbered' must be true or false"]
    (root / "sections/01-summary.md").write_text(SUMMARY)
    config.write_text(config.read_text().replace("paragraphs: numbered", "paragraphs: numberd"))
    with pytest.raises(ReportError) as caught:
        load(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "report.yaml:5:1: error[CFG005]: 'paragraphs' must be 'numbered' or 'plain' (did you mean 'numbered'?)"]
    config.write_text(config.read_text().replace("paragraphs: numberd", "paragraphs: yes"))  # YAML's true
    with pytest.raises(ReportError) as caught:
        load(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "report.yaml:5:1: error[CFG005]: 'paragraphs' must be 'numbered' or 'plain'"]


def test_para_is_a_reserved_prefix(make_project):
    root = numbered_project(make_project, {"references/sources.yaml": "- id: para-x\n  type: book\n  title: T\n"})
    from report.errors import ReportError
    with pytest.raises(ReportError) as caught:
        check(root)
    assert [d.format() for d in caught.value.diagnostics] == [
        "references/sources.yaml:1:3: error[REG016]: key 'para-x' starts with 'para-', which names a paragraph "
        "(fig-, tbl-, sec-, box-, para- and rec- are kept for cross-references: rename the entry)"]


# --- the outputs, before and after a paragraph is inserted -----------------------


def docx_parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in
                ("word/document.xml", "word/numbering.xml", "word/styles.xml")}


def docx_facts(path):
    """(the numbering level texts of the Numbered Paragraph style's list, the numbered
    paragraphs' texts in order, each REF field as (instruction, pre-filled result),
    the text of each bookmarked paragraph by bookmark name)."""
    parts = docx_parts(path)
    styles = parts["word/styles.xml"]
    style = styles.find(f"{W}style[@{W}styleId='NumberedParagraph']")
    num_id = style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    numbering = parts["word/numbering.xml"]
    abstract_id = numbering.find(f"{W}num[@{W}numId='{num_id}']/{W}abstractNumId").get(f"{W}val")
    abstract = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract_id}']")
    levels = [(lvl.find(f"{W}numFmt").get(f"{W}val"), lvl.find(f"{W}lvlText").get(f"{W}val"),
               lvl.find(f"{W}pStyle").get(f"{W}val")) for lvl in abstract.findall(f"{W}lvl")]
    body = parts["word/document.xml"].find(f"{W}body")
    numbered, marks = styled_paragraphs(body, "NumberedParagraph")
    fields = [(" ".join(words), result) for words, result in ref_fields(body)]
    return levels, numbered, fields, marks


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def html_facts(path):
    tree = lxml_html.fromstring(path.read_bytes())
    numbered = [(p.find("span").text_content(), p.get("id")) for p in tree.xpath('//p[contains(@class, "numbered-para")]')]
    links = [(a.get("href"), a.text_content()) for a in tree.xpath('//a[contains(@class, "xref")]')]
    return numbered, links


def expect_outputs(out, shift: int):
    """Every number and every reference in the three outputs, ``shift`` paragraphs on."""
    n = lambda k: str(k + shift)  # noqa: E731
    levels, numbered, fields, marks = docx_facts(out / "report.docx")
    assert levels == [("decimal", "%1.", "NumberedParagraph"), ("lowerLetter", "(%2)", "Subparagraph"),
                      ("lowerRoman", "(%3)", "Subparagraph2"), ("lowerLetter", "%4.", "Subparagraph3"),
                      ("lowerRoman", "%5.", "Subparagraph4")]
    assert len(numbered) == 6 + shift and numbered[1 + shift].startswith("Detention limits")
    # each REF field points at the bookmark of its paragraph, pre-filled with its number
    by_mark = [(re.match(r"REF (\S+) \\r \\h", instr)[1], result) for instr, result in fields]
    assert [(str(marks[mark]), result) for mark, result in by_mark] == [(result, result) for _, result in by_mark]
    assert [result for _, result in by_mark] == [n(2), n(3), n(5), n(2), n(3), n(5), n(4)]

    text = pdf_text(out / "report.pdf")
    assert f"{n(2)}. Detention limits were exceeded" in text
    assert "(a) beyond 72 hours" in text and "(i) in police stations" in text
    assert f"points to para. {n(2)} and paras. {n(3)}–{n(5)}." in text
    assert f"As Para. {n(2)} shows, and paras. {n(3)} and {n(5)} and {n(4)} confirm." in text
    assert f"{n(6)}. As Para." in text

    numbers, links = html_facts(out / "report.html")
    assert [number for number, _ in numbers] == [f"{k}." for k in range(1, 7 + shift)]
    assert ("#para-limits", n(2)) in links and ("#para-c", n(5)) in links


def test_an_inserted_paragraph_renumbers_every_output_and_every_reference(make_project):
    root = cite_free(numbered_project(make_project))
    expect_outputs(build(root).out_dir, 0)
    section = root / "sections/02-findings.md"
    section.write_text(section.read_text().replace("The first finding.\n\n", "The first finding.\n\n" + INSERTED))
    expect_outputs(build(root).out_dir, 1)


def test_a_translation_has_the_same_numbers(make_project):
    from tests.i18n.test_figure_segments import po_file

    translations = {("findings", "Detention limits were exceeded in three ways:"): "Сроки содержания превышались трижды:",
                    ("findings", "As @Para-limits shows, and [@para-a; @para-c] and [-@para-b] confirm."):
                        "Как показывает @Para-limits, и подтверждают [@para-a; @para-c] и [-@para-b]."}
    root = cite_free(numbered_project(make_project, {"locales/ru.po": po_file(translations)}))
    section = root / "sections/02-findings.md"
    section.write_text(section.read_text().replace("The first finding.\n\n", "The first finding.\n\n" + INSERTED))
    out = build(root, ("html", "pdf"), locale=__import__("report.build", fromlist=["Locale"]).Locale("ru")).out_dir
    text = pdf_text(out / "report.pdf")
    assert "3. Сроки содержания превышались трижды:" in text
    assert "Как показывает П. 3, и подтверждают пп. 4 и 6 и 5." in text
    numbers, _ = html_facts(out / "report.html")
    assert [number for number, _ in numbers] == [f"{k}." for k in range(1, 8)]


def test_a_translation_that_splits_a_paragraph_is_an_error_at_its_po_line(make_project):
    from tests.i18n.test_figure_segments import po_file

    translations = {("findings", "The first finding."): "Первый вывод.\n\nЕщё один абзац."}
    root = cite_free(numbered_project(make_project, {"locales/ru.po": po_file(translations)}))
    _, found = check(root)
    assert [d.format() for d in found if d.code == "TRN009"] == [
        "locales/ru.po:8:1: error[TRN009]: a blank line splits the paragraph: a translation keeps the source's "
        "paragraphs one for one, so that every language has the same paragraph numbers (findings)"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_paragraph_inserted_in_the_word_file_renumbers_it_and_its_references(make_project, tmp_path):
    """What Word does on "Update field", LibreOffice does on opening: a paragraph of the
    Numbered Paragraph style added to document.xml moves every number and every REF \\r
    field one on."""
    root = cite_free(numbered_project(make_project))
    out = build(root, ("docx",)).out_dir
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(out / "report.docx") as source, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                first = b'<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr>'
                added = first + b'<w:r><w:t>Added in Word.</w:t></w:r></w:p>'
                assert data.count(first) == 6
                data = data.replace(first, added + first, 1)
            target.writestr(item, data)
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(edited)],
                   check=True, capture_output=True, env=env, timeout=180)
    text = pdf_text(tmp_path / "edited.pdf")
    assert "1. Added in Word." in text and "3. Detention limits were exceeded" in text
    assert "points to para. 3 and paras. 4–6." in text
    assert "As Para. 3 shows, and paras. 4 and 6 and 5 confirm." in text


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_subparagraph_reference_reads_the_same_in_libreoffice(make_project, tmp_path):
    """LibreOffice computes REF fields on opening, as Word on "Update field": a reference
    to a list item reads "para. 2 (b)", its paragraph's number once."""
    summary = {"sections/01-summary.md": "---\ntitle: Summary\nnumbered: false\n---\n\nThe summary.\n"}
    root = cite_free(numbered_project(make_project, summary, body=SUBPARAGRAPHS))
    out = build(root, ("docx",)).out_dir
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "report.docx")],
                   check=True, capture_output=True, env=env, timeout=180)
    assert "As para. 2 (b) and Para. 2 (b) (i) show." in re.sub(r"\s+", " ", pdf_text(tmp_path / "report.pdf"))


# --- the shipped report -----------------------------------------------------------


def test_the_shipped_report_builds_unchanged_by_default_and_numbered_when_asked(tmp_path):
    root = copy_shipped_project(tmp_path / "shipped")
    out = build(root).out_dir
    assert b'class="numbered-para' not in (out / "report.html").read_bytes()
    with zipfile.ZipFile(out / "report.docx") as archive:
        assert b"NumberedParagraph" not in archive.read("word/document.xml")
        assert b"NumberedParagraph" not in archive.read("word/numbering.xml")

    config = root / "report.yaml"
    config.write_text(config.read_text() + "paragraphs: numbered\n")
    document = load(root).document
    texts = [m.plain_text(b.children) for s in document.sections for b in s.blocks
             if isinstance(b, m.Paragraph) and b.number is not None]
    assert len(texts) == 16
    out = build(root).out_dir
    levels, numbered, _, _ = docx_facts(out / "report.docx")
    assert levels[0] == ("decimal", "%1.", "NumberedParagraph")
    assert [t[:40] for t in numbered] == [t[:40] for t in texts]
    pdf = re.sub(r"\s+", " ", pdf_text(out / "report.pdf"))
    for number, paragraph_text in enumerate(texts, start=1):
        words = " ".join(paragraph_text.split()[:3])
        assert f"{number}. {words}" in pdf, (number, words)
    numbers, _ = html_facts(out / "report.html")
    assert [number for number, _ in numbers] == [f"{k}." for k in range(1, 17)]


SUBPARAGRAPHS = """\
---
title: Findings
---

The first finding.

Detention limits were exceeded in three ways:

- beyond 72 hours
- without a court order {#para-no-order}
    - in police stations {#para-police}
- with no lawyer present

As @para-no-order and @Para-police show.
"""


def test_a_subparagraph_is_referred_to_as_its_paragraph_and_item(make_project):
    """"para. 2 (b)" (UN Editorial Manual: (a), then (i)), "par. 2 b)" in French: in the
    model, the DOCX (a REF field for the paragraph and one for the item, each pre-filled
    and pointing at a bookmark in that paragraph), the PDF (numbers from the layout's
    counters) and the HTML (links to the item)."""
    summary = {"sections/01-summary.md": "---\ntitle: Summary\nnumbered: false\n---\n\nThe summary.\n"}
    root = cite_free(numbered_project(make_project, summary, body=SUBPARAGRAPHS))
    assert refs(load(root).document) == ["para. 2 (b)", "Para. 2 (b) (i)"]
    out = build(root).out_dir
    body = docx_parts(out / "report.docx")["word/document.xml"].find(f"{W}body")
    marks, fields = {}, []
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        for start in p.iter(f"{W}bookmarkStart"):
            marks[start.get(f"{W}name")] = text
    runs = list(body.iter(f"{W}r"))
    for i, run in enumerate(runs):
        instr = run.find(f"{W}instrText")
        if instr is not None and instr.text.split()[0] == "REF":
            fields.append((marks[instr.text.split()[1]], instr.text.split()[2:], runs[i + 2].find(f"{W}t").text))
    # the paragraph's number in relative context ("\\r": "2"), each item's with none
    # ("\\n": "(b)"; "\\r" would give "2(b)" from outside the paragraph)
    assert fields == [
        ("Detention limits were exceeded in three ways:", ["\\r", "\\h"], "2"),
        ("without a court order", ["\\n", "\\h"], "(b)"),
        ("Detention limits were exceeded in three ways:", ["\\r", "\\h"], "2"),
        ("without a court order", ["\\n", "\\h"], "(b)"),
        ("in police stations", ["\\n", "\\h"], "(i)"),
    ]
    assert "As para. 2 (b) and Para. 2 (b) (i) show." in pdf_text(out / "report.pdf")
    _, links = html_facts(out / "report.html")
    assert links == [("#para-no-order", "2 (b)"), ("#para-police", "2 (b) (i)")]
    tree = lxml_html.fromstring((out / "report.html").read_bytes())
    assert tree.get_element_by_id("para-no-order").text_content().startswith("without a court order")

    config = root / "report.yaml"
    config.write_text(config.read_text().replace("language: en", "language: fr"))
    assert refs(load(root).document) == ["par. 2 b)", "Par. 2 b) i)"]
    out = build(root, ("pdf",)).out_dir
    assert "As par. 2 b) and Par. 2 b) i) show." in pdf_text(out / "report.pdf")


def test_report_diff_reports_a_renumbered_reference_once_and_no_renumbering(make_project, tmp_path):
    """An inserted paragraph is the one change of the text: the paragraphs after it, now
    numbered one more, are not changes; each paragraph that references show with
    another number is reported once (with how many references show it), at the first
    of them. Those whose number stays are not reported."""
    from report.diff import run_diff

    root = cite_free(numbered_project(make_project))
    old = tmp_path / "old"
    shutil.copytree(build(root, ("html",)).out_dir, old)
    findings = root / "sections" / "02-findings.md"
    findings.write_text(findings.read_text().replace("Second finding", INSERTED + "Second finding"))
    new = build(root, ("html",)).out_dir
    result = run_diff(str(old), str(new), root, tmp_path / "diff")
    assert result.summary["paragraphs"] == {"added": 1, "removed": 0, "changed": 0, "moved": 0}
    renumbered = [c for c in result.changes if c.kind == "references"]
    # para-limits (2) keeps its number; para-a, -b and -c move on by one; each is
    # located at its first reference, the summary's [@para-a; @para-b; @para-c]
    assert [(c.message, str(c.location)) for c in renumbered] == [
        ("references renumbered: para-a is now 4 (was 3), 2 references", "sections/01-summary.md:6:60"),
        ("references renumbered: para-b is now 5 (was 4), 2 references", "sections/01-summary.md:6:60"),
        ("references renumbered: para-c is now 6 (was 5), 2 references", "sections/01-summary.md:6:60"),
    ]
    assert len(result.changes) == 4


FOUR_LEVELS = """\
---
title: Findings
---

The first finding.

Detention limits were exceeded:

- in police stations
    - at night
        - without a record
            - in three cases {#para-three-cases}

As @para-three-cases shows.
"""


def test_subparagraphs_run_four_levels_deep_as_the_un_editorial_manual_does(make_project):
    """(a) → (i) → a. → i.: in the model's references, Word's numbering levels (each
    linked to its own Subparagraph style), the HTML lists and the PDF's markers."""
    summary = {"sections/01-summary.md": "---\ntitle: Summary\nnumbered: false\n---\n\nThe summary.\n"}
    root = cite_free(numbered_project(make_project, summary, body=FOUR_LEVELS))
    assert refs(load(root).document) == ["para. 2 (a) (i) a. i."]
    out = build(root).out_dir
    parts = docx_parts(out / "report.docx")
    numbering = parts["word/numbering.xml"]
    levels = {}
    for abstract in numbering.iter(f"{W}abstractNum"):
        for lvl in abstract.iter(f"{W}lvl"):
            style = lvl.find(f"{W}pStyle")
            if style is not None and style.get(f"{W}val", "").startswith(("Numbered", "Subparagraph")):
                levels[style.get(f"{W}val")] = (lvl.find(f"{W}numFmt").get(f"{W}val"), lvl.find(f"{W}lvlText").get(f"{W}val"))
    assert levels == {"NumberedParagraph": ("decimal", "%1."), "Subparagraph": ("lowerLetter", "(%2)"),
                      "Subparagraph2": ("lowerRoman", "(%3)"), "Subparagraph3": ("lowerLetter", "%4."),
                      "Subparagraph4": ("lowerRoman", "%5.")}
    body = parts["word/document.xml"].find(f"{W}body")
    styled = {"".join(t.text or "" for t in p.iter(f"{W}t")): p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
              for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None}
    assert [styled[text] for text in ("in police stations", "at night", "without a record", "in three cases")] == [
        "Subparagraph", "Subparagraph2", "Subparagraph3", "Subparagraph4"]
    tree = lxml_html.fromstring((out / "report.html").read_bytes())
    assert [ol.get("class") for ol in tree.iter("ol") if "subparagraphs" in (ol.get("class") or "")] == [
        f"subparagraphs subparagraphs-{n}" for n in (1, 2, 3, 4)]
    text = pdf_text(out / "report.pdf")
    for marker, words in (("(a)", "in police stations"), ("(i)", "at night"), ("a.", "without a record"),
                          ("i.", "in three cases")):
        assert re.search(re.escape(marker) + r"\s+" + re.escape(words), text), (marker, text)
    assert "As para. 2 (a) (i) a. i. shows." in text
