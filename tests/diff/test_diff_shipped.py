"""`report diff` on builds of the shipped report: one new note is one change, ten
scattered edits are each reported once at their place (text, JSON, HTML), and the
redline's revisions give NEW's text when accepted and OLD's when rejected."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from report.cli import main
from report.diff import run_diff
from tests.diff.conftest import TEN_EXPECTED, built_copy, frozen, one_new_note, restructure, ten_edits
from tests.diff.docx_revisions import parts, texts

ZERO = {"added": 0, "removed": 0, "changed": 0, "moved": 0}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """OLD (the shipped report, frozen), NEW with one new note, NEW with ten edits."""
    base = tmp_path_factory.mktemp("diff")
    old = frozen(built_copy(base, "old"), base / "old-build")
    return {"base": base, "old": old, "one-note": built_copy(base, "one-note", one_new_note),
            "ten": built_copy(base, "ten", ten_edits), "sections": built_copy(base, "sections", restructure)}


def cli(*args):
    result = CliRunner().invoke(main, ["diff", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def ten(builds):
    out = builds["base"] / "ten-diff"
    text = cli(builds["old"], builds["ten"], "--project", builds["base"], "--out", out)
    data = json.loads(cli(builds["old"], builds["ten"], "--project", builds["base"], "--out", out,
                          "--format", "json"))
    return {"text": text, "json": data, "html": (out / "diff.html").read_text(encoding="utf-8"), "out": out}


def test_identical_builds_have_no_changes(builds, tmp_path):
    result = run_diff(str(builds["old"]), str(builds["old"]), builds["base"], tmp_path / "out")
    assert result.changes == ()
    assert all(counts == ZERO for counts in result.summary.values())
    redline = (tmp_path / "out" / "redline.docx").read_bytes()
    assert texts(redline) == texts((builds["old"] / "report.docx").read_bytes())


def test_one_new_note_near_the_start_is_one_footnote_added(builds, tmp_path):
    data = json.loads(cli(builds["old"], builds["one-note"], "--project", builds["base"], "--out", tmp_path,
                          "--format", "json"))
    assert data["summary"]["footnotes"] == {"added": 1, "removed": 0, "changed": 0, "moved": 0}
    assert all(counts == ZERO for kind, counts in data["summary"].items() if kind != "footnotes")
    [change] = data["changes"]
    assert change["location"].startswith("sections/01-introduction.md:5:")
    assert change["note"] == {"old": None, "new": 1}
    # Every later note was renumbered and note 2 re-derived as Ibid.: neither is a change.
    assert "report.docx" in data["outputs"]["changed"]


def test_ten_edits_are_each_reported_once_in_json(ten):
    changes = ten["json"]["changes"]
    found = [(c["kind"], c["action"], f"{c['path']}:{c['line']}") for c in changes]
    assert sorted(found) == sorted(e[:3] for e in TEN_EXPECTED)
    for kind, action, where, words in TEN_EXPECTED:
        [change] = [c for c in changes
                    if (c["kind"], c["action"]) == (kind, action) and c["location"].startswith(where + ":")]
        shown = json.dumps(change, ensure_ascii=False)
        assert words in shown, (where, shown)
    summary = ten["json"]["summary"]
    assert summary["paragraphs"] == {"added": 1, "removed": 0, "changed": 3, "moved": 1}
    assert summary["footnotes"] == {"added": 0, "removed": 0, "changed": 1, "moved": 0}
    assert summary["registry"]["changed"] == 2 and summary["citations"]["changed"] == 1


def test_ten_edits_are_each_reported_once_in_text(ten):
    lines = ten["text"].splitlines()
    assert lines[0].endswith("(en): 10 changes")
    located = [line for line in lines if re.match(r"^[\w./-]+:\d+:\d+: ", line)]
    assert len(located) == 10
    for _, _, where, words in TEN_EXPECTED:
        [line] = [line for line in located if line.startswith(where + ":")]
        assert words in line or words[:25] in line, line


def test_ten_edits_are_each_anchored_once_in_html(ten):
    html5lib = pytest.importorskip("html5lib")
    page = ten["html"]
    html5lib.HTMLParser(strict=True).parse(page)
    nav = page[page.index('<nav id="changes">'):page.index("</nav>")]
    assert nav.count("<li>") == 10
    for index, change in enumerate(ten["json"]["changes"], start=1):
        assert page.count(f'id="c{index}"') == 1
        assert f'href="#c{index}"' in nav
        # The anchor sits in the element that shows the change, with its words.
        start = page.index(f'id="c{index}"')
        block = page[start:page.find('class="badge"', start + 10) if index < 10 else len(page)]
        assert change["location"].rsplit(":", 1)[0].split(":")[0] in page[start - 2000:start + 2000]
        if change["kind"] in ("paragraphs", "footnotes") and change["action"] == "changed":
            assert "<ins>" in block or "<del>" in block
    assert "<del>numerous</del><ins>many</ins>" in page
    assert "<ins>the </ins>" in page or "<ins>the</ins>" in page  # in note 6, shown at the note
    assert "(moved from sections/03-ceasefire-period.md:16:1)" in page


def test_sections_added_removed_moved_and_renamed(builds, tmp_path):
    result = run_diff(str(builds["old"]), str(builds["sections"]), builds["base"], tmp_path)
    assert result.summary["sections"] == {"added": 1, "removed": 1, "changed": 1, "moved": 1}
    assert result.summary["metadata"]["changed"] == 1
    # The paragraphs and the note of the added and removed sections are part of those changes.
    assert all(counts == ZERO for kind, counts in result.summary.items() if kind not in ("sections", "metadata"))
    where = {(c.kind, c.action): str(c.location) for c in result.changes}
    assert where[("sections", "added")] == "sections/07-new.md:1:1"
    assert where[("sections", "removed")] == "sections/01-introduction.md:1:1"
    assert where[("metadata", "changed")] == "report.yaml:2:1"


@pytest.mark.parametrize("case", ["one-note", "ten", "sections"])
def test_redline_accepted_is_new_and_rejected_is_old(builds, case, tmp_path):
    run_diff(str(builds["old"]), str(builds[case]), builds["base"], tmp_path)
    redline = (tmp_path / "redline.docx").read_bytes()
    old, new = (builds["old"] / "report.docx").read_bytes(), (builds[case] / "report.docx").read_bytes()
    accepted_body, accepted_notes = texts(redline, accept=True)
    rejected_body, rejected_notes = texts(redline, accept=False)
    assert (accepted_body, accepted_notes) == texts(new)
    assert (rejected_body, rejected_notes) == texts(old)
    assert accepted_notes != rejected_notes  # one more note, renumbered and re-derived ones
    assert (accepted_body != rejected_body) == (case != "one-note")  # a call alone shows no text


def test_redline_marks_body_and_notes_with_author_and_build_date(ten):
    files = parts((ten["out"] / "redline.docx").read_bytes())
    for name in ("word/document.xml", "word/footnotes.xml"):
        xml = files[name].decode()
        assert "<w:ins " in xml and "<w:del " in xml, name
        assert set(re.findall(r'w:author="([^"]*)"', xml)) == {"report diff"}
        # The shipped report has no date and no SOURCE_DATE_EPOCH: a fixed date, never "now".
        assert set(re.findall(r'w:date="([^"]*)"', xml)) == {"1980-01-01T00:00:00Z"}
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', files["word/document.xml"].decode() +
                     files["word/footnotes.xml"].decode())
    assert len(ids) == len(set(ids))
    assert "<w:delText" in files["word/footnotes.xml"].decode()  # the old locator, inside the note


def test_outputs_are_deterministic(builds, tmp_path):
    for out in ("a", "b"):
        run_diff(str(builds["old"]), str(builds["ten"]), builds["base"], tmp_path / out)
    for name in ("diff.html", "redline.docx", "changes.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_redline(ten, tmp_path):
    env = {**os.environ, "HOME": str(tmp_path / "home")}  # a private LibreOffice profile
    done = subprocess.run(["soffice", "--headless", "--convert-to", "odt", "--outdir", str(tmp_path),
                           str(ten["out"] / "redline.docx")], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    odt = parts((tmp_path / "redline.odt").read_bytes())["content.xml"].decode()
    # LibreOffice read the tracked changes as its own: insertions and deletions, by our author.
    assert "<text:tracked-changes" in odt
    assert "<text:insertion>" in odt and "<text:deletion>" in odt
    assert "report diff" in odt
