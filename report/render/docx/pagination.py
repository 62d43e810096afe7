"""An estimate of the page each bookmark of a Word body falls on, so that the
contents and the lists of figures and tables show page numbers when the file is
first opened, before Word updates their fields (LibreOffice never updates them
on opening, and a PDF made from the file keeps what is cached).

Takes the written body (``w:body``), the footnotes part's root, the reference
document's styles and the report's font files; returns bookmark name → page
number. The model is Word's, simplified: lines are broken greedily with the
fonts' advance widths (no kerning, no hyphenation; Word hyphenates nothing by
default), line heights from the font's ascent and descent times the style's
line spacing, space before dropped at the top of a page, a page broken before a
paragraph whose lines would leave one line alone (widow and orphan control), a
heading kept with the first lines of what follows, each footnote placed on the
page of its call, table rows kept whole (a one-cell box flows), pictures at
their extent. How far the estimate can be from Word's own pagination is stated,
as measured, in the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from report.render.docx.metrics import FALLBACK_ADVANCE, Fonts, ParaStyle, Styles, apply_ppr, apply_rpr
from report.render.docx.xml import w

EMU_PER_POINT = 12700
DEFAULT_TAB = 36.0        # points: Word's default tab stops every half inch
CELL_MARGINS = 10.8       # points: Word's default left + right cell margins (108 twips each)
PAGE_BREAK = "page"
_WORDS = re.compile(r"\S+|\s+")
T = w("t")
R, BOOKMARK, TAB, BR, NOTE_REF, DRAWING = w("r"), w("bookmarkStart"), w("tab"), w("br"), w("footnoteReference"), w("drawing")
RPR, PPR, PSTYLE, SECT_PR, VAL, NAME, TYPE, ID = w("rPr"), w("pPr"), w("pStyle"), w("sectPr"), w("val"), w("name"), w("type"), w("id")
WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"


@dataclass
class Para:
    """A measured paragraph: its lines as (height, footnote ids), PAGE_BREAK between
    lines broken by hand, and the bookmarks it holds."""
    style: ParaStyle
    lines: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    section_break: bool = False


class Measure:
    """Measures paragraphs and tables of one document."""

    def __init__(self, styles: Styles, fonts: Fonts):
        self.styles, self.fonts = styles, fonts

    def paragraph(self, p, width: float) -> Para:
        ppr = p.find(PPR)
        style_el = ppr.find(PSTYLE) if ppr is not None else None
        style = apply_ppr(self.styles.get(style_el.get(VAL) if style_el is not None else None), ppr)
        para = Para(style, section_break=ppr is not None and ppr.find(SECT_PR) is not None)
        line = _Line(self.fonts.line_height(style), width - style.left - style.right - style.first)
        rest = width - style.left - style.right

        def flush():
            nonlocal line
            para.lines.append((line.height, line.notes))
            line = _Line(self.fonts.line_height(style), rest)

        for el in p.iter(R, BOOKMARK):
            if el.tag == BOOKMARK:
                para.marks.append(el.get(NAME))
                continue
            run = apply_rpr(style, el.find(RPR))
            line.height = max(line.height, self.fonts.line_height(style, run.size))
            for child in el:
                tag = child.tag
                if tag == T:
                    # the hot loop of a build's page estimate: each word's width looked up
                    # (measured once per face), no call per word
                    known, advances = self.fonts.words(run.bold, run.italic)
                    size = run.size
                    for token in _WORDS.findall(child.text or ""):
                        em = known.get(token)
                        if em is None:
                            em = known[token] = sum(advances.get(ch, FALLBACK_ADVANCE) for ch in token)
                        wide = size * em
                        if line.width + wide > line.room and line.width > 0 and not token.isspace():
                            flush()
                        line.width += wide
                elif tag == TAB:
                    line.width = (line.width // DEFAULT_TAB + 1) * DEFAULT_TAB
                elif tag == BR:
                    flush()
                    if child.get(TYPE) == "page":
                        para.lines.append(PAGE_BREAK)
                elif tag == NOTE_REF:
                    line.notes.append(child.get(ID))
                elif tag == DRAWING:
                    extent = next(child.iter(WP_EXTENT), None)
                    if extent is not None:
                        high = int(extent.get("cy", "0")) / EMU_PER_POINT
                        line.height = max(line.height, high)
                        line.width += int(extent.get("cx", "0")) / EMU_PER_POINT
        para.lines.append((line.height, line.notes))
        return para

    def block_height(self, block, width: float) -> float:
        """The height of a paragraph or table, placed whole (for table cells)."""
        if block.tag == w("tbl"):
            return sum(self.row_height(row, self.columns(block), width) for row in block.iter(w("tr")))
        para = self.paragraph(block, width)
        lines = [h for h, _ in (x for x in para.lines if x != PAGE_BREAK)]
        return para.style.before + sum(lines) + para.style.after

    def columns(self, tbl) -> list[float]:
        return [int(col.get(w("w"), "0")) / 20 for col in tbl.iter(w("gridCol"))]

    def cells(self, row, columns: list[float], width: float):
        """(cell, width in points) of each cell of ``row``."""
        out, at = [], 0
        for cell in row.findall(w("tc")):
            span_el = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
            span = int(span_el.get(w("val"), "1")) if span_el is not None else 1
            wide = sum(columns[at:at + span]) if columns[at:at + span] else width / max(len(row), 1)
            out.append((cell, max(wide - CELL_MARGINS, 12.0)))
            at += span
        return out

    def row_height(self, row, columns: list[float], width: float) -> float:
        return max((sum(self.block_height(b, wide) for b in cell if b.tag in (w("p"), w("tbl")))
                    for cell, wide in self.cells(row, columns, width)), default=0.0)


@dataclass
class _Line:
    height: float
    room: float
    width: float = 0.0
    notes: list = field(default_factory=list)


class Pager:
    """Places measured blocks on pages of ``height`` points, footnotes at their foot."""

    def __init__(self, height: float, note_heights: dict[str, float], separator: float, note_line: float):
        self.height, self.note_heights, self.separator = height, note_heights, separator
        self.note_line = note_line  # a note may run on to the next page, one line of it left here
        self.page, self.used, self.notes, self.carry = 1, 0.0, 0.0, 0.0
        self.pages: dict[str, int] = {}

    def new_page(self) -> None:
        self.page += 1
        self.used, self.notes = 0.0, (self.carry + self.separator if self.carry else 0.0)
        self.carry = 0.0

    def _add_notes(self, note: float) -> None:
        """Notes of a placed line: what does not fit under the text runs on to the next page."""
        self.notes += note
        spill = self.used + self.notes - self.height
        if note and spill > 0:
            self.carry += spill
            self.notes -= spill

    def _notes(self, ids) -> float:
        heights = sum(self.note_heights.get(i, 0.0) for i in ids)
        return heights + (self.separator if heights and not self.notes else 0.0)

    def fits(self, height: float, notes: float = 0.0) -> bool:
        return self.used + height + self.notes + notes <= self.height + 0.01

    def place(self, height: float, notes: float = 0.0) -> None:
        """Put ``height`` on this page (a new one when it does not fit and this one is not empty)."""
        if not self.fits(height, notes) and self.used > 0:
            self.new_page()
        self.used += height
        self.notes += notes
        if self.used + self.notes > self.height:  # taller than a page: the rest runs on
            spill = self.used + self.notes - self.height
            self.page += 1
            self.used, self.notes = min(spill, self.height), 0.0

    def paragraph(self, para: Para, keep: float = 0.0) -> None:
        """Place ``para``; ``keep`` is the height that must follow it on the same page
        (the first lines of the next block, when this one is kept with it)."""
        style = para.style
        if style.break_before and (self.used > 0 or self.notes > 0):
            self.new_page()
        runs, current = [], []
        for line in para.lines:
            if line == PAGE_BREAK:
                runs.append(current)
                current = []
            else:
                current.append(line)
        runs.append(current)
        first = True
        for i, lines in enumerate(runs):
            if i:
                self.new_page()
            if lines:
                self._lines(para, lines, first, i == len(runs) - 1, keep)
            first = False

    def _lines(self, para: Para, lines: list, first: bool, last: bool, keep: float) -> None:
        """Place ``lines`` (one run of the paragraph between page breaks by hand),
        breaking pages as widow and orphan control do."""
        style = para.style
        heights = [h for h, _ in lines]
        notes = [self._notes(ids) for _, ids in lines]
        after = style.after if last else 0.0
        if first and self.used > 0 and style.keep_next and not self.fits(
                style.before + sum(heights) + after + keep, sum(notes)):
            self.new_page()
        start, n = 0, len(lines)
        while start < n:
            before = style.before if first and start == 0 and self.used > 0 else 0.0
            fitting = self._fitting(before, heights[start:], notes[start:])
            if fitting >= n - start:
                fitting = n - start
            elif self.used == 0 and self.notes == 0:
                fitting = max(fitting, 1)  # a line taller than a page: it runs on
            elif start == 0 and fitting < 2:
                self.new_page()          # orphan control: no lone first line at a page's foot
                continue
            elif n - start - fitting == 1 and fitting >= 2:
                fitting -= 1             # widow control: no lone last line atop the next page
            if start == 0:
                for name in para.marks:
                    self.pages.setdefault(name, self.page)
            self.used += before
            for height, note in zip(heights[start:start + fitting], notes[start:start + fitting]):
                self.used += height
                self._add_notes(note)
            start += fitting
            if start < n:
                self.new_page()
        self.used += after

    def _fitting(self, before: float, heights: list, notes: list) -> int:
        """How many of the lines fit on this page after ``before``."""
        used, foot, count = self.used + before, self.notes, 0
        for height, note in zip(heights, notes):
            least = min(note, (self.separator if not foot else 0.0) + self.note_line)
            if used + height + foot + least > self.height + 0.01:
                break
            used, foot, count = used + height, foot + note, count + 1
        return count

    def block(self, height: float, marks=()) -> None:
        """Place a block kept whole (a table row), taller than a page running on."""
        self.place(height)
        for name in marks:
            self.pages.setdefault(name, self.page)


def _marks(el) -> list[str]:
    return [b.get(w("name")) for b in el.iter(w("bookmarkStart"))]


def _note_heights(footnotes_root, measure: Measure, width: float) -> tuple[dict[str, float], float, float]:
    """footnote id → its height at the foot of a page, the separator's height and
    the height of a line of footnote text."""
    heights, separator = {}, 0.0
    line = measure.fonts.line_height(measure.styles.get("FootnoteText"))
    if footnotes_root is None:
        return heights, separator, line
    for note in footnotes_root.findall(w("footnote")):
        total = sum(measure.block_height(p, width) for p in note if p.tag in (w("p"), w("tbl")))
        if note.get(w("type")) == "separator":
            separator = total
        elif note.get(w("type")) in (None, "normal"):
            heights[note.get(w("id"))] = total
    return heights, separator, line


def page_geometry(sect_pr) -> tuple[float, float, int]:
    """(text width, text height) in points and the first page's number, from the
    final ``w:sectPr`` (A4 with 2.5 cm margins when it says nothing)."""
    def twips(el, attr, default):
        value = el.get(w(attr)) if el is not None else None
        return int(value) / 20 if value and value.lstrip("-").isdigit() else default

    size = sect_pr.find(w("pgSz")) if sect_pr is not None else None
    margins = sect_pr.find(w("pgMar")) if sect_pr is not None else None
    start_el = sect_pr.find(w("pgNumType")) if sect_pr is not None else None
    width = twips(size, "w", 595.3) - twips(margins, "left", 70.9) - twips(margins, "right", 70.9)
    height = twips(size, "h", 841.9) - abs(twips(margins, "top", 70.9)) - abs(twips(margins, "bottom", 70.9))
    start = start_el.get(w("start")) if start_el is not None else None
    return width, height, int(start) if start and start.isdigit() else 1


def estimate_pages(body, footnotes_root, styles_el, font_files: dict) -> dict[str, int]:
    """Bookmark name → the page number it is estimated to fall on (see the module doc)."""
    width, height, first = page_geometry(body.find(w("sectPr")))
    measure = Measure(Styles(styles_el), Fonts(font_files))
    pager = Pager(height, *_note_heights(footnotes_root, measure, width))
    blocks = [el for el in body if el.tag in (w("p"), w("tbl"))]
    measured = [measure.paragraph(el, width) if el.tag == w("p") else el for el in blocks]
    for i, block in enumerate(measured):
        if isinstance(block, Para):
            keep = 0.0
            if block.style.keep_next and i + 1 < len(measured):
                keep = _opening(measured[i + 1], measure, width)
            pager.paragraph(block, keep)
            if block.section_break:
                pager.new_page()
        else:
            _table(block, pager, measure, width)
    return {name: page + first - 1 for name, page in pager.pages.items()}


def _opening(block, measure: Measure, width: float) -> float:
    """The height a heading kept with ``block`` needs below it: two lines, or a row."""
    if isinstance(block, Para):
        lines = [h for h, _ in (x for x in block.lines if x != PAGE_BREAK)][:2]
        return block.style.before + sum(lines)
    rows = block.findall(w("tr"))
    return measure.row_height(rows[0], measure.columns(block), width) if rows else 0.0


def _table(tbl, pager: Pager, measure: Measure, width: float) -> None:
    """Rows kept whole, the header rows repeated on each new page; a one-cell table
    (a box, a callout) flows paragraph by paragraph."""
    columns = measure.columns(tbl)
    rows = tbl.findall(w("tr"))
    if len(rows) == 1 and len(rows[0].findall(w("tc"))) == 1:
        cell, wide = measure.cells(rows[0], columns, width)[0]
        for child in cell:
            if child.tag == w("p"):
                pager.paragraph(measure.paragraph(child, wide))
            elif child.tag == w("tbl"):
                _table(child, pager, measure, wide)
        return
    header = 0.0
    for row in rows:
        height = measure.row_height(row, columns, width)
        repeat = row.find(f"{w('trPr')}/{w('tblHeader')}") is not None
        page = pager.page
        pager.block(height, _marks(row))
        if repeat:
            header += height
        elif pager.page != page and header:
            pager.used += header
