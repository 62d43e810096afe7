"""Structural checks of an XLIFF 2.1 Core document, written from the OASIS specification
(XLIFF Version 2.1, sections 4.2 and 4.3: elements, attributes and their constraints),
for the files `report i18n export` writes. No validator of XLIFF 2 ships on PyPI (the
Translate Toolkit reads 1.2), and the OASIS schemas are not copied here.

:func:`problems` returns a list of "line: problem" strings, empty for a valid file.
"""

from __future__ import annotations

import re

from lxml import etree

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML = "http://www.w3.org/XML/1998/namespace"
NMTOKEN = re.compile(r"^[\w.:-]+$")
USER_DEFINED = re.compile(r"^[^\s:]+:[^\s:]+$")
TYPES = {"fmt", "ui", "quote", "link", "image", "other"}
XLF_SUBTYPES = {"xlf:lb": "fmt", "xlf:pb": "fmt", "xlf:b": "fmt", "xlf:i": "fmt", "xlf:u": "fmt", "xlf:var": "ui"}
STATES = {"initial", "translated", "reviewed", "final"}
YES_NO = {"yes", "no"}
INLINE = {"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"}
# Attributes each Core element may carry (other namespaces are always allowed).
ATTRS = {
    "xliff": {"version", "srcLang", "trgLang"},
    "file": {"id", "canResegment", "original", "translate", "srcDir", "trgDir"},
    "group": {"id", "name", "canResegment", "translate", "srcDir", "trgDir", "type"},
    "unit": {"id", "name", "canResegment", "translate", "srcDir", "trgDir", "type"},
    "segment": {"id", "canResegment", "state", "subState"},
    "ignorable": {"id"},
    "notes": set(),
    "note": {"id", "appliesTo", "category", "priority"},
    "originalData": set(),
    "data": {"id", "dir"},
    "source": set(),
    "target": {"order"},
    "cp": {"hex"},
    "ph": {"canCopy", "canDelete", "canReorder", "copyOf", "disp", "equiv", "id", "dataRef", "subFlows", "subType",
           "type"},
    "pc": {"canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dispEnd", "dispStart", "equivEnd",
           "equivStart", "id", "dataRefEnd", "dataRefStart", "subFlowsEnd", "subFlowsStart", "subType", "type", "dir"},
    "sc": {"canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dataRef", "dir", "disp", "equiv", "id",
           "isolated", "subFlows", "subType", "type"},
    "ec": {"canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dataRef", "dir", "disp", "equiv", "id",
           "isolated", "startRef", "subFlows", "subType", "type"},
    "mrk": {"id", "translate", "type", "ref", "value"},
    "sm": {"id", "translate", "type", "ref", "value"},
    "em": {"startRef"},
}


def local(element) -> str:
    return element.tag.rpartition("}")[2]


def core(element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith("{" + NS + "}")


def problems(data: bytes) -> list[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    found: list[str] = []

    def say(element, text: str) -> None:
        found.append(f"{element.sourceline}: {text}")

    if root.tag != f"{{{NS}}}xliff":
        return [f"{root.sourceline}: the root is {root.tag}, not xliff in {NS}"]
    if root.get("version") not in ("2.0", "2.1"):
        say(root, f"version {root.get('version')!r}")
    if not root.get("srcLang"):
        say(root, "no srcLang")
    for element in root.iter():
        if not core(element):
            continue
        name = local(element)
        if name not in ATTRS:
            say(element, f"<{name}> is not a Core element")
            continue
        for attr in element.attrib:
            if attr.startswith("{"):
                if attr.startswith(f"{{{XML}}}") and attr.rpartition("}")[2] == "space":
                    if element.get(attr) not in ("default", "preserve"):
                        say(element, f"xml:space={element.get(attr)!r}")
                continue
            if attr not in ATTRS[name]:
                say(element, f"<{name}> has no attribute {attr}")
        for attr in ("canCopy", "canDelete", "canResegment", "translate", "canOverlap", "isolated"):
            if element.get(attr) is not None and element.get(attr) not in YES_NO:
                say(element, f"{attr}={element.get(attr)!r}")
        for attr in ("id", "dataRef", "dataRefStart", "dataRefEnd", "startRef", "copyOf"):
            if element.get(attr) is not None and not NMTOKEN.match(element.get(attr)):
                say(element, f"{attr}={element.get(attr)!r} is not an NMTOKEN")
        if element.get("type") is not None and name in ("ph", "pc", "sc", "ec") and element.get("type") not in TYPES:
            say(element, f"type={element.get('type')!r}")
        sub = element.get("subType")
        if sub is not None:
            if element.get("type") is None:
                say(element, "subType without type")
            if not USER_DEFINED.match(sub):
                say(element, f"subType={sub!r} is not prefix:value")
            if sub.startswith("xlf:") and XLF_SUBTYPES.get(sub) != element.get("type"):
                say(element, f"subType={sub!r} with type={element.get('type')!r}")
        if name == "cp":
            hex_value = element.get("hex") or ""
            if not re.fullmatch(r"[0-9A-Fa-f]+", hex_value):
                say(element, f"cp hex={hex_value!r}")
    files = root.findall(f"{{{NS}}}file")
    if not files or any(not core(c) or local(c) != "file" for c in root if isinstance(c.tag, str)):
        say(root, "<xliff> must hold <file> elements only, at least one")
    ids = [f.get("id") for f in files]
    if len(set(ids)) != len(ids) or None in ids:
        say(root, f"file ids missing or not unique: {ids}")
    has_target = False
    for file in files:
        _sequence(file, ["skeleton?", "##other*", "notes?", "unit|group+"], say)
        unit_ids = []
        for unit in file.iter(f"{{{NS}}}unit"):
            unit_ids.append(unit.get("id"))
            has_target |= _unit(unit, say)
        for group in file.iter(f"{{{NS}}}group"):
            _sequence(group, ["##other*", "notes?", "unit|group*"], say)
        if len(set(unit_ids)) != len(unit_ids) or None in unit_ids:
            say(file, "unit ids missing or not unique")
        for metadata in file.iter(f"{{{MDA}}}metadata"):
            for meta in metadata.iter(f"{{{MDA}}}meta"):
                if not meta.get("type"):
                    say(meta, "mda:meta without type")
    if has_target and not root.get("trgLang"):
        say(root, "targets without trgLang")
    return found


def _sequence(element, pattern: list[str], say) -> None:
    """The children of ``element`` follow ``pattern``: names with ? (optional), * (any
    number), + (at least one); ##other is an element of another namespace."""
    children = [c for c in element if isinstance(c.tag, str)]
    i = 0
    for part in pattern:
        names, mark = part.rstrip("?*+"), part[-1] if part[-1] in "?*+" else ""
        allowed = names.split("|")

        def fits(child) -> bool:
            return (not core(child)) if names == "##other" else core(child) and local(child) in allowed

        count = 0
        while i < len(children) and fits(children[i]) and (mark in ("*", "+") or count < 1):
            i += 1
            count += 1
        if mark == "+" and not count or mark == "" and count != 1:
            say(element, f"<{local(element)}> needs {part}")
    if i < len(children):
        say(children[i], f"<{local(children[i])}> is out of place in <{local(element)}>")


def _unit(unit, say) -> bool:
    _sequence(unit, ["##other*", "notes?", "originalData?", "segment|ignorable+"], say)
    if unit.find(f"{{{NS}}}segment") is None:
        say(unit, "a unit needs a segment")
    data = {}
    for d in unit.iterfind(f"{{{NS}}}originalData/{{{NS}}}data"):
        if d.get("id") in data:
            say(d, f"data id {d.get('id')!r} twice")
        data[d.get("id")] = d
        if any(local(c) != "cp" for c in d if isinstance(c.tag, str)):
            say(d, "<data> holds only text and <cp>")
    for notes in unit.iterfind(f"{{{NS}}}notes"):
        if any(not core(c) or local(c) != "note" for c in notes if isinstance(c.tag, str)):
            say(notes, "<notes> holds only <note>")
    has_target = False
    unit_ids: dict[str, str] = {}
    source_codes: dict[str, str] = {}
    for segment in unit:
        if not core(segment) or local(segment) not in ("segment", "ignorable"):
            continue
        _sequence(segment, ["source", "target?"], say)
        if segment.get("id"):
            if segment.get("id") in unit_ids:
                say(segment, f"id {segment.get('id')!r} is not unique in the unit")
            unit_ids[segment.get("id")] = "segment"
        state = segment.get("state", "initial")
        if state not in STATES:
            say(segment, f"state={state!r}")
        target = segment.find(f"{{{NS}}}target")
        has_target |= target is not None
        if target is None and state != "initial":
            say(segment, f"state={state!r} without a target")
        for part in (segment.find(f"{{{NS}}}source"), target):
            if part is None:
                continue
            for element in part.iter():
                if element is part or not isinstance(element.tag, str):
                    continue
                name = local(element)
                if not core(element) or name not in INLINE:
                    say(element, f"<{element.tag}> in a {local(part)}")
                    continue
                if name in ("ph", "pc", "sc", "mrk", "sm") and not element.get("id"):
                    say(element, f"<{name}> without id")
                for attr in ("dataRef", "dataRefStart", "dataRefEnd"):
                    if element.get(attr) is not None and element.get(attr) not in data:
                        say(element, f"{attr}={element.get(attr)!r} names no <data>")
                if name in ("ph", "pc", "sc", "ec", "mrk", "sm") and element.get("id"):
                    if local(part) == "source":
                        if element.get("id") in source_codes or element.get("id") in unit_ids:
                            say(element, f"id {element.get('id')!r} twice in the unit")
                        source_codes[element.get("id")] = name
                    elif source_codes.get(element.get("id")) not in (name, None):
                        say(element, f"<{name} id={element.get('id')!r}> is a <{source_codes[element.get('id')]}>"
                                     " in the source")
    return has_target
