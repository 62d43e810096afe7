"""Protected names → pseudonyms, for the public edition.

:class:`Pseudonyms` takes the project's :class:`~report.sources.people.People` and the
edition's language. Its :meth:`~Pseudonyms.document` takes a document (parsed or
resolved) and returns a copy where every variant of a listed name that the language
replaces (:meth:`Person.variants_for`: those of every language and its own, and in a
translation its source language's) is that person's pseudonym in the language: in
the text, notes, captions, alternative texts, table cells, box titles, headings, code,
the section titles, the metadata, and in the ids made from them (``#interview-farid-
mammadov`` would show the name in the HTML and the DOCX bookmarks). :meth:`~Pseudonyms.treaties`
does the same for the incidents (summary, place, id).

Matching is whole-word and ignores case and diacritics (``Mammadov``, ``MAMMADOV``,
``Mämmadov``); the longest variant wins (``Farid Mammadov`` before ``Mammadov``); a name
broken across lines in the source (two text nodes) is found too. A name split by
markup (``*Farid* Mammadov``) is not: the leak check reports it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from report import model as m
from report.sources.people import People

_FOLDED = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u00a0": " "})


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased without diacritics, and for each character of the result the
    index of the character of ``text`` it came from (to map a match back)."""
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        for piece in unicodedata.normalize("NFD", char.lower().translate(_FOLDED)):
            if not unicodedata.combining(piece):
                out.append(piece)
                origin.append(i)
    return "".join(out), origin


def name_pattern(names) -> re.Pattern | None:
    """One regular expression for ``names`` (folded), longest first, whole words, any
    run of spaces (or a line break) between words; None when there are none."""
    folded = sorted({fold(name)[0].strip() for name in names} - {""}, key=lambda n: (-len(n), n))
    if not folded:
        return None
    alternatives = (r"\s+".join(re.escape(word) for word in name.split()) for name in folded)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def slug(text: str) -> str:
    """The id the parser makes of a heading's text (report.parse.markdown.slugify), or ""."""
    text = unicodedata.normalize("NFKD", text)
    text = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    return re.sub(r"[\s_-]+", "-", text)


class Pseudonyms:
    """The replacements of one language's public edition (see the module doc)."""

    def __init__(self, people: People, language: str, source_language: str | None = None):
        """``source_language``: a translation's source, whose variants are replaced too
        (a paragraph not translated yet is printed in the source's words)."""
        self._by_name: dict[str, str] = {}
        slugs: dict[str, str] = {}
        for person in people.persons:
            pseudonym = person.pseudonym(language)
            variants = person.variants_for(language)
            if source_language:
                variants += tuple(v for v in person.variants_for(source_language) if v not in variants)
            for variant in variants:
                self._by_name.setdefault(" ".join(fold(variant.text)[0].split()), pseudonym)
                if slug(variant.text):
                    slugs.setdefault(slug(variant.text), slug(pseudonym))
        self._pattern = name_pattern(self._by_name)
        self._slugs = slugs
        alternatives = "|".join(re.escape(s) for s in sorted(slugs, key=lambda s: (-len(s), s)))
        self._slug_pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.I) if slugs else None

    def text(self, text: str) -> str:
        """``text`` with every protected name in it replaced by its pseudonym."""
        if self._pattern is None or not text:
            return text
        folded, origin = fold(text)
        out, last = [], 0
        for found in self._pattern.finditer(folded):
            start, end = origin[found.start()], origin[found.end() - 1] + 1
            out.append(text[last:start])
            out.append(self._by_name[" ".join(found.group().split())])
            last = end
        return "".join(out) + text[last:] if out else text

    def ident(self, ident: str | None) -> str | None:
        """An id (or label) with a slug of a protected name in it renamed after the pseudonym."""
        if not ident or self._slug_pattern is None:
            return ident
        return self._slug_pattern.sub(lambda found: self._slugs[found.group().lower()], ident)

    # --- the document -----------------------------------------------------

    def document(self, document: m.Document) -> m.Document:
        meta = document.metadata
        metadata = dataclasses.replace(meta, title=self.text(meta.title), subtitle=_maybe(self.text, meta.subtitle),
                                       organization=_maybe(self.text, meta.organization))
        sections = tuple(dataclasses.replace(s, id=self.ident(s.id), title=_maybe(self.text, s.title),
                                             blocks=tuple(self.block(b) for b in s.blocks))
                         for s in document.sections)
        return dataclasses.replace(document, metadata=metadata, sections=sections)

    def block(self, block: m.Block) -> m.Block:
        block = m.map_blocks(block, lambda blocks: tuple(self.block(b) for b in blocks))
        block = _inlines_here(block, self.inlines)
        changes = {}
        if getattr(block, "id", None):
            changes["id"] = self.ident(block.id)
        if isinstance(block, m.Figure) and block.alt:
            changes["alt"] = self.text(block.alt)
        if isinstance(block, m.CodeBlock):
            changes["text"] = self.text(block.text)
        changed = {k: v for k, v in changes.items() if v != getattr(block, k)}
        return dataclasses.replace(block, **changed) if changed else block

    def inlines(self, nodes) -> tuple:
        """``nodes`` with names replaced; a run of text nodes in which a name is found
        (across a line break) becomes one text node."""
        out: list = []
        run: list[m.Text] = []

        def flush():
            if run:
                joined = "".join(node.text for node in run)
                replaced = self.text(joined)
                out.extend(run if replaced == joined else [m.Text(replaced, run[0].location)])
                run.clear()

        for node in nodes:
            if type(node) is m.Text:
                run.append(node)
                continue
            flush()
            out.append(self._inline(node))
        flush()
        return tuple(out)

    def _inline(self, node):
        if isinstance(node, m.Code):
            return dataclasses.replace(node, text=self.text(node.text))
        if isinstance(node, m.Ref):
            return dataclasses.replace(node, words=self.text(node.words), targets=tuple(map(self.ident, node.targets)))
        if isinstance(node, m.CrossRef):
            return dataclasses.replace(node, labels=tuple(map(self.ident, node.labels)),
                                       prefix=_maybe(self.text, node.prefix))
        if isinstance(node, m.Citation):
            items = tuple(dataclasses.replace(i, prefix=self.text(i.prefix), suffix=self.text(i.suffix))
                          for i in node.items)
            return dataclasses.replace(node, items=items)
        changes = {}
        if isinstance(node, m.Span):
            changes = {"id": self.ident(node.id), "attributes": tuple((k, self.text(v)) for k, v in node.attributes)}
        elif isinstance(node, m.Link) and node.href.startswith("#"):
            changes = {"href": "#" + (self.ident(node.href[1:]) or "")}
        if getattr(node, "children", None) is not None:
            changes["children"] = self.inlines(node.children)
        return dataclasses.replace(node, **changes) if changes else node

    def treaties(self, treaties):
        """The incidents' summaries, places and ids with names replaced."""
        if treaties is None:
            return None
        incidents = tuple(dataclasses.replace(i, id=self.ident(i.id), summary=self.text(i.summary),
                                              place=_maybe(self.text, i.place)) for i in treaties.incidents)
        return dataclasses.replace(treaties, incidents=incidents)


def _maybe(fn, value):
    return fn(value) if value else value


def _inlines_here(block: m.Block, fn) -> m.Block:
    """``block`` with ``fn`` applied to its own inline sequences (not its nested blocks',
    which :meth:`Pseudonyms.block` has done)."""
    if isinstance(block, (m.BlockQuote, m.ListBlock)):
        return block
    if isinstance(block, m.Div):
        return dataclasses.replace(block, title=fn(block.title))
    if isinstance(block, m.DefinitionList):
        return dataclasses.replace(block, items=tuple((fn(term), defs) for term, defs in block.items))
    return m.map_inlines(block, fn)
