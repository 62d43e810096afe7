"""Counting words as a venue's secretariat does, with Word's "Word count".

Takes a resolved document (report.build.load → Loaded.document: notes numbered and
written by the citation style, ``@para-…`` references as their words, the edition and
language being built); returns the words of each section, in its body and in its notes.

What is counted, and why:

* A word is a run of characters between white space (as Word counts) holding at least
  one letter or digit: "A/HRC/47/1", "12–14", "2,815" and "art." are one word each; a
  dash or a French « standing alone between spaces is none (Word's count varies there,
  and French spacing would otherwise add a word at every ; : ! ?).
* In Chinese and Japanese, which leave no space between words, each ideograph and kana
  is one word, as Word counts East Asian characters.
* The body is everything a section shows: its title, headings, paragraphs, list items,
  quotations, boxes, table cells and captions, figure captions, code. A figure's
  alternative text is not (Word does not count it either). The title page and the
  contents are not part of any section, and are not counted.
* Notes are every footnote's text, apart from the body; the note numbers are not words.
* A section is an annex when its front matter says ``annex: true``; the list of sources
  (``bibliography:``) is back matter and counted with the annexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report import model as m
from report.diagnostics import Location

# Han ideographs, kana and their compatibility forms: one word each.
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORDY = re.compile(r"[^\W_]")  # a letter or a digit, in any script


def count_words(text: str) -> int:
    """The words in ``text``, counted as the module's docstring says."""
    east_asian = len(_EAST_ASIAN.findall(text))
    rest = _EAST_ASIAN.sub(" ", text) if east_asian else text
    return east_asian + sum(1 for token in rest.split() if _WORDY.search(token))


@dataclass(frozen=True)
class SectionWords:
    """One section's words: in its body, in its notes; whether it is an annex."""

    path: str
    title: str | None
    location: Location
    body: int
    notes: int
    annex: bool = False


def section_words(document: m.Document) -> list[SectionWords]:
    """Every section's counts, in reading order."""
    found = []
    for section in document.sections:
        body = count_words(section.title or "")
        notes = 0
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.CodeBlock):
                body += count_words(block.text)
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                # Each inline sequence apart: words of two cells or two items never join.
                body += count_words(m.plain_text(inlines))
                for node in m.descendants(inlines, into_notes=False):
                    if isinstance(node, (m.Footnote, m.Note)):
                        notes += count_words(m.plain_text(node.children))
        # The list of sources is back matter, counted with the annexes, not the body
        back = getattr(section, "annex", False) is True or any(isinstance(b, m.Bibliography) for b in section.blocks)
        found.append(SectionWords(section.location.path, section.title, section.location, body, notes, back))
    return found


@dataclass(frozen=True)
class Totals:
    """Words in the body, the notes and the annexes (an annex's notes are the annex's)."""

    body: int
    notes: int
    annexes: int

    def counted(self, parts: tuple[str, ...]) -> int:
        """The sum of ``parts`` (of "body", "notes", "annexes")."""
        return sum(getattr(self, part) for part in parts)


def totals(sections: list[SectionWords]) -> Totals:
    return Totals(sum(s.body for s in sections if not s.annex), sum(s.notes for s in sections if not s.annex),
                  sum(s.body + s.notes for s in sections if s.annex))


def section_counted(section: SectionWords, parts: tuple[str, ...]) -> int:
    """What of ``section`` a limit counting ``parts`` counts."""
    if section.annex:
        return section.body + section.notes if "annexes" in parts else 0
    return section.body + (section.notes if "notes" in parts else 0)
