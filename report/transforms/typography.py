"""French spacing: the narrow no-break space (U+202F) that French typography puts
before ; : ! ? and inside « », in the text and the notes of a French report.

Takes the resolved document (notes already written by the citation style); returns
it with each text node spaced, whatever the author typed there (a plain space, a
no-break space or nothing), so a line never starts with the mark. Code, link
targets and what is not French are left alone; a colon is spaced only where it ends
a word before a space (not "10:30", not "A/HRC/51:3"), and a second mark after a
first ("?!") takes no space of its own.
"""

from __future__ import annotations

import dataclasses
import re

from report import model as m

NNBSP = "\u202f"
# after a character of a word (or at the start of a text node, which follows another node)
_BEFORE = re.compile(r"(?:(?<=[^\s\u00a0\u202f;:!?«(\[])|^)[ \u00a0\u202f]?([;!?])")
_COLON = re.compile(r"(?:(?<=[^\s\u00a0\u202f;:!?«(\[/\d])|^)[ \u00a0\u202f]?:(?=\s|$)")
_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING = re.compile(r"[ \u00a0\u202f]?»")


def french_text(text: str) -> str:
    """``text`` with French spacing (see the module doc)."""
    text = _BEFORE.sub(NNBSP + r"\1", text)
    text = _COLON.sub(NNBSP + ":", text)
    text = _OPENING.sub("«" + NNBSP, text)
    return _CLOSING.sub(NNBSP + "»", text)


def french_spacing(document: m.Document) -> m.Document:
    """The document with French spacing when its language is French, else unchanged."""
    if not (document.metadata.language or "").lower().startswith("fr"):
        return document

    def fix(inlines) -> tuple:
        out = []
        for node in inlines:
            if isinstance(node, m.Text):
                out.append(dataclasses.replace(node, text=french_text(node.text)))
            elif isinstance(node, m.Code):
                out.append(node)
            elif getattr(node, "children", None) is not None:
                out.append(dataclasses.replace(node, children=fix(node.children)))
            else:
                out.append(node)
        return tuple(out)

    sections = tuple(dataclasses.replace(s, blocks=tuple(m.map_inlines(b, fix) for b in s.blocks))
                     for s in document.sections)
    return dataclasses.replace(document, sections=sections)
