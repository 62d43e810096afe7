"""XLIFF 2.1 for CAT tools (Trados, memoQ, Phrase): ``locales/<lang>.po`` out as
``locales/<lang>.xlf``, and a translated file merged back into the PO file.

Export: one ``<unit>`` a PO entry (header and obsolete entries left out), in the PO
file's order, with one ``<segment>`` (``canResegment="no"``: a PO entry is one
paragraph, and its codes pair up within it). The Markdown is split by
:mod:`report.i18n.inline` into text and codes: a citation, cross-reference, URL,
attribute block, inline code, escape or raw HTML is a ``<ph>``; a note ``^[…]``, a span
``[…]{…}``, a link or emphasis is a ``<pc>`` around its translatable content. Each
code's Markdown is in ``<originalData>`` (``dataRef``) and shown in ``disp``; the codes a
translation must keep carry ``canDelete="no"``, and none may be copied
(``canCopy="no"``), so a CAT tool locks them. The msgctxt, the ``#:`` references, the
extracted comments (what to keep) and, for a fuzzy entry, the previous source go in
``<notes>``; the project (report.yaml's ``id:``, else its title) and the PO file in
``<mda:metadata>``.

States, PO → XLIFF → PO:

=================  =====================================  ==========================
PO entry           exported as                            imported back as
=================  =====================================  ==========================
untranslated       ``state="initial"``, no ``<target>``   untouched
fuzzy              ``state="translated"``                 fuzzy
translated         ``state="reviewed"``                   translated (not fuzzy)
=================  =====================================  ==========================

and on import ``initial`` with a target (a pre-translation nobody confirmed) is fuzzy,
``final`` is translated. A unit without a target leaves its PO entry as it is.

Import: report.i18n.xliff_import, which reads the file as the untrusted input it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report.i18n import inline
from report.i18n.catalog import LOCALES, po_path

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
VERSION = "2.1"
MIB = 1024 * 1024
# PO → XLIFF state (untranslated entries are "initial", with no target).
EXPORT_STATE = {True: "translated", False: "reviewed"}  # by fuzzy
DONE = ("reviewed", "final")  # the states that import as reviewed (not fuzzy)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Limits:
    """What an import reads at most."""

    file_bytes: int = 50 * MIB       # the .xlf file
    target_chars: int = 1_000_000    # one unit's translation, as Markdown


def xliff_path(language: str) -> str:
    return f"{LOCALES}/{language}.xlf"


def q(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}"


def same_language(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.replace("_", "-").lower() == b.replace("_", "-").lower()


# ---------------------------------------------------------------------------------- export


def export(root: Path, language: str, output: Path | None = None) -> Path:
    """Write ``locales/<language>.po`` as XLIFF 2.1 (``output``, default ``locales/<language>.xlf``)."""
    from report.config import load_config

    config = load_config(root)
    rel = po_path(language)
    catalog = read_po_file(root, rel)
    data = to_xliff(catalog, config.project_id or config.title, config.language, language, rel)
    path = output or root / xliff_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def read_po_file(root: Path, rel: str):
    """The babel Catalog of a PO file, as it will be written back: the previous sources
    (``#|``) kept, babel's format flags dropped."""
    from report.i18n.catalog import _catalog_text, _parse_catalog, restore_previous
    from report.i18n.workflow import _drop_format_flags

    text = _catalog_text(root, rel, None)
    catalog = _parse_catalog(text, rel)
    restore_previous(catalog, text)
    _drop_format_flags(catalog)
    return catalog


def to_xliff(catalog, project: str, source_language: str, language: str, po_rel: str) -> bytes:
    from lxml import etree

    root = etree.Element(q("xliff"), nsmap={None: NS, "mda": MDA})
    root.set("version", VERSION)
    root.set("srcLang", source_language)
    root.set("trgLang", language)
    file = etree.SubElement(root, q("file"), id="f1", original=po_rel, canResegment="no")
    file.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    group = etree.SubElement(etree.SubElement(file, q("metadata", MDA)), q("metaGroup", MDA), category="report")
    for kind, value in (("project", project), ("catalog", po_rel), ("tool", "report i18n export")):
        _text(etree.SubElement(group, q("meta", MDA), type=kind), value)
    number = 0
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        number += 1
        _unit(file, f"u{number}", message)
    if not number:  # XLIFF wants a unit in every file
        _unit(file, "u1", None)
    _indent(root, 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _unit(file, uid: str, message) -> None:
    from lxml import etree

    unit = etree.SubElement(file, q("unit"), id=uid)
    if message is None:  # a placeholder for an empty catalog
        unit.set("translate", "no")
        etree.SubElement(etree.SubElement(unit, q("segment")), q("source"))
        return
    context = message.context or ""
    if context:
        unit.set("name", _attr(context))
    notes = etree.SubElement(unit, q("notes"))
    _text(etree.SubElement(notes, q("note"), category="context"), context)
    for path, line in message.locations:
        _text(etree.SubElement(notes, q("note"), category="location"), f"{path}:{line}" if line else path)
    for comment in message.auto_comments:
        _text(etree.SubElement(notes, q("note"), category="instructions"), comment)
    for comment in message.user_comments:
        _text(etree.SubElement(notes, q("note"), category="translator"), comment)
    if message.fuzzy and message.previous_id:
        previous = message.previous_id if isinstance(message.previous_id, str) else message.previous_id[0]
        _text(etree.SubElement(notes, q("note"), category="previous-source"), previous)
    source = inline.pieces(message.id)
    data_ids: dict[str, str] = {}
    for code in inline.codes(source):
        for markdown in (code.start, code.end) if code.paired else (code.start,):
            data_ids.setdefault(markdown, f"d{len(data_ids) + 1}")
    if data_ids:
        original = etree.SubElement(unit, q("originalData"))
        for markdown, did in data_ids.items():
            _text(etree.SubElement(original, q("data"), id=did), markdown)
    translated = isinstance(message.string, str) and bool(message.string)
    segment = etree.SubElement(unit, q("segment"), id="s1")
    segment.set("state", EXPORT_STATE[bool(message.fuzzy)] if translated else "initial")
    _fill(etree.SubElement(segment, q("source")), source, data_ids)
    if translated:
        _fill(etree.SubElement(segment, q("target")), inline.align(source, inline.pieces(message.string)), data_ids)


def _fill(parent, items: list, data_ids: dict) -> None:
    from lxml import etree

    for item in items:
        if isinstance(item, str):
            _text(parent, item, append=True)
            continue
        kind = inline.KINDS[item.kind]
        attrs = {"id": item.id}
        if kind.paired:
            attrs.update(dataRefStart=data_ids[item.start], dataRefEnd=data_ids[item.end],
                         dispStart=_attr(item.start), dispEnd=_attr(item.end))
        else:
            attrs.update(dataRef=data_ids[item.start], disp=_attr(item.start))
            if item.kind == "escape":
                attrs["equiv"] = item.start[1:]
            elif item.kind == "break":
                attrs["equiv"] = "\n"
        attrs.update(type=kind.type, subType=kind.sub_type, canCopy="no")
        if kind.required:
            attrs["canDelete"] = "no"
        element = etree.SubElement(parent, q("pc" if kind.paired else "ph"), attrs)
        if kind.paired:
            _fill(element, item.children, data_ids)


def _text(element, text: str, append: bool = False) -> None:
    """Put ``text`` at the end of ``element``'s content; characters XML cannot hold
    become ``<cp hex="…"/>``."""
    from lxml import etree

    pos = 0
    for match in _INVALID_XML.finditer(text):
        _put(element, text[pos:match.start()])
        etree.SubElement(element, q("cp"), hex=f"{ord(match.group(0)):04X}")
        pos = match.end()
    _put(element, text[pos:])


def _put(element, text: str) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _attr(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


_STRUCTURAL = {q(n) for n in ("xliff", "file", "unit", "notes", "originalData", "segment")} | \
    {q(n, MDA) for n in ("metadata", "metaGroup")}


def _indent(element, level: int) -> None:
    """Indent the structural elements only: the content of a source, target, note or
    data is text that a space would change."""
    if element.tag not in _STRUCTURAL or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        child.tail = pad
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level


# ---------------------------------------------------------------------------------- import
