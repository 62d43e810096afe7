"""--comments-in-source, piece by piece: the HTML comment a reviewer's comment becomes,
the place it goes (out of any construct it cannot sit in), and the check that it
changes nothing a reader sees; and comments in threads (commentsExtended.xml): a reply
after its comment, a resolved comment listed as such and kept out of the sources."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from lxml import html

from report.review.comments import changed_by_comments, comment_text, safe_offset
from report.review.sourcefile import SourceFile
from tests.review import word_edits as we
from tests.review.conftest import S2, S3, at, reviewed, run_review

PATH = "sections/01-x.md"


@pytest.mark.parametrize("text, shown", [
    ("Source?", "<!-- review A 2026-12-01: Source? -->"),
    ("a --> b", "<!-- review A 2026-12-01: a - -> b -->"),
    ("two\n\nlines", "<!-- review A 2026-12-01: two / lines -->"),
    ("ends in -", "<!-- review A 2026-12-01: ends in -->"),
    ("<!-- nested -->", "<!-- review A 2026-12-01: <!- - nested - -> -->"),
])
def test_a_comment_is_one_html_comment_nothing_can_end_early(text, shown):
    assert comment_text("A", "2026-12-01T10:00:00Z", text) == shown
    assert shown.count("-->") == 1 and shown.endswith("-->")


@pytest.mark.parametrize("source, word, expected", [
    ("Text cited.[@hrw-1992, pp. 25–26] More.", "hrw-1992", "[@hrw"),
    ("Text cited [-@hrw-1992] here.", "hrw-1992", "[-@hrw"),
    ("A ![Gate](gate.jpg){#fig-gate width=60%} x", "width", "{#fig-gate"),
    ("See [the site](https://example.org/page) now.", "example", "(https"),
    ("Run `make all` first.", "all", "`make"),
    ("Plain words here.", "words", "words"),
])
def test_the_place_moves_out_of_constructs(source, word, expected):
    text = f"---\ntitle: X\n---\n\n{source}\n"
    at = safe_offset(SourceFile(PATH, text), text.index(word))
    assert text[at:].startswith(expected)


def test_a_comment_that_would_show_is_found():
    base = "---\ntitle: X\n---\n\nSome words here.\n\n```\ncode line\n```\n"
    inline = base.replace("words", "<!-- review A 2026-12-01: ok -->words")
    in_code = base.replace("code line", "<!-- review A 2026-12-01: no -->code line")
    assert not changed_by_comments(PATH, base, inline)
    assert changed_by_comments(PATH, base, in_code)


def _thread_and_resolved(package):
    """A comment and a reply to it (commentsExtended), and another comment resolved."""
    d = package.document
    asked = we.comment(d, package.comments, "A September 1992 report", "white flag", "Reviewer A",
                       "Source for this date?")
    we.reply(package, d, asked, "Reviewer B", "HRW, p. 4.", date="2026-12-02T09:00:00Z")
    done = we.comment(d, package.comments, "under-researched", "aspects", "Reviewer B", "Which aspects?")
    we.resolve(package, done)


def test_a_reply_follows_its_comment_and_a_resolved_comment_says_so(project):
    result = run_review(project, reviewed(project, _thread_and_resolved))
    assert result.exit_code == 0, result.output
    asked, done = at(project, S2, "A September 1992", 5), at(project, S3, "under-researched", 5)
    assert result.output.splitlines()[:3] == [
        f"{asked}: comment[Reviewer A, 2026-12-01]: Source for this date?",
        f"{asked}: comment[Reviewer B, 2026-12-02, reply to Reviewer A]: HRW, p. 4.",
        f"{done}: comment[Reviewer B, 2026-12-01]: Which aspects? (resolved)",
    ]
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    comments = data["comments"]
    assert [(c["authors"], c["text"], c["reply_to_author"], c["resolved"]) for c in comments] == [
        (["Reviewer A"], "Source for this date?", None, False),
        (["Reviewer B"], "HRW, p. 4.", "Reviewer A", False),
        (["Reviewer B"], "Which aspects?", None, True),
    ]
    # each comment has its Word id, and a reply names its comment by that id, not by its author
    with zipfile.ZipFile(project / "reviewed.docx") as docx:
        ids = re.findall(r'<w:comment [^>]*w:id="([^"]+)"', docx.read("word/comments.xml").decode("utf-8"))
    assert [c["id"] for c in comments] == [ids[0], ids[1], ids[2]] and len(set(ids)) == 3
    assert [c["reply_to"] for c in comments] == [None, comments[0]["id"], None]
    page = html.fromstring((project / "build" / "review" / "review.html").read_bytes())
    link = page.xpath("//a[starts-with(@href, '#comment-')]")
    assert [(a.get("href"), a.text_content()) for a in link] == [(f"#comment-{ids[0]}", "reply to Reviewer A")]
    assert page.get_element_by_id(f"comment-{ids[0]}").text_content() == "Source for this date?"
    assert "· resolved" in page.text_content()


def test_comments_in_source_keep_the_thread_and_leave_the_resolved_one_out(project):
    before = (project / S3).read_text(encoding="utf-8")
    result = run_review(project, reviewed(project, _thread_and_resolved), "--comments-in-source", "--apply")
    assert result.exit_code == 0, result.output
    assert "2 comment(s) kept in the sources as <!-- review … --> comments" in result.output.splitlines()
    text = (project / S2).read_text(encoding="utf-8")
    assert ("<!-- review Reviewer A 2026-12-01: Source for this date? -->"
            "<!-- review Reviewer B (reply to Reviewer A) 2026-12-02: HRW, p. 4. -->A September 1992 report") in text
    assert (project / S3).read_text(encoding="utf-8") == before  # the resolved discussion is over


def test_a_broken_comments_extended_part_means_no_replies(project):
    def edits(package):
        _thread_and_resolved(package)
        saved = package.save
        package.save = lambda: _replaced(saved(), "word/commentsExtended.xml", b"<w15:commentsEx><broken")

    result = run_review(project, reviewed(project, edits))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"{at(project, S2, 'A September 1992', 5)}: comment[Reviewer B, 2026-12-02]: HRW, p. 4." in lines
    assert not any("(resolved)" in line or "reply to" in line for line in lines)


def _one_time_thread(package):
    """A comment and a reply to it made at one time, as LibreOffice 7.4 saves them: no
    commentsExtended.xml, the reply on the comment's range, its reference run after the
    comment's; the reply's id is the lower one."""
    d = package.document
    asked = we.comment(d, package.comments, "A September 1992 report", "white flag", "Reviewer A",
                       "Source for this date?")
    answered = we.reply(package, d, asked, "Reviewer B", "HRW, p. 4.")  # the same date
    package.threads.clear()
    swapped = {asked: answered, answered: asked}
    for element in [*d.iter(we.wa("commentRangeStart"), we.wa("commentRangeEnd"), we.wa("commentReference")),
                    *package.comments.iter(we.wa("comment"))]:
        element.set(we.wa("id"), swapped.get(element.get(we.wa("id")), element.get(we.wa("id"))))


def test_at_one_date_the_reference_read_first_is_the_comment_the_other_answers(project):
    review = reviewed(project, _one_time_thread)
    with zipfile.ZipFile(review) as docx:
        assert "word/commentsExtended.xml" not in docx.namelist()
        document = docx.read("word/document.xml").decode("utf-8")
        comments = docx.read("word/comments.xml").decode("utf-8")
    references = re.findall(r'<w:commentReference w:id="([^"]+)"', document)
    ids = dict(re.findall(r'<w:comment [^>]*w:id="([^"]+)"[^>]*>.*?<w:t>([^<]*)</w:t>', comments))
    assert [ids[r] for r in references] == ["Source for this date?", "HRW, p. 4."]
    assert int(references[0]) > int(references[1])  # by id, the reply would come first
    result = run_review(project, review)
    assert result.exit_code == 0, result.output
    asked = at(project, S2, "A September 1992", 5)
    assert result.output.splitlines()[:2] == [
        f"{asked}: comment[Reviewer A, 2026-12-01]: Source for this date?",
        f"{asked}: comment[Reviewer B, 2026-12-01, reply to Reviewer A]: HRW, p. 4.",
    ]
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert [(c["id"], c["reply_to"]) for c in data["comments"]] == [(references[0], None),
                                                                     (references[1], references[0])]


def _replaced(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.namelist():
            dst.writestr(item, content if item == name else src.read(item))
    return out.getvalue()
