"""A reviewer's file for the benchmark: a built report.docx with N tracked replacements.

:func:`reviewed_docx` takes the bytes of a DOCX ``report build`` wrote and a count;
returns the bytes of the same file as Word writes it after a reviewer typed over N
words with Track Changes on: each word's run split out (Word splits runs where a
revision starts), put in ``w:del`` (its text as ``w:delText``) and followed by a
``w:ins`` run holding the new word, with ``w:id``, ``w:author`` and ``w:date``. The
words (five letters or more) are spread evenly over the body paragraphs' plain runs
(not headings, the title page or the contents, not note calls), so that a review
places every change in the Markdown. The same markup as tests/review/word_edits.py,
kept here because tools do not import the tests.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "Reviewer"
DATE = "2026-12-01T10:00:00Z"
WORD = re.compile(r"(?<![\w'’-])[A-Za-z]{5,}(?![\w'’-])")


def wa(name: str) -> str:
    return f"{{{W}}}{name}"


def _candidates(document) -> list[tuple[object, int, int]]:
    """(w:t, start, end) of every word that may be replaced, in reading order."""
    found = []
    for p in document.iter(wa("p")):
        if p.find(f"{wa('pPr')}/{wa('pStyle')}") is not None:
            continue  # headings, the title page, the contents: the body's paragraphs have no style
        for run in p.findall(wa("r")):
            if run.find(f"{wa('rPr')}/{wa('rStyle')}") is not None or len(run.findall(wa("t"))) != 1:
                continue
            t = run.find(wa("t"))
            found += [(t, m.start(), m.end()) for m in WORD.finditer(t.text or "")]
    return found


def _piece(run, text: str, tag: str = "t"):
    """A copy of ``run`` holding ``text`` only (as ``w:t`` or ``w:delText``)."""
    new = copy.deepcopy(run)
    for child in list(new):
        if child.tag != wa("rPr"):
            new.remove(child)
    t = etree.SubElement(new, wa(tag))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return new


def _mark(tag: str, run, number: int):
    mark = etree.Element(wa(tag))
    for key, value in (("id", str(number)), ("author", AUTHOR), ("date", DATE)):
        mark.set(wa(key), value)
    mark.append(run)
    return mark


def replacement(word: str) -> str:
    """The word the reviewer types instead: another word, as long, never the same."""
    return word[::-1].capitalize() if word[::-1].lower() != word.lower() else word + "s"


def reviewed_docx(docx: bytes, count: int) -> bytes:
    """``docx`` with ``count`` tracked replacements (see the module doc); fewer
    candidate words than ``count`` is a ValueError."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    document = etree.fromstring(parts["word/document.xml"])
    found = _candidates(document)
    if len(found) < count:
        raise ValueError(f"the file has {len(found)} words to replace, fewer than {count}")
    step = len(found) / count
    chosen = [found[int(i * step)] for i in range(count)]
    number = 90000  # revision ids above any the build wrote
    # From the end of each text: the words to the left keep their offsets in what is left.
    for t, start, end in sorted(chosen, key=lambda c: (id(c[0]), -c[1])):
        run, text = t.getparent(), t.text
        word, after = text[start:end], text[end:]
        t.text = text[:start]
        tail = [_mark("del", _piece(run, word, "delText"), number + 1),
                _mark("ins", _piece(run, replacement(word)), number + 2)]
        number += 2
        if after:
            tail.append(_piece(run, after))
        for element in reversed(tail):
            run.addnext(element)
        if not t.text:
            run.getparent().remove(run)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()
