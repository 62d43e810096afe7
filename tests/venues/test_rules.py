"""Venue rules in `report check`: each rule met and unmet, with the exact diagnostic line.

The projects are written as a submitter writes them: a UPR stakeholder submission in
Word with its opening information, then one thing wrong at a time.
"""

from __future__ import annotations

import io
import textwrap
import zipfile

import pytest

from report.build import Locale, check
from report.venues import profile_names, read_profile
from tests.conftest import REPO

UPR = textwrap.dedent("""\
    title: Detention in Examplestan
    organization: Example Watch
    language: en
    sections: [01-intro.md]
    citation-style: templates/notes.csl
    outputs: [docx]
    paragraphs: numbered
    venue:
      name: upr-stakeholder
      submission: individual
    submission:
      state: Examplestan
      session: 47
      contact: Jane Doe, jane@example.org
    """)


def upr(make_project, *edits: tuple[str, str], extra: dict | None = None):
    """The UPR project, with each (old, new) replacement made in its report.yaml."""
    text = UPR
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return make_project({"report.yaml": text, **(extra or {})})


def venue_lines(root, locale: Locale = Locale()) -> list[str]:
    _, found = check(root, locale=locale)
    return sorted(d.format() for d in found if d.code.startswith("VEN"))


def test_the_shipped_profiles_cite_their_guidelines_and_say_what_to_re_check():
    assert profile_names() == ("none", "un-treaty-body", "upr-stakeholder")
    upr_profile = read_profile("upr-stakeholder")
    assert "OHCHR" in upr_profile.guidelines and "fourth cycle" in upr_profile.guidelines
    rules, kinds = dict(upr_profile.rules), dict(upr_profile.submissions)
    assert rules["word-limit"] == 2815 and dict(kinds["joint"])["word-limit"] == 5630
    # Word only; footnotes and annexes outside the count; the UN's six official languages
    assert rules["formats"] == ("docx",) and rules["count-notes"] is False and rules["count-annexes"] is False
    assert rules["languages"] == ("ar", "zh", "en", "fr", "ru", "es")
    assert rules["numbered-paragraphs"] is True and rules["page-numbers"] is True
    assert {"word-limit", "count-notes", "languages"} <= set(upr_profile.re_check)
    treaty = read_profile("un-treaty-body")
    assert "treaty body's page" in treaty.guidelines and dict(treaty.rules)["word-limit"] == 3300
    assert "word-limit" in treaty.re_check
    for name in profile_names()[1:]:  # every figure to re-check is a rule the profile sets
        profile = read_profile(name)
        assert set(profile.re_check) <= set(dict(profile.rules))


def test_a_submission_that_meets_every_rule_checks_clean(make_project):
    _, found = check(upr(make_project))
    assert [d.format() for d in found] == []


def test_over_the_word_limit_says_by_how_much_and_where_the_words_are(make_project):
    # Body 14 words (the title, 1; two sentences, 6 and 7) and notes 28, counted when asked.
    root = upr(make_project, ("  submission: individual\n",
                              "  submission: individual\n  word-limit: 30\n  count-notes: true\n"))
    assert venue_lines(root) == [
        "report.yaml:11:3: warning[VEN001]: 42 words (body and notes) where upr-stakeholder (individual) allows 30: "
        "12 over (each section's share is listed at its file; report stats shows every count)",
        "sections/01-intro.md:1:1: info[VEN001]: 42 of the 42 words counted for upr-stakeholder (individual) are in "
        "this section (14 in the body, 28 in notes)",
    ]
    notes_apart = upr(make_project, ("  submission: individual\n", "  submission: individual\n  word-limit: 10\n"))
    assert venue_lines(notes_apart)[0] == (
        "report.yaml:11:3: warning[VEN001]: 14 words (body) where upr-stakeholder (individual) allows 10: 4 over "
        "(each section's share is listed at its file; report stats shows every count)")
    assert venue_lines(upr(make_project, ("  submission: individual\n",
                                          "  submission: individual\n  word-limit: 14\n"))) == []


def test_a_joint_submission_has_the_joint_limit_and_names_its_members(make_project):
    root = upr(make_project, ("submission: individual", "submission: joint"))
    assert venue_lines(root) == [
        "report.yaml:11:1: warning[VEN002]: upr-stakeholder (joint) requires the organisations of the joint "
        "submission (add submission: {members: […]})"]
    root = upr(make_project, ("submission: individual", "submission: joint"),
               ("  contact:", "  members: [Example Watch, Rights Now]\n  contact:"))
    assert venue_lines(root) == []
    from report.config import load_config

    assert load_config(root).venue.word_limit == 5630


def test_missing_opening_information_is_reported_at_report_yaml(make_project):
    root = upr(make_project, ("organization: Example Watch\n", ""), ("  session: 47\n", ""),
               ("venue:\n  name: upr-stakeholder\n  submission: individual\n", "venue: upr-stakeholder\n"))
    assert venue_lines(root) == [
        "report.yaml:7:1: warning[VEN002]: upr-stakeholder requires the kind of submission, individual or joint "
        "(add venue: {name: upr-stakeholder, submission: individual} (or joint))",
        "report.yaml:7:1: warning[VEN002]: upr-stakeholder requires the submitting organisation (add organization: …)",
        "report.yaml:8:1: warning[VEN002]: upr-stakeholder requires the session (add submission: {session: …})",
    ]
    nothing = upr(make_project, ("submission:\n  state: Examplestan\n  session: 47\n  contact: Jane Doe, jane@example.org\n",
                                 ""))
    assert [line.split(": ", 2)[0] for line in venue_lines(nothing)] == ["report.yaml:8:1"] * 3


def test_a_venue_that_requires_numbered_paragraphs_numbers_them_unless_told_plain(make_project):
    from report.build import load
    from report.config import load_config

    unsaid = upr(make_project, ("paragraphs: numbered\n", ""))
    assert load_config(unsaid).numbered_paragraphs is True and venue_lines(unsaid) == []
    assert [b.number for b in load(unsaid).document.sections[0].blocks] == [1, 2]
    plain = upr(make_project, ("paragraphs: numbered\n", "paragraphs: plain\n"))
    assert venue_lines(plain) == [
        "report.yaml:7:1: warning[VEN003]: upr-stakeholder (individual) requires numbered paragraphs; paragraphs: "
        "plain leaves them unnumbered (write paragraphs: numbered, or leave the key out)"]
    not_required = upr(make_project, ("paragraphs: numbered\n", ""),
                       ("  submission: individual\n", "  submission: individual\n  numbered-paragraphs: false\n"))
    assert load_config(not_required).numbered_paragraphs is False and venue_lines(not_required) == []


def test_the_word_count_is_shared_out_per_section(make_project):
    second = "---\ntitle: Findings\n---\n\nFive words in this paragraph.^[A note of five words.]\n"
    root = upr(make_project, ("sections: [01-intro.md]", "sections: [01-intro.md, 02-findings.md]"),
               ("  submission: individual\n", "  submission: individual\n  word-limit: 12\n"),
               extra={"sections/02-findings.md": second})
    # The body only: 14 words in the introduction, 1 + 5 in the findings; the notes are not counted.
    assert venue_lines(root) == [
        "report.yaml:11:3: warning[VEN001]: 20 words (body) where upr-stakeholder (individual) allows 12: 8 over "
        "(each section's share is listed at its file; report stats shows every count)",
        "sections/01-intro.md:1:1: info[VEN001]: 14 of the 20 words counted for upr-stakeholder (individual) are in "
        "this section (14 in the body)",
        "sections/02-findings.md:1:1: info[VEN001]: 6 of the 20 words counted for upr-stakeholder (individual) are "
        "in this section (6 in the body)",
    ]


def test_a_format_the_venue_does_not_accept(make_project):
    root = upr(make_project, ("outputs: [docx]", "outputs: [docx, pdf, html]"))
    assert venue_lines(root) == [
        "report.yaml:6:1: warning[VEN004]: upr-stakeholder (individual) accepts docx only; outputs also lists pdf, "
        "html (outputs: [docx], or ignore VEN004 when the others are for publishing elsewhere)"]
    default = upr(make_project, ("outputs: [docx]\n", ""))
    assert venue_lines(default) == [
        "report.yaml:7:1: warning[VEN004]: upr-stakeholder (individual) accepts docx only; outputs (docx, pdf, html "
        "by default) also lists pdf, html (outputs: [docx], or ignore VEN004 when the others are for publishing "
        "elsewhere)"]
    widened = upr(make_project, ("outputs: [docx]", "outputs: [docx, pdf]"),
                  ("  submission: individual\n", "  submission: individual\n  formats: [docx, pdf]\n"))
    assert venue_lines(widened) == []


FRENCH_PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n'


def test_a_language_the_venue_does_not_accept_points_to_a_translation_that_it_does(make_project):
    root = upr(make_project, ("language: en", "language: az"))
    assert venue_lines(root) == [
        "report.yaml:3:1: warning[VEN005]: upr-stakeholder (individual) accepts submissions in ar, zh, en, fr, ru, "
        "es, not 'az' (translate it (docs/translators.md) into ar, zh, en, fr, ru, es)"]
    translated = upr(make_project, ("language: en", "language: az"), extra={"locales/fr.po": FRENCH_PO})
    assert venue_lines(translated) == [
        "report.yaml:3:1: warning[VEN005]: upr-stakeholder (individual) accepts submissions in ar, zh, en, fr, ru, "
        "es, not 'az' (submit the fr translation (report build --locale fr))"]
    assert venue_lines(upr(make_project, ("language: en", "language: ru"))) == []
    assert venue_lines(translated, Locale("fr")) == []  # the French build is the submission
    assert venue_lines(upr(make_project, ("language: en", "language: en-GB"))) == []


def _without_page_fields(template: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith(("word/footer", "word/header")):
                data = data.replace(b" PAGE ", b" DATE ")
            target.writestr(item, data)
    return out.getvalue()


def test_pages_must_be_numbered_in_the_word_template(make_project):
    template = _without_page_fields((REPO / "templates" / "reference.docx").read_bytes())
    root = upr(make_project, extra={"templates/reference.docx": template})
    assert venue_lines(root) == [
        "report.yaml:1:1: warning[VEN006]: upr-stakeholder (individual) requires numbered pages; the Word template "
        "shows no page number (insert a PAGE field in the footer of templates/reference.docx: Insert › Page Number "
        "in Word)"]
    unnumbered = upr(make_project, ("  submission: individual\n", "  submission: individual\n  page-numbers: false\n"),
                     extra={"templates/reference.docx": template})
    assert venue_lines(unnumbered) == []


@pytest.mark.parametrize("venue", ["none", "{name: none}"])
def test_no_venue_has_no_rule_unless_the_project_sets_one(make_project, venue):
    root = upr(make_project, ("venue:\n  name: upr-stakeholder\n  submission: individual\n", f"venue: {venue}\n"),
               ("outputs: [docx]", "outputs: [docx, pdf, html]"), ("paragraphs: numbered\n", ""))
    assert venue_lines(root) == []
    limited = upr(make_project, ("venue:\n  name: upr-stakeholder\n  submission: individual\n",
                                 "venue: {name: none, word-limit: 10}\n"))
    assert venue_lines(limited)[0].startswith("report.yaml:8:21: warning[VEN001]: 14 words (body) where none allows 10")


def test_venue_findings_are_warnings_a_draft_still_builds_and_the_policy_applies(make_project):
    root = upr(make_project, ("paragraphs: numbered\n", "paragraphs: plain\nchecks: {ignore: [VEN003]}\n"))
    assert venue_lines(root) == []
    _, found = check(upr(make_project, ("paragraphs: numbered\n", "paragraphs: plain\n")))
    assert {d.severity.label for d in found} == {"warning"}


def test_an_annex_where_the_venue_accepts_none(make_project):
    """The UPR accepts no annexes: each annex is VEN007 at its file, and `annexes: true`
    in report.yaml's venue mapping lifts the rule (a venue whose guidelines changed)."""
    annex = "---\ntitle: Data tables\nannex: true\n---\n\nThe tables.\n"
    root = upr(make_project, ("sections: [01-intro.md]", "sections: [01-intro.md, 02-data.md]"),
               extra={"sections/02-data.md": annex})
    assert [line for line in venue_lines(root) if "VEN007" in line] == [
        "sections/02-data.md:1:1: warning[VEN007]: upr-stakeholder (individual) accepts no annexes; 'Data tables' "
        "is one (move what it holds into the body, or publish it apart (a second file))"]
    lifted = upr(make_project, ("sections: [01-intro.md]", "sections: [01-intro.md, 02-data.md]"),
                 ("  submission: individual\n", "  submission: individual\n  annexes: true\n"),
                 extra={"sections/02-data.md": annex})
    assert not [line for line in venue_lines(lifted) if "VEN007" in line]
