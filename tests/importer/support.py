"""Reading a DOCX's text for the round-trip tests, independently of the importer.

The body text is every ``w:t`` of the main document in document order, without
tables of contents (TOC styles, or a content control of the TOC gallery), the
title-page date, ``mc:Fallback`` copies, and the text markers ("•", "3.") the
renderer types before list items. Notes are each real footnote's and endnote's
``w:t`` text, in the order their calls appear in the body. Comparisons drop all
white space: paragraph breaks and line breaks may differ, the words may not.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from lxml import etree

from tests.conftest import SHARED, copy_shipped_project

FIXTURES = SHARED / "fixtures" / "docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W}
TITLE_PAGE = {"Title", "Subtitle", "Organization", "Date"}


def wa(name: str) -> str:
    return f"{{{W}}}{name}"


def expected() -> dict[str, dict]:
    return {item["file"]: item for item in json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


_NAMES: dict[str, str] = {}  # style id → name, of the document being read


def _style(p) -> str:
    """The paragraph's style as Word names it without spaces ("TOCHeading", "Heading1")."""
    style = p.find("w:pPr/w:pStyle", NS)
    sid = style.get(wa("val")) if style is not None else ""
    return _NAMES.get(sid, sid).replace(" ", "")


def _skipped(t, rebuilt: bool) -> bool:
    for ancestor in t.iterancestors():
        tag = ancestor.tag
        if tag in (wa("del"), wa("moveFrom"), f"{{{MC}}}Fallback"):
            return True
        if tag == wa("p") and (_style(ancestor).upper().startswith("TOC") or _style(ancestor) in TITLE_PAGE):
            return True
        if tag == wa("sdt"):
            gallery = ancestor.find(".//w:docPartGallery", NS)
            if gallery is not None and "contents" in (gallery.get(wa("val")) or "").lower():
                return True
        if rebuilt and tag == wa("r") and _is_marker(ancestor):
            return True
    return False


def _is_marker(run) -> bool:
    """The renderer's typed list marker: a first run "•"/"3." + tab in a hanging paragraph."""
    p = run.getparent()
    if p.tag != wa("p") or p.find("w:pPr/w:ind[@w:hanging]", NS) is None:
        return False
    first = p.find("w:r", NS)
    text = "".join(t.text or "" for t in run.findall("w:t", NS))
    return run is first and run.find("w:tab", NS) is not None and re.fullmatch(r"•|\d+\.", text) is not None


def read_docx(data: bytes, rebuilt: bool = False) -> dict:
    """{"body": text, "title": text, "notes": [text…], "headings": [text…]} of a DOCX."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    _NAMES.clear()
    if "word/styles.xml" in parts:
        for style in etree.fromstring(parts["word/styles.xml"]).iter(wa("style")):
            name = style.find("w:name", NS)
            if name is not None:
                _NAMES[style.get(wa("styleId"))] = re.sub(r"^(heading|toc) ", lambda m: m.group(1).capitalize()
                                                          if m.group(1) == "heading" else "TOC", name.get(wa("val")))
    body = etree.fromstring(parts["word/document.xml"]).find("w:body", NS)
    texts = [t.text or "" for t in body.iter(wa("t")) if not _skipped(t, rebuilt)]
    title = " ".join(t.text or "" for p in body.iter(wa("p")) if _style(p) == "Title" for t in p.iter(wa("t")))
    notes = {}
    for kind in ("footnote", "endnote"):
        name = f"word/{kind}s.xml"
        if name in parts:
            for note in etree.fromstring(parts[name]).iter(wa(kind)):
                if note.get(wa("type")) in (None, "normal"):
                    text = "".join(t.text or "" for t in note.iter(wa("t")) if not _skipped(t, rebuilt))
                    notes[(kind, note.get(wa("id")))] = " ".join(text.split())
    calls = []
    for ref in body.iter(wa("footnoteReference"), wa("endnoteReference")):
        if not any(a.tag in (wa("del"), wa("moveFrom")) for a in ref.iterancestors()):
            kind = "footnote" if ref.tag == wa("footnoteReference") else "endnote"
            calls.append(notes.get((kind, ref.get(wa("id"))), ""))
    headings = [" ".join("".join(t.text or "" for t in p.iter(wa("t"))).split())
                for p in body.iter(wa("p")) if re.fullmatch(r"Heading[1-9]", _style(p))]
    return {"body": "".join(texts), "title": title, "notes": calls, "headings": headings}


def interleaves(merged: list, first: list, second: list) -> bool:
    """Whether ``merged`` is ``first`` and ``second`` interleaved, each in its order."""
    if len(merged) != len(first) + len(second):
        return False
    reachable = {(0, 0)}
    for item in merged:
        reachable = {(i + 1, j) for i, j in reachable if i < len(first) and first[i] == item} | \
                    {(i, j + 1) for i, j in reachable if j < len(second) and second[j] == item}
        if not reachable:
            return False
    return (len(first), len(second)) in reachable


def shipped_docx(tmp: Path) -> bytes:
    """The shipped report's DOCX, built from a copy of its sources."""
    from report.build import build

    project = copy_shipped_project(tmp / "shipped")
    data = (build(project, ("docx",)).out_dir / "report.docx").read_bytes()
    shutil.rmtree(project)
    return data


def rebuild(project: Path) -> bytes:
    from report.build import build

    return (build(project, ("docx",)).out_dir / "report.docx").read_bytes()
