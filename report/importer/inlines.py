"""Pieces of Word text → model inlines: links around emphasis, emphasis without edge spaces.

:func:`to_inlines` takes the flat :class:`~report.importer.runs.Piece` /
:class:`~report.importer.runs.Break` / :class:`~report.importer.runs.NoteCall`
list a :class:`~report.importer.runs.RunReader` made of one paragraph and returns
:mod:`report.model` inlines: adjacent runs with the same emphasis merged, a link
around the runs that share its target (only http, https and mailto targets stay
links, as in every output), Strong around Emph, and spaces moved out of emphasis
so Markdown can open and close it. Note calls become whatever ``note(call)`` returns,
:class:`~report.importer.runs.XRef` pieces cross-references; field and bookmark
markers and pictures carry no text and are passed over.
"""

from __future__ import annotations

from report import model as m
from report.importer.runs import Break, FieldMark, Mark, NoteCall, Picture, Piece, XRef
from report.render.text import safe_href


def pieces_text(pieces) -> str:
    return "".join(p.text if isinstance(p, Piece) else "\n" if isinstance(p, Break) else "" for p in pieces)


def to_inlines(pieces, where, note=None) -> tuple:
    """Model inlines from pieces: links around emphasis, Strong around Emph, spaces
    moved out of emphasis. ``note(call)`` turns a NoteCall into a node (or None)."""
    segments: list = []
    for piece in pieces:
        if isinstance(piece, (FieldMark, Mark, Picture)):
            continue
        if isinstance(piece, Piece):
            text = piece.text.replace("\t", " ").replace("\r", "").replace("\n", " ")
            last = segments[-1] if segments else None
            if isinstance(last, Piece) and (last.flags, last.href) == (piece.flags, piece.href):
                segments[-1] = Piece(last.text + text, last.flags, last.href)
            else:
                segments.append(Piece(text, piece.flags, piece.href))
        else:
            segments.append(piece)
    out: list = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        href = seg.href if isinstance(seg, Piece) else None
        j = i + 1
        while href and j < len(segments) and isinstance(segments[j], Piece) and segments[j].href == href:
            j += 1
        group = segments[i:j]
        if href:
            children = _formatted(group, where, note)
            if safe_href(href) is None:
                out.extend(children)  # javascript:, file: and relative targets stay text, as in every output
            elif m.plain_text(children).strip():
                out.append(m.Link(safe_href(href), children, where))
            else:
                out.extend(children)
        else:
            out.extend(_formatted(group, where, note))
        i = j
    return tuple(out)


def _formatted(segments, where, note) -> list:
    out: list = []
    for seg in segments:
        if isinstance(seg, Break):
            out.append(m.LineBreak(where))
        elif isinstance(seg, NoteCall):
            node = note(seg) if note else None
            if node is not None:
                out.append(node)
        elif isinstance(seg, XRef):
            out.append(m.CrossRef((seg.label,), where, bare=seg.bare))
        elif "code" in seg.flags and seg.text.strip():
            out.append(m.Code(seg.text, where))
        else:
            out.append(_emphasise(seg.text, seg.flags, where))
    merged: list = []
    for node in out:  # adjacent runs with the same emphasis become one node
        last = merged[-1] if merged else None
        if type(node) in (m.Emph, m.Strong) and type(last) is type(node):
            merged[-1] = type(node)(last.children + node.children, where)
        elif type(node) is m.Text and type(last) is m.Text:
            merged[-1] = m.Text(last.text + node.text, where)
        else:
            merged.append(node)
    return _spaces_out(merged, where)


def _emphasise(text: str, flags, where):
    node = m.Text(text, where)
    if not text.strip():
        return node
    if "i" in flags:
        node = m.Emph((node,), where)
    if "b" in flags:
        node = m.Strong((node,), where)
    return node


def _spaces_out(nodes, where) -> list:
    """Emphasis never starts or ends with a space (Markdown could not open or close it)."""
    out: list = []
    for node in nodes:
        if type(node) in (m.Emph, m.Strong):
            text = m.plain_text((node,))
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            if lead:
                out.append(m.Text(lead, where))
            out.append(_strip(node, lead, trail))
            if trail:
                out.append(m.Text(trail, where))
        else:
            out.append(node)
    return out


def _strip(node, lead: str, trail: str):
    if type(node) is m.Text:
        text = node.text[len(lead):]
        return m.Text(text[: len(text) - len(trail)] if trail else text, node.location)
    children = list(node.children)
    if lead:
        children[0] = _strip(children[0], lead, "")
    if trail:
        children[-1] = _strip(children[-1], "", trail)
    return type(node)(tuple(children), node.location)
