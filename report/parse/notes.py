"""Notes in a section: labelled notes ``[^label]`` (defined once, called once, one
paragraph) and inline notes ``^[…]``, as one note model. The mixin of the section builder
(:class:`report.parse.markdown._Builder`), whose state it uses.
"""

from __future__ import annotations

from report import model as m
from report.diagnostics import Location, error, warning
from report.parse.constructs import closing_token, div_attributes


class NoteReader:
    """Definitions, calls and checks of a section's notes."""

    def define_notes(self, tokens) -> None:
        """Where each labelled note ``[^label]: …`` is defined; a label defined twice is an error."""
        self.definitions: dict[str, tuple] = {}
        self.called: set[str] = set()
        # Labels whose definition stands in a ::: {.confidential} div (or is marked itself:
        # see _labelled_note): their notes are confidential wherever they are called.
        self.confidential_labels: set[str] = set()
        divs: list[bool] = []
        for i, tok in enumerate(tokens):
            if tok.type == "div_open":
                attrs = div_attributes(tok.meta.get("attrs", ""))
                divs.append(attrs is not None and "confidential" in attrs.classes)
            elif tok.type == "div_close" and divs:
                divs.pop()
            if tok.type != "footnote_reference_open":
                continue
            label = tok.meta.get("label", "")
            if any(divs):
                self.confidential_labels.add(label)
            line = tok.map[0] if tok.map else 0
            if label in self.definitions:
                self.problems.append(error("MD023", f"note [^{label}] is defined twice", self.loc(line, self._indent(line) + 1),
                                           "give each note its own label"))
                continue
            self.definitions[label] = (i, closing_token(tokens, i), tokens)

    def unused_notes(self) -> None:
        for label, (start, _, tokens) in self.definitions.items():
            if label not in self.called:
                line = tokens[start].map[0] if tokens[start].map else 0
                self.problems.append(warning("MD024", f"note [^{label}] is defined but never called",
                                             self.loc(line, self._indent(line) + 1), f"call it with [^{label}] in the text, or remove it"))

    def marked_note(self, tok, line: int, where: Location):
        """The note a call makes (:meth:`_note`). One marked confidential, ``^[…]{.confidential}``,
        ``[^label]{.confidential}`` or a label defined in a confidential div or as
        ``[^label]: … {.confidential}``, is a confidential span holding the note: the
        public edition leaves it out as it does a note inside a confidential span."""
        note = self._note(tok, line, where)
        attrs = {str(k): str(v) for k, v in (tok.attrs or {}).items()}
        classes = attrs.pop("class", "").split()
        public = attrs.pop("public", None)
        if set(classes) - {"confidential"} or attrs or (public is not None and "confidential" not in classes):
            self.problems.append(error("MD021", "attributes after a note other than {.confidential}",
                                       getattr(note, "location", where),
                                       "a note takes {.confidential} (and public=\"…\", its public wording) only"))
        label = tok.meta.get("label")
        if not isinstance(note, m.Note) or not ("confidential" in classes or label in self.confidential_labels):
            return note
        pairs = (("public", public),) if public is not None else ()
        return m.Span((note,), None, ("confidential",), pairs, note.location)

    def _note(self, tok, line: int, where: Location) -> m.Note | m.Text:
        note = self.env.get("footnotes", {}).get("list", {}).get(tok.meta.get("id"))
        if note is not None and "tokens" not in note:
            return self._labelled_note(tok.meta.get("label", ""), tok.meta.get("subId", 0), line, where)
        if note is None:
            self.problems.append(error("MD003", "a note this tool cannot read", where))
            return m.Text("", where)
        # Inline notes carry no offset; locate them by their text in the block's lines.
        note_where = self._find(note.get("content", ""), line) or where
        content = note.get("content", "")
        content_origin = Location(note_where.path, note_where.line, note_where.col + 2)
        if not content.strip():
            self.problems.append(error("MD006", "empty note", note_where))
        self._unterminated(content, line, content_origin)
        return m.Note(self._children(note["tokens"], content, line, content_origin), note_where)

    def _inner_note(self, tok, src: str, line: int, origin: Location) -> Location:
        """Where a note called inside a note's text (``src``, starting at ``origin``) is.
        A labelled one counts as called: it is reported here, not as never called."""
        note = self.env.get("footnotes", {}).get("list", {}).get(tok.meta.get("id")) or {}
        label = tok.meta.get("label")
        if label is not None and "tokens" not in note:
            self.called.add(label)
            needle = f"[^{label}]"
        else:
            needle = "^[" + note.get("content", "")[:30]
        offset = src.find(needle)
        return self._offset_loc(src, offset, line, origin) if offset >= 0 else origin

    def _labelled_note(self, label: str, again: int, line: int, where: Location) -> m.Note | m.Text:
        """The note a ``[^label]`` calls: its definition's one paragraph."""
        call = self._find(label + "]", line, prefix="[^", nth=again) or where
        definition = self.definitions.get(label)
        if definition is None:
            self.problems.append(error("MD003", f"note [^{label}] is never defined", call))
            return m.Text("", call)
        if again:
            self.problems.append(error("MD022", f"note [^{label}] is called more than once", call,
                                       "a note has one call: write a second note, or refer to it in words"))
            return m.Text("", call)
        start, close, tokens = definition
        self.called.add(label)
        blocks = self.blocks(tokens, start + 1, close)
        if len(blocks) != 1 or not isinstance(blocks[0], m.Paragraph):
            defined = tokens[start].map[0] if tokens[start].map else line
            self.problems.append(error("MD028", f"note [^{label}] is not one paragraph", self.loc(defined, self._indent(defined) + 1),
                                       "a note is one paragraph of text"))
            return m.Text("", call)
        children = blocks[0].children
        if "confidential" in blocks[0].classes:
            self.confidential_labels.add(label)
        if any(isinstance(node, m.Note) for node in m.descendants(children)):
            self.problems.append(error("MD004", "a note inside a note", call, "notes cannot be nested"))
        return m.Note(children, call)
