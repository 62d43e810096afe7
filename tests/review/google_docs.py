"""A reviewed report as Google Docs exports it (File › Download › Microsoft Word (.docx)).

:class:`GoogleDoc` takes the build's report.docx, records suggestions and comments the
way Google Docs writes them, and :meth:`GoogleDoc.export` gives the file back as Google
Docs does. What it reproduces, and where each fact was seen:

Three exports in superdoc-dev/superdoc (packages/super-editor/src/tests/data/: "Google
Docs Originated comments & TCs.docx", gdocs-tracked-changes.docx, gdocs-comments-export.docx):

- no docProps/ at all (_rels/.rels relates the main document only), so the custom
  property ReportBuild is gone; no webSettings.xml; styles.xml defines Normal,
  Heading1–6, Title and Subtitle only; settings.xml has no w:footnotePr;
- a replacement is a w:ins *then* a w:del, with one w:id and one date; revision ids count
  from 0 and comment ids from 0 too, apart; dates as ``2025-11-26T05:51:11Z``;
- runs split exactly at a suggestion's edges; every paragraph with its w:rsid* "00000000",
  a w14:paraId counting up from 00000001 and ``<w:rPr/>`` in its w:pPr; every text run with
  its w:rsid* "00000000" and ``<w:rtl w:val="0"/>``, bold as ``w:b w:val="1"`` with w:bCs;
  an empty run at a paragraph's end; the tasks namespace as the root's default one;
- a thread is one w:comment per post, with no commentsExtended.xml, people.xml or
  commentsIds.xml: a reply has its own commentRangeStart beside the first post's and its
  commentRangeEnd and reference run (no w:rPr) after the first's, on exactly its range; ids
  rise with the dates; comments.xml lists the threads in no id order; a w:comment has
  author, id and date (no initials) and one paragraph with a w14:paraId, its runs as above.

A footnote repair script for Google Docs round trips (find_string id 58505664568, "A. Google
Docs round-trip damage"), a test of Google Docs producer traits (id 70898010994), a review
log and an sdt sanitizer (ids 68678217830, 32018102213), a bookmark test (id 69135669762):

- footnotes.xml without the separator and continuation notes, its notes numbered from 0;
  a call is ``<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference
  w:customMarkFollows="0" w:id="N"/></w:r>``; a note's paragraph loses its FootnoteText style;
- a field's begin, instruction and separate in one run (the contents' TOC field);
- suggestion spans wrapped in a ``w:sdt`` tagged ``goog_rdk_N``;
- headings' bookmarks named ``_heading=h.…``, with w:colFirst and w:colLast.

Assumed, seen in no export: the contents' PAGEREF fields flattened to their page numbers
(Google Docs has no such field), the contents in a block ``w:sdt`` of the "Table of
Contents" gallery, and the note's own number run superscript like its call.
"""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

from tests.review.word_edits import W, W14, WordPackage, isolate, wa

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TASKS = "http://schemas.microsoft.com/office/tasks/2019/documenttasks"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NSMAP = {None: TASKS, "mc": MC, "w": W, "w14": W14, "r": R}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DATE = "2026-12-01T10:00:00Z"
ZERO = "00000000"
GOOGLE_STYLES = ["Normal", "Title", "Subtitle"] + [f"Heading{n}" for n in range(1, 7)]
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def _element(tag: str, **attrs: str):
    element = etree.Element(wa(tag))
    for key, value in attrs.items():
        element.set(wa(key), value)
    return element


def _text_run(model, text: str):
    """A run of ``text`` with ``model``'s properties."""
    run = _element("r")
    if model.find(wa("rPr")) is not None:
        run.append(copy.deepcopy(model.find(wa("rPr"))))
    t = etree.SubElement(run, wa("t"))
    t.set(XML_SPACE, "preserve")
    t.text = text
    return run


def _deleted(run, mark) -> None:
    """``run`` moved into the deletion ``mark``, its text deleted text."""
    run.addprevious(mark)
    mark.append(run)
    for t in run.iter(wa("t")):
        t.tag = wa("delText")


class GoogleDoc:
    """The build's report.docx being reviewed in Google Docs (suggestions and comments)."""

    def __init__(self, data: bytes):
        self.package = WordPackage(data)
        self.document, self.footnotes = self.package.document, self.package.footnotes
        self.threads: list[list[tuple[str, str, str, str]]] = []  # each: (id, author, date, text) per post
        self._revisions, self._comments, self._controls, self._paras = 0, 0, 0, 0

    def note(self, number: int):
        """The ``w:footnote`` of the build's note ``number``."""
        return next(n for n in self.footnotes.iter(wa("footnote")) if n.get(wa("id")) == str(number))

    def _mark(self, tag: str, author: str, date: str, rid: str):
        return _element(tag, author=author, id=rid, date=date)

    def _revision(self) -> str:
        self._revisions += 1
        return str(self._revisions - 1)

    def _control(self, first, last=None) -> None:
        """``first`` (to ``last``) wrapped in an inline content control tagged goog_rdk_N."""
        sdt = _element("sdt")
        etree.SubElement(etree.SubElement(sdt, wa("sdtPr")), wa("tag")).set(wa("val"), f"goog_rdk_{self._controls}")
        self._controls += 1
        content = etree.SubElement(sdt, wa("sdtContent"))
        first.addprevious(sdt)
        for element in [first] + ([last] if last is not None else []):
            content.append(element)

    def replace(self, root, old: str, new: str, author: str, date: str = DATE, control: bool = False):
        """Suggesting ``new`` over ``old``: the insertion first, then the deletion, one id."""
        run = isolate(root, old)
        rid = self._revision()
        ins, deleted = self._mark("ins", author, date, rid), self._mark("del", author, date, rid)
        ins.append(_text_run(run, new))
        run.addprevious(ins)
        _deleted(run, deleted)
        if control:
            self._control(ins, deleted)
        return ins

    def delete(self, root, text: str, author: str, date: str = DATE):
        deleted = self._mark("del", author, date, self._revision())
        _deleted(isolate(root, text), deleted)
        return deleted

    def insert(self, root, before: str, text: str, author: str, date: str = DATE, control: bool = False):
        """Suggesting ``text`` right before the words ``before``."""
        run = isolate(root, before)
        ins = self._mark("ins", author, date, self._revision())
        ins.append(_text_run(run, text))
        run.addprevious(ins)
        if control:
            self._control(ins)
        return ins

    def comment(self, root, start: str, end: str, posts: list[tuple[str, str, str]]) -> list[str]:
        """A thread of ``posts`` ((author, date, text), the first the comment, the others its
        replies) on the words from ``start`` to ``end`` (words a suggestion inserted: the
        range starts inside its w:ins, as Google writes a comment on a suggestion); returns
        their ids."""
        first, last = isolate(root, start), isolate(root, end)
        ids = [str(self._comments + k) for k in range(len(posts))]
        self._comments += len(posts)
        at = last
        for cid in ids:
            first.addprevious(_element("commentRangeStart", id=cid))
            range_end = _element("commentRangeEnd", id=cid)
            at.addnext(range_end)
            reference = _element("r")
            etree.SubElement(reference, wa("commentReference")).set(wa("id"), cid)
            range_end.addnext(reference)
            at = reference
        self.threads.append([(cid, *post) for cid, post in zip(ids, posts)])
        return ids

    # --- the export ---------------------------------------------------------------

    def export(self) -> bytes:
        calls = [ref.get(wa("id")) for ref in self.document.iter(wa("footnoteReference"))]
        numbers = {old: str(n) for n, old in enumerate(calls)}  # notes from 0, in calling order
        document = _rooted(self.document)
        _fields(document)
        _contents(document)
        _bookmarks(document)
        for ref in document.iter(wa("footnoteReference")):
            _superscript(ref.getparent())
            ref.set(wa("customMarkFollows"), "0")
            ref.set(wa("id"), numbers[ref.get(wa("id"))])
        self._shape(document)
        footnotes = _rooted(self.footnotes)
        notes = {n.get(wa("id")): n for n in footnotes.iter(wa("footnote"))}
        for note in list(footnotes):
            footnotes.remove(note)
        for old in calls:
            note = notes[old]
            note.set(wa("id"), numbers[old])
            for ref in note.iter(wa("footnoteRef")):
                _superscript(ref.getparent())
            footnotes.append(note)
        self._shape(footnotes)
        parts = {name: data for name, data in self.package.parts.items()
                 if not name.startswith("docProps/") and name != "word/webSettings.xml"}
        parts["word/document.xml"] = _xml(document)
        parts["word/footnotes.xml"] = _xml(footnotes)
        parts["word/settings.xml"] = _xml(_settings())
        parts["word/styles.xml"] = _xml(_styles())
        parts["_rels/.rels"] = _xml(_relationships([("rId1", R + "/officeDocument", "word/document.xml")]))
        rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
        kept = [(r.get("Id"), r.get("Type"), r.get("Target")) for r in rels
                if not r.get("Type").endswith("/webSettings")]
        if self.threads:
            parts["word/comments.xml"] = _xml(self._comments_part())
            kept.append(("rIdGoogleComments", COMMENTS_TYPE, "comments.xml"))
        parts["word/_rels/document.xml.rels"] = _xml(_relationships(kept))
        parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"], parts)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return out.getvalue()

    def _shape(self, root) -> None:
        """Paragraphs and runs as Google writes them (see the module doc)."""
        for p in root.iter(wa("p")):
            for key in ("rsidR", "rsidDel", "rsidP", "rsidRDefault", "rsidRPr"):
                p.set(wa(key), ZERO)
            self._paras += 1
            p.set(f"{{{W14}}}paraId", f"{self._paras:08X}")
            props = p.find(wa("pPr"))
            if props is None:
                props = _element("pPr")
                p.insert(0, props)
            style = props.find(wa("pStyle"))
            if style is not None and style.get(wa("val")) not in GOOGLE_STYLES:
                props.remove(style)  # the project's styles are not Google's: dropped
            if props.find(wa("rPr")) is None:
                props.append(_element("rPr"))
            for run in p.iter(wa("r")):
                for key in ("rsidDel", "rsidR", "rsidRPr"):
                    run.set(wa(key), ZERO)
                if run.find(wa("t")) is None and run.find(wa("delText")) is None:
                    continue
                rpr = run.find(wa("rPr"))
                if rpr is None:
                    rpr = _element("rPr")
                    run.insert(0, rpr)
                for toggle in ("b", "i"):
                    if rpr.find(wa(toggle)) is not None:
                        rpr.find(wa(toggle)).set(wa("val"), "1")
                        if rpr.find(wa(toggle + "Cs")) is None:
                            rpr.find(wa(toggle)).addnext(_element(toggle + "Cs", val="1"))
                rpr.append(_element("rtl", val="0"))
            last = p[-1] if len(p) else None
            if last is None or last.tag != wa("r") or last.find(wa("t")) is None:
                empty = _element("r", rsidDel=ZERO, rsidR=ZERO, rsidRPr=ZERO)
                etree.SubElement(empty, wa("rPr")).append(_element("rtl", val="0"))
                p.append(empty)

    def _comments_part(self):
        root = etree.Element(wa("comments"), nsmap=NSMAP)
        for thread in reversed(self.threads):  # not in id order
            for cid, author, date, text in thread:
                entry = etree.SubElement(root, wa("comment"))
                for key, value in (("author", author), ("id", cid), ("date", date)):
                    entry.set(wa(key), value)
                p = etree.SubElement(entry, wa("p"))
                spacing = _element("spacing", after="0", before="0", line="240", lineRule="auto")
                etree.SubElement(p, wa("pPr")).append(spacing)
                p.append(_text_run(_element("r"), text))
        self._shape(root)
        return root


def _rooted(old):
    """A copy of ``old`` under a root declaring Google's namespaces (the tasks one the default)."""
    old = copy.deepcopy(old)
    new = etree.Element(old.tag, nsmap=NSMAP)
    for key, value in old.attrib.items():
        new.set(key, value)
    new.extend(list(old))
    return new


def _superscript(run) -> None:
    for rpr in run.findall(wa("rPr")):
        run.remove(rpr)  # the FootnoteReference style is not Google's: superscript by hand
    rpr = _element("rPr")
    rpr.append(_element("vertAlign", val="superscript"))
    run.insert(0, rpr)


def _fields(root) -> None:
    """The TOC field packed into one run (begin, instruction, separate); every other field
    (PAGEREF, REF, SEQ) flattened to its shown result."""
    open_fields: list[dict] = []
    for run in list(root.iter(wa("r"))):
        mark = run.find(wa("fldChar"))
        instr = run.find(wa("instrText"))
        if mark is not None and mark.get(wa("fldCharType")) == "begin":
            open_fields.append({"runs": [run], "instr": ""})
        elif instr is not None and open_fields:
            open_fields[-1]["runs"].append(run)
            open_fields[-1]["instr"] += instr.text or ""
        elif mark is not None and mark.get(wa("fldCharType")) == "separate" and open_fields:
            open_fields[-1]["runs"].append(run)
        elif mark is not None and mark.get(wa("fldCharType")) == "end" and open_fields:
            field = open_fields.pop()
            begin, rest = field["runs"][0], field["runs"][1:]
            if field["instr"].split()[:1] == ["TOC"]:
                for other in rest:
                    begin.extend([c for c in other if c.tag != wa("rPr")])
                    other.getparent().remove(other)
            else:
                for other in field["runs"] + [run]:
                    other.getparent().remove(other)


def _contents(root) -> None:
    """The contents' heading and entries (styles TOCHeading, TOC1…) in a block content control."""
    body = root.find(wa("body"))
    entries = [p for p in body if p.tag == wa("p")
               and p.find(f"{wa('pPr')}/{wa('pStyle')}") is not None
               and p.find(f"{wa('pPr')}/{wa('pStyle')}").get(wa("val"), "").startswith("TOC")]
    if not entries:
        return
    sdt = _element("sdt")
    gallery = etree.SubElement(etree.SubElement(sdt, wa("sdtPr")), wa("docPartObj"))
    etree.SubElement(gallery, wa("docPartGallery")).set(wa("val"), "Table of Contents")
    etree.SubElement(gallery, wa("docPartUnique")).set(wa("val"), "1")
    content = etree.SubElement(sdt, wa("sdtContent"))
    entries[0].addprevious(sdt)
    content.extend(entries)


def _bookmarks(root) -> None:
    names = {}
    for mark in root.iter(wa("bookmarkStart")):
        names[mark.get(wa("name"))] = f"_heading=h.{len(names):x}gdoc"
        mark.set(wa("colFirst"), "0")
        mark.set(wa("colLast"), "0")
        mark.set(wa("name"), names[mark.get(wa("name"))])
    for link in root.iter(wa("hyperlink")):
        if link.get(wa("anchor")) in names:
            link.set(wa("anchor"), names[link.get(wa("anchor"))])


def _settings():
    root = etree.Element(wa("settings"), nsmap=NSMAP)
    root.append(_element("embedTrueTypeFonts", val="1"))
    root.append(_element("defaultTabStop", val="720"))
    compat = etree.SubElement(root, wa("compat"))
    compat.append(_element("compatSetting", val="15", name="compatibilityMode",
                           uri="http://schemas.microsoft.com/office/word"))
    return root


def _styles():
    root = etree.Element(wa("styles"), nsmap=NSMAP)
    for style_id in GOOGLE_STYLES:
        style = etree.SubElement(root, wa("style"))
        style.set(wa("type"), "paragraph")
        style.set(wa("styleId"), style_id)
        if style_id == "Normal":
            style.set(wa("default"), "1")
        etree.SubElement(style, wa("name")).set(wa("val"), style_id.lower().replace("heading", "heading "))
    return root


def _relationships(rows):
    root = etree.Element(f"{{{PKG}}}Relationships", nsmap={None: PKG})
    for rel_id, rel_type, target in rows:
        etree.SubElement(root, f"{{{PKG}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
    return root


def _content_types(old: bytes, parts: dict) -> bytes:
    """The defaults kept, an override for each part left (comments.xml's too)."""
    source = etree.fromstring(old)
    root = etree.Element(f"{{{CT}}}Types", nsmap={None: CT})
    for default in source.iter(f"{{{CT}}}Default"):
        root.append(copy.deepcopy(default))
    types = {o.get("PartName"): o.get("ContentType") for o in source.iter(f"{{{CT}}}Override")}
    types["/word/comments.xml"] = COMMENTS_CT
    for name in parts:
        if "/" + name in types:
            etree.SubElement(root, f"{{{CT}}}Override", PartName="/" + name, ContentType=types["/" + name])
    return _xml(root)


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
