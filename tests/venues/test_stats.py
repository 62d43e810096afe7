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
              "counted_words", "over_by", "numbered_paragraphs", "page_numbers", "formats", "languages",
              "largest_sections"]


def stats(root, *args):
    result = CliRunner().invoke(main, ["stats", "--project", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_text_lists_the_counts_and_the_venues_limits_beside_them(make_project):
    result = stats(upr(make_project))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "sections/01-intro.md: 14 words, 28 in notes",
        "words: 14 in the body, 28 in the notes, 0 in annexes",
        "paragraphs: 2 (2 numbered); notes: 2; sources cited: 2; figures: 0; tables: 0",
        "pages: not known before a PDF is built in build/en/ (Word counts a .docx's pages when it opens it)",
        "venue: upr-stakeholder (individual), Universal Periodic Review, stakeholder submission",
        "  length: 42 of 2,815 words (body and notes)",
    ]
    assert lines[6:9] == ["  required: numbered paragraphs, page numbers", "  formats: docx", "  languages: en, fr, es"]
    assert lines[9].startswith("  guidelines: Office of the United Nations High Commissioner for Human Rights (OHCHR)")
    assert lines[10] == "  re-check against the current guidelines: count-notes, count-annexes, languages, required"


def test_json_has_stable_keys_and_says_how_far_over_the_limit(make_project):
    root = upr(make_project, ("  submission: individual\n", "  submission: individual\n  word-limit: 30\n"))
    result = stats(root, "--format", "json")
    assert result.exit_code == 0  # over a limit too: `report check --strict` is the gate
    data = json.loads(result.stdout)
    assert list(data) == JSON_KEYS and list(data["venue"]) == VENUE_KEYS
    assert data["words"] == {"body": 14, "notes": 28, "annexes": 0}
    assert data["sections"] == [{"path": "sections/01-intro.md", "title": "Introduction", "body": 14, "notes": 28,
                                 "annex": False}]
    assert data["pages"] == {"docx": None, "pdf": None, "html": None}
    assert data["build"] == {"folder": "build/en", "up_to_date": False}
    venue = data["venue"]
    assert (venue["word_limit"], venue["counts"], venue["counted_words"], venue["over_by"]) == (
        30, ["body", "notes"], 42, 12)
    assert venue["overridden"] == ["word-limit"] and venue["formats"] == ["docx"]
    assert venue["largest_sections"] == [{"path": "sections/01-intro.md", "counted": 42}]


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
    assert data["build"]["folder"] == "build/fr"


def test_pages_come_from_the_last_build_and_say_when_it_is_older_than_the_sources(make_project):
    root = upr(make_project)
    build(root, ("docx", "pdf"))
    pdf = root / "build" / "en" / "report.pdf"
    data = json.loads(stats(root, "--format", "json").stdout)
    assert data["pages"] == {"docx": None, "pdf": len(PdfReader(pdf).pages), "html": None}
    assert data["build"] == {"folder": "build/en", "up_to_date": True}
    assert f"pages: pdf {data['pages']['pdf']} (build/en/, up to date)" in stats(root).stdout.splitlines()
    section = root / "sections" / "01-intro.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nA third paragraph.\n", encoding="utf-8")
    assert f"pages: pdf {data['pages']['pdf']} (build/en/, older than the sources)" in stats(root).stdout.splitlines()


def test_a_project_that_cannot_be_read_exits_1_with_located_errors(make_project):
    root = make_project({"sections/01-intro.md": None})
    result = stats(root)
    assert result.exit_code == 1
    assert result.stderr == "report.yaml:6:5: error[SEC001]: file not found: sections/01-intro.md\n"
