"""The shipped report's sources against the seed, at the model level (no renderer)."""

from __future__ import annotations

import pytest

from report import model as m
from report.build import load
from tests.conftest import REPO
from tests.seed import missing_facts, normalise, seed_body, seed_body_with_calls, seed_notes


@pytest.fixture(scope="module")
def document():
    return load(REPO).document


def model_body(document: m.Document) -> str:
    parts = [document.metadata.title]
    for section in document.sections:
        if section.title:
            parts.append(section.title)
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                parts.append(m.plain_text(inlines))
    return normalise(" ".join(parts))


def test_body_is_the_seed_word_for_word(document):
    assert model_body(document) == seed_body()


def test_each_footnote_call_stands_where_the_seed_has_it(document):
    def text(inlines):
        out = []
        for node in inlines:
            if isinstance(node, m.Footnote):
                out.append(f"⟦{node.number}⟧")
            elif isinstance(node, (m.Text, m.Code)):
                out.append(node.text)
            elif hasattr(node, "children"):
                out.append(text(node.children))
        return "".join(out)

    parts = [document.metadata.title]
    for section in document.sections:
        parts += [section.title] if section.title else []
        parts += [text(inlines) for block in section.blocks for inlines in m.block_inlines(block)]
    assert normalise(" ".join(parts)) == seed_body_with_calls()
    assert [note.number for note in document.footnotes()] == sorted(seed_notes())


@pytest.mark.parametrize("number", range(1, 15))
def test_each_note_carries_every_fact_of_the_seed_note(document, number):
    note = document.footnotes()[number - 1]
    assert missing_facts(number, m.plain_text(note.children)) == set()


def test_ibid_chains_are_derived_by_the_style(document):
    notes = document.footnotes()
    texts = {n.number: m.plain_text(n.children) for n in notes}
    for number in (2, 4, 11, 12):
        assert texts[number].startswith("Ibid., p")
        assert [c.position for c in notes[number - 1].cites] == ["ibid-with-locator"]
    assert [c.position for c in notes[7].cites] == ["first", "first"]
    assert len(notes[5].cites) == 2  # note 6 cites several sources


def test_urls_in_notes_are_links(document):
    links = [node for node in m.walk_inlines(document) if isinstance(node, m.Link)]
    hrefs = {link.href for link in links}
    for number, text in seed_notes().items():
        for token in text.split():
            if token.startswith("http"):
                assert token.rstrip(".") in hrefs


def test_suppressed_author_is_left_out_of_the_note(make_project):
    root = make_project({"sections/01-intro.md": "---\ntitle: X\n---\n\nThe United Nations said so[-@un-2020, p. 3]; again[@un-2020, p. 4][@ngo-2021].\n"})
    first, second, _ = [m.plain_text(n.children) for n in load(root).document.footnotes()]
    assert first.startswith("“A Report”, UN document No. A/75/123")
    assert "United Nations" not in first
    assert second == "Ibid., p. 4."


def test_free_text_notes_keep_the_authors_case(make_project):
    root = make_project({"sections/01-intro.md": "---\ntitle: X\n---\n\nA[@un-2020].^[see the annex.] B.^[[@ngo-2021] and more.]\n"})
    notes = [m.plain_text(n.children) for n in load(root).document.footnotes()]
    assert notes[1] == "see the annex."
    assert notes[2].startswith("An NGO")


def test_stock_style_does_not_title_case_titles_in_another_language(make_project):
    root = make_project({
        "report.yaml": "title: T\nlanguage: az\nsections: [01-intro.md]\ncitation-style: chicago-notes-bibliography\n",
        "references/sources.yaml": "- {id: un-2020, type: report, title: azərbaycan haqqında hesabat, issued: 2020}\n"
                                   "- {id: ngo-2021, type: report, title: a report in english, language: en, issued: 2021}\n",
    })
    first, second = [m.plain_text(n.children) for n in load(root).document.footnotes()]
    assert "haqqında hesabat" in first  # not "Haqqında Hesabat"; the note's first letter is capitalised
    assert "A Report in English" in second
