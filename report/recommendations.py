"""``recommendations.csv``: the report's recommendations for the follow-up tables
advocacy teams keep.

Takes the built document (numbered, in the build's language and edition); returns
the file's bytes, one row a recommendation in reading order: its number, its label
(``rec-…``, the key that stays when numbers move), its text (notes left out, cross-
references as readers see them), to whom it is addressed, and the number of the
numbered paragraph its list follows (empty when paragraphs are not numbered).
Written beside the other outputs, with them (report.outputs.write_outputs).
"""

from __future__ import annotations

import csv
import io

from report import model as m
from report.transforms.recommendations import recommendations

FILE = "recommendations.csv"
COLUMNS = ("number", "id", "text", "addressee", "paragraph")


def item_text(item) -> str:
    """A list item's visible text on one line: its paragraphs (and nested lists) joined."""
    parts = []
    for block in m.walk_blocks(item):
        if isinstance(block, (m.Paragraph, m.Heading)):
            parts.append(m.plain_text(block.children))
    return " ".join(" ".join(parts).split())


def to_csv(document: m.Document) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rec in recommendations(document):
        writer.writerow([rec.number, rec.label or "", item_text(rec.item), rec.addressee or "",
                         "" if rec.paragraph is None else rec.paragraph])
    return out.getvalue().encode("utf-8")


def recommendation_files(document: m.Document) -> dict[str, bytes]:
    """``{"recommendations.csv": …}`` when the document has recommendations, else nothing
    (a report without them gets no empty file)."""
    return {FILE: to_csv(document)} if recommendations(document) else {}
