"""Typography in notes and registry fields (warnings): quotes and doubled spaces."""

from __future__ import annotations

from report import model as m
from report.checks import CheckContext, notes
from report.diagnostics import Diagnostic, warning

_PAIRS = {"“": "”", "‘": "’", "«": "»", "„": "“"}
_CLOSERS = {"”", "»"}
# A citation inside a note shows as its footnote text, not as nothing: a stand-in keeps
# "see [@key] and" from reading as "see  and" (a doubled space the reader never sees).
_CITED = "\ufffc"


def _note_text(inlines) -> str:
    """A note's visible text, each citation in it a stand-in character."""
    out = []
    for node in inlines:
        if isinstance(node, m.Citation):
            out.append(_CITED)
        elif isinstance(node, (m.Footnote, m.Note)):
            continue
        elif hasattr(node, "children") and not isinstance(node, m.Ref):
            out.append(_note_text(node.children))
        else:
            out.append(m.plain_text([node]))
    return "".join(out)


def _closes_single(text: str, i: int, stack: list) -> bool:
    """Whether the ’ at ``i`` closes an open ‘ rather than being an apostrophe: one is
    open and no letter follows (don’t, l’avocat)."""
    after = text[i + 1:i + 2]
    return bool(stack) and stack[-1] == "‘" and not after.isalpha()


def quote_problems(text: str) -> str | None:
    """A description of the first quote problem in ``text``, or None."""
    stack = []
    for i, ch in enumerate(text):
        if ch in _PAIRS and not (ch == "„" and stack and stack[-1] == "„"):
            stack.append(ch)
        elif ch == "’":
            if _closes_single(text, i, stack):
                stack.pop()
        elif ch in _CLOSERS or (ch == "“" and stack and stack[-1] == "„"):
            if not stack:
                return f"closing quote {ch} without an opening one"
            if _PAIRS[stack.pop()] != ch:
                return f"mismatched quotes around {ch}"
    if stack:
        return f"opening quote {stack[-1]} never closed"
    curly = any(ch in text for ch in "“”")
    straight = text.count('"')
    if straight % 2:
        return 'odd number of straight quotes "'
    if curly and straight:
        return "straight and curly quotes mixed"
    return None


def _check_text(text: str, where, what: str, found: list) -> None:
    problem = quote_problems(text)
    if problem:
        code = "TYP002" if problem.startswith("straight and curly") else "TYP001"
        found.append(warning(code, f"{problem} in {what}", where))
    if "  " in text:
        found.append(warning("TYP003", f"doubled space in {what}", where))


def typography(ctx: CheckContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for note in notes(ctx.source):
        _check_text(_note_text(note.children), note.location, "a note", found)
    for ref in ctx.registry.entries:
        for field, value in ref.csl.items():
            if isinstance(value, str):
                _check_text(value, ref.where(field), f"'{field}' of '{ref.id}'", found)
            elif field == "author" and isinstance(value, list):
                for name in value:
                    for part in name.values():
                        _check_text(part, ref.where(field), f"an author of '{ref.id}'", found)
    return found


RULES = [typography]
