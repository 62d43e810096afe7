"""Bad venue settings in report.yaml: one located error line each, exit status 1, no traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from report.cli import main

BASE = "title: X\nlanguage: en\nsections: [01-intro.md]\ncitation-style: templates/notes.csl\n"

CASES = {
    "unknown venue": (
        "venue: upr\n",
        "report.yaml:5:1: error[CFG011]: unknown venue 'upr' (one of none, un-treaty-body, upr-stakeholder)"),
    "a misspelt venue": (
        "venue: upr-stakeholders\n",
        "report.yaml:5:1: error[CFG011]: unknown venue 'upr-stakeholders' (did you mean 'upr-stakeholder'?)"),
    "the kind of submission written into the name": (
        "venue: upr-stakeholder-joint\n",
        "report.yaml:5:1: error[CFG011]: unknown venue 'upr-stakeholder-joint' "
        "(write venue: {name: upr-stakeholder, submission: joint})"),
    "unknown venue in the mapping": (
        "venue:\n  name: un-treaty\n",
        "report.yaml:6:3: error[CFG011]: unknown venue 'un-treaty' (did you mean 'un-treaty-body'?)"),
    "venue: yes": (
        "venue: yes\n",
        "report.yaml:5:1: error[CFG005]: 'venue' must be a profile name or a mapping"),
    "a mapping without a name": (
        "venue: {submission: joint}\n",
        "report.yaml:5:1: error[CFG005]: 'venue' needs a profile name (one of none, un-treaty-body, upr-stakeholder)"),
    "an unknown kind of submission": (
        "venue: {name: upr-stakeholder, submission: both}\n",
        "report.yaml:5:32: error[CFG005]: 'venue.submission' of upr-stakeholder must be one of individual, joint"),
    "a kind for a venue without kinds": (
        "venue: {name: un-treaty-body, submission: joint}\n",
        "report.yaml:5:31: error[CFG005]: un-treaty-body has no kinds of submission (remove venue.submission)"),
    "a word limit that is no number": (
        "venue:\n  name: un-treaty-body\n  word-limit: many\n",
        "report.yaml:7:3: error[CFG005]: 'venue.word-limit' must be a number of words, or null for none "
        "(e.g. word-limit: 3300)"),
    "an unknown rule": (
        "venue:\n  name: un-treaty-body\n  limit: 3300\n",
        "report.yaml:7:3: error[CFG004]: unknown key 'limit' in venue (did you mean 'word-limit'?)"),
    "a rule that is not true or false": (
        "venue:\n  name: un-treaty-body\n  count-notes: sometimes\n",
        "report.yaml:7:3: error[CFG005]: 'venue.count-notes' must be true or false"),
    "an unknown format": (
        "venue:\n  name: upr-stakeholder\n  formats: [odt]\n",
        "report.yaml:7:3: error[CFG005]: 'odt' in 'venue.formats' is not one of docx, pdf, html"),
    "a language that is no tag": (
        "venue:\n  name: upr-stakeholder\n  languages: [English]\n",
        "report.yaml:7:3: error[CFG005]: 'English' in 'venue.languages' is not a BCP 47 language tag, e.g. en, fr"),
    "submission not a mapping": (
        "submission: Examplestan\n",
        "report.yaml:5:1: error[CFG005]: 'submission' must be a mapping"),
    "an unknown submission key": (
        "submission:\n  sesion: 47\n",
        "report.yaml:6:3: error[CFG004]: unknown key 'sesion' in submission (did you mean 'session'?)"),
    "members not a list": (
        "submission:\n  members: Example Watch\n",
        "report.yaml:6:3: error[CFG005]: 'submission.members' must be a list of organisations"),
    "an empty contact": (
        "submission:\n  contact: ''\n",
        "report.yaml:6:3: error[CFG005]: 'submission.contact' must be a non-empty text"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_venue_settings_are_located_errors(make_project, case):
    extra, expected = CASES[case]
    root = make_project({"report.yaml": BASE + extra})
    for command in (["check"], ["build", "--format", "html"], ["stats"]):
        result = CliRunner().invoke(main, command + ["--project", str(root)])
        assert result.exit_code == 1, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stderr.splitlines() == [expected], command


@pytest.mark.parametrize("venue", ["none", "un-treaty-body", "{name: upr-stakeholder, submission: joint}",
                                   "{name: un-treaty-body, word-limit: null}"])
def test_good_venue_settings_load(make_project, venue):
    from report.config import load_config

    config = load_config(make_project({"report.yaml": BASE + f"venue: {venue}\nsubmission: {{session: 47}}\n"}))
    assert config.venue.name in venue and dict(config.submission) == {"session": "47"}
    assert config.venue.word_limit in (None, 3300, 5630)


def test_a_broken_shipped_profile_is_a_located_error_not_a_traceback(make_project, tmp_path, monkeypatch):
    import report.venues as venues

    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "osce.yaml").write_text("title: OSCE\nrules:\n  word-limit: 3300\n", encoding="utf-8")
    (profiles / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(venues, "PROFILES", profiles)
    venues.read_profile.cache_clear()
    try:
        for name, expected in (
                ("osce", "report/venues/osce.yaml:1:1: error[VEN010]: a profile needs a title and the guidelines "
                         "its figures come from"),
                ("broken", "report/venues/broken.yaml:2:1: error[VEN010]: malformed YAML: expected ',' or ']', "
                           "but got '<stream end>'")):
            root = make_project({"report.yaml": BASE + f"venue: {name}\n"})
            result = CliRunner().invoke(main, ["check", "--project", str(root)])
            assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
            assert result.stderr.splitlines() == [expected]
    finally:
        venues.read_profile.cache_clear()
