"""Every string a PDF holds outside its page text, read from its objects' source.

:func:`object_chunks` takes the PDF's bytes and returns ``(place, text)`` pairs: each
object's strings (the outline's titles, the document information, link URIs, annotation
contents, the structure tree's /Alt, /ActualText and /E, named destinations…) under the
place a reader would name, the XMP metadata, each attached file's own chunks, the
metadata of every JPEG image, and /ActualText or /Alt written into page content.

The objects come from :mod:`report.leaks.pdfsyntax`, which reads the file itself: what
a PDF library would not show (objects nothing refers to, earlier versions of objects an
incremental update replaced) is published all the same. It is also fast: a 60-page
WeasyPrint PDF's 7,000 objects in about 0.1 s, where pypdf takes half a second.
"""

from __future__ import annotations

import re

from report.leaks import pdfsyntax as syntax
from report.leaks.images import image_texts, raw_texts
from report.leaks.text import Place, with_unquoted
from report.leaks.xmltext import xml_texts

_TOKEN = re.compile(rb"""(?P<ws>\s+|%[^\r\n]*)|(?P<open><<|\[)|(?P<close>>>|\])|(?P<name>/[^\s()<>\[\]{}/%]*)
    |(?P<str>\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\))|(?P<hex><[0-9A-Fa-f\s]*>)
    |(?P<other>[^\s()<>\[\]{}/%]+|.)""", re.X | re.S)
_REF = rb"\s+(\d+)\s+\d+\s+R"
_TITLE, _ROLE, _PG = re.compile(rb"/Title\s*[(<]"), re.compile(rb"/S\s*/"), re.compile(rb"/Pg" + _REF)
_NAME = re.compile(rb"/([^\s()<>\[\]{}/%]+)")
_HEX = re.compile(rb"(?<!<)<(?!<)[0-9A-Fa-f\s]*>")
_MARKED = re.compile(rb"(/ActualText|/Alt|/E)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.S)
# Keys whose strings are named by the key, and where they sort: links with annotations (4),
# the rest (5) before the structure tree (6).
_KEY_LABELS = {b"/URI": (4, "link"), b"/Alt": (5, "alternative text"), b"/ActualText": (5, "actual text"),
               b"/E": (5, "abbreviation expansion")}
OTHER = Place((9,), "PDF objects")


def object_chunks(data: bytes, nested) -> list[tuple[Place, str]]:
    """``(place, text)`` pairs of a PDF's objects (see the module docstring);
    ``nested(name, data)`` returns the chunks of an attached file."""
    objects = list(syntax.objects(data))
    latest = {num: (body, stream) for num, body, stream in objects}
    pages = _page_numbers(data, latest)
    context = _context(data, latest, pages)
    names = {int(m.group(1)): _name(body) for body, _ in latest.values() if b"/EF" in body
             for m in [re.search(rb"/EF\s*<<[^>]*?/F" + _REF, body)] if m}
    chunks: list[tuple[Place, str]] = []
    words: set[bytes] = set()
    filespecs = {num for num, (body, _) in latest.items() if b"/EF" in body}
    for num, body, stream in objects:
        place = context.get(num) or _kind(body, pages)
        found = _strings(body, place, words)
        if b"/Names" in body and set(map(int, re.findall(rb"(\d+)\s+\d+\s+R", body))) & filespecs:
            # The name tree of the attachments: its keys are their names, said once with them.
            found = [(Place((7, text), f"attachment {text}"), text) for _, text in found]
        chunks += found
        if stream is not None:
            chunks += _stream(num, body, stream, names, context, nested)
    unescaped = (re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes.fromhex(m.group(1).decode()), word) for word in words)
    chunks.append((OTHER, "\n|\n".join(sorted(word.decode("utf-8", "replace") for word in unescaped))))
    return chunks


def _page_numbers(data: bytes, latest: dict) -> dict[int, int]:
    """Object number of each page → its index, from the page tree."""
    roots = re.findall(rb"/Root" + _REF, data)  # the last trailer's is the newest
    catalog = latest.get(int(roots[-1])) if roots else None
    top = re.search(rb"/Pages" + _REF, catalog[0]) if catalog else None
    order: list[int] = []
    stack, seen = ([int(top.group(1))] if top else []), set()
    while stack:
        num = stack.pop()
        if num in seen or num not in latest:
            continue
        seen.add(num)
        body = latest[num][0]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids:
            stack += reversed([int(n) for n in re.findall(rb"(\d+)\s+\d+\s+R", kids.group(1))])
        else:
            order.append(num)
    return {num: n for n, num in enumerate(order)}


def _refs(body: bytes, key: bytes, latest: dict) -> list[int]:
    """The objects ``key`` refers to: one reference, or an array of them (perhaps itself
    an object of its own)."""
    array = re.search(re.escape(key) + rb"\s*\[([^\]]*)\]", body)
    if array is None:
        one = re.search(re.escape(key) + _REF, body)
        if one is None:
            return []
        target = latest.get(int(one.group(1)))
        if target is None or not target[0].lstrip().startswith(b"["):
            return [int(one.group(1))]
        array = re.search(rb"\[([^\]]*)\]", target[0])
    return [int(n) for n in re.findall(rb"(\d+)\s+\d+\s+R", array.group(1))] if array else []


def _context(data: bytes, latest: dict, pages: dict[int, int]) -> dict[int, Place]:
    """Places known from where an object is referred to: the document information (from
    a trailer or a cross-reference stream), each page's annotations (and their actions)
    and content streams."""
    context = {int(info): Place((2,), "document information") for info in re.findall(rb"/Info" + _REF, data)}
    for num, (body, _) in latest.items():
        if num in pages:
            n = pages[num]
            for ref in _refs(body, b"/Contents", latest):
                context[ref] = Place((0, n), f"content of page {n + 1}")
            for ref in _refs(body, b"/Annots", latest):
                annot = latest.get(ref, (b"", None))[0]
                label = "link" if re.search(rb"/Subtype\s*/Link", annot) else "annotation"
                context[ref] = Place((4, n), _on(label, n))
                for action in _refs(annot, b"/A", latest):
                    context[action] = Place((4, n), _on("link", n))
    return context


def _on(label: str, n: int) -> str:
    return f"{label} on page {n + 1}" if n >= 0 else label


def _name(body: bytes) -> str:
    for key in (rb"/UF", rb"/F"):
        found = re.search(key + rb"\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", body)
        if found:
            return syntax.text(syntax.literal(found.group(1)))
    return "attachment"


def _kind(body: bytes, pages: dict[int, int]) -> Place:
    """The place of an object known by what it is."""
    if b"/Parent" in body and _TITLE.search(body) and b"/Type /Annot" not in body:
        return Place((1,), "outline")
    if b"/S" in body and _ROLE.search(body) and (b"/P " in body or b"/K" in body or b"/StructElem" in body):
        page = _PG.search(body)
        n = pages.get(int(page.group(1)), -1) if page else -1
        return Place((6, n), _on("structure tree", n))
    if b"/Names" in body and (b"/XYZ" in body or b"/Fit" in body):
        return Place((9, 0), "named destinations")
    if b"/EF" in body:
        name = _name(body)
        return Place((7, name), f"attachment {name}")
    return OTHER


def _strings(body: bytes, place: Place, words: set[bytes]) -> list[tuple[Place, str]]:
    """Every string of an object's source, placed by its key (a /URI, an /Alt…) or its
    object; its names go into ``words``."""
    if b"(" not in body and not _HEX.search(body):  # most objects: no string, no need to follow keys
        words.update(_NAME.findall(body))
        return []
    chunks = []
    stack: list[list] = [[False, None]]  # per open dict or array: is it a dict, the key awaiting a value
    for token in _TOKEN.finditer(body):
        kind, value = token.lastgroup, token.group()
        top = stack[-1]
        if kind == "open":  # an array's strings go under its dict's key
            stack.append([value == b"<<", None if value == b"<<" else top[1]])
        elif kind == "close":
            if len(stack) > 1:
                stack.pop()
            if stack[-1][0]:
                stack[-1][1] = None
        elif kind == "name":
            words.add(value[1:])
            if top[0]:
                top[1] = value if top[1] is None else None
        elif kind in ("str", "hex"):
            key = top[1]
            where = place
            if key in _KEY_LABELS:  # the key says more than the object: "alternative text on page 3"
                n = place.order[1] if place.order[0] in (4, 6) else -1
                rank, label = _KEY_LABELS[key]
                where = Place((rank, n), _on(label, n))
            text = syntax.text(syntax.literal(value))
            chunks += [(where, t) for t in (with_unquoted([text]) if key == b"/URI" else [text])]
            if top[0]:
                top[1] = None
        elif kind == "other" and top[0]:  # a number, a reference's first number, true…
            top[1] = None
    return chunks


def _stream(num: int, body: bytes, stream: bytes, names: dict, context: dict, nested) -> list[tuple[Place, str]]:
    is_type = lambda key, value: re.search(key + rb"\s*" + value + rb"\b", body) is not None  # noqa: E731
    if is_type(rb"/Type", rb"/EmbeddedFile") or num in names:
        name = names.get(num, "attachment")
        data = syntax.decoded(body, stream)
        inner = nested(name, data) if data is not None else [(Place((), ""), t) for t in raw_texts(stream)]
        return [(Place((7, name), f"attachment {name}, {p.label}" if p.label else f"attachment {name}"), text)
                for p, text in inner]
    if is_type(rb"/Type", rb"/Metadata") or is_type(rb"/Subtype", rb"/XML"):
        data = syntax.decoded(body, stream)
        texts = xml_texts(data) if data is not None else raw_texts(stream)
        return [(Place((3,), "XMP metadata"), text) for text in texts]
    if is_type(rb"/Subtype", rb"/Image"):
        data = syntax.decoded(body, stream)
        # A JPEG's bytes are the file as it was, metadata included; other images hold pixels only
        # (a JPEG 2000's boxes are not read).
        jpeg = data is not None and data[:2] == b"\xff\xd8"
        return [(Place((8,), "image metadata"), text) for text in image_texts(data)] if jpeg else []
    if num in context and context[num].label.startswith("content") or is_type(rb"/Subtype", rb"/Form"):
        # Marked content may carry its own /ActualText or /Alt, written in the content.
        data = syntax.decoded(body, stream) or b""
        n = context[num].order[1] if num in context else -1
        return [(Place((5, n), _on(_KEY_LABELS[m.group(1)][1], n)), syntax.text(syntax.literal(m.group(2))))
                for m in _MARKED.finditer(data)]
    return []
