"""The footnotes part: separator notes, then one ``w:footnote`` per Footnote.

:func:`prepare_footnotes` takes the footnotes XML the reference document may
already have (a designer's Word adds one) and returns the ``w:footnotes`` element
with the separator notes only, and their ids, which settings.xml must reference;
:func:`write_notes` then appends the document's footnotes.

A reference's own separators are kept (they carry the designer's separator line)
but renumbered to Word's current ids, -1 and 0: older Word versions used 0 and 1,
which would collide with our notes, numbered from 1 like ``Footnote.number``.
"""

from __future__ import annotations

from lxml import etree

from report.render.docx.xml import NSMAP, paragraph, sub, text_run, w

# Separator kinds in the order Word writes them, with the ids given to them here.
SPECIAL_IDS = {"separator": "-1", "continuationSeparator": "0", "continuationNotice": "-2"}


def _separator(root, kind: str) -> None:
    note = sub(root, "footnote", type=kind, id=SPECIAL_IDS[kind])
    p = paragraph(note)
    ppr = sub(p, "pPr")
    # Single spacing with nothing after: the separator line sits tight above the notes.
    sub(ppr, "spacing", after="0", line="240", lineRule="auto")
    sub(sub(p, "r"), kind)


def _special_notes(existing):
    """The root to write into, keeping the reference's separators only."""
    if existing is None or existing.tag != w("footnotes"):
        return etree.Element(w("footnotes"), nsmap=NSMAP)
    root = existing
    seen = set()
    for note in list(root):
        kind = note.get(w("type"))
        if note.tag == w("footnote") and kind in SPECIAL_IDS and kind not in seen:
            note.set(w("id"), SPECIAL_IDS[kind])
            seen.add(kind)
        else:
            root.remove(note)
    return root


def prepare_footnotes(existing) -> tuple[etree._Element, list[str]]:
    """The ``w:footnotes`` element holding only separator notes, and their ids in order.

    ``existing`` is the reference's footnotes element or None."""
    root = _special_notes(existing)
    kinds = {note.get(w("type")) for note in root}
    for kind in ("separator", "continuationSeparator"):
        if kind not in kinds:
            _separator(root, kind)
    # Word writes the separators first, in this order; keep to it.
    root[:] = sorted(root, key=lambda note: list(SPECIAL_IDS).index(note.get(w("type"))))
    return root, [note.get(w("id")) for note in root]


def write_notes(root, footnotes, inlines) -> None:
    """Append one ``w:footnote`` per Footnote to ``root``, ids = ``Footnote.number``.

    ``inlines`` is the InlineWriter of the footnotes part (its links are relationships
    of that part). Each note is one FootnoteText paragraph opening with the note's own
    number (``w:footnoteRef``, styled FootnoteReference) and a space."""
    for footnote in footnotes:
        note = sub(root, "footnote", id=str(footnote.number))
        p = paragraph(note, "FootnoteText")
        mark = sub(p, "r")
        sub(sub(mark, "rPr"), "rStyle", val="FootnoteReference")
        sub(mark, "footnoteRef")
        text_run(p, " ")
        inlines.write(p, footnote.children)
