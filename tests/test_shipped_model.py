"""The shipped report's sources against the seed, at the model level (no renderer)."""

from __future__ import annotations

import pytest

from report import model as m
from report.build import load
from tests.conftest import REPO
from tests.seed import missing_facts, normalise, seed_body, seed_notes


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


def test_one_footnote_per_seed_note_in_order(document):
    numbers = [note.number for note in document.footnotes()]
    assert numbers == sorted(seed_notes())


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
