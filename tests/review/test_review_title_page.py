"""`report review` of the title page, the running header and the contents: a change to
text report.yaml gives (title, subtitle, organization) goes to report.yaml's value, in
its quoting; a contents entry to its section's front matter title; a translation's
title page to its PO entry's msgstr, never to report.yaml."""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml
from lxml import etree

from report.build import Locale, build
from tests.review import word_edits as we
from tests.review.conftest import run_review
from tests.review.test_review_shipped import accepted_texts

W = we.W
DC = "http://purl.org/dc/elements/1.1/"

CONFIG = """\
    # The report's settings.
    title: A Minimal Report
    subtitle: 'The first year'
    organization: "Test Org"
    language: en
    date: 2024-05-01
    sections:
      - 01-intro.md
    citation-style: templates/notes.csl
    """


def _built(make_project, config: str = CONFIG, files: dict | None = None, locale: str | None = None) -> Path:
    root = make_project({"report.yaml": config, **(files or {})})
    build(root, ("docx",), locale=Locale(locale) if locale else Locale())
    return root


def _reviewed(root: Path, edit, language: str = "en") -> Path:
    package = we.WordPackage((root / "build" / language / "public" / "report.docx").read_bytes())
    edit(package)
    path = root / "reviewed.docx"
    path.write_bytes(package.save())
    return path


def _title_page(docx: Path) -> dict[str, str]:
    """The text of each title-page paragraph of word/document.xml, by its style."""
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{{{W}}}body")
    out = {}
    for p in body.iter(f"{{{W}}}p"):
        style = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        if style is not None and style.get(f"{{{W}}}val") in ("Title", "Subtitle", "Organization"):
            out[style.get(f"{{{W}}}val")] = "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
    return out


def _core(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    return {"title": core.findtext(f"{{{DC}}}title"), "subject": core.findtext(f"{{{DC}}}subject")}


def _title_and_subtitle(package: we.WordPackage) -> None:
    we.replace(package.document, "Minimal", "Short", "Reviewer A")
    we.replace(package.document, "first year", "second year", "Reviewer B")


def test_title_and_subtitle_changes_go_to_report_yaml(make_project):
    root = _built(make_project)
    review = _reviewed(root, _title_and_subtitle)
    result = run_review(root, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        'report.yaml:2:10: change[Reviewer A]: "Minimal" → "Short"',
        'report.yaml:3:16: change[Reviewer B]: "first year" → "second year"',
        "2 change(s): 2 placed in the sources, 0 not applied; 0 comment(s)",
    ]
    assert result.output.splitlines()[-1] == "applied 2 change(s) to report.yaml"
    text = (root / "report.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:4] == ["# The report's settings.", "title: A Short Report",
                                     "subtitle: 'The second year'", 'organization: "Test Org"']
    build(root, ("docx",))
    docx = root / "build" / "en" / "public" / "report.docx"
    assert _title_page(docx) == {"Title": "A Short Report", "Subtitle": "The second year", "Organization": "Test Org"}
    assert _core(docx) == {"title": "A Short Report", "subject": "The second year"}
    assert accepted_texts(docx.read_bytes()) == accepted_texts(review.read_bytes())  # the round trip


def test_quotes_typed_into_quoted_values_are_escaped(make_project):
    root = _built(make_project, CONFIG.replace("title: A Minimal Report", 'title: "A \\"Minimal\\" Report"'))

    def quotes(package):
        we.replace(package.document, "year", "year's", "Reviewer A")  # into a single-quoted value
        we.replace(package.document, "Minimal", 'Short "and" Minimal', "Reviewer A")  # a double-quoted one
        we.replace(package.document, "Test Org", "Test Org: Baku # HQ", "Reviewer B")  # needs quoting it lacks

    result = run_review(root, _reviewed(root, quotes), "--apply")
    assert result.exit_code == 0, result.output
    assert "3 placed in the sources, 0 not applied" in result.output
    lines = (root / "report.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[1:4] == ['title: "A \\"Short \\"and\\" Minimal\\" Report"', "subtitle: 'The first year''s'",
                          'organization: "Test Org: Baku # HQ"']
    data = yaml.safe_load((root / "report.yaml").read_text(encoding="utf-8"))
    assert (data["title"], data["subtitle"], data["organization"]) == (
        'A "Short "and" Minimal" Report', "The first year's", "Test Org: Baku # HQ")
    build(root, ("docx",))
    assert _title_page(root / "build" / "en" / "public" / "report.docx")["Organization"] == "Test Org: Baku # HQ"


def test_a_plain_value_that_needs_quoting_is_rewritten_double_quoted(make_project):
    root = _built(make_project, CONFIG.replace('organization: "Test Org"', "organization: Test Org"))
    review = _reviewed(root, lambda p: we.replace(p.document, "Test", "'Test", "Reviewer B"))  # a leading quote
    result = run_review(root, review, "--apply")
    assert result.output.splitlines()[0] == "report.yaml:4:15: change[Reviewer B]: \"Test\" → \"'Test\""
    assert (root / "report.yaml").read_text(encoding="utf-8").splitlines()[3] == "organization: \"'Test Org\""


def test_block_scalars_and_anchors_are_listed_not_applied(make_project):
    config = CONFIG.replace("subtitle: 'The first year'", "subtitle: >-\n      The first\n      year").replace(
        'organization: "Test Org"', 'organization: &org "Test Org"')
    root = _built(make_project, config)
    before = (root / "report.yaml").read_bytes()

    def edits(package):
        we.replace(package.document, "first", "second", "Reviewer A")
        we.replace(package.document, "Test Org", "Test Group", "Reviewer A")

    result = run_review(root, _reviewed(root, edits), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        'report.yaml:3:11: change[Reviewer A]: "first" → "second" (not applied: report.yaml\'s subtitle is a block '
        "scalar (>), which is not edited safely here (edit it there by hand))",
        'report.yaml:6:15: change[Reviewer A]: "Test Org" → "Test Group" (not applied: report.yaml\'s organization '
        "has an anchor (&) that other values may use (edit it there by hand))",
        "2 change(s): 0 placed in the sources, 2 not applied; 0 comment(s)",
    ]
    assert (root / "report.yaml").read_bytes() == before


def test_a_date_typed_on_the_title_page_goes_to_report_yaml_as_yyyy_mm_dd(make_project):
    root = _built(make_project, CONFIG.replace("date: 2024-05-01", "date: 2024-05-01  # the release"))
    result = run_review(root, _reviewed(root, lambda p: we.replace(p.document, "May 1", "June 12", "Reviewer A")),
                        "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        'report.yaml:6:7: change[Reviewer A]: "May 1" → "June 12"',
        "1 change(s): 1 placed in the sources, 0 not applied; 0 comment(s)",
    ]
    assert "\ndate: 2024-06-12  # the release\n" in (root / "report.yaml").read_text(encoding="utf-8")
    build(root, ("docx",))
    with zipfile.ZipFile(root / "build" / "en" / "public" / "report.docx") as archive:
        body = "".join(etree.fromstring(archive.read("word/document.xml")).itertext())
    assert "June 12, 2024" in body and "May 1, 2024" not in body


def test_a_date_the_title_page_would_not_write_is_listed(make_project):
    root = _built(make_project)
    before = (root / "report.yaml").read_bytes()
    result = run_review(root, _reviewed(root, lambda p: we.replace(p.document, "May 1", "May 32", "Reviewer A")),
                        "--apply")
    assert result.output.splitlines()[0] == (
        'report.yaml:6:7: change[Reviewer A]: "May 1" → "May 32" (not applied: “May 32, 2024” is not a '
        "date as the title page writes one in this language (change report.yaml's date, YYYY-MM-DD, by hand))")
    assert (root / "report.yaml").read_bytes() == before


def test_a_report_yaml_broken_since_the_build_is_listed_not_a_traceback(make_project):
    root = _built(make_project)
    (root / "report.yaml").write_text(CONFIG.replace("date: 2024-05-01", "date: 2024-13-45"), encoding="utf-8")
    before = (root / "report.yaml").read_bytes()
    result = run_review(root, _reviewed(root, _title_and_subtitle), "--apply")
    assert result.exit_code == 0 and result.exception is None, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        'report.yaml:1:1: change[Reviewer A]: "Minimal" → "Short" (not applied: report.yaml cannot be read)',
        'report.yaml:1:1: change[Reviewer B]: "first year" → "second year" (not applied: report.yaml cannot be read)',
    ], result.output
    assert (root / "report.yaml").read_bytes() == before


def test_the_running_header_and_a_contents_entry(make_project):
    root = _built(make_project)

    def edits(package):
        header = etree.fromstring(package.parts["word/header1.xml"])
        we.replace(header, "Minimal", "Brief", "Reviewer A")
        package.parts["word/header1.xml"] = etree.tostring(header, xml_declaration=True, encoding="UTF-8",
                                                           standalone=True)
        we.replace(package.document, "Introduction", "Opening", "Reviewer C")  # the first: its contents entry

    result = run_review(root, _reviewed(root, edits), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        'report.yaml:2:10: change[Reviewer A]: "Minimal" → "Brief" in header',
        'sections/01-intro.md:2:8: change[Reviewer C]: "Introduction" → "Opening"',
        "2 change(s): 2 placed in the sources, 0 not applied; 0 comment(s)",
    ]
    assert (root / "report.yaml").read_text(encoding="utf-8").splitlines()[1] == "title: A Brief Report"
    assert (root / "sections/01-intro.md").read_text(encoding="utf-8").splitlines()[1] == "title: Opening"


PO = """\
    msgid ""
    msgstr ""
    "Language: az\\n"
    "Content-Type: text/plain; charset=utf-8\\n"

    #. The report's title.
    #: report.yaml:2
    msgctxt "report:title"
    msgid "A Minimal Report"
    msgstr "Qısa hesabat"

    #. The report's subtitle.
    #: report.yaml:3
    msgctxt "report:subtitle"
    msgid "The first year"
    msgstr ""
    """


def test_a_translations_title_page_goes_to_its_po_entry(make_project):
    root = _built(make_project, files={"locales/az.po": PO}, locale="az")
    config = (root / "report.yaml").read_bytes()

    def edits(package):
        we.replace(package.document, "Qısa", "Uzun", "Reviewer A")
        we.replace(package.document, "first year", "second year", "Reviewer A")  # shown in English
        we.replace(package.document, "1 may", "3 iyun", "Reviewer A")  # the date, as Azerbaijani writes it

    result = run_review(root, _reviewed(root, edits, "az"), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        'report.yaml:6:7: change[Reviewer A]: "1 may" → "3 iyun"',  # the date is every language's: report.yaml's
        'locales/az.po:10:9: change[Reviewer A]: "Qısa" → "Uzun"',
        'locales/az.po:16:1: change[Reviewer A]: "first year" → "second year" (not applied: the build showed '
        "report.yaml's subtitle: its entry at locales/az.po:16 is untranslated; report.yaml is not changed "
        "(translate it there))",
        "3 change(s): 2 placed in the sources, 1 not applied; 0 comment(s)",
    ]
    assert 'msgstr "Uzun hesabat"' in (root / "locales/az.po").read_text(encoding="utf-8")
    assert (root / "report.yaml").read_bytes() == config.replace(b"date: 2024-05-01", b"date: 2024-06-03")
