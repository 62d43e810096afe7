"""--comments-in-source, piece by piece: the HTML comment a reviewer's comment becomes,
the place it goes (out of any construct it cannot sit in), and the check that it
changes nothing a reader sees."""

from __future__ import annotations

import pytest

from report.review.comments import changed_by_comments, comment_text, safe_offset
from report.review.sourcefile import SourceFile

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
