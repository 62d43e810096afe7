"""Numbered paragraphs (``paragraphs: numbered``): no paragraph number written by hand.

XRF006 (warning): running text that says "para. 12", "paragraph 12" or "paras. 3–5"
when the report numbers its paragraphs. Such a number goes stale as soon as a
paragraph is inserted above it; ``@para-…`` follows the paragraph. The hint names the
label to write when the paragraph has one. Notes are not searched (a citation's
locator ``[@key, para. 27]`` is another document's paragraph), nor is a treaty's
"article 9, paragraph 3" or a "paragraph 2 of …".
"""

from __future__ import annotations

import re

from report import model as m
from report.checks import CheckContext
from report.diagnostics import Diagnostic, warning
from report.i18n.strings import tool_strings

_ENGLISH = ("paragraphs", "paragraph", "paras.", "para.", "¶¶", "¶")
_AFTER_ARTICLE = re.compile(r"(?:\barticles?|\barts?\.)\s*\d+\s*,?\s*$", re.I)
_OF = re.compile(r"\s*,?\s*of\b", re.I)


def _pattern(language: str) -> re.Pattern:
    _ = tool_strings(language)
    words = sorted({*_ENGLISH, _("para."), _("paras.")}, key=len, reverse=True)
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?P<word>{alternatives})(?!\w)[\s\u00a0]*(?P<first>\d+)"
                      rf"(?:[\s\u00a0]*(?:[–-]|and|to|,)[\s\u00a0]*(?P<last>\d+))?", re.I)


def _texts(document: m.Document):
    """Every Text node of the body, outside notes, with the paragraph it is in."""
    for section in document.sections:
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                for node in m.descendants(inlines, into_notes=False):
                    if isinstance(node, m.Text):
                        yield node


def hand_written_numbers(ctx: CheckContext) -> list[Diagnostic]:
    if not ctx.config.numbered_paragraphs:
        return []
    document = ctx.document
    labels: dict[int, str] = {}
    for section in document.sections:
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Paragraph) and block.number is not None and block.id \
                    and m.crossref_kind(block.id) == "para":
                labels[block.number] = block.id
    pattern = _pattern(document.metadata.language)
    found = []
    for node in _texts(document):
        for match in pattern.finditer(node.text):
            if _AFTER_ARTICLE.search(node.text[:match.start()]) or _OF.match(node.text, match.end()):
                continue  # a treaty's paragraph: "article 9, paragraph 3", "paragraph 2 of the Convention"
            first = int(match["first"])
            last = int(match["last"]) if match["last"] else first
            numbers = list(range(first, last + 1)) if 0 < last - first < 50 else [first, last] if last != first else [first]
            named = [labels.get(n) for n in numbers]
            if all(named):
                written = "@" + named[0] if len(named) == 1 else "[" + "; ".join("@" + label for label in named) + "]"
                hint = f"write {written}: a reference follows its paragraph when paragraphs are inserted or moved"
            else:
                missing = next(n for n, label in zip(numbers, named) if not label)
                hint = f"give paragraph {missing} an id {{#para-…}} and write @para-…"
            found.append(warning("XRF006", f"a paragraph number written by hand: '{match.group(0)}'",
                                 node.location, hint))
    return found


RULES = [hand_written_numbers]
