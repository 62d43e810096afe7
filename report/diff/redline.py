"""redline.docx: NEW's report.docx with the changes from OLD as native tracked changes.

Takes a :class:`~report.diff.Comparison` whose NEW side has report.docx bytes;
returns the redline's bytes. OLD's units and notes are rendered by the DOCX
backend itself into a scratch body, so deleted text keeps its formatting; NEW's
units are found as the last elements of NEW's body (what follows the title page
and the contents), checked text by text against NEW's model. Then, along the
alignment's script: paired paragraphs get word-level ``w:ins``/``w:del``;
deleted units are inserted as deleted content; inserted units are marked. In
footnotes.xml an edited note gets word revisions, an added note is marked
inserted, and a deleted note call points to a deleted copy of OLD's note (so
rejecting every revision restores it). Author "report diff"; the date is the NEW
build's (its DOCX core properties, else the report date), else a fixed one.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile

from lxml import etree

from report.diagnostics import Location, error
from report.diff.revisions import Revisions, Tok
from report.errors import ReportError
from report.render.docx.body import BodyWriter
from report.render.docx.fields import Bookmarks
from report.render.docx.footnotes import write_notes
from report.render.docx.inlines import InlineWriter
from report.render.docx.tables import table_layout
from report.render.docx.xml import NSMAP, w

AUTHOR = "report diff"
NO_DATE = "1980-01-01T00:00:00Z"  # the date DOCX zip members carry when a build has none; never "now"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DCTERMS = "{http://purl.org/dc/terms/}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class _NoLinks:
    """Hyperlink targets for scratch rendering: deleted content loses its links (their
    relationships would be OLD's), so any id will do."""

    def rid(self, url: str) -> str:
        return "rIdReportDiff"


def _mismatch(what: str) -> ReportError:
    return ReportError(error("DIF007", f"NEW's report.docx does not match its model.json ({what})",
                             Location("report.docx"), "rebuild NEW with `report build`"))


def revision_date(side, parts: dict) -> str:
    core = parts.get("docProps/core.xml")
    if core:
        modified = etree.fromstring(core, _PARSER).find(f"{DCTERMS}modified")
        if modified is not None and modified.text:
            return modified.text.strip()
    date = side.document.metadata.date
    return f"{date.isoformat()}T00:00:00Z" if date else NO_DATE


def _target(rels: bytes, suffix: str, base: str) -> str | None:
    for rel in etree.fromstring(rels, _PARSER).iter(f"{REL_NS}Relationship"):
        if rel.get("Type", "").endswith(suffix) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else base + target
    return None


def visible(element) -> str:
    out = []
    for node in element.iter(w("t"), w("tab"), w("br")):
        out.append(node.text or "" if node.tag == w("t") else "\t" if node.tag == w("tab") else "\n")
    return "".join(out)


def scratch_units(view, layout) -> list[list]:
    """Each unit of ``view`` rendered by the DOCX backend: its list of body elements."""
    body = etree.Element(w("body"), nsmap=NSMAP)
    writer = BodyWriter(InlineWriter(_NoLinks(), notes=True), Bookmarks(body), layout)
    ranges = []
    for unit in view.units:
        start = len(body)
        if unit.kind == "title":
            writer.section(body, dataclasses.replace(unit.block, blocks=()), None)
        else:
            writer.block(body, unit.block, 0, 0)
        ranges.append(list(body)[start:])
    return ranges


class _Redline:
    def __init__(self, result, parts: dict, doc_name: str, notes_name: str):
        self.al = result.alignment
        self.root = etree.fromstring(parts[doc_name], _PARSER)
        self.notes_root = etree.fromstring(parts[notes_name], _PARSER)
        self.body = self.root.find(w("body"))
        ids = [int(v) for tree in (self.root, self.notes_root) for el in tree.iter()
               if isinstance(el.tag, str) and (v := el.get(w("id"), "")).lstrip("-").isdigit()]
        self.revs = Revisions(max(ids, default=0) + 1, AUTHOR, revision_date(result.new, parts))
        self.next_note = max([int(i) for i in (n.get(w("id")) for n in self.notes_root) if i and i.isdigit()],
                             default=0) + 1
        self.paired_new = {n: o for o, n in self.al.notes.items()}
        old_notes = etree.Element(w("footnotes"), nsmap=NSMAP)
        write_notes(old_notes, self.al.old.document.footnotes(), InlineWriter(_NoLinks(), notes=False))
        self.old_notes = {n.get(w("id")): n for n in old_notes}

    # identities: what a note call is on both sides, so a renumbered note is equal
    def new_identity(self, rid):
        number = self.real_number.get(rid)
        return ("old", self.paired_new[number]) if number in self.paired_new else ("new", number)

    def old_identity(self, rid):
        return ("old", int(rid)) if int(rid) in self.al.notes else ("gone", int(rid))

    def remap_ref(self, rid: str) -> str:
        """A deleted call of OLD's note ``rid``: a deleted copy of that note, its new id."""
        note = copy.deepcopy(self.old_notes[rid])
        new_id = str(self.next_note)
        self.next_note += 1
        note.set(w("id"), new_id)
        self.revs.deleted(note, self.remap_ref, mark_paragraphs=False)
        self.notes_root.append(note)
        return new_id

    def remap_token(self, tok: Tok) -> Tok:
        if tok.kind != "note":
            return tok
        run = copy.deepcopy(tok.run)
        ref = run.find(w("footnoteReference"))
        ref.set(w("id"), self.remap_ref(ref.get(w("id"))))
        return dataclasses.replace(tok, run=run)

    def body_units(self, layout) -> list[list]:
        """NEW's units in NEW's body, checked against the scratch rendering of its model."""
        new_ranges = scratch_units(self.al.new, layout)
        content = [el for el in self.body if el.tag != w("sectPr")]
        count = sum(len(r) for r in new_ranges)
        if count > len(content):
            raise _mismatch("fewer body elements than the model has")
        real, ranges, k = content[len(content) - count:], [], 0
        self.front = content[:len(content) - count]  # the title page and the contents
        for expected in new_ranges:
            found = real[k:k + len(expected)]
            if [(e.tag, visible(e)) for e in expected] != [(e.tag, visible(e)) for e in found]:
                raise _mismatch(f"unit {len(ranges) + 1}: “{visible(found[0])[:40] if found else ''}”")
            ranges.append(found)
            k += len(expected)
        refs = [r.get(w("id")) for r in self.body.iter(w("footnoteReference"))]
        numbers = [note.number for note in self.al.new.document.footnotes()]
        if len(refs) != len(numbers):
            raise _mismatch("footnote calls")
        self.real_number = dict(zip(refs, numbers))
        return ranges

    def pair(self, olds: list, news: list) -> list:
        if len(olds) == len(news) and all(o.tag == n.tag == w("p") for o, n in zip(olds, news)):
            return [self.revs.merge(n, copy.deepcopy(o), self.new_identity, self.old_identity, self.remap_token)
                    for o, n in zip(olds, news)]
        if [visible(o) for o in olds] == [visible(n) for n in news]:
            return news
        return [self.revs.deleted(copy.deepcopy(o), self.remap_ref) for o in olds] + \
            [self.revs.inserted(n) for n in news]

    def title_page(self) -> None:
        """Title, subtitle and organization changes on the title page: the paragraph
        showing NEW's value gets OLD's as a word revision (one showing a value OLD did
        not have is inserted). The running header and the contents, a field Word
        recomputes, stay NEW's."""
        old, new = self.al.old.document.metadata, self.al.new.document.metadata
        for name in ("title", "subtitle", "organization"):
            was, now = getattr(old, name), getattr(new, name)
            if was == now or not now:
                continue
            for p in (e for e in self.front if e.tag == w("p") and visible(e) == now):
                if not was:
                    self.revs.inserted(p)
                    continue
                before = copy.deepcopy(p)
                texts = list(before.iter(w("t")))
                for t in texts:
                    t.text = ""
                texts[0].text = was
                self.revs.merge(p, before, lambda rid: rid, lambda rid: rid, self.remap_token)

    def run(self, layout) -> None:
        new_ranges = self.body_units(layout)
        self.title_page()
        old_ranges = scratch_units(self.al.old, layout)
        out = []
        for op, i, j in self.al.script:
            if op == "pair":
                out.extend(self.pair(old_ranges[i], new_ranges[j]))
            elif op == "delete":
                out.extend(self.revs.deleted(copy.deepcopy(e), self.remap_ref) for e in old_ranges[i])
            else:
                out.extend(self.revs.inserted(e) for e in new_ranges[j])
        for element in (e for r in new_ranges for e in r):
            self.body.remove(element)
        anchor = self.body.find(w("sectPr"))
        for element in out:
            if anchor is not None:
                anchor.addprevious(element)
            else:
                self.body.append(element)
        self.footnotes()

    def footnotes(self) -> None:
        by_id = {n.get(w("id")): n for n in self.notes_root.findall(w("footnote"))}
        for rid, number in self.real_number.items():
            note = by_id.get(rid)
            if note is None:
                raise _mismatch(f"footnote {number}")
            old_number = self.paired_new.get(number)
            if old_number is None:
                self.revs.inserted(note, mark_paragraphs=False)
                continue
            old = self.old_notes[str(old_number)]
            for new_p, old_p in zip(note.findall(w("p")), old.findall(w("p"))):
                self.revs.merge(new_p, copy.deepcopy(old_p), lambda rid: rid, lambda rid: rid, self.remap_token)


def redline(result) -> bytes:
    """The redline of ``result`` (a Comparison whose NEW side has report.docx)."""
    with zipfile.ZipFile(io.BytesIO(result.new.docx)) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info.filename) for info in infos}
    doc_name = _target(parts["_rels/.rels"], "/officeDocument", "")
    rels_name = doc_name.rsplit("/", 1)[0] + "/_rels/" + doc_name.rsplit("/", 1)[1] + ".rels"
    folder = doc_name.rsplit("/", 1)[0] + "/"
    notes_name = _target(parts[rels_name], "/footnotes", folder) if rels_name in parts else None
    if not notes_name or notes_name not in parts:
        raise _mismatch("no footnotes part")
    styles_name = _target(parts[rels_name], "/styles", folder)
    styles = etree.fromstring(parts[styles_name], _PARSER) if styles_name in parts else None
    work = _Redline(result, parts, doc_name, notes_name)
    work.run(table_layout(styles, work.body.find(w("sectPr"))))
    for name, tree in ((doc_name, work.root), (notes_name, work.notes_root)):
        parts[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = info.create_system
            member.external_attr = info.external_attr
            archive.writestr(member, parts[info.filename])
    return out.getvalue()
