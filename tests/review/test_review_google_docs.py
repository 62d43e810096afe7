"""`report review` of a file reviewed in Google Docs and downloaded as Word
(tests/review/google_docs.py writes it as Google Docs does): suggestions (a replacement
written insertion first, a deletion, insertions in the body, one inside a goog_rdk content
control, and in a footnote that Google numbers from 0) are placed at their Markdown
source, a comment thread (each reply a comment of its own on the same range, no
commentsExtended.xml) reads as a comment and its replies, a comment on a suggestion and
one in a note at their places, and --apply then a rebuild
gives the text Google Docs shows with every suggestion accepted. Google Docs drops the
file's properties, so the build is named with --base, and without it REV007 says so."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from report.build import build
from report.review.wordfile import read_word_file
from tests.diff.docx_revisions import wa
from tests.review.conftest import S2, S3, S5, at, run_review
from tests.review.google_docs import GoogleDoc
from tests.review.test_review_shipped import accepted_texts

ANA, BEN, CARL = "Ana Lima", "Ben Okafor", "Carla Díaz"
ASKED, ANSWERED, AGREED = "2026-12-01T10:00:00Z", "2026-12-02T09:30:00Z", "2026-12-03T16:05:12Z"


def google_review(project) -> bytes:
    """The build's report.docx reviewed in Google Docs (suggesting mode), downloaded as .docx."""
    doc = GoogleDoc((project / "build" / "en" / "public" / "report.docx").read_bytes())
    d = doc.document
    doc.replace(d, "killed", "executed", ANA)
    doc.delete(d, " As of today,", BEN)
    doc.insert(d, "under-researched aspects", "deeply ", BEN, control=True)
    doc.insert(doc.note(6), "Red Cross", "the ", ANA)
    doc.comment(d, "A September 1992 report", "white flag", [
        (ANA, ASKED, "Source for this date?"), (BEN, ANSWERED, "HRW, p. 4."), (CARL, AGREED, "Agreed, cite p. 4.")])
    doc.comment(d, "deeply ", "deeply ", [(ANA, ANSWERED, "Is this word needed?")])  # on the suggestion
    doc.comment(doc.note(1), "Human Rights Watch", "Human Rights Watch", [(CARL, AGREED, "Check the 1992 print.")])
    return doc.export()


def expected(project) -> list[str]:
    asked = at(project, S2, "A September 1992", 5)
    return [
        f"{asked}: comment[{ANA}, 2026-12-01]: Source for this date?",
        f"{asked}: comment[{BEN}, 2026-12-02, reply to {ANA}]: HRW, p. 4.",
        f"{asked}: comment[{CARL}, 2026-12-03, reply to {ANA}]: Agreed, cite p. 4.",
        f'{at(project, S2, "killed", 5)}: change[{ANA}]: "killed" → "executed"',
        f"{at(project, S2, '[@hrw-1992-bloodshed', 5)}: comment[{CARL}, 2026-12-03]: Check the 1992 print.",
        f'{at(project, S3, "under-researched", 5)}: change[{BEN}]: "and under-researched" → '
        '"and deeply under-researched"',
        f"{at(project, S3, 'under-researched', 5)}: comment[{ANA}, 2026-12-02]: Is this word needed?",
        f'{at(project, S3, "Red Cross", 10)}: change[{ANA}]: "of Red" → "of the Red" in note 6',
        f'{at(project, S5, " As of today", 5)}: change[{BEN}]: "families. As of today," → "families."',
    ]


def test_the_export_is_shaped_as_google_docs_writes_it(project):
    """The generator's file has what the review must cope with: no properties part, notes
    from 0 without separators, a replacement's insertion before its deletion under one id,
    a thread without commentsExtended.xml."""
    data = google_review(project)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        document = etree.fromstring(archive.read("word/document.xml"))
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    assert not any(name.startswith("docProps/") for name in names)
    assert "word/commentsExtended.xml" not in names and "word/comments.xml" in names
    assert [n.get(wa("id")) for n in notes][:2] == ["0", "1"] and notes.find(f".//{wa('separator')}") is None
    ins = next(document.iter(wa("ins")))
    assert ins.getnext().tag == wa("del") and ins.getnext().get(wa("id")) == ins.get(wa("id")) == "0"
    assert any(t.get(wa("val")) == "goog_rdk_0" for t in document.iter(wa("tag")))


def test_suggestions_and_threads_are_placed_in_the_sources(project):
    review = project / "from-google.docx"
    review.write_bytes(google_review(project))
    read = read_word_file(review, review.name)
    assert read.identity is None  # Google Docs keeps no custom property
    replies = {c.text: c.reply_to for c in read.comments.values()}
    first = next(cid for cid, c in read.comments.items() if c.text == "Source for this date?")
    assert replies == {"Source for this date?": None, "HRW, p. 4.": first, "Agreed, cite p. 4.": first,
                       "Is this word needed?": None, "Check the 1992 print.": None}
    result = run_review(project, review, "--base", str(project / "build" / "en" / "public"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-3] == expected(project)
    assert lines[-3] == "4 change(s): 4 placed in the sources, 0 not applied; 5 comment(s)"


def _without_contents(docx: bytes) -> bytes:
    """``docx`` without its contents (Google's "Table of Contents" content control: a
    field Word recomputes, left out of the comparison as accepted_texts leaves out ours)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(data)
                for gallery in list(root.iter(wa("docPartGallery"))):
                    if gallery.get(wa("val")) == "Table of Contents":
                        sdt = gallery.getparent().getparent().getparent()
                        sdt.getparent().remove(sdt)
                data = etree.tostring(root)
            target.writestr(name, data)
    return out.getvalue()


def test_apply_then_rebuild_gives_the_text_google_docs_shows(project):
    review = project / "from-google.docx"
    review.write_bytes(google_review(project))
    result = run_review(project, review, "--base", str(project / "build" / "en" / "public"), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(f"applied 4 change(s) to {S2}")
    rebuilt = (build(project, ("docx",)).out_dir / "report.docx").read_bytes()
    body, notes = accepted_texts(rebuilt)
    assert (body, notes) == accepted_texts(_without_contents(review.read_bytes()))
    assert "International Committee of the Red Cross" in notes[5] and "As of today" not in "".join(body)


def test_without_base_the_error_says_google_docs_drops_the_build(project):
    review = project / "from-google.docx"
    review.write_bytes(google_review(project))
    result = run_review(project, review)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{review}:1:1: error[REV007]: {review} was not made by `report build` (it names no build) (give the "
        "build it came from with --base BUILD_DIR; a file saved by Google Docs has lost the property that "
        "names it)"]
    assert not (project / "build" / "review").exists()
