"""Helpers shared by the DOCX tests on hand-made documents: one-section documents,
rendering to parts, reading paragraphs back, edited reference documents."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from report import model as m
from report.diagnostics import Location
from report.render.docx import DocxRenderer
from tests.conftest import REPO

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS = {"w": W}
HERE = Location("sections/01-intro.md", 1, 1)


def wa(name):
    return f"{{{W}}}{name}"


def text(value):
    return m.Text(value, HERE)


def document(*blocks, title="Intro", metadata=None):
    metadata = metadata or m.Metadata("A <Minimal> & \"Report\"", "Org & Co", "en", None)
    return m.Document(metadata, (m.Section("intro", title, tuple(blocks), HERE),))


def render(context, doc):
    data = DocxRenderer().render(doc, context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def body_of(parts):
    return etree.fromstring(parts["word/document.xml"]).find("w:body", NS)


def visible(p):
    """A paragraph's text as a reader sees it: tabs and breaks included."""
    out = []
    for element in p.iter(wa("t"), wa("tab"), wa("br")):
        out.append(element.text or "" if element.tag == wa("t") else "\t" if element.tag == wa("tab") else "\n")
    return "".join(out)


def paragraph_texts(parts):
    return [visible(p) for p in body_of(parts).iter(wa("p"))]


# Children in the order the OOXML schema allows (a subset: what the renderer writes).
SCHEMA_ORDER = {
    "tbl": ["tblPr", "tblGrid", "tr"],
    "tblPr": ["tblStyle", "tblW", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook",
              "tblCaption", "tblDescription"],
    "tr": ["trPr", "tc"],
    "tc": ["tcPr", "p"],
    "tcPr": ["tcW", "shd"],
}


def in_schema_order(element):
    order = SCHEMA_ORDER[etree.QName(element).localname]
    names = [etree.QName(child).localname for child in element]
    return all(name in order for name in names) and names == sorted(names, key=order.index)


def reference_with(edit) -> bytes:
    """The shipped reference.docx with ``edit(name, data) -> data | None`` applied."""
    out = io.BytesIO()
    with zipfile.ZipFile(REPO / "templates" / "reference.docx") as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = edit(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
        extra = edit("+", None)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def styled_paragraphs(body, style_id: str) -> tuple[list[str], dict[str, int]]:
    """The texts of ``body``'s paragraphs of style ``style_id`` and, for each bookmark in
    one of them, that paragraph's position among them (1-based)."""
    texts, marks = [], {}
    for p in body.iter(f"{{{W}}}p"):
        style = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        if style is not None and style.get(f"{{{W}}}val") == style_id:
            texts.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
            for start in p.iter(f"{{{W}}}bookmarkStart"):
                marks[start.get(f"{{{W}}}name")] = len(texts)
    return texts, marks


def ref_fields(body) -> list[tuple[list[str], str]]:
    """Each REF field of ``body``: its instruction's words and its pre-filled result (the
    text run after the field's separate mark)."""
    runs = list(body.iter(f"{{{W}}}r"))
    fields = []
    for i, run in enumerate(runs):
        instr = run.find(f"{{{W}}}instrText")
        if instr is not None and instr.text.split()[0] == "REF":
            fields.append((instr.text.split(), runs[i + 2].find(f"{{{W}}}t").text))
    return fields
