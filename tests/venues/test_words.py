"""Word counting (report.venues.words): Word's way, from the resolved model."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from report.build import load
from report.venues.words import count_words, section_words, totals
from tests.conftest import REPO


@pytest.mark.parametrize("text, words", [
    ("Detention under A/HRC/47/1 lasted 12–14 days, para. 3.", 8),  # a UN symbol, a range, a number: a word each
    ("2,815 words", 2),
    ("before – after", 2),                      # a dash standing alone is no word
    ("Il dit\u202f: « oui »\u202f!", 3),        # nor is French spacing's punctuation
    ("中文报告", 4),                              # an ideograph is a word
    ("日本語のテキスト", 8),                       # so is each kana
    ("UN 报告 A/75/123", 4),
    ("  \n\t", 0),
])
def test_count_words(text, words):
    assert count_words(text) == words


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (120, 120, 120)).save(buffer, "PNG")
    return buffer.getvalue()


SECTION = """\
---
title: Findings in Brief
---

## Method

Detention under A/HRC/47/1 lasted 12–14 days, para. 3 of the order.^[A note of five words.]

- first item here
- second item

| Place | Count |
| --- | --- |
| Ganja | 12 |

: Cases by place {#tbl-cases}

![A photo of the gate](images/gate.png){#fig-gate fig-alt="alt words are never counted at all"}

See @tbl-cases – and « bien » !
"""


def test_a_section_counts_what_it_shows_and_its_notes_apart(make_project):
    root = make_project({"sections/01-intro.md": SECTION, "images/gate.png": png(),
                         "references/sources.yaml": "[]\n"})
    [section] = section_words(load(root).document)
    # title 3, heading 1, paragraph 11, list items 3 + 2, cells 4, caption 3, figure caption 5,
    # "See table 1 and bien" 5 (the reference as readers see it); the alternative text is not counted
    assert (section.path, section.body, section.notes, section.annex) == ("sections/01-intro.md", 37, 5, False)
    assert totals([section]).counted(("body", "notes")) == 42


def test_the_shipped_report_counts_as_the_original_word_file_did():
    """The seed is the text of the Word file the shipped report was made from: its body,
    less the title on its first page (not part of any section), has as many words."""
    from tests.seed import seed_body, seed_notes

    loaded = load(REPO)
    counts = totals(section_words(loaded.document))
    title = count_words(loaded.document.metadata.title)
    assert counts.body == count_words(seed_body()) - title == 2316
    # The notes are written again by the citation style (Ibid., dates as it writes them):
    # within a few words of the original's.
    assert abs(counts.notes - sum(count_words(n) for n in seed_notes().values())) <= 5
    assert counts.annexes == 0


def test_the_list_of_sources_and_an_annex_count_as_back_matter(make_project):
    """A venue's word limit is on the body: the list of sources (``bibliography: true``)
    and an annex are counted apart, with the annexes."""
    root = make_project({"sections/02-annex.md": "---\ntitle: Data\nannex: true\n---\n\nThree more words.\n"})
    config = root / "report.yaml"
    config.write_text(config.read_text().replace("  - 01-intro.md\n", "  - 01-intro.md\n  - 02-annex.md\n")
                      + "bibliography: true\n")
    sections = section_words(load(root).document)
    assert [(s.path, s.annex) for s in sections] == [
        ("sections/01-intro.md", False), ("sections/02-annex.md", True), ("report.yaml", True)]
    counts = totals(sections)
    assert counts.annexes == sum(s.body + s.notes for s in sections[1:]) > 4
    assert counts.body == sections[0].body
