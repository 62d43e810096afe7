"""Fields and bookmarks: the table of contents and the anchors it links to.

Word has no "table of contents" element, only a complex field (begin, instruction,
separate, cached result, end) that Word recomputes when the user updates fields.
The cached result written here lists the section titles, linked to bookmarks on
their headings, so the contents are not empty before that update (LibreOffice and
viewers show the cached result as is).
"""

from __future__ import annotations

from report.render.docx.xml import paragraph, sub, text_run, w

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Bookmarks:
    """Allocates bookmark ids and names that the reference document does not use yet.

    Takes the body element of the rendered reference document. Names start with an
    underscore, which Word treats as hidden (like its own ``_Toc`` bookmarks)."""

    def __init__(self, body):
        used_ids, self._names = set(), set()
        for start in body.iter(w("bookmarkStart")):
            used_ids.add(start.get(w("id"), ""))
            self._names.add(start.get(w("name"), ""))
        numbers = [int(i) for i in used_ids if i.lstrip("-").isdigit()]
        self._next_id = max(numbers, default=0) + 1
        self._count = 0

    def new(self) -> tuple[str, str]:
        """A fresh (id, name) pair."""
        while True:
            self._count += 1
            name = f"_TocHeading{self._count}"
            if name not in self._names:
                break
        mark = (str(self._next_id), name)
        self._next_id += 1
        return mark


def wrap_in_bookmark(p, mark: tuple[str, str]) -> None:
    """Put bookmark ``mark`` around the content of paragraph ``p`` (after its pPr)."""
    mark_id, name = mark
    start = p.makeelement(w("bookmarkStart"), {w("id"): mark_id, w("name"): name})
    ppr = p.find(w("pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    sub(p, "bookmarkEnd", id=mark_id)


def _field_char(p, kind: str) -> None:
    sub(sub(p, "r"), "fldChar", fldCharType=kind)


def table_of_contents(parent, heading: str, entries: list[tuple[str, str]]) -> None:
    """Append the contents heading and the TOC field to ``parent``.

    ``entries`` are (title, bookmark name) pairs, one per titled section, in order;
    they become the field's cached result, one TOC1 paragraph each."""
    text_run(paragraph(parent, "TOCHeading"), heading)
    first = paragraph(parent, "TOC1")
    _field_char(first, "begin")
    instr = sub(sub(first, "r"), "instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = TOC_INSTRUCTION
    _field_char(first, "separate")
    last = first
    for i, (title, name) in enumerate(entries):
        p = first if i == 0 else paragraph(parent, "TOC1")
        link = sub(p, "hyperlink", anchor=name, history="1")
        text_run(link, title)
        last = p
    _field_char(last, "end")
