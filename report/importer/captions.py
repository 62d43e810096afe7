"""Word captions and cross-references → labelled figures and tables, and ``@`` references.

:func:`arrange` takes the body records after :func:`.figures.place_pictures`:
paragraph records (with their pieces), ``("figure", FigureRecord)`` records and
``("table", w:tbl, reader)`` records (and a ``("dropped",)`` placeholder where a
picture could not be kept, so its caption stays text). A caption paragraph (any
paragraph with a ``SEQ`` field, then one in Word's Caption style) right before or
after a figure or a table (on the side the document's captions take when both
could be) becomes its caption: the paragraph is taken out of the records, its "Figure 1: "
(the word before the SEQ field, the number and the separator) is removed, since
the build numbers figures and tables itself, and the figure or table gets a
unique label, ``fig-`` or ``tbl-`` and a slug of the caption. A table record
becomes ``("table", w:tbl, reader, Caption)``.

It returns the records and a function from pieces to pieces that turns each
``REF`` field to a bookmark in such a caption into an :class:`~.runs.XRef`,
without the words the build prints itself: a field result "Figure 3" becomes the
reference; a result "3" after the word "Figure " (or "figure ", "Table "…) too,
the word dropped; a bare "3" elsewhere becomes the number alone. Any other REF
field keeps its result text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from report.importer.inlines import pieces_text
from report.importer.runs import FieldMark, Mark, NoteCall, Piece, XRef

SEQ = re.compile(r"^\s*SEQ\s+\"?([^\s\"\\]+)", re.I)
REF = re.compile(r"^\s*REF\s+\"?([^\s\"\\]+)", re.I)
_NUMBER = r"\d+(?:[.\-\u2010-\u2013]\d+)*"
_TYPED = re.compile(rf"^\s*(Figure|Fig\.|Table|Tab\.)[\s\u00a0]*{_NUMBER}[\s\u00a0]*[:.\u2013\u2014-]?\s*", re.I)
_SEPARATOR = re.compile(r"^[\s\u00a0]*[:.|\u2013\u2014-]?[\s\u00a0]*")
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\[\u00a0]))(\S+)[\s\u00a0]+$")
_WORDS = frozenset({"figure", "fig.", "table", "tab."})
_NOT_BODY = ("title", "subtitle", "organization", "date", "toc")


@dataclass
class Caption:
    """A table's caption: its pieces (label text removed) and the table's label."""

    pieces: list
    label: str


def arrange(records: list) -> tuple[list, object]:
    """See the module doc."""
    labels: dict[str, tuple[str, str]] = {}  # bookmark name → (label, the caption's word)
    taken: set[str] = set()
    records = list(records)
    kinds = {i: kind for i, kind in ((i, _caption_kind(r)) for i, r in enumerate(records)) if kind is not None}
    sides = {i: _sides(records, i, kind) for i, kind in kinds.items()}
    below = _captions_below(records, sides)
    for i in sorted(kinds, key=lambda i: (kinds[i] == "", i)):  # SEQ-numbered captions first
        record = records[i]
        j = _target(records, *sides[i], below)
        if j is None:
            continue
        pieces, word = strip_label(record.pieces)
        if not pieces_text(pieces).strip():
            continue  # "Figure 1" and nothing else: the figure stays unnumbered, the paragraph as written
        target = records[j]
        prefix = "fig" if target[0] == "figure" else "tbl"
        label = _label(prefix, pieces, record.pieces, taken)
        if prefix == "fig":
            target[1].caption, target[1].label, target[1].captioned = pieces, label, True
        else:
            records[j] = target[:3] + (Caption(pieces, label),)
        for piece in record.pieces:
            if isinstance(piece, Mark) and piece.name:
                labels[piece.name] = (label, word)
        records[i] = None
    kept = [r for r in records if r is not None and not (isinstance(r, tuple) and r[0] == "dropped")]
    return kept, lambda pieces: resolve(pieces, labels)


def _caption_kind(record) -> str | None:
    """'fig' or 'tbl' for a caption whose SEQ field says which, '' for a Caption-styled
    paragraph without one, None for any other record."""
    if isinstance(record, tuple) or record.role in _NOT_BODY or (record.role or "").startswith("heading"):
        return None
    for piece in record.pieces:
        if isinstance(piece, FieldMark) and piece.start:
            match = _seq(piece.instr)
            if match:
                name = match.group(1).casefold()
                return None if name.startswith("eq") else "tbl" if name.startswith(("tab", "таб")) else "fig"
    return "" if record.role == "caption" else None


def _seq(instr: str):
    """A SEQ field that shows its number (``\\h`` hides it: a reset, no caption)."""
    return None if re.search(r"\\h\b", instr) else SEQ.match(instr)


def _sides(records: list, i: int, kind: str) -> tuple[int | None, int | None]:
    """The figure or table records right before and after caption ``i`` (over empty
    paragraphs) that it could caption, by its kind."""
    wants = {"fig": ("figure",), "tbl": ("table",), "": ("figure", "table")}[kind]
    near = (_near(records, i, -1), _near(records, i, 1))
    return tuple(j if j is not None and records[j][0] in wants else None for j in near)


def _captions_below(records: list, sides: dict) -> dict[str, bool]:
    """Whether the document puts its figures' and its tables' captions below them,
    from the captions with a target on one side only; else Word's habit: figures'
    below, tables' above."""
    votes = {"figure": [0, 0], "table": [0, 0]}  # [below, above]
    for before, after in sides.values():
        if (before is None) != (after is None):
            votes[records[before if after is None else after][0]][after is not None] += 1
    return {kind: below > above if below != above else kind == "figure" for kind, (below, above) in votes.items()}


def _target(records: list, before: int | None, after: int | None, below: dict) -> int | None:
    """The uncaptioned figure or table a caption belongs to, from its ``sides``; when
    both are free, the side the document's captions usually take."""
    free = [j for j in (before, after) if j is not None and
            (not records[j][1].captioned if records[j][0] == "figure" else len(records[j]) == 3)]
    if len(free) < 2:
        return free[0] if free else None
    if below[records[before][0]]:
        return before
    return after if not below[records[after][0]] else before


def _near(records: list, i: int, step: int) -> int | None:
    """The nearest figure or table record from ``i`` in direction ``step``, over empty
    paragraphs and captions already taken; None when text comes first."""
    j = i + step
    while 0 <= j < len(records):
        record = records[j]
        if isinstance(record, tuple):
            return j
        if record is not None and _has_text(record.pieces):
            return None
        j += step
    return None


def _has_text(pieces: list) -> bool:
    return bool(pieces_text(pieces).strip()) or any(isinstance(p, NoteCall) for p in pieces)


def strip_label(pieces: list) -> tuple[list, str]:
    """A caption's pieces without "Figure 1: ", and the word before the number
    ("Figure"; "" when there is none). Bookmarks and note calls in the label stay."""
    start = next((k for k, p in enumerate(pieces) if isinstance(p, FieldMark) and p.start and _seq(p.instr)), None)
    if start is None:
        match = _TYPED.match(pieces_text(pieces))
        return (_drop_chars(pieces, match.end()), match.group(1)) if match else (pieces, "")
    end = _field_end(pieces, start)
    before = pieces_text(pieces[:start]).split()
    if end is None or len(before) > 3 or len(" ".join(before)) > 40:
        return pieces, ""  # not a label ("Figure", "Figure 2-"): leave the text as written
    kept = [p for p in pieces[:end + 1] if isinstance(p, (Mark, NoteCall))]
    rest = pieces[end + 1:]
    return kept + _drop_chars(rest, _SEPARATOR.match(pieces_text(rest)).end()), before[0] if before else ""


def _field_end(pieces: list, start: int) -> int | None:
    depth = 0
    for k in range(start, len(pieces)):
        piece = pieces[k]
        if isinstance(piece, FieldMark):
            depth += 1 if piece.start else -1
            if depth == 0:
                return k
    return None


def _drop_chars(pieces: list, count: int) -> list:
    """``pieces`` without the first ``count`` characters of their text."""
    out = []
    for piece in pieces:
        if count and isinstance(piece, Piece):
            cut = min(count, len(piece.text))
            count -= cut
            if piece.text[cut:]:
                out.append(Piece(piece.text[cut:], piece.flags, piece.href))
        else:
            out.append(piece)
    return out


def _label(prefix: str, pieces: list, original: list, taken: set) -> str:
    """``fig-`` or ``tbl-`` and the first words of the caption (else of a bookmark
    named by hand), unique in the document."""
    slug = _slug(pieces_text(pieces))
    if not slug:
        names = [p.name for p in original if isinstance(p, Mark) and p.name and not p.name.startswith("_")]
        slug = _slug(names[0]) if names else ""
    base = f"{prefix}-{slug}" if slug else f"{prefix}-{sum(1 for t in taken if t.startswith(prefix)) + 1}"
    label, n = base, 2
    while label in taken:
        label, n = f"{base}-{n}", n + 1
    taken.add(label)
    return label


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text.lower()):
        if slug and len(slug) + len(word) + 1 > 30:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def resolve(pieces: list, labels: dict) -> list:
    """``pieces`` with each REF field to a caption's bookmark made an XRef (see the module doc)."""
    if not labels:
        return pieces
    out: list = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        match = REF.match(piece.instr) if isinstance(piece, FieldMark) and piece.start else None
        target = labels.get(match.group(1)) if match else None
        end = _field_end(pieces, i) if target else None
        xref = _xref(" ".join(pieces_text(pieces[i + 1:end]).split()), target, out) if end is not None else None
        if xref is None:
            out.append(piece)
            i += 1
        else:
            out.append(xref)
            i = end + 1
    return out


def _xref(text: str, target: tuple[str, str], before: list) -> XRef | None:
    label, word = target
    words = _WORDS | {word.casefold()} if word else _WORDS
    parts = re.fullmatch(rf"(\S+)[\s\u00a0]+{_NUMBER}", text)
    if parts and parts.group(1).casefold() in words:
        return XRef(label)
    if re.fullmatch(_NUMBER, text):
        return XRef(label, bare=not _drop_word(before, words))
    return None  # the caption's text, a page or "above": kept as written


def _drop_word(pieces: list, words) -> bool:
    """Remove the word ("Figure ") that ends the text of ``pieces``, when it is one of ``words``."""
    k = len(pieces)
    while k and isinstance(pieces[k - 1], (Piece, Mark)):
        k -= 1
    match = _WORD_BEFORE.search(pieces_text(pieces[k:]))
    if match is None or match.group(1).casefold() not in words:
        return False
    count = len(match.group(0))
    while count:
        last = pieces.pop()
        if not isinstance(last, Piece):
            continue  # a bookmark inside the dropped word goes with it
        cut = min(count, len(last.text))
        count -= cut
        if last.text[:-cut]:
            pieces.append(Piece(last.text[:-cut], last.flags, last.href))
    return True
