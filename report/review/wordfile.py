"""A reviewed Word file: its paragraphs with their tracked changes, its notes and comments.

Takes the path of an untrusted .docx (opened by :mod:`report.importer.package`, within
its limits); returns a :class:`WordFile`: each body paragraph and each footnote as a
:class:`~report.review.paragraphs.Para` (text as sent, as reviewed, the revisions
between), the comments of ``comments.xml`` with where each is anchored (its
``commentRangeStart``, else its reference; possibly in another paragraph than its
end), and the custom property ``ReportBuild`` that names the build the file came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.importer.package import Limits, Package, open_package
from report.buildid import BUILD_PROPERTY, CUSTOM_NS, VT_NS
from report.review.paragraphs import BREAK, NOTE, Anchor, Para, Revision, read_paragraphs, w

__all__ = ["BREAK", "NOTE", "Anchor", "Comment", "Para", "Revision", "WordFile", "read_word_file"]


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str


@dataclass
class WordFile:
    identity: str | None
    body: list[Para]
    notes: dict[str, Para]  # footnote id → its text (one paragraph; more are joined by BREAK)
    comments: dict[str, Comment]
    anchors: dict[str, Anchor]


def _text(element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in element.iter(w("p"))).strip()


def read_identity(package: Package) -> str | None:
    """The ``ReportBuild`` custom property, or None."""
    name = next((target for rel_type, target, external in package.rels("").values()
                 if not external and rel_type.endswith("/custom-properties") and package.has(target)), None)
    if name is None:
        return None
    for prop in package.xml(name).iter("{%s}property" % CUSTOM_NS):
        if prop.get("name") == BUILD_PROPERTY:
            value = prop.find("{%s}lpwstr" % VT_NS)
            return (value.text or "").strip() if value is not None else None
    return None


def _main_part(package: Package) -> str:
    from report.importer.package import fail

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
        comments_part = package.related(main, "comments")
        if comments_part is not None:
            for comment in package.xml(comments_part).iter(w("comment")):
                cid = comment.get(w("id"), "")
                comments[cid] = Comment(cid, comment.get(w("author")) or "unknown",
                                        comment.get(w("date")) or "", _text(comment))
        for cid, anchor in ends.items():
            anchors.setdefault(cid, anchor)
        return WordFile(read_identity(package), body, notes, comments, anchors)
    finally:
        package.close()
