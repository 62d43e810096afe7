"""What the public edition changed between the sources and the reviewed file.

A public build (:mod:`report.transforms.editions`) writes each protected person's
pseudonym where the source names them ("Witness A" for ``Mr Mammadov``) and leaves out
what is marked confidential. :class:`PublicEdition` takes the project's
:class:`~report.sources.people.People` and the report's language and tells the review:

- :meth:`~PublicEdition.pieces`: a text of the build cut at each pseudonym in it, and
  :meth:`~PublicEdition.name_end`: where a name the pseudonym replaced ends in the
  source, so that :mod:`.trace` traces "Witness A" to ``Mr Mammadov`` (as a
  :class:`NameSpan`: the whole name on the pseudonym's first character, nothing on the
  others);
- :meth:`~PublicEdition.withheld`: the confidential spans and notes of a source file
  (``[…]{.confidential}``, ``^[…]{.confidential}``), which the tracer jumps over whole:
  the reviewed file does not have them, so no change can reach into them;
- :meth:`~PublicEdition.named`: the text a reviewer typed with each pseudonym in it
  written as the person's name (the sources hold names, never pseudonyms);
- :meth:`~PublicEdition.refused`: why a change that touches a pseudonym is not applied
  (it cuts into one, or renames one: "Witness A" → "Witness B"), or None.
"""

from __future__ import annotations

import re
import unicodedata

from report.model import crossref_kind
from report.parse.citations import KEY
from report.sources.people import People, Person
from report.transforms.pseudonyms import fold, name_pattern

# [text]{… .confidential …}, its opening bracket at group "open"; a note's ^ goes with it
_CITED = re.compile(rf"(?<![\w\\])@({KEY})")
_MARKED = re.compile(r"\{[^{}\n]*(?<![\w-])\.confidential(?![\w-])[^{}\n]*\}")


class NameSpan(tuple):
    """The source span of one character of a pseudonym: ``whole`` is the name's span in
    the source (the first character's span; the others are empty, at its end, so that
    the pseudonym's characters stand side by side), ``pseudonym`` the text it shows."""

    whole: tuple[int, int]
    pseudonym: str

    def __new__(cls, span: tuple[int, int], whole: tuple[int, int], pseudonym: str):
        made = super().__new__(cls, span)
        made.whole, made.pseudonym = whole, pseudonym
        return made


def name_spans(whole: tuple[int, int], pseudonym: str) -> list[NameSpan]:
    start, end = whole
    return [NameSpan((start, end) if i == 0 else (end, end), whole, pseudonym) for i in range(len(pseudonym))]


class PublicEdition:
    """See the module doc. ``language``: the report's (a review is of the source language)."""

    def __init__(self, people: People, language: str, shown_keys=frozenset()):
        """``shown_keys``: the registry entries the edition shows (a key cited in the
        sources and not among them is a confidential source's)."""
        self._shown_keys = frozenset(shown_keys)
        self._people: dict[str, Person] = {}
        for person in people.persons:
            self._people.setdefault(person.pseudonym(language), person)
        self._patterns = {pseudonym: name_pattern(v.text for v in person.variants_for(language))
                          for pseudonym, person in self._people.items()}
        self._names = {pseudonym: written_name(person, language) for pseudonym, person in self._people.items()}
        ordered = sorted(self._people, key=lambda p: (-len(p), p))
        self._pseudonym = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)") if ordered \
            else None
        self._typed = re.compile(self._pseudonym.pattern, re.I) if ordered else None
        self._folded: dict[int, tuple[str, list[int], list[int]]] = {}

    # --- tracing ----------------------------------------------------------

    def pieces(self, raw: str) -> list[tuple[str, str | None]]:
        """``raw`` as (text, None) and (pseudonym, pseudonym) pieces, in order; [] when it holds none."""
        if self._pseudonym is None or not self._pseudonym.search(raw):
            return []
        out, at = [], 0
        for found in self._pseudonym.finditer(raw):
            out += [(raw[at:found.start()], None), (found.group(), found.group())]
            at = found.end()
        return out + [(raw[at:], None)]

    def name_end(self, text: str, at: int, pseudonym: str, end: int) -> int | None:
        """Where the name ``pseudonym`` stands for ends, when one of its variants starts at
        ``text[at]`` (whole words, any case and diacritics, any white space between its
        words) and ends before ``end``; else None."""
        pattern = self._patterns.get(pseudonym)
        if pattern is None:
            return None
        folded, origin, where = self._fold(text)
        if at >= len(where) or where[at] < 0:
            return None
        found = pattern.match(folded, where[at])
        if found is None:
            return None
        stop = origin[found.end() - 1] + 1
        while stop < len(text) and unicodedata.combining(text[stop]):
            stop += 1
        return stop if stop <= end else None

    def _fold(self, text: str) -> tuple[str, list[int], list[int]]:
        """The folded text, each folded character's origin, and each original character's
        first folded character (-1: none, a combining mark)."""
        key = id(text)
        if key not in self._folded:
            folded, origin = fold(text)
            where = [-1] * len(text)
            for i, o in reversed(list(enumerate(origin))):
                where[o] = i
            self._folded[key] = (folded, origin, where)
        return self._folded[key]

    @staticmethod
    def withheld(text: str, pairs: dict[int, int]) -> dict[int, int]:
        """The confidential spans and notes of a source: where each starts (its ``[``, or
        the ``^`` of a note) → where its attribute block ends."""
        out = {}
        for open_, close in pairs.items():
            marked = _MARKED.match(text, close + 1)
            if text[open_:open_ + 1] == "[" and marked:
                start = open_ - 1 if text[open_ - 1:open_] == "^" else open_
                out[start] = marked.end()
        return out

    def withholds(self, source, gaps: list[tuple[int, int]]) -> bool:
        """Whether a confidential span or note of ``source`` (a SourceFile) lies in one of ``gaps``."""
        return any(a <= start and end <= b for start, end in self.withheld(source.text, source.pairs).items()
                   for a, b in gaps)

    def past_notes(self, source, at: int) -> int:
        """``at``, or past the confidential notes that start there: the note belongs to
        the text before it, and what a reviewer typed after that text goes after it."""
        withheld = self.withheld(source.text, source.pairs)
        while at in withheld and (source.text.startswith("^[", at) or source.text.startswith("[^[", at)):
            at = withheld[at]
        return at

    def hides(self, source, start: int, end: int) -> bool:
        """Whether the source text ``start:end`` (a whole note or citation group a change
        deletes) holds something the edition did not show: a confidential span or note, or
        a citation of a confidential source."""
        text = source.text
        if any(start <= a and b <= end for a, b in self.withheld(text, source.pairs).items()):
            return True
        return any(not crossref_kind(key) and key not in self._shown_keys
                   for key in _CITED.findall(text, start, end))

    # --- what a reviewer typed --------------------------------------------

    def named(self, typed: str) -> str:
        """``typed`` with each pseudonym in it (any case) written as the person's name."""
        if self._typed is None:
            return typed
        by_folded = {p.casefold(): p for p in self._people}
        return self._typed.sub(lambda found: self._names[by_folded[found.group().casefold()]], typed)

    def refused(self, spans: list, start: int, end: int, typed: str) -> tuple[str, int] | None:
        """Why the change of the build's characters ``start:end`` to ``typed`` is not
        applied, and where the name stands in the source, when it touches a pseudonym
        (``spans``: the characters' source spans): it cuts into one (part of "Witness A",
        or typing inside it), or it replaces one with another pseudonym or the same kind
        of name ("Witness A" → "Witness B")."""
        if start == end:
            left = spans[start - 1] if start > 0 else None
            right = spans[start] if start < len(spans) else None
            if isinstance(left, NameSpan) and isinstance(right, NameSpan) and left.whole == right.whole:
                return _renamed(left)
            return None
        for k in (start, end - 1):  # the first and the last character: inside one, or its whole?
            span = spans[k]
            if not isinstance(span, NameSpan):
                continue
            first = k
            while first > 0 and isinstance(spans[first - 1], NameSpan) and spans[first - 1].whole == span.whole:
                first -= 1
            if first < start or first + len(span.pseudonym) > end:
                return _renamed(span)
        words = re.findall(r"\w+", typed.casefold())
        for span in spans[start:end]:
            if isinstance(span, NameSpan) and ((self._typed is not None and self._typed.search(typed))
                                               or span.pseudonym.split()[0].casefold() in words):
                return _renamed(span)
        return None


def _renamed(span: NameSpan) -> tuple[str, int]:
    return (f"it changes the pseudonym \"{span.pseudonym}\", which the public edition writes for a protected "
            "person's name (references/people.yaml gives pseudonyms; change the source by hand)", span.whole[0])


def _script(text: str) -> set[str]:
    return {unicodedata.name(c, "?").split()[0] for c in text if c.isalpha()}


def written_name(person: Person, language: str) -> str:
    """The name the sources of ``language`` write for ``person``: ``name``, unless the
    variants listed for the language are in another script (a Russian report's
    ``Фарид Мамедов`` for ``Farid Mammadov``): then the first of them."""
    own = [v.text for v in person.variants if v.language is not None and v.language.split("-")[0].lower()
           == language.split("-")[0].lower()]
    if own and not _script(person.name) & _script(own[0]):
        return own[0]
    return person.name
