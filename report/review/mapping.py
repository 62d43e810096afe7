"""Edits of a paragraph's text → edits of its Markdown source, or the reason they cannot be.

Takes one paired paragraph's :class:`~report.review.edits.Edit` list, the build's
text of it (``base``), its unit and the unit's source file; returns a
:class:`Placed` per edit: where in the source it is, and either the
:class:`SourceEdit` that makes it there or why it is not applied. A change applies
when every character it replaces was traced to the source and they stand side by
side there (no markup between them): plain text, a whole note call (deleting a
citation deletes its group). Inserted text is escaped so that it stays text; an
inserted footnote is a ``^[…]`` note; paragraph breaks go to :mod:`.breaks`. Text the
tool wrote (a note the citation style made from the registry: its locator, prefix and
suffix are :mod:`.citations`, its title, authors and year :mod:`.registry`; a number, a
cross-reference) and changes that cross formatting are
left to a later increment, located where they are. In a public edition's review, a
pseudonym typed is written as the person's name, and a change that cuts into or
renames a pseudonym is not applied (:mod:`.public`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from report.diagnostics import Location
from report.model import crossref_kind
from report.review.edits import Edit
from report.review.located import Unit, containers, shown
from report.review.markup import after_closers, before_openers, widen_deletion
from report.review.sourcefile import SourceFile
from report.review.titles import title_value
from report.review.trace import trace
from report.review.tracer import Span
from report.review.wordfile import BREAK, NOTE

# Markdown's punctuation, escaped, except where CommonMark reads it as itself: "_" between
# two letters or digits (a_b_c: no emphasis inside a word) and "*" between spaces (5 * 3:
# neither opens nor closes emphasis), so what a reviewer typed stays readable in the source.
_ESCAPE = re.compile(r"[\\`\[\]<>{}~^$|]|(?<![^\W_])_|_(?![^\W_])|(?<!\s)\*|\*(?!\s)")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_AT_KEY = re.compile(r"@(?=\w)")
_LINE_START = re.compile(r"^([ \t]*)([#=+\-:>]|\d+[.)])")
_CROSSREF = re.compile(r"@[A-Za-z][\w:.#$%&+?<>~/-]*\w")
_YAML_SPECIAL = re.compile(r"[:#'\"{}\[\]&*!|>%@`\\]")


@dataclass(frozen=True)
class SourceEdit:
    path: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Placed:
    edit: Edit
    location: Location
    source: SourceEdit | None
    reason: str | None  # why not applied
    note: str = ""  # what an applied edit could not carry (report.review.typed: the typed words' formatting)


def escape(text: str, line_start: bool) -> str:
    """``text`` as Markdown that reads back as exactly ``text``."""
    out = _AT_KEY.sub(r"\\@", _ENTITY_LIKE.sub(r"\\&", _ESCAPE.sub(lambda m: "\\" + m.group(), text)))
    if line_start:
        out = _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                      else m.group(2)[:-1] + "\\" + m.group(2)[-1]), out)
    return out


@dataclass(frozen=True)
class Traced:
    """The build's text of a unit, character by character: its source span (None:
    untraced), whether the tool wrote it, and the containers it is inside."""

    spans: list
    made: list
    stacks: list
    parts: list  # the index of the unit part each character comes from


def base_spans(unit: Unit, base: str, source: SourceFile) -> Traced:
    """What is known of each character of the build's text ``base`` of ``unit``: traced
    on the unit's text, carried over where ``base`` and the unit's text agree."""
    spans, stacks = trace(unit, source), containers(unit)
    made = [flag for part in unit.parts for flag in [part.kind == "made"] * len(shown(part))]
    parts = [i for i, part in enumerate(unit.parts) for _ in shown(part)]
    if unit.text == base:
        return Traced(spans, made, stacks, parts)
    out: list[Span | None] = [None] * len(base)
    made_out, stacks_out, parts_out = [True] * len(base), [()] * len(base), [-1] * len(base)
    for a, b, n in difflib.SequenceMatcher(None, base, unit.text, autojunk=False).get_matching_blocks():
        out[a:a + n], made_out[a:a + n], stacks_out[a:a + n] = spans[b:b + n], made[b:b + n], stacks[b:b + n]
        parts_out[a:a + n] = parts[b:b + n]
    return Traced(out, made_out, stacks_out, parts_out)


def _untraced(unit: Unit, made: list[bool]) -> str:
    if unit.kind == "note":
        return (f"it changes the text of note {unit.number}, which the citation style writes from the registry"
                " (edit the citation or references/ by hand)")
    if any(made):
        return "it changes text the tool writes (a number, a label, a cross-reference, a list marker)"
    return "its text could not be traced to the source (apply it by hand)"


def _whole_code(unit: Unit, traced: Traced, start: int, end: int) -> int:
    """1 when ``[start, end)`` holds all of a code span (its backticks go with it), else 0."""
    inside = set(traced.parts[start:end])
    return int(any(unit.parts[i].kind == "code" and traced.parts.count(i) == traced.parts[start:end].count(i)
                   for i in inside if i >= 0))


def _range(edit: Edit, traced: Traced, source: SourceFile, unit: Unit) -> tuple[int, int] | str:
    """The source range an edit replaces, or why there is none."""
    spans, stacks = traced.spans, traced.stacks
    if edit.start < edit.end:
        covered = spans[edit.start:edit.end]
        if any(span is None for span in covered):
            return "untraced"
        gaps = [(a[1], b[0]) for a, b in zip(covered, covered[1:]) if a[1] != b[0]]
        if gaps and source.public is not None and source.public.withholds(source, gaps):
            return ("it reaches over confidential text, which the public edition leaves out and the reviewed file "
                    "does not show (apply it by hand)")
        if gaps:
            return "it crosses formatting or markup (apply it by hand)"
        start, end = covered[0][0], covered[-1][1]
        if not edit.text:  # a deletion of containers' whole text deletes their markup too
            inside = set.intersection(*(set(s) for s in stacks[edit.start:edit.end]))
            outside = set(stacks[edit.start - 1] if edit.start else ()) | set(
                stacks[edit.end] if edit.end < len(stacks) else ())
            levels = len(inside - outside) + _whole_code(unit, traced, edit.start, edit.end)
            start, end = widen_deletion(source.text, start, end, levels, source.pairs)
        return start, end
    k = edit.start
    left, right = (spans[k - 1] if k > 0 else None), (spans[k] if k < len(spans) else None)
    if left is None and right is None:
        return "untraced"
    if left is not None and right is not None:
        if left[1] == right[0] or len(stacks[k]) > len(stacks[k - 1]):
            return left[1], left[1]  # adjacent, or before an opener: outside what opens
        if len(stacks[k - 1]) > len(stacks[k]):
            return right[0], right[0]  # after a closer
        return left[1], left[1]
    if left is None:  # the unit's first traced character: before what opens there
        return (before_openers(source.text, right[0]),) * 2 if stacks[k] else (right[0], right[0])
    at = after_closers(source.text, left[1], source.jumps) if stacks[k - 1] else left[1]
    return at, at


def place(edit: Edit, traced: Traced, unit: Unit, source: SourceFile, notes: tuple[str, ...] | None = None) -> Placed:
    """One edit of the build's text placed in the source (see the module doc). ``notes``:
    the text of each footnote the edit inserts (its calls are :data:`NOTE`), in order."""
    where = _nearest(traced.spans, edit.start, source) or unit.location
    if source.public is not None:  # a public edition's: pseudonyms typed are names in the source
        refused = source.public.refused(traced.spans, edit.start, edit.end, edit.text)
        if refused:  # at the name the pseudonym stands for
            return Placed(edit, source.location(refused[1]), None, refused[0])
        edit = dataclasses.replace(edit, text=source.public.named(edit.text))
        notes = tuple(map(source.public.named, notes)) if notes is not None else None
    if BREAK in edit.text:  # Enter pressed in the paragraph, or a paragraph typed after it
        from report.review.breaks import split

        return split(edit, traced, unit, source, where)
    if NOTE in edit.text:
        reason = inserted_notes_refused(notes, edit.text.count(NOTE), unit)
        if reason:
            return Placed(edit, where, None, reason)
    if "\n" in edit.text or "\t" in edit.text:
        return Placed(edit, where, None, "it inserts a line break or a tab")
    found = _range(edit, traced, source, unit)
    if found == "untraced":
        near = (edit.start, edit.end) if edit.start < edit.end else (max(edit.start - 1, 0), edit.start + 1)
        return Placed(edit, where, None, _untraced(unit, traced.made[near[0]:near[1]]))
    if isinstance(found, str):
        return Placed(edit, where, None, found)
    start, end = found
    text = source.text
    if source.public is not None and start == end:  # typed after text whose withheld note follows it
        start = end = source.public.past_notes(source, start)
    where = source.location(start)
    if source.public is not None and start < end and source.public.hides(source, start, end):
        return Placed(edit, where, None, "it deletes a note or citation that holds confidential text or cites a "
                      "confidential source, which the public edition does not show (change it in the source by hand)")
    if unit.kind == "title":
        if source.front_matter and _YAML_SPECIAL.search(edit.text):  # a msgstr's title is as typed
            return Placed(edit, where, None, "the new title needs YAML quoting (edit the front matter by hand)")
        return Placed(edit, where, SourceEdit(source.path, start, end, edit.text), None)
    if (value := title_value(unit, source)) is not None:  # a box's or callout's title="…"
        return _in_attribute(edit, where, SourceEdit(source.path, start, end, escape(edit.text, False)), value[2])
    pieces = edit.text.split(NOTE)  # an inserted footnote: a ^[…] note at its call
    new = escape(pieces[0], start == 0 or text[start - 1] == "\n") + "".join(
        "^[" + escape(note, False) + "]" + escape(piece, False) for note, piece in zip(notes or (), pieces[1:]))
    key = _CROSSREF.match(text, end)
    if key and new[-1:].isalnum() and crossref_kind(key.group()[1:]) and not (end and text[end - 1].isalnum()):
        new, end = new + "[" + key.group() + "]", key.end()  # "word@fig-x" would be text: keep the reference
    return Placed(edit, where, SourceEdit(source.path, start, end, new), None)


def _in_attribute(edit: Edit, where: Location, made: SourceEdit, quote: str) -> Placed:
    """An edit of a title written as an attribute's value: its Markdown written with the
    attribute's own escapes (report.parse.attributes takes one backslash off each
    escaped character, the Markdown parser reads what is left)."""
    if NOTE in edit.text:
        return Placed(edit, where, None, "it inserts a footnote where Markdown cannot hold one (apply it by hand)")
    text = made.text.replace("\\", "\\\\")
    if not quote and re.search(r"[\s\"'{}]", text):
        return Placed(edit, where, None, "the new title needs quotes in the div's attributes (edit it by hand)")
    text = text.replace(quote, "\\" + quote) if quote else text
    return Placed(edit, where, dataclasses.replace(made, text=text), None)


def inserted_notes_refused(notes: tuple[str, ...] | None, count: int, unit: Unit) -> str | None:
    """Why footnotes a change inserts cannot become ``^[…]`` notes, or None."""
    if unit.kind in ("note", "title", "made"):
        return "it inserts a footnote where Markdown cannot hold one (apply it by hand)"
    if notes is None or len(notes) != count:
        return "it inserts a footnote whose text could not be read (apply it by hand)"
    if any(not note.strip() for note in notes):
        return "it inserts an empty footnote"
    if any(ch in note for note in notes for ch in "\n\t" + BREAK):
        return "it inserts a footnote of several paragraphs or with a line break or tab (apply it by hand)"
    return None


def _nearest(spans: list[Span | None], at: int, source: SourceFile) -> Location | None:
    for k in list(range(at, len(spans))) + list(range(min(at, len(spans)) - 1, -1, -1)):
        if spans[k] is not None:
            return source.location(spans[k][0])
    return None


def anchor_location(spans: list[Span | None], at: int, source: SourceFile, unit: Unit) -> Location:
    """Where a comment anchored at ``at`` of the build's text is in the source: its first
    traced character (a note the style wrote: the citation)."""
    return _nearest(spans, at, source) or unit.location


def to_base(original: str, base: str, at: int) -> int:
    """An offset of the reviewed original text as an offset of the build's text."""
    if original == base:
        return at
    for a, b, n in difflib.SequenceMatcher(None, original, base, autojunk=False).get_matching_blocks():
        if a <= at < a + n or (n == 0 and a <= at):
            return b + at - a if n else b
    return min(at, len(base))
