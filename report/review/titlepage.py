"""Changes on the title page, in the running headers and in the contents → report.yaml, a PO entry, a title.

:func:`front_matter` takes the build's document, report.yaml's text (for a translation:
its PO file's entries), the build's section-title units and the reviewed file (its
header and footer paragraphs); gives a :class:`Front` whose :meth:`Front.place` turns
the changes of one paragraph that stands before the report's first section, or of a
header or footer, into :class:`~report.review.mapping.Placed` edits, or says why not.

A title-page paragraph is matched to the value the reference document's placeholder
showed there (``{{ title }}``, ``{{ subtitle }}``, ``{{ organization }}``, ``{{ date }}``;
a header's ``{{ short_title }}``) by its text as built, exactly (or the one value it
holds once, the changes inside it). A change becomes an edit of that value's scalar in
report.yaml (:mod:`.titlevalues`, :mod:`.yamlvalue`) in the scalar's own quoting, or
the scalar rewritten double-quoted when that quoting cannot hold the new text; the
edited file must load with that value and no other changed. In a translated build the value is its PO
entry's msgstr (``report:title``…: report.i18n), never report.yaml. A contents entry
is its section's title: the change goes to the front matter's ``title:``, as a change
of the heading does. The date, page and section numbers, and every other word the
build or the reference document writes are listed with the reason.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from report.diagnostics import Location
from report.review.edits import Edit, paragraph_edits
from report.review.mapping import Placed, SourceEdit, base_spans, place
from report.review.sourcefile import SourceFile
from report.review.titlevalues import Target, date_target, msgstr_target, yaml_mapping, yaml_target
from report.review.wordfile import BREAK, NOTE
from report.review.yamlvalue import escaped, mapping, raw_range, reads_as, rewritten

KEYS = ("title", "subtitle", "organization")  # report.yaml's text the title page shows as it is
_UNSAFE = set("\n\t\r" + BREAK + NOTE)


@dataclass
class Front:
    fields: dict[str, tuple[str, Target]]  # what a title-page paragraph may show: name → (text as built, target)
    header: dict[str, tuple[str, Target]]  # what a running header may show
    titles: list  # the build's section-title units (report.review.located)
    fallback: Location
    loaded: dict = field(default_factory=dict)  # report.yaml as loaded, to check an edit against
    headers: list = field(default_factory=list)  # the reviewed file's ("header" or "footer", Para)
    texts: dict = field(default_factory=dict)  # report.yaml's path → its text (a source-language build)
    msgstrs: dict = field(default_factory=dict)  # the PO entries' MsgstrSource by their path
    language: str = "en"  # the build's: the date is read back as it writes dates

    def place(self, para, base: str, sources: dict, header: bool = False) -> list[Placed]:
        """The changes of one paragraph before the first section (``header``: of a running
        header or footer), whose build text is ``base``, each placed or refused."""
        edits = paragraph_edits(para, base)
        if not edits:
            return []
        if any(BREAK in e.text or e.kind == "move" for e in edits):  # a paragraph typed or moved here: no value's
            where = "in a running header or footer" if header else "on the title page or in the contents"
            return [Placed(e, self.fallback, None, f"it adds or moves a paragraph {where} (apply it by hand)")
                    for e in edits]
        found = _value(self.header if header else self.fields, base, edits)
        if found is not None:
            (text, target), at = found
            return self._value_edits(target, text, at, edits, base)
        placed = None if header else self._contents(edits, base, sources)
        if placed is not None:
            return placed
        where = "in a running header or footer" if header else "on the title page or in the contents"
        return [Placed(e, self.fallback, None, f"it changes text {where} that the reference document or the "
                       "build writes, not the report's sources") for e in edits]

    def _value_edits(self, target: Target, text: str, at: int, edits: list[Edit], base: str) -> list[Placed]:
        if target.reason is not None:
            return [Placed(e, target.where, None, target.reason) for e in edits]
        local = [dataclasses.replace(e, start=e.start - at, end=e.end - at) for e in edits]
        new = _accepted(text, local)
        if target.key == "date":
            return [self._date_edit(target, _merged(edits, base), new)]
        why = ("it inserts a line break, a tab or a footnote" if any(_UNSAFE & set(e.text) for e in edits) else
               f"it deletes all of the {target.key}" if not new.strip() else None)
        if why:
            return [Placed(e, target.where, None, why) for e in edits]
        if target.msgstr is not None:  # a translation's: the msgstr as text (report.review.translation writes it)
            msgstr = target.msgstr
            made = [SourceEdit(msgstr.path, target.lead + e.start, target.lead + e.end, e.text) for e in local]
            return [Placed(e, msgstr.location(m.start), m, None) for e, m in zip(edits, made)]
        scalar, source = target.scalar, target.source
        if scalar.chars is not None:  # each change in place, in the scalar's quoting
            made = [SourceEdit(source.path, *raw_range(scalar, e.start, e.end), escaped(e.text, scalar.style))
                    for e in local]
            if self._reads(target, made, new):
                return [Placed(e, source.location(m.start), m, None) for e, m in zip(edits, made)]
        one = _merged(edits, base)  # that quoting cannot hold the new text: the scalar rewritten, one change
        made = [SourceEdit(source.path, scalar.start, scalar.end, rewritten(new))]
        if not self._reads(target, made, new):
            return [Placed(one, target.where, None, f"report.yaml would not read back as the new {target.key} "
                           "(edit it there by hand)")]
        return [Placed(one, source.location(scalar.start), made[0], None)]

    def _date_edit(self, target: Target, edit: Edit, new: str) -> Placed:
        """The date the reviewer typed, as report.yaml's YYYY-MM-DD (the scalar's quoting kept)."""
        from report.review.datevalue import iso_date

        date = iso_date(new, self.language)
        if date is None:
            return Placed(edit, target.where, None, f"“{new}” is not a date as the title page writes one in this "
                          "language (change report.yaml's date, YYYY-MM-DD, by hand)")
        scalar, source = target.scalar, target.source
        quote = scalar.style or ""
        made = SourceEdit(source.path, scalar.start, scalar.end, f"{quote}{date.isoformat()}{quote}")
        edited = source.text[:made.start] + made.text + source.text[made.end:]
        data = yaml_mapping(edited)
        if str(data.get("date")) != date.isoformat() or {k: v for k, v in data.items() if k != "date"} != \
                {k: v for k, v in self.loaded.items() if k != "date"}:
            return Placed(edit, target.where, None, "report.yaml would not read back as the new date (edit it there "
                          "by hand)")
        return Placed(edit, source.location(made.start), made, None)

    def _reads(self, target: Target, made: list[SourceEdit], new: str) -> bool:
        text = target.source.text
        for m in sorted(made, key=lambda m: (m.start, m.end), reverse=True):
            text = text[:m.start] + m.text + text[m.end:]
        return reads_as(text, target.key, new, self.loaded)

    def _contents(self, edits: list[Edit], base: str, sources: dict) -> list[Placed] | None:
        """A contents entry ("2 Title<tab>7") is its section's title: a change inside the
        title goes to the front matter, as the heading's does; None when it is no entry."""
        head, tab, _ = base.rpartition("\t")
        hits = [u for u in self.titles if tab and u.parts and u.parts[-1].text and head.endswith(u.parts[-1].text)
                and _prefix(head[:len(head) - len(u.parts[-1].text)])]
        if len(hits) != 1:
            return None
        unit = hits[0]
        title = unit.parts[-1].text
        k, u = len(head) - len(title), len(unit.text) - len(title)  # where the title starts in each
        source = sources.get(unit.location.path)
        out = []
        for edit in edits:
            if not (k <= edit.start and edit.end <= k + len(title)):
                out.append(Placed(edit, unit.location, None,
                                  "it changes a section or page number the build writes in the contents"))
            elif source is None:
                out.append(Placed(edit, unit.location, None, "the section's title could not be traced to its source"))
            else:
                moved = dataclasses.replace(edit, start=edit.start - k + u, end=edit.end - k + u)
                placed = place(moved, base_spans(unit, unit.text, source), unit, source)
                out.append(dataclasses.replace(placed, edit=edit))
        return out


def _prefix(text: str) -> bool:
    """Whether ``text`` is what the contents writes before a title: nothing, "2 ", "Annex II "."""
    return not text or text.endswith(" ") and len(text.split()) <= 2


def _value(fields: dict, base: str, edits: list[Edit]):
    """((text, target), offset) of the one value ``base`` shows, exactly; else of the one
    it holds once with every change inside it; None when none or several."""
    exact = [f for f in fields.values() if f[0] and f[0] == base]
    if len(exact) == 1:
        return exact[0], 0
    inside = [(f, base.find(f[0])) for f in fields.values() if f[0] and base.count(f[0]) == 1]
    inside = [(f, at) for f, at in inside if all(at <= e.start and e.end <= at + len(f[0]) for e in edits)]
    return inside[0] if len(inside) == 1 else None


def _accepted(text: str, edits: list[Edit]) -> str:
    out, at = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out += [text[at:e.start], e.text]
        at = max(at, e.end)
    return "".join(out) + text[at:]


def _merged(edits: list[Edit], base: str) -> Edit:
    """The changes of one value as one change of ``base`` (the text between them kept)."""
    if len(edits) == 1:
        return edits[0]
    start, end = min(e.start for e in edits), max(e.end for e in edits)
    moved = [dataclasses.replace(e, start=e.start - start, end=e.end - start) for e in edits]
    authors = tuple(dict.fromkeys(a for e in edits for a in e.authors))
    kind = edits[0].kind if all(e.kind == edits[0].kind for e in edits) else "change"
    return Edit(start, end, _accepted(base[start:end], moved), authors, edits[0].date, kind)


def front_matter(root: Path, document, translation: tuple[str, str] | None, units: list, fallback: Location,
                 reviewed: Path | None = None, shown: str = "") -> Front:
    """The :class:`Front` of a build: its ``document``'s metadata as the title page and
    headers show it, where each value comes from (report.yaml in ``root``; for a
    ``translation``, (PO path, its text as built): its entries), the section-title
    ``units``, and the ``reviewed`` file's header and footer paragraphs."""
    from report.config import CONFIG_NAME
    from report.render.docx.properties import title_values

    metadata = document.metadata
    shown_values = title_values(metadata)
    front = Front({}, {}, [u for u in units if u.kind == "title"], fallback)
    targets: dict[str, Target] = {}
    if translation is not None:
        from report.review.translation import read_entries

        po, po_text = translation
        entries = read_entries(po_text)
        for key in KEYS:
            targets[key] = msgstr_target(key, getattr(metadata, key) or "", po, po_text, entries)
            if targets[key].msgstr is not None:
                front.msgstrs[targets[key].msgstr.path] = targets[key].msgstr
    else:
        try:
            text = (root / CONFIG_NAME).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        loaded = mapping(text) if text is not None else None
        source = SourceFile(CONFIG_NAME, text or "")
        for key in KEYS:
            targets[key] = (yaml_target(key, getattr(metadata, key) or "", source, fallback)
                            if isinstance(loaded, dict) else Target(key, fallback, "report.yaml cannot be read"))
        front.loaded, front.texts[CONFIG_NAME] = loaded if isinstance(loaded, dict) else {}, text or ""
    targets["date"] = date_target(root, metadata.date, fallback)
    if targets["date"].scalar is not None:  # a date typed anew goes to report.yaml, whatever the language
        front.loaded = front.loaded or yaml_mapping(targets["date"].source.text)
        front.texts[CONFIG_NAME] = targets["date"].source.text
    front.language = metadata.language
    front.fields = {key: (shown_values[key], targets[key]) for key in KEYS + ("date",)}
    short, title = shown_values["short_title"], targets["title"]
    front.header = {"title": (short, title if short == shown_values["title"] else Target(
        "title", title.where, "the running header shows the title cut short (change it on the title page)"))}
    if reviewed is not None:
        front.headers = _margins(reviewed, shown)
    return front


def _margins(path: Path, shown: str) -> list:
    """The reviewed file's header and footer paragraphs, as ("header" or "footer", Para)
    (read within report.importer.package's limits, as the body was)."""
    from report.errors import ReportError
    from report.importer.package import open_package
    from report.review.paragraphs import read_paragraphs

    try:
        package = open_package(path, shown)
    except ReportError:
        return []
    try:
        main = package.related("", "officeDocument")
        out = []
        for rel_type, target, external in sorted((package.rels(main) if main else {}).values()):
            kind = rel_type.rsplit("/", 1)[-1]
            if kind in ("header", "footer") and not external and package.has(target):
                out += [(kind, para) for para in read_paragraphs(package.xml(target), kind, {}, {})]
        return out
    except ReportError:
        return []
    finally:
        package.close()
