"""`report stats`: its text and JSON, a translation's counts, and pages read from the last build."""

from __future__ import annotations

import json

from click.testing import CliRunner
from pypdf import PdfReader

from report.build import build
from report.cli import main
from tests.venues.test_rules import upr

JSON_KEYS = ["language", "words", "sections", "paragraphs", "numbered_paragraphs", "notes", "sources", "figures",
             "tables", "pages", "build", "venue"]
VENUE_KEYS = ["name", "submission", "title", "guidelines", "re_check", "overridden", "word_limit", "counts",
              "counted_words", "over_by", "numbered_paragraphs", "page_numbers", "annexes", "formats", "languages",
              "required",
              "largest_sections", "unmet"]


def stats(root, *args):
    result = CliRunner().invoke(main, ["stats", "--project", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_text_lists_the_counts_and_the_venues_limits_beside_them(make_project):
    result = stats(upr(make_project))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:7] == [
        "words, as Word counts them  body  notes",
        "  sections/01-intro.md        14     28",
        "  total                       14     28",
        "  annexes (body and notes)     0",
        "paragraphs: 2 (2 numbered), notes: 2, sources cited: 2, figures: 0, tables: 0",
        "pages: not known until a PDF is built in build/en/public/",
        "",
    ]
    assert lines[7:16] == [
        "venue: upr-stakeholder (individual), Universal Periodic Review, stakeholder submission",
        "  length      14 of 2,815 words (body): met, 2,801 to spare",
        "  paragraphs  numbered: met",
        "  pages       numbered: met",
        "  annexes     none accepted: met",
        "  formats     docx: met",
        "  languages   ar, zh, en, fr, ru, es: met (en)",
        "  opening     organization, venue.submission, submission.contact, submission.state,",
        "              submission.session: met",
    ]
    assert lines[16].startswith("  guidelines  Office of the United Nations High Commissioner for Human Rights")
    assert lines[-2:] == ["  re-check    word-limit, count-notes, languages, required: compare with the guidelines",
                          "              in force before sending (the figures change between cycles)"]
    assert max(map(len, lines)) <= 88


def test_text_marks_each_unmet_rule_and_lists_it_at_its_place(make_project):
    root = upr(make_project, ("outputs: [docx]", "outputs: [docx, pdf]"), ("  session: 47\n", ""),
               ("  submission: individual\n", "  submission: individual\n  word-limit: 10\n"))
    lines = stats(root).stdout.splitlines()
    assert "  length      14 of 10 words (body): not met, 4 over (VEN001)" in lines
    assert "  formats     docx: not met (VEN004)" in lines
    assert "              submission.session: not met (VEN002)" in lines
    at = lines.index("unmet (report check says the same):")
    assert lines[at + 1:] == [
        "  report.yaml:6:1: VEN004: upr-stakeholder (individual) accepts docx only; outputs also",
        "      lists pdf",
        "  report.yaml:11:3: VEN001: 14 words (body) where upr-stakeholder (individual) allows",
        "      10: 4 over",
        "  report.yaml:12:1: VEN002: upr-stakeholder (individual) requires the session",
    ]
    ignored = upr(make_project, ("outputs: [docx]", "outputs: [docx, pdf]"), ("paragraphs: numbered", "checks: "
                                                                              "{ignore: [VEN004]}"))
    assert "  formats     docx: met" in stats(ignored).stdout.splitlines()  # as report check, after the policy


def test_json_has_stable_keys_and_says_how_far_over_the_limit(make_project):
    root = upr(make_project, ("  submission: individual\n",
                              "  submission: individual\n  word-limit: 30\n  count-notes: true\n"))
    result = stats(root, "--format", "json")
    assert result.exit_code == 0  # over a limit too: `report check --strict` is the gate
    data = json.loads(result.stdout)
    assert list(data) == JSON_KEYS and list(data["venue"]) == VENUE_KEYS
    assert data["words"] == {"body": 14, "notes": 28, "annexes": 0}
    assert data["sections"] == [{"path": "sections/01-intro.md", "title": "Introduction", "body": 14, "notes": 28,
                                 "annex": False}]
    assert data["pages"] == {"docx": None, "pdf": None, "html": None}
    assert data["build"] == {"folder": "build/en/public", "up_to_date": False}
    venue = data["venue"]
    assert (venue["word_limit"], venue["counts"], venue["counted_words"], venue["over_by"]) == (
        30, ["body", "notes"], 42, 12)
    assert venue["overridden"] == ["word-limit", "count-notes"] and venue["formats"] == ["docx"]
    assert venue["largest_sections"] == [{"path": "sections/01-intro.md", "counted": 42}]
    assert venue["unmet"] == [{"code": "VEN001", "severity": "warning", "message": "42 words (body and notes) where "
                               "upr-stakeholder (individual) allows 30: 12 over", "hint": "each section's share is "
                               "listed at its file; report stats shows every count", "path": "report.yaml",
                               "line": 11, "col": 3}]


def test_without_a_venue_there_is_no_limit(make_project):
    data = json.loads(stats(make_project(), "--format", "json").stdout)
    assert data["venue"] is None and data["words"]["body"] == 14
    assert not [line for line in stats(make_project()).stdout.splitlines() if line.startswith("venue")]


FRENCH = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fr\\n"

msgctxt "intro"
msgid "The first claim cites a source[@un-2020, p. 3]."
msgstr "La toute première affirmation de ce rapport cite une source[@un-2020, p. 3]."
"""


def test_a_translation_is_counted_in_its_own_language(make_project):
    root = upr(make_project, extra={"locales/fr.po": FRENCH})
    data = json.loads(stats(root, "--format", "json", "--locale", "fr").stdout)
    # 14 words in English; the French paragraph has 10 where the English had 6
    assert data["language"] == "fr" and data["words"]["body"] == 18
    assert data["build"]["folder"] == "build/fr/public"


def test_pages_come_from_the_last_build_and_say_when_it_is_older_than_the_sources(make_project):
    root = upr(make_project)
    pdf = build(root, ("docx", "pdf")).out_dir / "report.pdf"
    data = json.loads(stats(root, "--format", "json").stdout)
    assert data["pages"] == {"docx": None, "pdf": len(PdfReader(pdf).pages), "html": None}
    assert data["build"] == {"folder": "build/en/public", "up_to_date": True}
    confidential = json.loads(stats(root, "--format", "json", "--edition", "confidential").stdout)
    assert confidential["build"] == {"folder": "build/en/confidential", "up_to_date": False}  # never built
    assert confidential["pages"]["pdf"] is None
    docx = "; docx: Word counts its pages when it opens it"
    assert f"pages: pdf {data['pages']['pdf']} (build/en/public/, up to date){docx}" in stats(root).stdout.splitlines()
    section = root / "sections" / "01-intro.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nA third paragraph.\n", encoding="utf-8")
    assert f"pages: pdf {data['pages']['pdf']} (build/en/public/, older than the sources){docx}" in stats(
        root).stdout.splitlines()


def test_a_project_that_cannot_be_read_exits_1_with_located_errors(make_project):
    root = make_project({"sections/01-intro.md": None})
    result = stats(root)
    assert result.exit_code == 1
    assert result.stderr == "report.yaml:6:5: error[SEC001]: file not found: sections/01-intro.md\n"
