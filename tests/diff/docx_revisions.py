"""Accepting or rejecting every tracked change of a .docx, as Word does, on the XML.

Accept: deleted content goes, inserted content stays (unwrapped); a paragraph
whose mark was deleted joins the next one; deleted table rows go. Reject: the
other way round, ``w:delText`` becoming text again. Then the texts a reader sees:
body paragraphs, and the footnotes in the order the body calls them.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def wa(name: str) -> str:
    return f"{{{W}}}{name}"


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def resolve(root, accept: bool):
    """``root`` with every w:ins/w:del accepted (or rejected), in place."""
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for row in list(root.iter(wa("tr"))):
        props = row.find(wa("trPr"))
        if props is not None and props.find(wa(drop)) is not None:
            row.getparent().remove(row)
        elif props is not None:
            for mark in props.findall(wa(keep)):
                props.remove(mark)
    for table in list(root.iter(wa("tbl"))):
        if table.find(wa("tr")) is None:
            table.getparent().remove(table)
    for p in list(root.iter(wa("p"))):
        mark_props = p.find(f"{wa('pPr')}/{wa('rPr')}")
        joined = mark_props is not None and mark_props.find(wa(drop)) is not None
        if mark_props is not None:
            for mark in mark_props.findall(wa(keep)) + mark_props.findall(wa(drop)):
                mark_props.remove(mark)
        for element in list(p.iter(wa(drop))):
            element.getparent().remove(element)
        for element in list(p.iter(wa(keep))):
            _unwrap(element)
        if joined:
            following = p.getnext()
            content = [c for c in p if c.tag != wa("pPr")]
            if following is not None and following.tag == wa("p"):
                anchor = following.find(wa("pPr"))
                for child in reversed(content):
                    if anchor is not None:
                        anchor.addnext(child)
                    else:
                        following.insert(0, child)
            p.getparent().remove(p)
    for text in list(root.iter(wa("delText"))):
        text.tag = wa("t")
    assert not list(root.iter(wa("ins"))) and not list(root.iter(wa("del")))
    return root


def visible(element) -> str:
    out = []
    for node in element.iter(wa("t"), wa("tab"), wa("br")):
        out.append(node.text or "" if node.tag == wa("t") else "\t" if node.tag == wa("tab") else "\n")
    return "".join(out)


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def texts(docx: bytes, accept: bool | None = None, skip_styles=("TOC1",)) -> tuple[list[str], list[str]]:
    """(body paragraph texts, footnote texts in calling order) of ``docx``, with
    every revision accepted (True), rejected (False) or left alone (None).
    Paragraphs in ``skip_styles`` (the contents, a field Word recomputes) are left out."""
    files = parts(docx)
    body = etree.fromstring(files["word/document.xml"])
    notes = etree.fromstring(files["word/footnotes.xml"])
    if accept is not None:
        resolve(body, accept)
        resolve(notes, accept)
    paragraphs = []
    for p in body.iter(wa("p")):
        style = p.find(f"{wa('pPr')}/{wa('pStyle')}")
        if style is not None and style.get(wa("val")) in skip_styles:
            continue
        paragraphs.append(visible(p))
    by_id = {n.get(wa("id")): n for n in notes.iter(wa("footnote"))}
    called = [visible(by_id[r.get(wa("id"))]) for r in body.iter(wa("footnoteReference"))]
    return paragraphs, called
