"""report.render.weasyprint_line_memo: a line of the same element, style, text and
widths broken again gets a copy of the first answer; the same words in another element
are broken anew; the memo is bounded and emptied after a layout. That the PDF is stock
WeasyPrint's byte for byte is tested with the other layout fixes
(tests/render/test_pdf_layout_speedups.py, which also checks the memo was used)."""

from __future__ import annotations

import pytest

from report.render import weasyprint_line_memo
from report.render.weasyprint_line_memo import LineMemo
from tests.render.weasyprint_support import on_written_for_versions


class _Layout:
    def __init__(self, text):
        self.text = text


@pytest.fixture
def calls():
    return []


@pytest.fixture
def stock(calls):
    def split(text, style, context, max_width, spacing, is_line_start, minimum):
        calls.append((text, max_width))
        return _Layout(text[:5]), 5, 6, 40.0, 12.0, 9.0
    return split


def _split(memo, stock, text="Some words here", style=None, width=100.0, element="p1"):
    memo.element = element
    return memo.split(stock, text, style if style is not None else STYLE, None, width, 0, True, False)


STYLE = {"font_size": 12}


def test_a_line_of_the_same_element_broken_again_is_a_copy_of_the_first_answer(stock, calls):
    memo = LineMemo()
    first, again = _split(memo, stock), _split(memo, stock)
    assert len(calls) == 1 and (memo.hits, memo.misses) == (1, 1)
    assert again[1:] == first[1:] and again[0].text == first[0].text
    assert again[0] is not first[0]  # each box gets a layout of its own


def test_the_same_words_elsewhere_or_at_another_width_are_broken_anew(stock, calls):
    memo = LineMemo()
    _split(memo, stock)
    _split(memo, stock, element="p2")  # another element (another chapter's copy)
    _split(memo, stock, style={"font_size": 12})  # an equal style, not the same one
    _split(memo, stock, width=90.0)
    _split(memo, stock, text="Other words here")
    assert len(calls) == 5 and memo.hits == 0


def test_outside_a_text_box_every_call_goes_to_weasyprint(stock, calls):
    memo = LineMemo()
    _split(memo, stock, element=None)
    _split(memo, stock, element=None)
    assert len(calls) == 2 and memo.hits == memo.misses == 0


def test_the_memo_keeps_two_generations_and_is_emptied(stock, calls, monkeypatch):
    monkeypatch.setattr(weasyprint_line_memo, "GENERATION", 3)
    memo = LineMemo()
    for n in range(7):
        _split(memo, stock, text=f"line {n}")
    assert len(memo._new) + len(memo._old) <= 6
    _split(memo, stock, text="line 6")  # the newest is kept
    assert memo.hits == 1
    _split(memo, stock, text="line 0")  # the oldest is gone
    assert len(calls) == 8
    memo.clear()
    _split(memo, stock, text="line 6")
    assert len(calls) == 9 and not memo._old


@on_written_for_versions
def test_a_real_layout_uses_the_memo_and_leaves_it_empty():
    from report.render import weasyprint_patches

    weasyprint_patches.apply()
    from weasyprint import HTML

    from report.render.weasyprint_line_memo import MEMO

    notes = "".join(f'<span style="float: footnote">Note {n}, with a source and a date.</span> text' for n in range(6))
    words = "Some words of a paragraph. " * 30
    html = f'<html lang="en"><body><p style="text-align: justify">{words}{notes}</p></body></html>'
    hits = MEMO.hits
    HTML(string=html).write_pdf()
    assert MEMO.hits > hits  # the footnote area, laid out again as each note joined it
    assert not MEMO._new and not MEMO._old and MEMO.element is None
