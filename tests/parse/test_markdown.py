"""Markdown → model: structure, locations and escaping of what authors write."""

from __future__ import annotations

import pytest

from report import model as m
from report.diagnostics import Location
from report.parse.markdown import parse_section
from report.sources.sections import SectionSource


def parse(body: str, body_line: int = 4):
    source = SectionSource("sections/x.md", "x", "X", body, body_line, Location("sections/x.md"))
    return parse_section(source)


def test_citation_location_is_file_line_and_column():
    section, problems = parse("Intro.\n\nText here[@key, p. 2] more.\n")
    assert problems == []
    citation = [n for n in section.blocks[1].children if isinstance(n, m.Citation)][0]
    assert citation.location == Location("sections/x.md", 6, 10)
    assert citation.items[0].location == Location("sections/x.md", 6, 11)


def test_free_text_note_holds_its_citation_with_location():
    section, _ = parse("Claim.^[As shown [@a, pp. 1–2] and elsewhere.]\n", body_line=1)
    note = section.blocks[0].children[1]
    assert isinstance(note, m.Note)
    assert note.location == Location("sections/x.md", 1, 7)
    citation = note.children[1]
    assert isinstance(citation, m.Citation)
    assert citation.location == Location("sections/x.md", 1, 18)
    assert m.plain_text(note.children) == "As shown  and elsewhere."


def test_raw_html_is_refused_and_never_text():
    section, problems = parse("A <script>alert(1)</script> b\n\n<div>block</div>\n")
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("MD020", 4, 3), ("MD020", 6, 1)]
    assert "<" not in m.plain_text(section.blocks[0].children) and len(section.blocks) == 1
    escaped, problems = parse("A \\<script> shown as text\n")
    assert problems == [] and m.plain_text(escaped.blocks[0].children) == "A <script> shown as text"


def test_attributes_on_paragraphs_and_spans():
    section, _ = parse("{#kh-1 .incident}\nText with [Article 12]{.provision ref=cat:12}.\n")
    paragraph = section.blocks[0]
    assert paragraph.id == "kh-1" and paragraph.classes == ("incident",)
    span = paragraph.children[1]
    assert isinstance(span, m.Span) and span.classes == ("provision",)
    assert dict(span.attributes) == {"ref": "cat:12"}
    assert m.plain_text(paragraph.children) == "Text with Article 12."


def test_headings_lists_quotes():
    section, problems = parse("## Sub heading\n\n- one\n- two\n\n> quoted\n")
    assert problems == []
    heading, lst, quote = section.blocks
    assert isinstance(heading, m.Heading) and heading.level == 2 and heading.id == "sub-heading"
    assert isinstance(lst, m.ListBlock) and len(lst.items) == 2
    assert isinstance(quote, m.BlockQuote)


def test_model_json_round_trip_is_stable():
    import json

    section, _ = parse("Text[@a].\n")
    data = json.dumps(m.to_data(section), sort_keys=True)
    assert json.loads(data)["blocks"][0]["children"][1]["type"] == "Citation"


def test_html_comments_are_dropped_other_html_is_refused():
    section, problems = parse("Text <!-- noqa: TYP003 --> more <b>bold</b>.\n\n<!-- a block comment -->\n\nNext.\n")
    assert m.plain_text(section.blocks[0].children) == "Text  more bold."
    assert [p.code for p in problems] == ["MD020"]  # once for <b>…</b>
    assert len(section.blocks) == 2
    assert m.plain_text(section.blocks[1].children) == "Next."


def codes(body: str) -> list[tuple[str, int, int]]:
    _, problems = parse(body, body_line=1)
    return [(p.code, p.location.line, p.location.col) for p in problems]


def test_a_note_inside_a_note_is_an_error():
    assert codes("N.^[Outer ^[inner] text.]\n") == [("MD004", 1, 11)]


def test_unterminated_citation_across_lines_and_in_notes():
    assert codes("First.\n\nA claim [see\n@key, p. 3 that never closes.\n") == [("CIT002", 3, 9)]
    # the brackets do not balance, so the note itself is what stays open
    assert codes("A note.^[Citing [@key, p. 3 unclosed.]\n") == [("MD005", 1, 8)]
    assert codes("A note.^[Citing [@key, p. 3 unclosed.]]\n") == []


def test_unterminated_and_empty_notes():
    assert codes("A note ^[See it unclosed.\n") == [("MD005", 1, 8)]
    assert codes("Empty.^[]\n") == [("MD006", 1, 7)]


def test_unterminated_offsets_belong_to_their_own_paragraph():
    assert codes("Clean paragraph[@a].\n\nBroken [@b, p. 2 here.\n") == [("CIT002", 3, 8)]


def test_citation_columns_inside_containers():
    section, _ = parse("> Quoted claim [@k, p. 1].\n\n- item with [@j].\n", body_line=1)
    quote_cite = section.blocks[0].children[0].children[1]
    assert quote_cite.location == Location("sections/x.md", 1, 16)
    item_cite = section.blocks[1].items[0][0].children[1]
    assert item_cite.location == Location("sections/x.md", 3, 13)


def test_a_citation_inside_link_text_keeps_the_link():
    section, problems = parse("See [the report [@pace, p. 4]](https://example.org/y) now.\n")
    assert problems == []
    link = section.blocks[0].children[1]
    assert isinstance(link, m.Link) and link.href == "https://example.org/y"
    assert isinstance(link.children[1], m.Citation)


@pytest.mark.parametrize("text", ["", "one line", "ends\n", "\n\nstarts\nwith blanks", "a\r\nb\nc"])
def test_line_starts_are_the_offsets_after_each_newline(text):
    from report.parse.inlines import _line_starts

    assert _line_starts(text) == [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


@pytest.mark.parametrize("written, alt", [(r'"ends in a backslash \\"', "ends in a backslash \\"),
                                          (r'"a \"quote\" and } brace"', 'a "quote" and } brace'),
                                          (r"'single \\' ", "single \\")])
def test_a_quoted_attribute_value_may_end_in_an_escaped_backslash(written, alt):
    section, problems = parse(f"![Caption](images/a.png){{#fig-a fig-alt={written}}}\n")
    assert problems == []
    assert isinstance(section.blocks[0], m.Figure) and section.blocks[0].alt == alt
