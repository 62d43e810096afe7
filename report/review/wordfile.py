"""A reviewed Word file: its paragraphs with their tracked changes, its notes and comments.

Takes the path of an untrusted .docx (opened by :mod:`report.importer.package`, within
its limits); returns a :class:`WordFile`: each body paragraph and each footnote as a
:class:`~report.review.paragraphs.Para` (text as sent, as reviewed, the revisions
between), the comments of ``comments.xml`` with where each is anchored (its
``commentRangeStart``, else its reference; possibly in another paragraph than its
end) and their threads (``commentsExtended.xml``, Word's; without it, comments on one
range are a thread, as Google Docs exports one), and the custom property
``ReportBuild`` that names the build the file came from (which Google Docs drops).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from report.errors import ReportError
from report.importer.package import Limits, Package, fail, open_package
from report.buildid import BUILD_PROPERTY, BUILT_FOR, CUSTOM_NS, VT_NS
from report.review.paragraphs import BREAK, NOTE, Anchor, Para, Revision, read_paragraphs, w

__all__ = ["BREAK", "NOTE", "Anchor", "Comment", "Para", "Revision", "WordFile", "read_word_file"]


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str
    reply_to: str | None = None  # the id of the comment it answers
    resolved: bool = False  # it, or the thread it is in, marked done


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


@dataclass
class WordFile:
    identity: str | None
    body: list[Para]
    notes: dict[str, Para]  # footnote id → its text (one paragraph; more are joined by BREAK)
    comments: dict[str, Comment]
    anchors: dict[str, Anchor]
    built_for: dict | None = None  # ReportLanguage, ReportEdition, ReportDraft → value (or None)


def _text(element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in element.iter(w("p"))).strip()


def _threads(package: Package, part: str, comments: dict[str, Comment], para_ids: dict[str, str]) -> dict:
    """``comments`` with their parents and resolved state from ``part``, commentsExtended.xml."""
    try:
        entries = list(package.xml(part).iter("{%s}commentEx" % W15))
    except ReportError:
        return comments  # broken: the comments without their threads
    by_para = {para: cid for cid, para in para_ids.items()}
    parent, done = {}, set()
    for entry in entries:
        cid = by_para.get(entry.get("{%s}paraId" % W15) or "")
        if cid is None:
            continue
        up = by_para.get(entry.get("{%s}paraIdParent" % W15) or "")
        if up is not None and up != cid:
            parent[cid] = up
        if entry.get("{%s}done" % W15) in ("1", "true"):
            done.add(cid)
    out = {}
    for cid, comment in comments.items():
        seen, at, resolved = {cid}, cid, cid in done
        while at in parent and parent[at] not in seen:  # up the thread (a cycle ends it)
            at = parent[at]
            seen.add(at)
            resolved = resolved or at in done
        up = parent.get(cid) if at not in parent and parent.get(cid) in comments else None  # no cycle
        out[cid] = Comment(comment.id, comment.author, comment.date, comment.text, up, resolved)
    return out


def _shared_ranges(comments: dict[str, Comment], starts: dict[str, Anchor], ends: dict[str, Anchor]) -> dict:
    """``comments`` with their threads as Google Docs exports them: no commentsExtended.xml,
    a reply is a comment of its own on exactly the range of the one it answers (its
    ``commentRangeStart`` beside that one's, its reference after that one's; so too
    LibreOffice 7.4, which writes no commentsExtended.xml). Of the comments on one
    range, the earliest (by date; at one date, the one whose reference comes first in
    the file, as Word and LibreOffice write a reply's after its comment's; then by id)
    is the thread's first and the others answer it; listed in that order."""
    ranges: dict[tuple, list[str]] = {}
    for cid in comments:
        start, end = starts.get(cid), ends.get(cid)
        if start is not None and end is not None:
            key = (start.part, start.index, start.offset, end.part, end.index, end.offset)
            ranges.setdefault(key, []).append(cid)
    read = {cid: n for n, cid in enumerate(ends)}  # the references in the order the file has them
    order = sorted(comments, key=lambda cid: (comments[cid].date, read.get(cid, len(read)),
                                              int(cid) if cid.isdigit() else 0, cid))
    out = {cid: comments[cid] for cid in order}
    for ids in ranges.values():
        first, *replies = sorted(ids, key=order.index)
        for cid in replies:
            out[cid] = replace(comments[cid], reply_to=first)
    return out


def read_identity(package: Package, name: str = BUILD_PROPERTY) -> str | None:
    """The ``ReportBuild`` (or ``name``) custom property, or None."""
    part = next((target for rel_type, target, external in package.rels("").values()
                 if not external and rel_type.endswith("/custom-properties") and package.has(target)), None)
    if part is None:
        return None
    for prop in package.xml(part).iter("{%s}property" % CUSTOM_NS):
        if prop.get("name") == name:
            value = prop.find("{%s}lpwstr" % VT_NS)
            return (value.text or "").strip() if value is not None else None
    return None


def _main_part(package: Package) -> str:
    main = package.related("", "officeDocument")
    if main is None:
        raise fail("IMP002", f"{package.shown} is not a Word document (no main document part)", package.shown,
                   "save it from Word as .docx")
    return main


def read_word_file(path: Path, shown: str, limits: Limits = Limits()) -> WordFile:
    """Read ``path`` (see the module doc); every problem with the file is a ReportError
    (IMP001–IMP006, as ``report import`` says them)."""
    package = open_package(path, shown, limits)
    try:
        main = _main_part(package)
        anchors: dict[str, Anchor] = {}
        ends: dict[str, Anchor] = {}
        body_root = package.xml(main).find(w("body"))
        body = read_paragraphs(body_root, "body", anchors, ends) if body_root is not None else []
        notes: dict[str, Para] = {}
        notes_part = package.related(main, "footnotes")
        if notes_part is not None:
            for note in package.xml(notes_part).iter(w("footnote")):
                note_id = note.get(w("id"), "")
                if note.get(w("type")) not in (None, "normal"):
                    continue  # separators
                paragraphs = read_paragraphs(note, note_id, anchors, ends, one=True)
                notes[note_id] = paragraphs[0] if paragraphs else Para()
        comments: dict[str, Comment] = {}
        para_ids: dict[str, str] = {}  # comment id → its last paragraph's w14:paraId
        comments_part = package.related(main, "comments")
        if comments_part is not None:
            for comment in package.xml(comments_part).iter(w("comment")):
                cid = comment.get(w("id"), "")
                comments[cid] = Comment(cid, comment.get(w("author")) or "unknown",
                                        comment.get(w("date")) or "", _text(comment))
                paras = [p.get("{%s}paraId" % W14) for p in comment.iter(w("p"))]
                if paras and paras[-1]:
                    para_ids[cid] = paras[-1]
            extended = package.related(main, "commentsExtended")
            if extended is None:
                comments = _shared_ranges(comments, anchors, ends)  # Google Docs' threads
            else:
                comments = _threads(package, extended, comments, para_ids)
        for cid, anchor in ends.items():
            anchors.setdefault(cid, anchor)
        return WordFile(read_identity(package), body, notes, comments, anchors,
                        {name: read_identity(package, name) for name in BUILT_FOR})
    finally:
        package.close()
