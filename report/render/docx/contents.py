"""The contents and the lists of figures and tables of the DOCX, page numbers included.

Word computes a table of contents (``TOC \\o``) or of figures (``TOC \\c "Figure"``)
only when its fields are updated; until then it shows the cached result. The
result written here is what Word would write: one paragraph per entry, a link to
the entry's bookmark, a dotted right tab and a ``PAGEREF`` field whose result is
the page estimated by :mod:`.pagination` once the body and the footnotes exist.

:func:`write_front` takes the body written so far and puts the contents and the
lists before the report's first section; it returns the page-number texts that
:func:`report.render.docx.fields.fill_pages` fills in at the end.
"""

from __future__ import annotations

from report.render.docx.captions import SEQ_NAMES
from report.render.docx.fields import TOC_INSTRUCTION, field_list, wrap_in_bookmark
from report.render.docx.xml import sub, w
from report.render.lists import BlockList

LIST_STYLES = {"TOC1": ("toc 1", "100"), "TableofFigures": ("table of figures", "0")}
LIST_SEQ = {"figures": SEQ_NAMES["fig"], "tables": SEQ_NAMES["tbl"]}


def ensure_list_styles(styles) -> None:
    """Define the styles of contents and list entries when the reference document
    lacks them (Word's own definitions: based on Normal, a little space after
    contents entries, none after list entries), so the file looks the same in
    every word processor and after Word regenerates the fields."""
    present = {style.get(w("styleId")) for style in styles.iter(w("style"))}
    for style_id, (name, after) in LIST_STYLES.items():
        if style_id in present:
            continue
        style = sub(styles, "style", type="paragraph", styleId=style_id)
        sub(style, "name", val=name)
        sub(style, "basedOn", val="Normal")
        sub(style, "next", val="Normal")
        sub(style, "uiPriority", val="39" if style_id == "TOC1" else "99")
        sub(style, "unhideWhenUsed")
        sub(sub(style, "pPr"), "spacing", after=after)


def caption_marks(blocks, marks) -> dict[tuple[str, str], str]:
    """Wrap each Figure and Table caption among ``blocks`` in a bookmark of its own
    (Word's table of figures points at the whole caption, as its ``_Toc`` marks do);
    (SEQ name, number) → bookmark name."""
    found = {}
    for block in blocks:
        for p in block.iter(w("p")):
            for instr in p.iter(w("instrText")):
                words = (instr.text or "").split()
                if len(words) >= 2 and words[0] == "SEQ" and words[1] in LIST_SEQ.values():
                    number = _field_prefix(instr) + _field_result(instr)
                    if (words[1], number) not in found:
                        mark = marks.new()
                        wrap_in_bookmark(p, mark)
                        found[(words[1], number)] = mark[1]
                    break
    return found


def _field_prefix(instr) -> str:
    """The text written between the caption's word and its field: "II." within annex II
    ("Figure\u00a0II." then the field), "" otherwise."""
    run, text = instr.getparent(), []
    for sibling in run.itersiblings(preceding=True):  # back from the field's instruction
        char = sibling.find(w("fldChar"))
        if char is not None and char.get(w("fldCharType")) == "begin":
            continue
        if sibling.tag != w("r") or char is not None:  # the bookmark's start, or another field
            break
        text.insert(0, "".join(t.text or "" for t in sibling.iter(w("t"))))
    return "".join(text).rpartition("\u00a0")[2]


def _field_result(instr) -> str:
    """The cached result of the field whose instruction is ``instr`` (text up to its end)."""
    run, text, seen = instr.getparent(), [], False
    for sibling in run.itersiblings():
        char = sibling.find(w("fldChar"))
        if char is not None:
            kind = char.get(w("fldCharType"))
            if kind == "separate":
                seen = True
                continue
            if kind == "end":
                break
        if seen:
            text += [t.text or "" for t in sibling.iter(w("t"))]
    return "".join(text).strip()


def write_front(container, contents: str, sections: list[tuple[str, str]], lists: list[BlockList],
                captions: dict[tuple[str, str], str], tab: int) -> list:
    """The contents (``sections``: (title, bookmark) pairs) and each list of
    ``lists`` into ``container``; the page-number texts to fill in."""
    numbers = field_list(container, contents, TOC_INSTRUCTION, "TOC1", sections, tab)
    for lst in lists:
        seq = LIST_SEQ[lst.kind]
        entries = [(f"{lst.word}\u00a0{e.shown}: {e.caption}", captions.get((seq, e.shown)))
                   for e in lst.entries]
        numbers += field_list(container, lst.title, f' TOC \\h \\z \\c "{seq}" ', "TableofFigures",
                              [(text, name) for text, name in entries if name], tab)
    return numbers
