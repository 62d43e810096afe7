"""One Word paragraph with its tracked changes: the text as sent, as reviewed, and the revisions.

Takes a ``w:p`` (or a container of them: a body, a note); returns :class:`Para`
values: the text with every tracked change *rejected* (what the reviewer received,
``original``), with every change *accepted* (``accepted``), and the changes between the
two as :class:`Revision` ranges of ``original``. Note calls are the character
:data:`NOTE`. Where each comment starts is recorded as an :class:`Anchor`.

How Word and LibreOffice write revisions: ``w:ins``/``w:moveTo`` around inserted
runs, ``w:del``/``w:moveFrom`` around deleted runs (their text in ``w:delText``),
``w:ins``/``w:del`` in a paragraph mark's ``w:rPr`` for a split or joined paragraph,
``w:rPrChange``/``w:pPrChange`` for formatting (bold and italic turned on or off on a
run's text are a :class:`Restyle`; any other formatting change is only noted). Field
codes (``w:instrText``) are not text; a field's shown result is. Google Docs writes
the same elements its own way: a replacement's ``w:ins`` before its ``w:del`` (one id),
suggestions inside content controls (``w:sdt``, read through), a field's begin,
code and separator in one run, notes numbered from 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTE = "\ufffc"  # a footnote call in a paragraph's text
BREAK = "\u2029"  # a paragraph break inserted by a revision (a split)
_INSERT = {"ins": "change", "moveTo": "move"}
_DELETE = {"del": "change", "moveFrom": "move"}
_DESCEND = {"hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo"}
_RUN_TEXT = {"t": None, "delText": None, "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "\u2011"}


def w(tag: str) -> str:
    return "{%s}%s" % (W_NS, tag)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass(frozen=True)
class Revision:
    """``original[start:end]`` replaced by ``text`` (an insertion when start == end)."""

    start: int
    end: int
    text: str
    author: str
    date: str
    kind: str  # change | move
    flags: tuple = ()  # bold and italic ("b", "i") of each character of ``text`` (report.review.typed)


@dataclass(frozen=True)
class Restyle:
    """``original[start:end]`` made bold or italic (``added``: {"b", "i"}) or no longer
    (``removed``), by a formatting revision."""

    start: int
    end: int
    added: frozenset
    removed: frozenset
    author: str
    date: str


@dataclass
class Para:
    """One paragraph: ``original`` (changes rejected), ``accepted`` (changes accepted),
    the revisions between them, the ids of the notes called in ``original`` (in order),
    and revisions this increment cannot carry (``joined``: the paragraph mark deleted;
    ``formatting``: changed run or paragraph properties), each as (author, date)."""

    original: str = ""
    accepted: str = ""
    revisions: list[Revision] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inserted_notes: list[str] = field(default_factory=list)
    joined: tuple[str, str] | None = None
    formatting: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, author, date)
    style: str | None = None
    restyles: list[Restyle] = field(default_factory=list)
    # bold and italic ("b", "i") of each character of ``original``, as sent (a formatting
    # revision's old properties): compared with the build's (report.review.untracked)
    flags: list[frozenset] = field(default_factory=list)


@dataclass(frozen=True)
class Anchor:
    """Where comment ``id`` starts: paragraph ``index`` of ``part`` ("body", or a note id), at ``offset``."""

    id: str
    part: str
    index: int
    offset: int


class _Reader:
    """Walks one paragraph's runs, keeping both texts and the revisions between them."""

    def __init__(self, part: str, index: int, anchors: dict, ends: dict, shift: int = 0):
        self.para = Para()
        self.part, self.index, self.shift = part, index, shift
        self.anchors, self.ends = anchors, ends
        self._open: list = []  # the revision being read: [kind, author, date, start, text, its flags]
        self._flags: frozenset = frozenset()  # the run being read: its bold and italic as sent
        self._typed: frozenset = frozenset()  # and as the reviewer left it (inserted text's)

    def add(self, text: str, state: tuple | None, note: str | None = None) -> None:
        para = self.para
        if state is None:
            self._close()
            para.original += text
            para.flags += [self._flags] * len(text)
            para.accepted += text
            if note is not None:
                para.notes.append(note)
            return
        op, kind, author, date = state
        if self._open and self._open[1] != author:
            self._close()
        if not self._open:
            self._open = [kind, author, date, len(para.original), "", []]
        if op == "del":
            para.original += text
            para.flags += [self._flags] * len(text)
            if note is not None:
                para.notes.append(note)
        else:
            para.accepted += text
            self._open[4] += text
            self._open[5] += [self._typed] * len(text)
            if note is not None:
                para.inserted_notes.append(note)

    def _close(self) -> None:
        if self._open:
            kind, author, date, start, text, flags = self._open
            self.para.revisions.append(Revision(start, len(self.para.original), text, author, date, kind, tuple(flags)))
            self._open = []

    def walk(self, element, state: tuple | None) -> None:
        for child in element:
            tag = _local(child.tag)
            if tag in _INSERT or tag in _DELETE:
                op = "ins" if tag in _INSERT else "del"
                here = (op, _INSERT.get(tag) or _DELETE.get(tag), child.get(w("author")) or "unknown",
                        child.get(w("date")) or "")
                if state is not None and state[0] != op:
                    continue  # inserted, then deleted (or the reverse): in neither text
                self.walk(child, here)
            elif tag == "r":
                self.run(child, state)
            elif tag in _DESCEND:
                self.walk(child, state)
            elif tag == "commentRangeStart":
                self.anchors[child.get(w("id"), "")] = Anchor(child.get(w("id"), ""), self.part, self.index,
                                                                self.shift + len(self.para.original))
            elif tag == "pPr":
                self.mark(child)

    def run(self, run, state) -> None:
        start, change = len(self.para.original), None
        rpr = run.find(w("rPr"))
        sent = rpr.find(w("rPrChange")) if rpr is not None else None
        sent = sent.find(w("rPr")) if sent is not None else rpr  # before a formatting revision
        self._flags = frozenset(k for k in ("b", "i") if _toggles(sent)[k] is True)
        self._typed = frozenset(k for k in ("b", "i") if _toggles(rpr)[k] is True)  # as the reviewer left it
        for child in run:
            tag = _local(child.tag)
            if tag in _RUN_TEXT:
                if tag == "br" and child.get(w("type")) in ("page", "column"):
                    continue
                text = child.text or "" if _RUN_TEXT[tag] is None else _RUN_TEXT[tag]
                if text:
                    self.add(text, state)
            elif tag == "footnoteReference":
                self.add(NOTE, state, child.get(w("id"), ""))
            elif tag == "commentReference":
                self.ends.setdefault(child.get(w("id"), ""), Anchor(child.get(w("id"), ""), self.part, self.index,
                                                                      self.shift + len(self.para.original)))
            elif tag == "rPr" and child.find(w("rPrChange")) is not None:
                change = child
        if change is not None and state is None:
            self.restyle(change, start, len(self.para.original))

    def restyle(self, rpr, start: int, end: int) -> None:
        """A run's formatting revision: bold and italic turned on or off become a
        :class:`Restyle` (joined with the previous run's when they touch); any other
        property changed is noted in ``formatting``."""
        change = rpr.find(w("rPrChange"))
        author, date = change.get(w("author")) or "unknown", change.get(w("date")) or ""
        before, after = _toggles(change.find(w("rPr"))), _toggles(rpr)
        added = frozenset(k for k in ("b", "i") if after[k] is True and before[k] is not True)
        removed = frozenset(k for k in ("b", "i") if before[k] is True and after[k] is not True)
        if before["other"] != after["other"] or (not added and not removed and before != after):
            self.para.formatting.append((start, author, date))
        if not (added or removed) or start == end:
            return
        last = self.para.restyles[-1] if self.para.restyles else None
        if last is not None and last.end == start and (last.added, last.removed, last.author) == (added, removed, author):
            self.para.restyles[-1] = Restyle(last.start, end, added, removed, author, last.date)
        else:
            self.para.restyles.append(Restyle(start, end, added, removed, author, date))

    def mark(self, ppr) -> None:
        style = ppr.find(w("pStyle"))
        self.para.style = style.get(w("val")) if style is not None else None
        change = ppr.find(w("pPrChange"))
        if change is not None:
            self.para.formatting.append((0, change.get(w("author")) or "unknown", change.get(w("date")) or ""))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            return
        deleted = rpr.find(w("del")) if rpr.find(w("del")) is not None else rpr.find(w("moveFrom"))
        if deleted is not None:
            self.para.joined = (deleted.get(w("author")) or "unknown", deleted.get(w("date")) or "")

    def finish(self, p) -> Para:
        self.walk(p, None)
        self._close()
        return self.para


_NOISE = {"rPrChange", "rsid", "lang", "rFonts", "noProof", "b", "bCs", "i", "iCs"}


def _toggles(rpr) -> dict:
    """Bold and italic as a run's properties set them (True, False: set off, None: not
    set), and its other properties (to tell whether anything else changed)."""
    out: dict = {"b": None, "i": None}
    other = []
    for child in rpr if rpr is not None else ():
        tag = _local(child.tag)
        if tag in ("b", "i"):
            out[tag] = child.get(w("val"), "true").lower() not in ("0", "false", "off")
        elif tag not in _NOISE:
            other.append((tag, sorted((k, v) for k, v in child.attrib.items())))
    out["other"] = sorted(other)
    return out


def inserted_mark(p) -> tuple[str, str] | None:
    """(author, date) when the paragraph mark of ``p`` was inserted by a revision (a split)."""
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    if rpr is None:
        return None
    mark = rpr.find(w("ins")) if rpr.find(w("ins")) is not None else rpr.find(w("moveTo"))
    return (mark.get(w("author")) or "unknown", mark.get(w("date")) or "") if mark is not None else None


def read_paragraphs(container, part: str, anchors: dict, ends: dict, one: bool = False) -> list[Para]:
    """The paragraphs of ``container`` (a body or a note) as the original file had them:
    a paragraph whose mark a revision inserted is one with the next, the break between
    them an inserted :data:`BREAK`. ``one``: every paragraph joined into one (a note's),
    :data:`BREAK` between them in both texts."""
    out: list[Para] = []
    carried: Para | None = None
    for p in container.iter(w("p")):
        if any(_local(a.tag) == "txbxContent" for a in p.iterancestors()):
            continue  # a text box's paragraphs are not the report's
        shift = len(carried.original) if carried is not None else 0
        para = _Reader(part, len(out), anchors, ends, shift).finish(p)
        split = inserted_mark(p)
        if carried is not None:
            para = _join(carried, para)
        if split is not None:
            carried = _join(para, Para(), BREAK, split)
        elif one:
            carried = _join(para, Para(), BREAK)
        else:
            carried = None
            out.append(para)
    if carried is not None:
        if one and carried.original.endswith(BREAK) and carried.accepted.endswith(BREAK):
            carried.original, carried.accepted = carried.original[:-1], carried.accepted[:-1]
            carried.flags = carried.flags[:len(carried.original)]
        out.append(carried)
    return out


def _join(first: Para, second: Para, between: str = "", revised: tuple[str, str] | None = None) -> Para:
    """``first`` then ``second`` as one paragraph, ``between`` them: text a revision by
    ``revised`` (author, date) inserted, or (``revised`` None) text of both versions."""
    out = Para(first.original, first.accepted, list(first.revisions), list(first.notes), list(first.inserted_notes),
               first.joined, list(first.formatting), first.style)
    if between and revised is not None:
        out.revisions.append(Revision(len(out.original), len(out.original), between, revised[0], revised[1], "change"))
        out.accepted += between
    elif between:
        out.original += between
        out.accepted += between
    out.flags = list(first.flags) + [frozenset()] * (len(out.original) - len(first.original))
    shift = len(out.original)
    for r in second.revisions:  # one revision with a touching one of the same author and kind
        last = out.revisions[-1] if out.revisions else None
        if last is not None and last.end == r.start + shift and (last.author, last.kind) == (r.author, r.kind):
            out.revisions[-1] = Revision(last.start, r.end + shift, last.text + r.text, last.author, last.date, last.kind,
                                         last.flags + r.flags)
        else:
            out.revisions.append(Revision(r.start + shift, r.end + shift, r.text, r.author, r.date, r.kind, r.flags))
    out.formatting += [(at + shift, a, d) for at, a, d in second.formatting]
    out.restyles = list(first.restyles) + [Restyle(r.start + shift, r.end + shift, r.added, r.removed, r.author, r.date)
                                           for r in second.restyles]
    out.original += second.original
    out.flags += second.flags
    out.accepted += second.accepted
    out.notes += second.notes
    out.inserted_notes += second.inserted_notes
    out.joined = second.joined or out.joined
    return out
