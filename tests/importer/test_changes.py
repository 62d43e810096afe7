"""Word files with tracked changes, comments or endnotes: imported, with a statement of
what was accepted, dropped or converted (counts from the fixtures' expected.json)."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from report.cli import main
from report.importer import import_docx
from tests.importer.support import FIXTURES, expected, interleaves, read_docx, rebuild, squeeze

EXPECTED = expected()
RELATED = ["pandoc_track_changes_scrubbed_metadata.docx", "pandoc_comments.docx", "mammoth_endnotes.docx",
           "oxpt_HC031-Complicated-Document.docx", "oxpt_RP_RP050-Deleted-Footnote.docx", "pandoc_notes.docx"]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def statements_for(item: dict) -> list[str]:
    """The statements the README's counts call for."""
    wanted = []
    if item["tracked_del"]:
        wanted.append(_plural(item["tracked_del"], "tracked deletion", "tracked deletions"))
    if item["tracked_ins"]:
        wanted.append(_plural(item["tracked_ins"], "tracked insertion", "tracked insertions"))
    if item["comments"]:
        wanted.append(_plural(item["comments"], "comment", "comments"))
    if item["endnotes"]:
        wanted.append(_plural(len(item["endnotes"]), "endnote to a footnote", "endnotes to footnotes"))
    return wanted


@pytest.mark.parametrize("name", RELATED)
def test_statements_and_round_trip(tmp_path, name):
    item = EXPECTED[name]
    result = import_docx(FIXTURES / name, tmp_path / "imported")
    said = "\n".join(result.statements)
    for wanted in statements_for(item):
        assert wanted in said, (wanted, result.statements)
    accepted = [s for s in result.statements if s.startswith("accepted:")]
    assert bool(accepted) == bool(item["tracked_ins"] or item["tracked_del"] or item["tracked_move"])
    original = read_docx((FIXTURES / name).read_bytes())
    rebuilt = read_docx(rebuild(tmp_path / "imported"), rebuilt=True)
    assert squeeze(original["body"]) in (squeeze(rebuilt["body"]), squeeze(rebuilt["title"] + rebuilt["body"]))
    assert interleaves(rebuilt["notes"], [t for t in item["footnotes"] if t], item["endnotes"])


def test_tracked_changes_are_accepted(tmp_path):
    import_docx(FIXTURES / "pandoc_track_changes_scrubbed_metadata.docx", tmp_path / "p")
    config = yaml.safe_load((tmp_path / "p" / "report.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "Here is a test document."  # "dummy" deleted, "test" inserted


def test_deleted_note_call_removes_the_note(tmp_path):
    result = import_docx(FIXTURES / "oxpt_RP_RP050-Deleted-Footnote.docx", tmp_path / "p")
    assert result.notes == 0
    assert "This is a test." not in "".join(p.read_text() for p in (tmp_path / "p" / "sections").glob("*.md"))


def test_cli_states_what_happened(tmp_path):
    out = CliRunner().invoke(main, ["import", str(FIXTURES / "pandoc_comments.docx"), "--into", str(tmp_path / "p")])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith(f"imported {FIXTURES / 'pandoc_comments.docx'} into {tmp_path / 'p'}/: 1 section(s)")
    assert "  dropped: 5 comments" in lines
