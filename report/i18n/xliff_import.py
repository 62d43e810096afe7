"""Importing a translated XLIFF 2.1 file (report.i18n.xliff wrote it) into ``locales/<lang>.po``.

The file comes from outside the team. It is read within :class:`~report.i18n.xliff.Limits`,
parsed with entities, DTDs and the network off (a DOCTYPE is refused outright), and
must name this project and one of its languages. Each unit is found in the PO file by
its context and its source (re-made from the file's codes); the codes of its target are
put back as the Markdown the PO source has (re-split here, not taken from the file);
a lost (TRN010), duplicated (TRN011), reordered or moved (TRN012) or unknown (TRN013)
code is an error at its place in the XLIFF file. The PO file is written, atomically,
only when the whole file imports without an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from report.diagnostics import Diagnostic, Location, error, warning
from report.errors import ReportError
from report.i18n import inline
from report.i18n.catalog import po_path, write_catalog
from report.i18n.xliff import DONE, MDA, MIB, Limits, q, read_po_file, same_language


@dataclass
class Imported:
    po: str
    changed: int = 0
    unchanged: int = 0
    untranslated: int = 0
    skipped: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: bool = False


class _Located:
    """Line and column of an element in the XLIFF file, for diagnostics."""

    def __init__(self, shown: str, text: str, root):
        self.shown = shown
        self.lines = text.split("\n")
        self.seen: dict[tuple[int, str], list] = {}
        for element in root.iter():
            if isinstance(element.tag, str):
                self.seen.setdefault((element.sourceline or 1, _qname(element)), []).append(element)

    def __call__(self, element) -> Location:
        line = element.sourceline or 1
        name = _qname(element)
        nth = next((i for i, e in enumerate(self.seen.get((line, name), ())) if e is element), 0)
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        col, start = 1, 0
        for _ in range(nth + 1):
            match = re.compile(r"<" + re.escape(name) + r"(?=[\s/>])").search(text, start)
            if match is None:
                break
            col, start = match.start() + 1, match.end()
        return Location(self.shown, line, col)


def _qname(element) -> str:
    local = element.tag.rpartition("}")[2]
    return f"{element.prefix}:{local}" if element.prefix else local


def read_xliff(path: Path, shown: str, limits: Limits = Limits()):
    """(root element, locator) of an XLIFF file, read safely; a ReportError otherwise."""
    from lxml import etree

    from report.safexml import declares_entities, hardened_parser

    where = Location(shown, 1, 1)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportError(error("XLF001", f"cannot read {shown}: {exc.strerror or exc}", where)) from None
    if not path.is_file():
        raise ReportError(error("XLF001", f"{shown} is not a file", where))
    if size > limits.file_bytes:
        raise ReportError(error("XLF001", f"{shown} is {size // MIB} MB, more than the {limits.file_bytes // MIB} MB "
                                          "an import reads", where, "split the work into smaller files"))
    data = path.read_bytes()[: limits.file_bytes + 1]
    text = _decoded(data)
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.I):
        raise ReportError(error("XLF002", f"{shown} has a DOCTYPE or entity declarations, which XLIFF 2 never needs",
                                _at(text, re.search(r"<!DOCTYPE|<!ENTITY", text, re.I).start(), shown),
                                "entity expansion and external entities are refused; the file may be crafted"))
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        line, col = getattr(exc, "position", (1, 1)) or (1, 1)
        message = (exc.msg or str(exc)).split(", line ")[0]
        raise ReportError(error("XLF001", f"not well-formed XML: {message}", Location(shown, line or 1, col or 1))) \
            from None
    if declares_entities(root):
        raise ReportError(error("XLF002", f"{shown} has a DOCTYPE or entity references", where,
                                "entity expansion and external entities are refused; the file may be crafted"))
    return root, _Located(shown, text, root)


def _decoded(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    match = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data[:200])
    try:
        return data.decode(match.group(1).decode("ascii") if match else "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _at(text: str, offset: int, shown: str) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(shown, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def import_xliff(root: Path, path: Path, shown: str, locale: str | None = None, dry_run: bool = False,
                 limits: Limits = Limits()) -> Imported:
    """Merge the translations of the XLIFF file ``path`` into the project's PO file.

    Raises ReportError when the file is refused as a whole (unreadable, hostile, not
    XLIFF 2, another project or language); returns what was done otherwise, with the
    diagnostics (when any is an error, nothing was written)."""
    from report.config import load_config
    from report.i18n.catalog import available_languages

    config = load_config(root)
    element, locate = read_xliff(path, shown, limits)
    where = Location(shown, element.sourceline or 1, 1)
    if element.tag != q("xliff"):
        found = element.tag.rpartition("}")[0].lstrip("{")
        hint = ("export the file again as XLIFF 2 with `report i18n export LANG --format xliff`"
                if "xliff" in found else None)
        raise ReportError(error("XLF001", f"not an XLIFF 2 file (root element {_qname(element)!r}"
                                          f"{' in ' + found if found else ''})", where, hint))
    if element.get("version") not in ("2.0", "2.1"):
        raise ReportError(error("XLF001", f"XLIFF version {element.get('version')!r} is not supported (2.0 or 2.1)",
                                where))
    source_language, target_language = element.get("srcLang"), element.get("trgLang")
    if not same_language(source_language, config.language):
        raise ReportError(error("XLF004", f"the file translates from '{source_language}', the project is written in "
                                          f"'{config.language}'", where, "a file of another project?"))
    if not target_language:
        raise ReportError(error("XLF004", "the file names no target language (trgLang)", where))
    language = next((tag for tag in available_languages(root) if same_language(tag, target_language)), None)
    if locale is not None and not same_language(locale, target_language):
        raise ReportError(error("XLF004", f"the file is a translation into '{target_language}', not '{locale}'",
                                where))
    if language is None:
        raise ReportError(error("XLF004", f"the file is a translation into '{target_language}', and the project has "
                                          f"no {po_path(target_language)}", where,
                                f"start the language with `report i18n update {target_language}`"))
    files = element.findall(q("file"))
    if not files:
        raise ReportError(error("XLF001", "the file has no <file> element", where))
    for file in files:
        named = file.findtext(f"{q('metadata', MDA)}/{q('metaGroup', MDA)}[@category='report']/{q('meta', MDA)}"
                              f"[@type='project']")
        # The project's id names it, or its title: a file exported before the id was
        # set, or before the title changed, still imports.
        if named is None or named not in (config.project_id, config.title):
            said = f"names the project {named!r}" if named is not None else "names no project"
            raise ReportError(error("XLF003", f"the file {said}, not this one ({config.project_id or config.title!r})",
                                    locate(file),
                                    "import it into the project it was exported from, or export this project's "
                                    "file with `report i18n export`"))
    rel = po_path(language)
    catalog = read_po_file(root, rel)
    entries = {(m.context or "", m.id): m for m in catalog if m.id and isinstance(m.id, str)}
    result = Imported(rel)
    changes = []
    for file in files:
        for unit in file.iter(q("unit")):
            change = _import_unit(unit, entries, locate, result, limits)
            if change is not None:
                changes.append(change)
    if any(d.severity.name == "ERROR" for d in result.diagnostics):
        return result
    for message, text, fuzzy in changes:
        message.string = text
        if fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []  # as Poedit does when a reviewer clears the flag
    result.changed = len(changes)
    if changes and not dry_run:
        write_catalog(catalog, root / rel)
        result.written = True
    return result


class _Bad(Exception):
    """A unit's source that cannot be re-made (a dangling dataRef, an unknown element)."""


def _import_unit(unit, entries: dict, locate, result: Imported, limits: Limits):
    from report.checks.translations import compare

    if unit.get("translate") == "no":
        return None
    context = unit.findtext(f"{q('notes')}/{q('note')}[@category='context']")
    if context is None:
        result.skipped += 1
        result.diagnostics.append(warning("XLF005", f"unit {unit.get('id')!r} has no context note: skipped",
                                          locate(unit), "units come from `report i18n export`"))
        return None
    data = {d.get("id"): _plain(d) for d in unit.iterfind(f"{q('originalData')}/{q('data')}")}
    parts = [p for p in unit if p.tag in (q("segment"), q("ignorable"))]
    try:
        source = "".join(_source_markdown(p.find(q("source")), data) for p in parts)
    except _Bad as exc:
        result.skipped += 1
        result.diagnostics.append(warning("XLF005", f"unit {unit.get('id')!r}: {exc}: skipped", locate(unit)))
        return None
    message = entries.get((context, source))
    if message is None:
        result.skipped += 1
        result.diagnostics.append(warning(
            "XLF005", f"unit {unit.get('id')!r} ({context}): its source is not in {result.po}: skipped",
            locate(unit), "the text changed since the export: run `report i18n update`, export again and "
                          "carry the translation over in the CAT tool"))
        return None
    ours = inline.pieces(message.id)
    codes = {code.id: code for code in inline.codes(ours)}
    theirs = [(_local(e), e.get("id") if _local(e) != "ec" else e.get("startRef"))
              for p in parts for e in p.find(q("source")).iter() if _local(e) in ("ph", "pc", "sc")]
    expected = [("pc" if code.paired else "ph", code.id) for code in codes.values()]
    theirs = [("pc" if tag == "sc" else tag, cid) for tag, cid in theirs]
    if theirs != expected:
        result.diagnostics.append(error("TRN013", f"the source's codes were renumbered or changed ({context})",
                                        locate(parts[0].find(q("source"))),
                                        "a CAT tool must keep the ids of the source's codes"))
        return None
    targets = [p.find(q("target")) for p in parts]
    segments = [p for p in parts if p.tag == q("segment")]
    if all(t is None for t in targets) or all(_empty(t) for t in targets if t is not None):
        result.untranslated += 1
        return None
    if any(t is None for p, t in zip(parts, targets) if p.tag == q("segment")):
        result.skipped += 1
        result.diagnostics.append(warning("XLF005", f"unit {unit.get('id')!r} ({context}) is only partly "
                                                    "translated: skipped", locate(unit)))
        return None
    reader = _TargetReader(codes, locate, context)
    pieces_text = []
    for part, target in zip(parts, targets):
        if target is None:  # an ignorable without a target keeps its source
            pieces_text.append(_source_markdown(part.find(q("source")), data))
        else:
            pieces_text.append(reader.read(target))
    text = "".join(pieces_text)
    first_target = next(t for t in targets if t is not None)
    if len(text) > limits.target_chars:
        result.diagnostics.append(error("XLF001", f"the translation of unit {unit.get('id')!r} is "
                                                  f"{len(text)} characters long, more than {limits.target_chars}",
                                        locate(first_target)))
        return None
    fuzzy = not all(s.get("state", "initial") in DONE for s in segments)
    if text == message.string:  # the translation the PO file has: its problems are `report check`'s
        if fuzzy == bool(message.fuzzy):
            result.unchanged += 1
            return None
        return message, text, fuzzy
    problems = reader.problems + reader.finish(ours, locate(first_target))
    if problems:
        result.diagnostics.extend(problems)
        return None
    for code, found in compare(message.id, text):
        result.diagnostics.append(warning(code, f"{found} ({context})", locate(first_target)))
    return message, text, fuzzy


def _local(element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _empty(target) -> bool:
    return not (target.text or "") and not len(target)


def _plain(element) -> str:
    """The text of a ``<data>`` or ``<note>``, ``<cp>`` resolved."""
    out = [element.text or ""]
    for child in element:
        if _local(child) == "cp":
            out.append(_code_point(child))
        out.append(child.tail or "")
    return "".join(out)


def _code_point(element) -> str:
    try:
        return chr(int(element.get("hex") or "", 16))
    except (ValueError, OverflowError):
        return "\ufffd"


def _source_markdown(source, data: dict) -> str:
    if source is None:
        raise _Bad("a segment without a source")
    out = [source.text or ""]
    for child in source:
        tag = _local(child)
        if tag == "ph":
            out.append(_data(data, child.get("dataRef")))
        elif tag == "pc":
            out.append(_data(data, child.get("dataRefStart")))
            out.append(_source_markdown(child, data))
            out.append(_data(data, child.get("dataRefEnd")))
        elif tag == "sc":
            out.append(_data(data, child.get("dataRef")))
        elif tag == "ec":
            out.append(_data(data, child.get("dataRef")))
        elif tag == "cp":
            out.append(_code_point(child))
        elif tag == "mrk":
            out.append(_source_markdown(child, data))
        elif tag not in ("sm", "em"):
            raise _Bad(f"unexpected <{tag}> in a source")
        out.append(child.tail or "")
    return "".join(out)


def _data(data: dict, ref: str | None) -> str:
    if ref not in data:
        raise _Bad(f"a code refers to original data {ref!r}, which the unit lacks")
    return data[ref]


class _TargetReader:
    """A target's Markdown, its codes put back from the PO source's own; problems kept."""

    def __init__(self, codes: dict, locate, context: str):
        self.codes, self.locate, self.context = codes, locate, context
        self.problems: list[Diagnostic] = []
        self.seen: dict[str, object] = {}       # code id → the element that used it
        self.order: list[str] = []              # code ids as they open
        self.inside: dict[str, tuple] = {}      # code id → the container codes around it
        self.open: dict[str, object] = {}       # sc ids waiting for their ec

    def say(self, code: str, message: str, element, hint: str | None = None) -> None:
        self.problems.append(error(code, f"{message} ({self.context})", self.locate(element), hint))

    def read(self, target) -> str:
        return self._walk(target, ())

    def _code(self, element, kinds: tuple[bool, ...]):
        cid = element.get("id")
        code = self.codes.get(cid)
        if code is None:
            self.say("TRN013", f"<{_local(element)} id={cid!r}> is not a code of the source", element,
                     "keep only the source's tags")
            return None
        if code.paired not in kinds:
            self.say("TRN013", f"<{_local(element)} id={cid!r}> stands for {code.start!r}, a "
                               f"{'paired' if code.paired else 'standalone'} code", element)
            return None
        if cid in self.seen or element.get("copyOf"):
            self.say("TRN011", f"the code {_shown(code)} is used twice", element, "keep each tag once")
            return None
        self.seen[cid] = element
        self.order.append(cid)
        return code

    def _walk(self, element, containers: tuple) -> str:
        out = [element.text or ""]
        for child in element:
            tag = _local(child)
            if tag == "ph":
                code = self._code(child, (False,))
                if code is not None:
                    self.inside[code.id] = containers
                    out.append(code.start)
            elif tag == "pc":
                code = self._code(child, (True,))
                if code is not None:
                    self.inside[code.id] = containers
                    inner = containers + ((code.id,) if code.kind in inline.CONTAINERS else ())
                    out += [code.start, self._walk(child, inner), code.end]
                else:
                    out.append(self._walk(child, containers))
            elif tag == "sc":
                code = self._code(child, (True,))
                if code is not None:
                    self.inside[code.id] = containers
                    self.open[code.id] = child
                    out.append(code.start)
            elif tag == "ec":
                cid = child.get("startRef") or child.get("id")
                code = self.codes.get(cid)
                if code is None or cid not in self.open:
                    self.say("TRN013", f"<ec> closes {cid!r}, which no <sc> opened", child)
                else:
                    del self.open[cid]
                    out.append(code.end)
            elif tag == "cp":
                out.append(_code_point(child))
            elif tag == "mrk":
                out.append(self._walk(child, containers))
            elif tag not in ("sm", "em"):
                self.say("TRN013", f"unexpected <{tag}> in a target", child)
            out.append(child.tail or "")
        return "".join(out)

    def finish(self, source: list, where: Location) -> list[Diagnostic]:
        """Lost codes, unclosed ones, and codes whose order or place matters that moved."""
        found = []
        for cid, element in self.open.items():
            found.append(error("TRN013", f"<sc id={cid!r}> is never closed ({self.context})", self.locate(element)))
        every = inline.codes(source)
        lost = [c for c in every if inline.KINDS[c.kind].required and c.id not in self.seen]
        if lost:
            found.append(error("TRN010", f"the translation lost {', '.join(_shown(c) for c in lost)} "
                                         f"({self.context})", where, "put every locked tag of the source back"))
        wanted = [c.id for c in every if inline.KINDS[c.kind].ordered and c.id in self.seen]
        got = [cid for cid in self.order if cid in wanted]
        if wanted != got:
            moved = next(self.codes[a] for a, b in zip(got, wanted) if a != b)
            found.append(error("TRN012", f"citations and markers must keep the source's order: {_shown(moved)} "
                                         f"moved ({self.context})", self.locate(self.seen[moved.id])))
        places = _containers(source)
        for c in every:
            if c.id in self.seen and c.kind in ("cite", "attr") and self.inside.get(c.id, ()) != places.get(c.id, ()):
                found.append(error("TRN012", f"{_shown(c)} moved into or out of a note or span ({self.context})",
                                   self.locate(self.seen[c.id]), "keep it inside the same tags as in the source"))
        return found


def _containers(items: list, around: tuple = ()) -> dict[str, tuple]:
    out = {}
    for item in items:
        if isinstance(item, inline.Code):
            out[item.id] = around
            out.update(_containers(item.children, around + ((item.id,) if item.kind in inline.CONTAINERS else ())))
    return out


def _shown(code) -> str:
    text = code.start + ("…" + code.end if code.paired else "")
    return repr(text if len(text) <= 60 else text[:57] + "…")
