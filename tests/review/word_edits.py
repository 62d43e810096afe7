"""Tracked changes and comments written into a .docx the way Word writes them.

Each helper takes a part's root element (``word/document.xml`` or ``word/footnotes.xml``)
and the exact text to act on, which must lie inside one ``w:t``; the run holding it is
split so that the text has a run of its own (as Word splits runs where a revision
starts), then wrapped in ``w:ins``/``w:del`` (``w:delText`` for deleted text) or
``w:moveFrom``/``w:moveTo``, with ``w:id``, ``w:author`` and ``w:date``. Comments get
``commentRangeStart``/``commentRangeEnd`` around runs, a ``commentReference`` run and
an entry in ``word/comments.xml``, related from the document and declared in
``[Content_Types].xml``; replies and resolved comments also ``word/commentsExtended.xml``
(each ``w15:commentEx`` naming its comment by the ``w14:paraId`` of its last paragraph),
related and declared the same way. Changes made with tracking off (``untracked``,
``untracked_footnote``, ``untracked_call_deleted``, ``untracked_restyle``) change the
text, the notes or the runs and leave no mark.
"""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
EXTENDED_TYPE = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
EXTENDED_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
DATE = "2026-12-01T10:00:00Z"


def wa(name: str) -> str:
    return f"{{{W}}}{name}"


class Revisions:
    """Hands out revision ids unique in the file (Word's ``w:id`` on w:ins, w:del, comments)."""

    def __init__(self, start: int = 9000):
        self.next = start

    def id(self) -> str:
        self.next += 1
        return str(self.next)


IDS = Revisions()


def isolate(root, text: str, nth: int = 0):
    """The run holding exactly ``text`` (its ``nth`` occurrence), split out of its run."""
    seen = 0
    for t in root.iter(wa("t")):
        at = (t.text or "").find(text)
        while at >= 0 and seen < nth:
            seen += 1
            at = t.text.find(text, at + 1)
        if at < 0:
            continue
        run = t.getparent()
        before, after = t.text[:at], t.text[at + len(text):]
        if before:
            head = copy.deepcopy(run)
            head.find(wa("t")).text = before
            run.addprevious(head)
        if after:
            tail = copy.deepcopy(run)
            tail.find(wa("t")).text = after
            run.addnext(tail)
        t.text = text
        return run
    raise AssertionError(f"text not found: {text!r}")


def split_run(run, at: int):
    """Split ``run`` in two at character ``at`` (Word does, at each rsid): returns both."""
    t = run.find(wa("t"))
    second = copy.deepcopy(run)
    second.find(wa("t")).text = t.text[at:]
    t.text = t.text[:at]
    run.addnext(second)
    return run, second


def _wrap(runs, tag: str, author: str, date: str = DATE):
    mark = etree.Element(wa(tag))
    mark.set(wa("id"), IDS.id())
    mark.set(wa("author"), author)
    mark.set(wa("date"), date)
    runs[0].addprevious(mark)
    for run in runs:
        mark.append(run)
    return mark


def _as_deleted(run) -> None:
    for t in run.iter(wa("t")):
        t.tag = wa("delText")


def delete(root, text: str, author: str, nth: int = 0, split_at: int | None = None, tag: str = "del"):
    """``text`` deleted (``split_at``: its run split there first, mid-word)."""
    run = isolate(root, text, nth)
    runs = list(split_run(run, split_at)) if split_at else [run]
    for r in runs:
        _as_deleted(r)
    return _wrap(runs, tag, author)


def insert_after(anchor, text: str, author: str, tag: str = "ins"):
    """A run of ``text`` inserted right after ``anchor`` (a run or a w:del/w:ins)."""
    model = anchor if anchor.tag == wa("r") else anchor.find(wa("r"))
    run = copy.deepcopy(model)
    for child in list(run):
        if child.tag not in (wa("rPr"),):
            run.remove(child)
    t = etree.SubElement(run, wa("t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    anchor.addnext(run)
    return _wrap([run], tag, author)


def insert_before_text(root, text: str, inserted: str, author: str):
    """``inserted`` right before ``text``."""
    run = isolate(root, text)
    new = copy.deepcopy(run)
    new.find(wa("t")).text = inserted
    run.addprevious(new)
    return _wrap([new], "ins", author)


def replace(root, old: str, new: str, author: str, split_at: int | None = None):
    """``old`` deleted and ``new`` inserted after it, as Word records typing over a selection."""
    return insert_after(delete(root, old, author, split_at=split_at), new, author)


def untracked(root, old: str, new: str) -> None:
    """``old`` replaced by ``new`` with tracking off: the text changes, nothing says so."""
    for t in root.iter(wa("t")):
        if old in (t.text or ""):
            t.text = t.text.replace(old, new, 1)
            return
    raise AssertionError(f"text not found: {old!r}")


def comment(root, comments, start_text: str, end_text: str, author: str, text: str, date: str = DATE) -> str:
    """A comment from the run of ``start_text`` to the run of ``end_text`` (both split
    out; they may be in different runs or paragraphs); returns its id."""
    cid = IDS.id()
    first = isolate(root, start_text)
    last = isolate(root, end_text)
    start = etree.Element(wa("commentRangeStart"))
    start.set(wa("id"), cid)
    first.addprevious(start)
    end = etree.Element(wa("commentRangeEnd"))
    end.set(wa("id"), cid)
    last.addnext(end)
    ref_run = etree.Element(wa("r"))
    style = etree.SubElement(etree.SubElement(ref_run, wa("rPr")), wa("rStyle"))
    style.set(wa("val"), "CommentReference")
    etree.SubElement(ref_run, wa("commentReference")).set(wa("id"), cid)
    end.addnext(ref_run)
    _entry(comments, cid, author, date, text)
    return cid


def _entry(comments, cid: str, author: str, date: str, text: str) -> None:
    """The comment's entry in comments.xml; its paragraph has a ``w14:paraId``, as Word writes."""
    entry = etree.SubElement(comments, wa("comment"))
    for key, value in (("id", cid), ("author", author), ("date", date), ("initials", author[:1])):
        entry.set(wa(key), value)
    p = etree.SubElement(entry, wa("p"))
    p.set(f"{{{W14}}}paraId", f"1{int(cid):07X}")
    etree.SubElement(etree.SubElement(p, wa("r")), wa("t")).text = text


def reply(package: "WordPackage", root, parent: str, author: str, text: str, date: str = DATE) -> str:
    """A reply to comment ``parent`` (in ``root``), as Word records one: its own range
    and reference beside the parent's, its entry in comments.xml, and in
    commentsExtended.xml its parent; returns its id."""
    cid = IDS.id()
    start = next(e for e in root.iter(wa("commentRangeStart")) if e.get(wa("id")) == parent)
    end = next(e for e in root.iter(wa("commentRangeEnd")) if e.get(wa("id")) == parent)
    mine = etree.Element(wa("commentRangeStart"))
    mine.set(wa("id"), cid)
    start.addnext(mine)
    ref = end.getnext()  # the parent's reference run
    mine_end = etree.Element(wa("commentRangeEnd"))
    mine_end.set(wa("id"), cid)
    ref.addnext(mine_end)
    ref_run = copy.deepcopy(ref)
    ref_run.find(wa("commentReference")).set(wa("id"), cid)
    mine_end.addnext(ref_run)
    _entry(package.comments, cid, author, date, text)
    package.threads.setdefault(parent, [None, False])
    package.threads[cid] = [parent, False]
    return cid


def resolve(package: "WordPackage", cid: str) -> None:
    """Comment ``cid`` marked resolved (Word's "Resolve": ``w15:done="1"``)."""
    package.threads.setdefault(cid, [None, False])[1] = True


class WordPackage:
    """A .docx's parts, parsed where edited, written back as a new zip."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.footnotes = etree.fromstring(self.parts["word/footnotes.xml"])
        self.comments = etree.Element(wa("comments"), nsmap={"w": W, "w14": W14})
        self.threads: dict[str, list] = {}  # comment id → [parent id or None, resolved] (reply, resolve)

    def save(self) -> bytes:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8",
                                                    standalone=True)
        parts["word/footnotes.xml"] = etree.tostring(self.footnotes, xml_declaration=True, encoding="UTF-8",
                                                     standalone=True)
        if len(self.comments):
            parts["word/comments.xml"] = etree.tostring(self.comments, xml_declaration=True, encoding="UTF-8",
                                                        standalone=True)
            _declare(parts, "rIdComments1", COMMENTS_TYPE, "comments.xml", COMMENTS_CT)
        if self.threads:
            parts["word/commentsExtended.xml"] = self.extended()
            _declare(parts, "rIdCommentsEx1", EXTENDED_TYPE, "commentsExtended.xml", EXTENDED_CT)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return out.getvalue()


    def extended(self) -> bytes:
        """commentsExtended.xml: a ``w15:commentEx`` for every comment, as Word writes it."""
        root = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        para = {c.get(wa("id")): c.findall(wa("p"))[-1].get(f"{{{W14}}}paraId") for c in self.comments}
        for cid, para_id in para.items():
            parent, done = self.threads.get(cid, (None, False))
            entry = etree.SubElement(root, f"{{{W15}}}commentEx")
            entry.set(f"{{{W15}}}paraId", para_id)
            if parent is not None:
                entry.set(f"{{{W15}}}paraIdParent", para[parent])
            entry.set(f"{{{W15}}}done", "1" if done else "0")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _declare(parts: dict, rel_id: str, rel_type: str, target: str, content_type: str) -> None:
    """``word/<target>`` related from the document and declared in [Content_Types].xml."""
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    rel = etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship")
    rel.set("Id", rel_id)
    rel.set("Type", rel_type)
    rel.set("Target", target)
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
    types = etree.fromstring(parts["[Content_Types].xml"])
    override = etree.SubElement(types, f"{{{types.nsmap[None]}}}Override")
    override.set("PartName", "/word/" + target)
    override.set("ContentType", content_type)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")


def _mark_props(p):
    props = p.find(wa("pPr"))
    if props is None:
        props = etree.Element(wa("pPr"))
        p.insert(0, props)
    rpr = props.find(wa("rPr"))
    if rpr is None:
        rpr = etree.SubElement(props, wa("rPr"))
    return rpr


def split_paragraph(root, text: str, author: str):
    """The paragraph holding ``text`` split before it, as Word records pressing Enter
    there: the first part's paragraph mark is inserted."""
    run = isolate(root, text)
    p = run.getparent()
    second = etree.Element(wa("p"))
    if p.find(wa("pPr")) is not None:
        second.append(copy.deepcopy(p.find(wa("pPr"))))
    for sibling in [run] + list(run.itersiblings()):
        second.append(sibling)
    p.addnext(second)
    mark = etree.SubElement(_mark_props(p), wa("ins"))
    for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
        mark.set(wa(key), value)
    return second


def join_paragraph(root, text: str, author: str):
    """The paragraph holding ``text`` joined with the next, as Word records deleting its mark."""
    p = isolate(root, text).getparent()
    mark = etree.SubElement(_mark_props(p), wa("del"))
    for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
        mark.set(wa(key), value)
    return p


def delete_paragraph(root, text: str, author: str):
    """The whole paragraph holding ``text`` deleted, as Word records selecting it and
    pressing Delete: every run (note calls too) in a ``w:del``, and its mark deleted."""
    p = isolate(root, text).getparent()
    runs = [r for r in p if r.tag == wa("r")]
    for r in runs:
        _as_deleted(r)
    _wrap(runs, "del", author)
    mark = etree.SubElement(_mark_props(p), wa("del"))
    for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
        mark.set(wa(key), value)
    return p


def move_paragraph(root, text: str, before_text: str, author: str, note_ids: dict | None = None, nth: int = 0,
                   tags: tuple[str, str] = ("moveFrom", "moveTo")):
    """The paragraph holding ``text`` moved before the one holding ``before_text``, as
    Word records dragging a whole paragraph: at its old place its runs in a
    ``w:moveFrom`` and its mark moved from; at the new place a copy, its runs in a
    ``w:moveTo`` and its mark moved to, the two named by one move range
    (``w:moveFromRangeStart``/``w:moveToRangeStart``, ``w:name``). ``note_ids``: each of
    its footnote calls' id → the id of the note Word made for the moved call; ``nth``:
    which occurrence of ``before_text``; ``tags`` ("del", "ins"): cut and pasted instead,
    which Word records as a deletion and an insertion, with no move range."""
    origin = next(isolate(root, text).iterancestors(wa("p")))
    target = next(isolate(root, before_text, nth).iterancestors(wa("p")))  # (a contents entry's run is in a link)
    moved = copy.deepcopy(origin)
    name = f"move{IDS.id()}"
    for p, kind in ((origin, tags[0]), (moved, tags[1])):
        runs = [r for r in p if r.tag == wa("r")]
        if kind in ("moveFrom", "del"):
            for r in runs:
                _as_deleted(r)
        else:
            for ref in p.iter(wa("footnoteReference")):
                ref.set(wa("id"), (note_ids or {}).get(ref.get(wa("id")), ref.get(wa("id"))))
        wrapper = _wrap(runs, kind, author)
        if kind in ("del", "ins"):
            mark = etree.SubElement(_mark_props(p), wa(kind))
            for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
                mark.set(wa(key), value)
            continue
        start = etree.Element(wa(f"{kind}RangeStart"))
        for key, value in (("id", IDS.id()), ("author", author), ("date", DATE), ("name", name)):
            start.set(wa(key), value)
        wrapper.addprevious(start)
        end = etree.Element(wa(f"{kind}RangeEnd"))
        end.set(wa("id"), start.get(wa("id")))
        wrapper.addnext(end)
        mark = etree.SubElement(_mark_props(p), wa(kind))
        for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
            mark.set(wa(key), value)
    target.addprevious(moved)
    return moved


def insert_paragraph_after(root, text: str, new: str, author: str):
    """A new paragraph of ``new`` typed after the one holding ``text``, tracked: its words
    inserted, and the paragraph mark before it inserted too."""
    p = isolate(root, text).getparent()
    added = etree.Element(wa("p"))
    if p.find(wa("pPr")) is not None:
        added.append(copy.deepcopy(p.find(wa("pPr"))))
    run = etree.SubElement(added, wa("r"))
    t = etree.SubElement(run, wa("t"))
    t.text = new
    p.addnext(added)
    _wrap([run], "ins", author)
    mark = etree.SubElement(_mark_props(p), wa("ins"))
    for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
        mark.set(wa(key), value)
    return added


_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs")


def restyle(root, text: str, author: str, bold: bool | None = None, italic: bool | None = None, nth: int = 0):
    """The run of ``text`` made bold or italic (True) or not (False), as Word records a
    formatting change: the run's new properties, and inside them ``w:rPrChange`` holding
    the old ones."""
    run = isolate(root, text, nth)
    rpr = run.find(wa("rPr"))
    if rpr is None:
        rpr = etree.Element(wa("rPr"))
        run.insert(0, rpr)
    old = copy.deepcopy(rpr)
    for key, value in (("b", bold), ("i", italic)):
        if value is None:
            continue
        for tag in (key, key + "Cs"):
            for element in rpr.findall(wa(tag)):
                rpr.remove(element)
            if value:
                rpr.append(etree.Element(wa(tag)))
    known = [c for c in rpr if c.tag.rsplit("}", 1)[-1] in _RPR_ORDER]
    for child in sorted(known, key=lambda c: _RPR_ORDER.index(c.tag.rsplit("}", 1)[-1]), reverse=True):
        rpr.remove(child)
        rpr.insert(0, child)
    change = etree.SubElement(rpr, wa("rPrChange"))
    for key, value in (("id", IDS.id()), ("author", author), ("date", DATE)):
        change.set(wa(key), value)
    change.append(old)
    return run


def insert_footnote(package: WordPackage, after_text: str, text: str, author: str) -> str:
    """A footnote inserted with tracking on right after ``after_text``, as Word records
    it: the call's run in ``w:ins`` and, in footnotes.xml, a new note whose runs (its
    number and its text) are inserted too; returns its id."""
    note_id, call, runs = _new_footnote(package, after_text, text)
    _wrap([call], "ins", author)
    _wrap(runs, "ins", author)
    return note_id


def _new_footnote(package: WordPackage, after_text: str, text: str):
    """A footnote's call right after ``after_text`` and its note in footnotes.xml, as
    Word writes them (no revision marks): (its id, the call's run, the note's runs)."""
    note_id = str(max(int(n.get(wa("id"))) for n in package.footnotes.iter(wa("footnote"))) + 1)
    run = isolate(package.document, after_text)
    call = etree.Element(wa("r"))
    etree.SubElement(etree.SubElement(call, wa("rPr")), wa("rStyle")).set(wa("val"), "FootnoteReference")
    etree.SubElement(call, wa("footnoteReference")).set(wa("id"), note_id)
    run.addnext(call)
    note = etree.SubElement(package.footnotes, wa("footnote"))
    note.set(wa("id"), note_id)
    p = etree.SubElement(note, wa("p"))
    etree.SubElement(etree.SubElement(p, wa("pPr")), wa("pStyle")).set(wa("val"), "FootnoteText")
    number = etree.SubElement(p, wa("r"))
    etree.SubElement(etree.SubElement(number, wa("rPr")), wa("rStyle")).set(wa("val"), "FootnoteReference")
    etree.SubElement(number, wa("footnoteRef"))
    words = etree.SubElement(p, wa("r"))
    t = etree.SubElement(words, wa("t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = " " + text
    return note_id, call, [number, words]


# --- with tracking off: what changed, and nothing that says so ----------------------------

def untracked_footnote(package: WordPackage, after_text: str, text: str) -> str:
    """A footnote inserted with tracking off right after ``after_text`` (References ›
    Insert Footnote): its call and its note, with no ``w:ins``; returns its id."""
    return _new_footnote(package, after_text, text)[0]


def untracked_call_deleted(package: WordPackage, number: int) -> None:
    """The call of note ``number`` (in calling order) deleted with tracking off: Word
    removes its run from the body and the note from footnotes.xml, and on saving
    numbers the notes left 1, 2, 3… in the order of their calls."""
    calls = list(package.document.iter(wa("footnoteReference")))
    gone = calls[number - 1]
    notes = {n.get(wa("id")): n for n in package.footnotes.iter(wa("footnote"))}
    package.footnotes.remove(notes[gone.get(wa("id"))])
    run = gone.getparent()
    run.getparent().remove(run)
    for k, call in enumerate(c for c in calls if c is not gone):
        notes[call.get(wa("id"))].set(wa("id"), f"n{k + 1}")  # (two passes: an id may be taken)
        call.set(wa("id"), f"n{k + 1}")
    for element in list(package.footnotes.iter(wa("footnote"))) + list(package.document.iter(wa("footnoteReference"))):
        if element.get(wa("id")).startswith("n"):
            element.set(wa("id"), element.get(wa("id"))[1:])


def renumbered(package: WordPackage) -> None:
    """The notes numbered 1, 2, 3… in the order of their calls, as Word numbers them on saving."""
    calls = list(package.document.iter(wa("footnoteReference")))
    notes = {n.get(wa("id")): n for n in package.footnotes.iter(wa("footnote"))}
    for k, call in enumerate(calls):  # (two passes: an id may be taken)
        notes[call.get(wa("id"))].set(wa("id"), f"n{k + 1}")
        call.set(wa("id"), f"n{k + 1}")
    for element in list(package.footnotes.iter(wa("footnote"))) + calls:
        if element.get(wa("id")).startswith("n"):
            element.set(wa("id"), element.get(wa("id"))[1:])


def untracked_restyle(root, text: str, bold: bool | None = None, italic: bool | None = None, nth: int = 0):
    """The run of ``text`` made bold or italic (True) or not (False) with tracking off
    (Ctrl+B, Ctrl+I): its ``w:b``/``w:bCs`` (``w:i``/``w:iCs``) set or taken away, in
    the schema's order, and no ``w:rPrChange``."""
    run = restyle(root, text, "nobody", bold=bold, italic=italic, nth=nth)
    change = run.find(f"{wa('rPr')}/{wa('rPrChange')}")
    change.getparent().remove(change)
    return run
