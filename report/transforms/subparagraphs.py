"""A numbered paragraph's subparagraphs, as references name them: "para. 12 (b)".

The lists after a numbered paragraph are its subparagraphs, four levels deep as the UN
Editorial Manual runs them: (a) → (i) → a. → i. (French and Spanish: a) → i)). Takes a
numbered document (report.transforms.crossrefs.number_paragraphs set each list's
``subparagraph`` level); gives each item's chain from its paragraph down, and the
numbers a reference to it shows. The DOCX's REF fields (report.render.docx.captions)
go through the same chains.
"""

from __future__ import annotations

from report import model as m

SUBPARAGRAPH_LEVELS = 4  # (a) → (i) → a. → i., as the UN Editorial Manual runs them


def subparagraph_mark(language: str, level: int, index: int) -> str:
    """The mark of a numbered paragraph's subparagraph: "(b)" at level 1, "(ii)" at
    level 2, "b." at level 3 and "ii." at level 4 (UN Editorial Manual); "b)" and "ii)"
    at the first two in French and Spanish."""
    letter = roman(index + 1) if level % 2 == 0 else _letters(index + 1)
    if level > 2:
        return f"{letter}."
    return f"{letter})" if language.split("-")[0].lower() in ("fr", "es") else f"({letter})"


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def roman(n: int) -> str:
    """``n`` in lower-case roman numerals (an annex's number is its upper case)."""
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out += digits * count
    return out


def subparagraph_chains(document: m.Document) -> dict[int, tuple[tuple[m.Paragraph, int], ...]]:
    """id(paragraph) of each subparagraph → the chain it belongs to, from the numbered
    paragraph (index 0) down to itself, each with its item's index in its list: the
    first paragraph of each item of a subparagraph list ((a), (b)…) and of the lists
    ((i), (ii)…) inside those."""
    chains: dict[int, tuple] = {}

    def items(block: m.ListBlock, above: tuple) -> None:
        for index, item in enumerate(block.items):
            if not item or type(item[0]) is not m.Paragraph:
                continue
            chain = above + ((item[0], index),)
            chains[id(item[0])] = chain
            for child in item[1:]:
                if isinstance(child, m.ListBlock) and child.subparagraph == block.subparagraph + 1:
                    items(child, chain)

    def visit(blocks) -> None:
        last = None
        for block in blocks:
            if isinstance(block, m.ListBlock) and block.subparagraph == 1 and last is not None:
                items(block, ((last, 0),))
            elif isinstance(block, m.Div) and block.kind == "group":
                visit(block.children)
            last = block if isinstance(block, m.Paragraph) and block.number else None

    for section in document.sections:
        visit(section.blocks)
    return chains


def subparagraph_number(chain: tuple, language: str) -> str:
    """"12 (b)" or "12 (b) (ii)" ("12 b) ii)" in French) for a chain of
    :func:`subparagraph_chains`: the numbers a reference to it shows."""
    marks = [str(chain[0][0].number)]
    marks += [subparagraph_mark(language, level, index) for level, (_, index) in enumerate(chain[1:], start=1)]
    return " ".join(marks)
