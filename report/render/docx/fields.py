"""Fields and bookmarks: the table of contents and the anchors it links to.

Word has no "table of contents" element, only a complex field (begin, instruction,
separate, cached result, end) that Word recomputes when the user updates fields.
The cached result written here lists the section titles, linked to bookmarks on
their headings, so the contents are not empty before that update (LibreOffice and
viewers show the cached result as is).
"""

from __future__ import annotations

from report.render.docx.xml import add_ppr, paragraph, sub, text_run, w

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


def _instruction(p, text: str) -> None:
    instr = sub(sub(p, "r"), "instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = text


def field_list(parent, heading: str, instruction: str, style: str, entries: list[tuple[str, str]],
               tab: int) -> list:
    """Append a heading and a TOC field (``instruction``) whose cached result lists
    ``entries``, (text, bookmark name) pairs, one ``style`` paragraph each, as Word
    writes them: a link to the bookmark, a right tab with dot leader at ``tab``
    twips, and a ``PAGEREF`` field to the same bookmark. Returns the ``w:t`` of each
    page number, in order, for :func:`fill_pages` (empty until then)."""
    text_run(paragraph(parent, "TOCHeading"), heading)
    numbers, first, last = [], None, None
    for text, name in entries or [("", None)]:
        p = paragraph(parent)
        ppr = add_ppr(p, style)
        sub(sub(ppr, "tabs"), "tab", val="right", leader="dot", pos=str(tab))
        if first is None:
            first = p
            _field_char(p, "begin")
            _instruction(p, instruction)
            _field_char(p, "separate")
        if name is not None:
            link = sub(p, "hyperlink", anchor=name, history="1")
            text_run(link, text)
            sub(sub(link, "r"), "tab")
            _field_char(link, "begin")
            _instruction(link, f" PAGEREF {name} \\h ")
            _field_char(link, "separate")
            page = sub(sub(link, "r"), "t")
            page.text = ""
            numbers.append((name, page))
            _field_char(link, "end")
        last = p
    _field_char(last, "end")
    return numbers


def fill_pages(numbers: list, pages: dict[str, int]) -> None:
    """Write the estimated page of each bookmark into its PAGEREF result."""
    for name, text in numbers:
        if name in pages and text is not None:
            text.text = str(pages[name])
