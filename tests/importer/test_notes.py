"""Footnotes → citations where recognisable, free text otherwise, the same texts after a build.

The Word files here are made by building a project whose notes are free text
(so the note texts are exactly the strings below), then imported.
"""

from __future__ import annotations

import pytest
import yaml

from report.build import build
from report.importer import import_docx
from report.importer.refs import names, parse_date, parse_reference, split_segments
from tests.conftest import write_project
from tests.importer.support import read_docx, rebuild, squeeze

NOTES = [
    "Amnesty International, “Armenia: Something happened” (December 14, 2020), https://www.amnesty.org/en/x/.",
    "Amnesty International, “Armenia: Something happened” (December 14, 2020), https://www.amnesty.org/en/x/.",
    "Ibid.",
    "Human Rights Watch, “A Report on Things” (1994), p. 5.",
    "See Human Rights Watch, “Another Report” (March 2001), pp. 3–4; UN Human Rights Committee, “Concluding "
    "observations”, UN document No. CCPR/C/ARM/CO/2 (2012), para. 12.",
    "Ibid., para. 14.",
    "UN document A/71/782 (2017), p. 2.",
    "John Smith, Jane Doe, “Joint Paper”, *Journal of Things*, Oxford (2010), p. 4",
    "My own remark, with [brackets], *stars*, \\<html\\>, \\& and a `tick`.",
    "Ibid., p. 9.",
    "Council of Europe, “Report” (2019), pp. 26–25.",
    "Human Rights Watch, “A Report on Things”, p. 8.",
    "Ibid., pp. 9–10.",
    "OSCE, “Letter”, OSCE document No. SEC.DEL/1/16 (January 5, 2016), p. 3; and other letters.",
]


def word_file(tmp_path, notes=NOTES, body=None) -> bytes:
    """A .docx whose footnotes are exactly ``notes`` (built from free-text notes)."""
    text = body or "\n\n".join(f"Claim {i}.<!-- noqa: CIT008 -->^[{note}]" for i, note in enumerate(notes))
    project = write_project(tmp_path / "word", {"sections/01-intro.md": "---\ntitle: Notes\n---\n\n" + text + "\n",
                                                "references/sources.yaml": "[]\n"})
    return (build(project, ("docx",)).out_dir / "report.docx").read_bytes()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("notes")
    data = word_file(tmp)
    (tmp / "in.docx").write_bytes(data)
    result = import_docx(tmp / "in.docx", tmp / "out")
    section = (tmp / "out" / "sections" / "01-notes.md").read_text(encoding="utf-8")
    registry = yaml.safe_load((tmp / "out" / "references" / "sources.yaml").read_text(encoding="utf-8"))
    return {"result": result, "data": data, "project": tmp / "out", "section": section,
            "lines": [line for line in section.splitlines() if line.startswith("Claim")], "registry": registry}


def test_note_texts_survive_the_round_trip(imported):
    original = read_docx(imported["data"])
    rebuilt = read_docx(rebuild(imported["project"]), rebuilt=True)
    assert len(original["notes"]) == len(NOTES)
    assert rebuilt["notes"] == original["notes"]
    assert squeeze(rebuilt["body"]) == squeeze(original["body"])


def test_recognised_notes_become_citations(imported):
    lines = imported["lines"]
    by_id = {entry["id"]: entry for entry in imported["registry"]}
    amnesty = lines[0].split("[@")[1].rstrip("]")
    assert by_id[amnesty]["URL"] == "https://www.amnesty.org/en/x/"
    assert by_id[amnesty]["issued"] == "2020-12-14"
    assert lines[2] == f"Claim 2.[@{amnesty}]"  # Ibid. after the same source again
    assert lines[4].startswith("Claim 4.[See @human-rights-watch-2001-another-report, pp. 3–4; @un-human-rights")
    un = next(e for e in imported["registry"] if e.get("number") == "CCPR/C/ARM/CO/2")
    assert un["genre"] == "UN document" and un["issued"] == "2012" and un["type"] == "report"
    smith = next(e for e in imported["registry"] if e.get("title") == "Joint Paper")
    assert smith["author"] == [{"family": "Smith", "given": "John"}, {"family": "Doe", "given": "Jane"}]
    assert smith["container-title"] == "Journal of Things" and smith["publisher-place"] == "Oxford"
    assert lines[7] == "Claim 7.^[[@smith-2010-joint-paper, p. 4]]"  # no final period: a note around the citation
    hrw = "human-rights-watch-1994-report-things"
    assert lines[11] == f"Claim 11.[@{hrw}, p. 8]"  # the same source later: subsequent form
    assert lines[12] == f"Claim 12.[@{hrw}, pp. 9–10]"  # Ibid., pp. 9–10 is that source with a new locator
    assert lines[13].startswith("Claim 13.^[[@osce-2016-letter, p. 3]; and other letters.")
    assert all(entry["annote"].startswith("Imported from Word: review") for entry in imported["registry"])


def test_identical_notes_share_one_entry(imported):
    entries = [e for e in imported["registry"] if e.get("title") == "Armenia: Something happened"]
    assert len(entries) == 1
    text = (imported["project"] / "references" / "sources.yaml").read_text(encoding="utf-8")
    assert "# Word note 1: Amnesty International" in text
    assert "# Word note 2 (kept as written): Amnesty International" in text


def test_notes_the_style_would_change_stay_as_written(imported):
    lines, said = imported["lines"], imported["result"].statements
    # The second identical note: the style writes "Ibid." there, so the Word text stays.
    assert lines[1].startswith("Claim 1.^[Amnesty International, “Armenia")
    assert "kept: note 2 as written in Word (the style would write “Ibid.”)" in said
    # A symbol without "No." is extracted, but the style would add "No.": text kept, entry kept for review.
    assert lines[6] == "Claim 6.^[UN document A/71/782 (2017), p. 2.]"
    symbol = next(e for e in imported["registry"] if e.get("number") == "A/71/782")
    assert "not cited: note 7 keeps its Word text" in symbol["annote"]


def test_unrecognisable_notes_are_free_text(imported):
    lines = imported["lines"]
    assert lines[5] == "Claim 5.^[<!-- noqa: CIT008 -->Ibid., para. 14.]"  # Ibid. after two sources
    assert lines[8] == "Claim 8.^[My own remark, with \\[brackets\\], *stars*, \\<html\\>, \\& and a `tick`.]"
    assert lines[9] == "Claim 9.^[<!-- noqa: CIT008 -->Ibid., p. 9.]"  # Ibid. after free text
    assert lines[10] == "Claim 10.^[Council of Europe, “Report” (2019), pp. 26–25.]"  # a backwards range


@pytest.mark.parametrize("text, fields, locator", [
    ("Amnesty International, “Title” (2020), https://a.org/x", {"URL": "https://a.org/x", "issued": "2020"}, None),
    ("“Letter”, No. 0512/10/10, OSCE document No. SEC.DEL/585/16 (December 14, 2016), p. 3",
     {"note": "No. 0512/10/10", "genre": "OSCE document", "number": "SEC.DEL/585/16", "issued": "2016-12-14"}, "3"),
    ("PACE, “Escalation”, document No. 13930 (11 December 2015), pp. 25–26",
     {"number": "13930", "genre": "document", "issued": "2015-12-11"}, "25–26"),
    ("“Reports”, Baku (2020), p. 287, https://x.az/a,b.pdf",
     {"publisher-place": "Baku", "URL": "https://x.az/a,b.pdf"}, "287"),
    ("A/71/782 (February 7, 2017)", {"number": "A/71/782", "issued": "2017-02-07"}, None),
    ("Ibid., pp. 15–16", {}, "15–16"),
])
def test_parse_reference(text, fields, locator):
    cite = parse_reference(text)
    assert cite is not None
    assert {k: cite.csl[k] for k in fields} == fields
    assert cite.locator == locator


@pytest.mark.parametrize("text", ["My note.", "http", "see the report “T” below", "Ibid, page", "a (b) c",
                                  "“Unclosed title, p. 3", "Smith, “T” (Spring 2020)"])
def test_not_a_reference(text):
    assert parse_reference(text) is None


def test_small_pieces():
    assert parse_date("September 1992") == [1992, 9]
    assert parse_date("December 11, 2015") == parse_date("11 December 2015") == [2015, 12, 11]
    assert parse_date("February 30, 2015") is None
    assert names("Human Rights Watch/Helsinki") == [{"literal": "Human Rights Watch/Helsinki"}]
    assert names("State Commission on Prisoners of War, Hostages and Missing Persons") == [
        {"literal": "State Commission on Prisoners of War, Hostages and Missing Persons"}]
    assert names("Светлана Ганнушкина, Bernhard Clasen")[0] == {"family": "Ганнушкина", "given": "Светлана"}
    assert split_segments("A; “B; C” (x; y); D") == [(0, 1), (3, 16), (18, 19)]
