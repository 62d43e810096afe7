"""Table model nodes → ``w:tbl`` elements.

:func:`table_layout` reads what a table needs from the reference document (the
text width of its final section, whether it defines the TableGrid style);
:func:`write_table` appends a table's caption paragraph and its ``w:tbl`` to a
parent. Children are appended in the order the OOXML schema gives them (tbl:
tblPr, tblGrid, tr; tr: trPr, tc; tc: tcPr, p), and every cell holds at least
one paragraph: Word refuses a file with an empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from report import model as m
from report.render.docx.xml import add_ppr, paragraph, sub, w

DEFAULT_TEXT_WIDTH = 9072  # twips: A4 with 2.5 cm margins, when the reference has no page size
FULL_WIDTH = "5000"  # fiftieths of a percent: 100 %
CELL_MARGIN = {"top": "57", "left": "108", "bottom": "57", "right": "108"}  # twips (1 mm, Word's 0.19 cm)
HEADER_FILL = "EEEEEE"  # the HTML's light header background
# Bits of w:tblLook/@w:val: header row formatting on, banding off (what Word writes next to the flags).
TABLE_LOOK = {"val": "0620", "firstRow": "1", "lastRow": "0", "firstColumn": "0", "lastColumn": "0",
              "noHBand": "1", "noVBand": "1"}


@dataclass(frozen=True)
class TableLayout:
    """``text_width``: twips between the page margins; ``grid_style``: the reference
    document defines the TableGrid table style (else borders are written out)."""

    text_width: int = DEFAULT_TEXT_WIDTH
    grid_style: bool = False


def _twips(element, name: str) -> int:
    value = element.get(w(name)) if element is not None else None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def table_layout(styles, section_properties) -> TableLayout:
    """The layout for tables of a document whose ``w:styles`` element is ``styles``
    and whose final ``w:sectPr`` is ``section_properties`` (either may be None)."""
    grid = styles is not None and any(
        style.get(w("styleId")) == "TableGrid" and style.get(w("type")) == "table"
        for style in styles.iter(w("style")))
    width = DEFAULT_TEXT_WIDTH
    if section_properties is not None:
        margins = section_properties.find(w("pgMar"))
        page = _twips(section_properties.find(w("pgSz")), "w")
        text = page - _twips(margins, "left") - _twips(margins, "right") - _twips(margins, "gutter")
        if text > 0:
            width = text
    return TableLayout(width, grid)


def _table_properties(tbl, layout: TableLayout, indent: int, caption: str = "") -> None:
    """``w:tblPr`` in schema order: tblStyle, tblW, tblInd, tblBorders, tblLayout,
    tblCellMar, tblLook. An indented table (in a quote or list) is narrowed by its
    indent so that it still ends at the right margin."""
    props = sub(tbl, "tblPr")
    if layout.grid_style:
        sub(props, "tblStyle", val="TableGrid")
    if indent:
        sub(props, "tblW", w=str(max(layout.text_width - indent, 1)), type="dxa")
        sub(props, "tblInd", w=str(indent), type="dxa")
    else:
        sub(props, "tblW", w=FULL_WIDTH, type="pct")
    if not layout.grid_style:
        borders = sub(props, "tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            sub(borders, edge, val="single", sz="4", space="0", color="auto")
    sub(props, "tblLayout", type="fixed")
    margins = sub(props, "tblCellMar")
    for edge, size in CELL_MARGIN.items():
        sub(margins, edge, w=size, type="dxa")
    sub(props, "tblLook", **TABLE_LOOK)
    if caption:  # what screen readers announce for the table (Word's "Alt Text" title)
        sub(props, "tblCaption", val=caption[:255])
        sub(props, "tblDescription", val=caption)


def _row(tbl, cells, widths: list[int], inlines, header: bool, aligns=()) -> None:
    """One ``w:tr``; missing trailing cells are written empty so the grid stays whole."""
    tr = sub(tbl, "tr")
    row_props = sub(tr, "trPr")
    sub(row_props, "cantSplit")
    if header:
        sub(row_props, "tblHeader")
    padded = tuple(cells) + ((),) * (len(widths) - len(cells))
    aligns = tuple(aligns) + (None,) * (len(widths) - len(aligns))
    for cell, width, align in zip(padded, widths, aligns[:len(widths)], strict=True):
        tc = sub(tr, "tc")
        cell_props = sub(tc, "tcPr")
        sub(cell_props, "tcW", w=str(width), type="dxa")
        if header:
            sub(cell_props, "shd", val="clear", color="auto", fill=HEADER_FILL)
        p = paragraph(tc)
        ppr = add_ppr(p)
        # Direct, so cells look alike with or without the TableGrid style: single
        # spacing, no space after, and left aligned (Normal is justified).
        sub(ppr, "spacing", after="0", line="240", lineRule="auto")
        sub(ppr, "jc", val={"center": "center", "right": "right"}.get(align, "left"))
        inlines.write(p, cell, frozenset({"b"}) if header else frozenset())


def write_table(parent, table: m.Table, inlines, layout: TableLayout, indent: int = 0, label=None) -> None:
    """Append ``table`` to ``parent``: its caption as a Caption paragraph kept with
    the table (when it has one), then the ``w:tbl``. ``inlines`` writes cell content
    (footnote calls included); ``indent`` is the left indent in twips. The header
    row repeats on each page (``w:tblHeader``) and has bold runs; no row is split.
    ``label(p)`` writes the caption's "Table 1: " (a SEQ field) into its paragraph."""
    columns = max([len(table.header)] + [len(row) for row in table.rows])
    if table.caption:
        p = paragraph(parent)
        ppr = add_ppr(p, "Caption")
        sub(ppr, "keepNext")
        if label is not None:
            label(p)
        inlines.write(p, table.caption)
    elif len(parent) and parent[-1].tag == w("tbl"):
        paragraph(parent)  # Word joins two tables that touch into one
    if columns == 0:
        return  # a table without cells: Word refuses a w:tbl without rows
    tbl = sub(parent, "tbl")
    _table_properties(tbl, layout, indent, m.plain_text(table.caption).strip())
    usable = layout.text_width - indent if indent else layout.text_width
    if table.widths and len(table.widths) == columns and sum(table.widths) > 0:
        total = sum(table.widths)
        widths = [max(int(usable * w / total), 1) for w in table.widths]
    else:
        widths = [max(usable // columns, 1)] * columns
    grid = sub(tbl, "tblGrid")
    for width in widths:
        sub(grid, "gridCol", w=str(width))
    if table.header:
        _row(tbl, table.header, widths, inlines, header=True, aligns=table.aligns)
    for row in table.rows:
        _row(tbl, row, widths, inlines, header=False, aligns=table.aligns)


FRAME_FILL = {"box": "F2F2F2"}
FRAME_MARGINS = 2 * 170  # twips: a frame's left and right cell margins
FRAME_EDGE = {"callout-warning": "B0662A", "callout-caution": "B0662A", "callout-important": "A83232",
              "callout-tip": "3A8A4A"}


def frame(parent, kind: str, width: int):
    """A one-cell table framing a box (all four borders, shaded) or a callout (a thick
    coloured left border); returns the cell (``w:tc``) to write the blocks into."""
    if len(parent) and parent[-1].tag == w("tbl"):
        paragraph(parent)  # Word joins two tables that touch into one
    tbl = sub(parent, "tbl")
    props = sub(tbl, "tblPr")
    sub(props, "tblW", w=str(max(width, 1)), type="dxa")
    borders = sub(props, "tblBorders")
    for edge in ("top", "left", "bottom", "right"):
        if kind == "box":
            sub(borders, edge, val="single", sz="6", space="0", color="7A7A7A")
        elif edge == "left":
            sub(borders, edge, val="single", sz="24", space="0", color=FRAME_EDGE.get(kind, "5A7FA8"))
        else:
            sub(borders, edge, val="nil")
    sub(props, "tblLayout", type="fixed")
    margins = sub(props, "tblCellMar")
    for edge, size in (("top", "113"), ("left", "170"), ("bottom", "113"), ("right", "170")):
        sub(margins, edge, w=size, type="dxa")
    sub(sub(tbl, "tblGrid"), "gridCol", w=str(max(width, 1)))
    tr = sub(tbl, "tr")
    tc = sub(tr, "tc")
    cell_props = sub(tc, "tcPr")
    sub(cell_props, "tcW", w=str(max(width, 1)), type="dxa")
    if kind in FRAME_FILL:
        sub(cell_props, "shd", val="clear", color="auto", fill=FRAME_FILL[kind])
    return tc
