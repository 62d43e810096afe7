"""Round trip: build(import(docx)) has the body text and the footnote texts of the docx.

For the shipped report's own DOCX (built from a copy of its sources) and for every
third-party fixture with footnotes in ../shared/fixtures/docx (read in place; its
expected.json gives each file's notes). Texts are compared without white space.
"""

from __future__ import annotations

import pytest
import yaml

from report.importer import import_docx
from tests.importer.support import FIXTURES, expected, interleaves, read_docx, rebuild, shipped_docx, squeeze

EXPECTED = expected()
WITH_FOOTNOTES = sorted(name for name, item in EXPECTED.items() if item["kind"] == "fn")


def _round_trip(tmp_path, name: str, data: bytes):
    source = tmp_path / name
    source.write_bytes(data)
    project = tmp_path / "imported"
    result = import_docx(source, project)
    return result, project, read_docx(data), read_docx(rebuild(project), rebuilt=True)


def _same_body(original: dict, rebuilt: dict) -> bool:
    """The same words; a title taken from the first paragraph now stands on the title page."""
    body = squeeze(original["body"])
    return body in (squeeze(rebuilt["body"]), squeeze(rebuilt["title"] + rebuilt["body"]))


def test_fixture_list_is_complete():
    assert len(WITH_FOOTNOTES) == 14
    assert all((FIXTURES / name).is_file() for name in EXPECTED)


@pytest.mark.parametrize("name", WITH_FOOTNOTES)
def test_fixture_round_trip(tmp_path, name):
    item = EXPECTED[name]
    result, _, original, rebuilt = _round_trip(tmp_path, name, (FIXTURES / name).read_bytes())
    assert _same_body(original, rebuilt)
    # Endnotes become footnotes where their calls stand; a note whose call was deleted
    # (a tracked deletion, accepted) is gone with it.
    footnotes = [text for text in item["footnotes"] if text]
    endnotes = [text for text in item["endnotes"] if text]
    assert interleaves(rebuilt["notes"], footnotes, endnotes), rebuilt["notes"]
    assert result.notes == len(rebuilt["notes"])
    headings = [text for level, text in item["headings"] if level <= 3]
    assert rebuilt["headings"] == headings


def test_shipped_report_round_trip(tmp_path):
    result, project, original, rebuilt = _round_trip(tmp_path, "report.docx", shipped_docx(tmp_path))
    assert squeeze(original["body"]) == squeeze(rebuilt["body"])
    assert original["title"] == rebuilt["title"]
    assert len(original["notes"]) == 14
    assert rebuilt["notes"] == original["notes"]
    # Every note of the shipped report is recognised: citations, Ibid. and all.
    assert result.cited == result.notes == 14
    registry = yaml.safe_load((project / "references" / "sources.yaml").read_text(encoding="utf-8"))
    assert all(entry["annote"].startswith("Imported from Word: review") for entry in registry)
    by_number = {entry.get("number"): entry for entry in registry}
    assert by_number["SEC.DEL/585/16"]["genre"] == "OSCE document"
    assert by_number["SEC.DEL/585/16"]["note"] == "No. 0512/10/10"
    assert by_number["A/71/782–S/2017/110"]["issued"] == "2017-02-07"
    assert by_number["13930"]["issued"] == "2015-12-11"
    texts = "".join(p.read_text(encoding="utf-8") for p in sorted((project / "sections").glob("*.md")))
    assert texts.count("[@") == 14 and texts.count("^[") == 1  # note 6: text with a citation inside
    assert "pp. 42–43]" in texts  # Ibid., pp. 42–43 is the previous source again, with its locator
    config = yaml.safe_load((project / "report.yaml").read_text(encoding="utf-8"))
    assert config["organization"] == "Strategic Communications Centre"
    assert [name.split("-", 1)[1] for name in config["sections"]] == [
        "preamble.md", "first-karabakh-war.md", "ceasefire-period.md", "second-karabakh-war.md",
        "the-post-war-events.md", "conclusion.md"]
