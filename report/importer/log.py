"""What an import accepted, dropped, converted and kept as written: counted, then stated.

Every stage adds to one :class:`ImportLog`; :meth:`ImportLog.statements` returns
the lines ``report import`` prints, e.g. ``accepted: 3 tracked insertions``.
"""

from __future__ import annotations

from collections import Counter

_PLURALS = {"text box to paragraphs": "text boxes to paragraphs",
            "chart, shape or other drawing": "charts, shapes or other drawings",
            "image in a note or a table": "images in notes or tables",
            "table of contents": "tables of contents",
            "link inside the document to plain text": "links inside the document to plain text",
            "endnote to a footnote": "endnotes to footnotes", "hidden text run": "hidden text runs",
            "table in a note flattened to text": "tables in notes flattened to text",
            "empty note": "empty notes",
            "note as free text (nothing in it reads as a reference)":
                "notes as free text (nothing in them reads as a reference)",
            "all-capitals paragraph to a section heading": "all-capitals paragraphs to section headings",
            "block to plain text (Markdown cannot express its emphasis)":
                "blocks to plain text (Markdown cannot express their emphasis)"}
ORDER = ("accepted", "dropped", "converted", "kept")


class ImportLog:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.details: list[tuple[str, str]] = []

    def count(self, verb: str, what: str, n: int = 1) -> None:
        self.counts[(verb, what)] += n

    def note(self, verb: str, text: str) -> None:
        """A one-off statement, e.g. why a note was kept as written."""
        self.details.append((verb, text))

    def statements(self) -> list[str]:
        out = []
        for verb in ORDER:
            items = sorted((what, n) for (v, what), n in self.counts.items() if v == verb)
            if items:
                out.append(f"{verb}: " + ", ".join(f"{n} {_plural(what, n)}" for what, n in items))
        out += [f"{verb}: {text}" for verb, text in self.details]
        return out


def _plural(what: str, n: int) -> str:
    if n == 1:
        return what
    if what in _PLURALS:
        return _PLURALS[what]
    head, sep, tail = what.partition(" ")
    if head == "image" and tail:  # "image over 50 MB" → "images over 50 MB"
        return f"images {tail}"
    if head in ("tracked", "symbol-font", "empty", "hidden", "formatting", "w:", "linked"):
        return f"{head} {_plural(tail, n)}" if tail else what
    return what + ("es" if what.endswith(("s", "x", "ch")) else "s")
