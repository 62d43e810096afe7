"""WordprocessingML tracked changes: ``w:ins`` and ``w:del`` around runs, word by word.

Takes ``w:p`` elements (NEW's from report.docx, OLD's rendered by the DOCX
backend into a scratch body) and returns them with revisions: :meth:`Revisions.merge`
rebuilds NEW's paragraph with OLD's deleted words in ``w:del``/``w:delText`` and
NEW's inserted words in ``w:ins``; :meth:`inserted` and :meth:`deleted` mark
whole paragraphs and tables (runs, the paragraph mark, table rows). ``w:ins`` may
not hold a ``w:hyperlink``, so it goes inside one, around the runs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from report.diff.view import WORD
from report.diff.words import opcodes
from report.render.docx.xml import XML_SPACE, insert_in_order, w

TEXT_PARTS = {w("t"), w("tab"), w("br")}


@dataclass
class Tok:
    kind: str  # text | note | marker
    key: object
    text: str = ""
    run: object = None  # the source w:r (text, note) or the element itself (marker)
    container: object = None  # the w:hyperlink holding it, or None


def tokenize(p, identity) -> list[Tok]:
    """Words, note calls and markers (bookmarks, field runs, the note's own mark) of ``p``.
    ``identity`` maps a footnoteReference id to what the note is on both sides."""
    out: list[Tok] = []

    def walk(parent, container):
        for child in parent:
            if child.tag == w("r"):
                run(child, container)
            elif child.tag == w("hyperlink"):
                walk(child, child)
            elif child.tag != w("pPr"):
                out.append(Tok("marker", None, run=child, container=container))

    def run(r, container):
        props = r.find(w("rPr"))
        style = etree.tostring(props) if props is not None else b""
        ref = r.find(w("footnoteReference"))
        if ref is not None:
            out.append(Tok("note", ("note", identity(ref.get(w("id")))), run=r, container=container))
            return
        parts = [c for c in r if c.tag != w("rPr")]
        if any(c.tag not in TEXT_PARTS for c in parts):
            out.append(Tok("marker", None, run=r, container=container))
            return
        for part in parts:
            if part.tag == w("t"):
                for match in WORD.finditer(part.text or ""):
                    out.append(Tok("text", ("t", match.group(), style), match.group(), r, container))
            else:
                text = "\t" if part.tag == w("tab") else "\n"
                out.append(Tok("text", ("t", text, style), text, r, container))

    walk(p, None)
    return out


def outline(p, identity) -> list:
    """A cheap key of ``p``'s content: per run, its properties and text, or the note it
    calls. Equal outlines mean equal words, so :meth:`Revisions.merge` can skip
    tokenizing the paragraphs most diffs leave alone."""
    out = []
    for r in p.iter(w("r")):
        ref = r.find(w("footnoteReference"))
        if ref is not None:
            out.append(identity(ref.get(w("id"))))
            continue
        props = r.find(w("rPr"))
        out.append((etree.tostring(props) if props is not None else b"",
                    "".join(c.text or "" if c.tag == w("t") else c.tag for c in r if c.tag != w("rPr"))))
    return out


class Revisions:
    """Hands out revision ids (above every id the parts use) with one author and date."""

    def __init__(self, first_id: int, author: str, date: str | None):
        self._next = first_id
        self.attrs = {w("author"): author}
        if date:
            self.attrs[w("date")] = date

    def element(self, kind: str, parent=None):
        attrs = {w("id"): str(self._next), **self.attrs}
        self._next += 1
        return etree.Element(w(kind), attrs) if parent is None else etree.SubElement(parent, w(kind), attrs)

    # --- building runs ------------------------------------------------------

    @staticmethod
    def _runs(tokens: list[Tok], deleted: bool) -> list:
        """One run per stretch of tokens from one source run (its rPr copied)."""
        runs, current, source = [], None, None
        for tok in tokens:
            if tok.kind == "note":
                runs.append(copy.deepcopy(tok.run) if deleted else tok.run)
                source = None
                continue
            if tok.run is not source or current is None:
                current = etree.Element(w("r"))
                props = tok.run.find(w("rPr"))
                if props is not None:
                    current.append(copy.deepcopy(props))
                runs.append(current)
                source = tok.run
            _add_text(current, tok.text, deleted)
        return runs

    def merge(self, new_p, old_p, new_identity, old_identity, remap):
        """NEW's paragraph with the word changes from OLD's as revisions, or ``new_p``
        itself when both say the same. ``remap`` gives a deleted note call the id of
        its deleted copy in the footnotes part."""
        if outline(old_p, old_identity) == outline(new_p, new_identity):
            return new_p
        a, b = tokenize(old_p, old_identity), tokenize(new_p, new_identity)
        words_a = [t for t in a if t.kind != "marker"]
        words_b = [t for t in b if t.kind != "marker"]
        if [t.key for t in words_a] == [t.key for t in words_b]:
            return new_p
        status = {}  # id(tok) of NEW → "=" | "+"
        before: dict[int, list[Tok]] = {}  # deletions placed before NEW's k-th word
        for tag, i1, i2, j1, j2 in opcodes([t.key for t in words_a], [t.key for t in words_b]):
            for tok in words_b[j1:j2]:
                status[id(tok)] = "=" if tag == "equal" else "+"
            if tag in ("delete", "replace"):
                before.setdefault(j1, []).extend(words_a[i1:i2])
        pieces: list[tuple[object, object]] = []  # (container, element)
        k, pending = 0, []  # pending: NEW tokens of one state and container, not yet emitted

        def flush():
            if pending:
                state, container = status[id(pending[0])], pending[0].container
                runs = self._runs(pending, deleted=False)
                if state == "+":
                    wrapper = self.element("ins")
                    wrapper.extend(runs)
                    runs = [wrapper]
                pieces.extend((container, r) for r in runs)
                pending.clear()

        def deletions(at: int):
            if at in before:
                flush()
                gone = [remap(t) for t in before[at]]
                wrapper = self.element("del")
                wrapper.extend(self._runs(gone, deleted=True))
                pieces.append((None, wrapper))

        for tok in b:
            if tok.kind == "marker":
                flush()
                pieces.append((tok.container, tok.run))
                continue
            deletions(k)
            if pending and (status[id(pending[0])] != status[id(tok)] or pending[0].container is not tok.container):
                flush()
            pending.append(tok)
            k += 1
        flush()
        deletions(k)
        return _assemble(new_p, pieces)

    # --- whole elements ----------------------------------------------------------

    def inserted(self, element, mark_paragraphs: bool = True):
        self._wrap(element, "ins", mark_paragraphs)
        return element

    def deleted(self, element, remap_ref, mark_paragraphs: bool = True):
        """``element`` (OLD's, rendered into a scratch body) as deleted content: links and
        bookmarks dropped (their targets belong to OLD's package), text in w:delText."""
        for tag in ("bookmarkStart", "bookmarkEnd"):
            for mark in list(element.iter(w(tag))):
                mark.getparent().remove(mark)
        for link in list(element.iter(w("hyperlink"))):
            _unwrap(link)
        for ref in element.iter(w("footnoteReference")):
            ref.set(w("id"), remap_ref(ref.get(w("id"))))
        for t in element.iter(w("t"), w("instrText")):
            t.tag = w("delText") if t.tag == w("t") else w("delInstrText")
        self._wrap(element, "del", mark_paragraphs)
        return element

    def _wrap(self, element, kind: str, mark_paragraphs: bool) -> None:
        for row in element.iter(w("tr")):
            props = row.find(w("trPr"))
            if props is None:
                props = etree.Element(w("trPr"))
                row.insert(0, props)
            props.append(self.element(kind))
        for p in list(element.iter(w("p"))):
            for holder in [p] + list(p.iter(w("hyperlink"))):
                group = None
                for child in list(holder):
                    if child.tag == w("r"):
                        if group is None:
                            group = self.element(kind)
                            child.addprevious(group)
                        group.append(child)
                    else:
                        group = None
            # A cell's paragraphs go with their row; only body paragraphs carry a mark.
            if mark_paragraphs and not any(a.tag == w("tc") for a in p.iterancestors()):
                _mark_paragraph(p, self.element(kind))


def _add_text(run, text: str, deleted: bool) -> None:
    if text == "\t":
        etree.SubElement(run, w("tab"))
    elif text == "\n":
        etree.SubElement(run, w("br"))
    else:
        last = run[-1] if len(run) else None
        tag = w("delText") if deleted else w("t")
        if last is None or last.tag != tag:
            last = etree.SubElement(run, tag)
            last.set(XML_SPACE, "preserve")
            last.text = ""
        last.text += text


def _mark_paragraph(p, mark) -> None:
    """Record the paragraph mark itself as inserted or deleted (``w:pPr/w:rPr/w:ins``)."""
    props = p.find(w("pPr"))
    if props is None:
        props = etree.Element(w("pPr"))
        p.insert(0, props)
    run_props = props.find(w("rPr"))
    if run_props is None:
        run_props = etree.Element(w("rPr"))
        insert_in_order(props, run_props, frozenset({"sectPr", "pPrChange"}))
    run_props.insert(0, mark)


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _assemble(p, pieces):
    """``p`` with its content replaced by ``pieces``; neighbours in one hyperlink share a copy of it."""
    for child in list(p):
        if child.tag != w("pPr"):
            p.remove(child)
    holder, current = None, None
    for container, element in pieces:
        if container is None:
            p.append(element)
            current = None
            continue
        if container is not current:
            holder = etree.SubElement(p, container.tag, dict(container.attrib))
            current = container
        holder.append(element)
    return p
