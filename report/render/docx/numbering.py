"""Numbered paragraphs in Word's own list numbering (``paragraphs: numbered``, UN style).

A numbered paragraph is a paragraph of the *Numbered Paragraph* style, whose
``w:numPr`` names a multi-level numbering definition of ``word/numbering.xml``:
level 1 "1.", level 2 "(a)", level 3 "(i)" (French and Spanish "a)" and "i)"), then "a."
and "i.", each level linked to its style (*Numbered Paragraph*, *Subparagraph*,
*Subparagraph 2* to *4*). The numbers
are Word's, not text: a paragraph inserted in Word renumbers those after it, and a
``REF _Ref… \\r \\h`` field to a bookmark in a numbered paragraph gives its number
once fields are updated (pre-filled by the renderer meanwhile).

:func:`install_paragraph_numbering` adds the definition (to the reference's
numbering part, or to a new one when the reference has none) and the styles, only
when the document has numbered paragraphs; :func:`install_recommendation_numbering`
does the same for the report's recommendations (the *Recommendation* style).
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from lxml import etree

from report import model as m
from report.render.docx.xml import W_NS, sub, w

PARAGRAPH_STYLE = "NumberedParagraph"
SUBPARAGRAPH_STYLES = {1: "Subparagraph", 2: "Subparagraph2", 3: "Subparagraph3", 4: "Subparagraph4"}
_NAMES = {PARAGRAPH_STYLE: "Numbered Paragraph", "Subparagraph": "Subparagraph", "Subparagraph2": "Subparagraph 2",
          "Subparagraph3": "Subparagraph 3", "Subparagraph4": "Subparagraph 4"}
STEP = 567  # twips (1 cm): each level's hanging indent
NUMBERING_NAME = PackURI("/word/numbering.xml")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def level_texts(language: str) -> tuple[str, ...]:
    """The markers of the five levels: "%1.", "(%2)", "(%3)", "%4.", "%5."; French and
    Spanish write "%2)" and "%3)" (UN Editorial Manual;
    report.transforms.subparagraphs.subparagraph_mark)."""
    if language.split("-")[0].lower() in ("fr", "es"):
        return "%1.", "%2)", "%3)", "%4.", "%5."
    return "%1.", "(%2)", "(%3)", "%4.", "%5."


def has_numbered_paragraphs(document: m.Document) -> bool:
    return any(isinstance(block, m.Paragraph) and block.number is not None
               for section in document.sections for block in m.walk_blocks(section.blocks))


def _numbering_root(document_part):
    """The numbering part's root element (a new part related from the document when the
    reference has none) and a callback that stores the edited element back."""
    for rel in document_part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None)
            if element is not None:
                return element, lambda: None
            root = etree.fromstring(part.blob, _PARSER)
            return root, lambda: setattr(part, "_blob", etree.tostring(root, xml_declaration=True,
                                                                       encoding="UTF-8", standalone=True))
    root = etree.Element(w("numbering"), nsmap={"w": W_NS})
    part = XmlPart(NUMBERING_NAME, CT.WML_NUMBERING, root, document_part.package)
    document_part.relate_to(part, RT.NUMBERING)
    return root, lambda: None


RECOMMENDATION_STYLE = "Recommendation"


def _add_definition(root, abstract) -> str:
    """Give ``abstract`` (a ``w:abstractNum``) the next free id, put it in ``root``
    (``w:numbering``) before every ``w:num``, as the schema orders them, and add the
    ``w:num`` that uses it: its numId."""
    abstract_ids = [int(a.get(w("abstractNumId"), "0")) for a in root.iter(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"), "0")) for n in root.iter(w("num"))]
    abstract_id, num_id = str(max(abstract_ids, default=-1) + 1), str(max(num_ids, default=0) + 1)
    abstract.set(w("abstractNumId"), abstract_id)
    first_num = root.find(w("num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    num = sub(root, "num", numId=num_id)
    sub(num, "abstractNumId", val=abstract_id)
    return num_id


def has_recommendations(document: m.Document) -> bool:
    return any(isinstance(block, m.ListBlock) and block.recommendations
               for section in document.sections for block in m.walk_blocks(section.blocks))


def install_recommendation_numbering(document: m.Document, document_part, styles) -> None:
    """Add the recommendations' numbering definition ("1.", one list through the whole
    document, so the numbers run on from list to list as the model's do) and its
    *Recommendation* style, when ``document`` has recommendations. A recommendation
    inserted in Word renumbers those after it, and a ``REF … \\r`` field gives its number."""
    if not has_recommendations(document):
        return
    root, store = _numbering_root(document_part)
    abstract = etree.Element(w("abstractNum"))
    sub(abstract, "nsid", val="52454343")  # fixed: the same bytes on every build
    sub(abstract, "multiLevelType", val="singleLevel")
    lvl = sub(abstract, "lvl", ilvl="0")
    sub(lvl, "start", val="1")
    sub(lvl, "numFmt", val="decimal")
    sub(lvl, "pStyle", val=RECOMMENDATION_STYLE)
    sub(lvl, "lvlText", val="%1.")
    sub(lvl, "lvlJc", val="left")
    ppr = sub(lvl, "pPr")
    sub(sub(ppr, "tabs"), "tab", val="num", pos=str(STEP))
    sub(ppr, "ind", left=str(STEP), hanging=str(STEP))
    num_id = _add_definition(root, abstract)
    store()
    if any(style.get(w("styleId")) == RECOMMENDATION_STYLE for style in styles.iter(w("style"))):
        return
    style = sub(styles, "style", type="paragraph", styleId=RECOMMENDATION_STYLE)
    sub(style, "name", val="Recommendation")
    sub(style, "basedOn", val="Normal")
    sub(style, "qFormat")
    ppr = sub(style, "pPr")
    numpr = sub(ppr, "numPr")
    sub(numpr, "ilvl", val="0")
    sub(numpr, "numId", val=num_id)
    sub(ppr, "ind", left=str(STEP), hanging=str(STEP))


def install_paragraph_numbering(document: m.Document, document_part, styles) -> None:
    """Add the paragraph numbering definition and its three styles, when ``document``
    has numbered paragraphs."""
    if not has_numbered_paragraphs(document):
        return
    root, store = _numbering_root(document_part)
    abstract = etree.Element(w("abstractNum"))
    sub(abstract, "nsid", val="5245504E")  # fixed: the same bytes on every build
    sub(abstract, "multiLevelType", val="multilevel")
    texts = level_texts(document.metadata.language)
    for level, (fmt, text, style) in enumerate(zip(("decimal", "lowerLetter", "lowerRoman", "lowerLetter",
                                                    "lowerRoman"), texts,
                                                   (PARAGRAPH_STYLE, *SUBPARAGRAPH_STYLES.values()))):
        lvl = sub(abstract, "lvl", ilvl=str(level))
        sub(lvl, "start", val="1")
        sub(lvl, "numFmt", val=fmt)
        sub(lvl, "pStyle", val=style)
        sub(lvl, "lvlText", val=text)
        sub(lvl, "lvlJc", val="left")
        ppr = sub(lvl, "pPr")
        sub(sub(ppr, "tabs"), "tab", val="num", pos=str(STEP * (level + 1)))
        sub(ppr, "ind", left=str(STEP * (level + 1)), hanging=str(STEP))
    num_id = _add_definition(root, abstract)
    store()
    present = {style.get(w("styleId")) for style in styles.iter(w("style"))}
    for level, style_id in enumerate((PARAGRAPH_STYLE, *SUBPARAGRAPH_STYLES.values())):
        if style_id in present:
            continue
        style = sub(styles, "style", type="paragraph", styleId=style_id)
        sub(style, "name", val=_NAMES[style_id])
        sub(style, "basedOn", val="Normal")
        sub(style, "qFormat")
        ppr = sub(style, "pPr")
        numpr = sub(ppr, "numPr")
        sub(numpr, "ilvl", val=str(level))
        sub(numpr, "numId", val=num_id)
        sub(ppr, "ind", left=str(STEP * (level + 1)), hanging=str(STEP))
