"""Generate report/templates/reference.docx (templates/ is a link to it), the Word reference
document of the report build.

The reference document plays the role of Pandoc's --reference-doc: the DOCX build opens
it, keeps its styles, headers/footers, settings and final section properties, renders
the docxtpl/Jinja placeholders ({{ title }}, {{ subtitle }}, {{ organization }}, {{ date }},
and in headers and footers {{ draft }}, {{ page_prefix }}, {{ page_infix }}, {{ page_suffix }})
and appends the report body after the title page held here.

It holds:
  * A4 pages, 2.5 cm margins, 1.25 cm header/footer distance, different first page;
  * "Noto Serif" 11 pt everywhere (document defaults and theme fonts), en-US;
  * Word built-in paragraph styles (Normal, Title, Subtitle, Date, Heading1-3,
    FootnoteText, TOCHeading, TOC1-2, BlockText, Quote) and character styles
    (FootnoteReference, Hyperlink), with Word's own names so that the navigation
    pane, TOC and footnotes pick them up, and one custom style, Organization;
  * a title page (title; subtitle, organization and date, each in a docxtpl
    "{%p if … %}" block so that the paragraph disappears when the value is empty;
    page break);
  * docProps/app.xml naming "report" as the application, without Word's statistics;
  * header "{{ title }}" (followed, in a draft translation, by " — {{ draft }}", the
    translated "Draft translation") and footer "Page X of Y" from page 2 on, the footer's
    words in the report's language: "{{ page_prefix }}" PAGE "{{ page_infix }}" NUMPAGES
    "{{ page_suffix }}" (PAGE/NUMPAGES fields); the title page's header holds
    "{{ draft }}" alone, empty unless the translation is a draft.

Why generated: the file is rebuilt from this script so that it is reproducible and every
change is reviewable as a diff of code. Reruns are byte-identical (fixed dates, fixed zip
timestamps, sorted members). Designers may still open the result in Word, adjust it and
save it; the build only relies on the style ids, placeholders and section layout above.

Usage: .venv/bin/python tools/make_reference_docx.py report/templates/reference.docx
"""

import copy
import datetime
import io
import sys
import zipfile

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from lxml import etree

FONT = "Noto Serif"
LANG = "en-US"
PAGE_W, PAGE_H = Twips(11906), Twips(16838)  # A4
MARGIN, HF_DIST = Twips(1417), Twips(709)  # 2.5 cm, 1.25 cm (Word's rounding)
TEXT_W = Twips(11906 - 2 * 1417)  # 16 cm text block
FIXED_DATE = datetime.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

PARA, CHAR = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT

# style id -> (type, Word built-in name, based on, ui priority, quick style, hidden
#             (semiHidden + unhideWhenUsed), paragraph format, font, outline level)
# Outline level 9 means "body text": TOCHeading inherits Heading1's look but must not
# itself appear in the table of contents.
HEADING = dict(alignment=LEFT, keep_with_next=True, keep_together=True, space_after=Pt(6))
STYLES = {
    "Normal": (PARA, "Normal", None, 0, True, False, dict(
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(6), line_spacing=1.15),
        dict(size=Pt(11)), None),
    "Title": (PARA, "Title", "Normal", 10, True, False, dict(
        alignment=CENTER, space_after=Pt(24)), dict(size=Pt(22), bold=True), None),
    "Subtitle": (PARA, "Subtitle", "Normal", 11, True, False, dict(alignment=CENTER),
                 dict(size=Pt(13), italic=True), None),
    "Organization": (PARA, "Organization", "Normal", 12, True, False, dict(
        alignment=CENTER, space_before=Pt(36)), dict(size=Pt(13), bold=True), None),
    "Date": (PARA, "Date", "Normal", 99, False, False, dict(alignment=CENTER),
             dict(size=Pt(11)), None),
    "Heading1": (PARA, "heading 1", "Normal", 9, True, False, dict(
        HEADING, space_before=Pt(18)), dict(size=Pt(14), bold=True), 0),
    "Heading2": (PARA, "heading 2", "Normal", 9, True, False, dict(
        HEADING, space_before=Pt(12)), dict(size=Pt(12), bold=True), 1),
    "Heading3": (PARA, "heading 3", "Normal", 9, True, False, dict(
        HEADING, space_before=Pt(12)), dict(size=Pt(11), bold=True, italic=True), 2),
    "FootnoteText": (PARA, "footnote text", "Normal", 99, False, True, dict(
        alignment=LEFT, space_after=Pt(0), line_spacing=1.0), dict(size=Pt(9)), None),
    "TOCHeading": (PARA, "TOC Heading", "Heading1", 39, True, True, {}, {}, 9),
    "TOC1": (PARA, "toc 1", "Normal", 39, False, True, dict(
        alignment=LEFT, space_after=Pt(4)), {}, None),
    "TOC2": (PARA, "toc 2", "Normal", 39, False, True, dict(
        alignment=LEFT, space_after=Pt(4), left_indent=Cm(0.5)), {}, None),
    "BlockText": (PARA, "Block Text", "Normal", 99, False, True, dict(
        left_indent=Cm(1), right_indent=Cm(1)), {}, None),
    # Word's other built-in quotation style: same look, follows Block Text.
    "Quote": (PARA, "Quote", "BlockText", 29, True, False, {}, {}, None),
    "FootnoteReference": (CHAR, "footnote reference", "DefaultParagraphFont", 99, False,
                          True, None, dict(superscript=True), None),
    "Hyperlink": (CHAR, "Hyperlink", "DefaultParagraphFont", 99, False, True, None,
                  dict(underline=True), None),
}
CUSTOM_STYLES = frozenset({"Organization"})  # not Word built-ins: w:customStyle="1"
HYPERLINK_BLUE = RGBColor(0x05, 0x63, 0xC1)


def get_or_add_style(doc, style_id, style_type, name):
    """Return the style with `style_id`, emptied of its formatting, or a new one."""
    for style in doc.styles:
        if style.style_id == style_id:
            for child in style.element.findall(qn("w:pPr")) + style.element.findall(qn("w:rPr")):
                style.element.remove(child)
            style.name = name
            return style
    style = doc.styles.add_style(name, style_type, builtin=style_id not in CUSTOM_STYLES)
    style.style_id = style_id
    return style


def mirror_complex_script(rpr):
    """Copy w:b/w:i/w:sz to w:bCs/w:iCs/w:szCs, as Word does (schema order kept)."""
    for tag, cs_tag in (("w:b", "w:bCs"), ("w:i", "w:iCs"), ("w:sz", "w:szCs")):
        elm = rpr.find(qn(tag))
        if elm is not None and rpr.find(qn(cs_tag)) is None:
            cs = OxmlElement(cs_tag)
            if elm.get(qn("w:val")) is not None:
                cs.set(qn("w:val"), elm.get(qn("w:val")))
            elm.addnext(cs)


def define_styles(doc):
    for style_id, spec in STYLES.items():
        kind, name, based_on, prio, quick, hidden, pfmt, font, outline = spec
        style = get_or_add_style(doc, style_id, kind, name)
        if based_on:
            style.base_style = doc.styles.get_by_id(based_on, kind)
        style.priority, style.quick_style = prio, quick
        style.hidden = style.unhide_when_used = hidden
        if kind == PARA and style_id != "Normal":
            style.next_paragraph_style = doc.styles["Normal"]
        for attr, value in (pfmt or {}).items():
            setattr(style.paragraph_format, attr, value)
        for attr, value in font.items():
            setattr(style.font, attr, value)
        if style_id == "Hyperlink":
            style.font.color.rgb = HYPERLINK_BLUE
        if outline is not None:  # no python-docx API for w:outlineLvl
            lvl = OxmlElement("w:outlineLvl")
            lvl.set(qn("w:val"), str(outline))
            style.element.get_or_add_pPr().insert_element_before(
                lvl, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
        if style.element.rPr is not None:
            mirror_complex_script(style.element.rPr)
        if style_id.startswith("TOC") and style_id != "TOCHeading":
            style.paragraph_format.tab_stops.add_tab_stop(
                TEXT_W, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        sync_linked_char_style(doc, style)


def sync_linked_char_style(doc, style):
    """Give the linked "... Char" style (e.g. Heading1Char) the paragraph style's font."""
    link = style.element.find(qn("w:link"))
    char = None if link is None else doc.styles.element.get_by_id(link.get(qn("w:val")))
    if char is None:
        return
    for old in char.findall(qn("w:rPr")):
        char.remove(old)
    if style.element.rPr is not None:
        char.append(copy.deepcopy(style.element.rPr))


def set_fonts(doc):
    """Noto Serif and en-US as document defaults; drop theme font references."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.attrib.clear()  # the *Theme attributes would win over the explicit names
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    rpr.find(qn("w:lang")).set(qn("w:val"), LANG)
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))  # same as Normal: 6 pt after, 1.15 lines
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "276")
    for rfonts in styles.xpath("w:style//w:rFonts"):
        if any(key.endswith("Theme") or key.endswith("theme") for key in rfonts.attrib):
            rfonts.getparent().remove(rfonts)
    # Theme fonts too, so "+Body"/"+Headings" in Word's font menu also mean Noto Serif.
    theme = doc.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for latin in root.iterfind(".//{%s}fontScheme/*/{%s}latin" % (A_NS, A_NS)):
        latin.set("typeface", FONT)
    # The theme is a plain Part (python-docx has no theme API): replace its bytes.
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fit_header_footer_styles(doc):
    """Header/Footer tab stops at the centre and right edge of the A4 text block."""
    for name in ("Header", "Footer"):
        tabs = doc.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(Twips(TEXT_W.twips // 2), WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(TEXT_W, WD_TAB_ALIGNMENT.RIGHT)


def drop_unneeded_parts(doc):
    """Remove template leftovers: thumbnail, bibliography customXml, stylesWithEffects."""
    package_rels = doc.part.package.rels
    for rId in [r for r, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rId]
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS):
            doc.part.drop_rel(rId)


def small_run(paragraph, text="", italic=False, bold=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.italic = italic or None
    run.bold = bold or None
    mirror_complex_script(run._r.get_or_add_rPr())
    if "{" in text:
        # A placeholder's value may begin or end with a space ("Page "): Word drops
        # those spaces from a w:t unless it says xml:space="preserve".
        for t in run._r.findall(qn("w:t")):
            t.set(qn("xml:space"), "preserve")
    return run


def add_field(paragraph, instruction, placeholder):
    """Complex field: begin, instrText, separate, cached result, end (no python-docx API)."""
    for part in ("begin", "instr", "separate", "result", "end"):
        run = small_run(paragraph, placeholder if part == "result" else "")
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)
        elif part != "result":
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), part)
            run._r.append(fld)


def setup_section(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = HF_DIST
    section.different_first_page_header_footer = True  # w:titlePg: bare title page

    header = section.header.paragraphs[0]
    header.alignment = RIGHT
    small_run(header, "{{ short_title }}", italic=True)
    small_run(header, "{% if draft %} — {{ draft }}{% endif %}", bold=True)
    first_header = section.first_page_header.paragraphs[0]  # the title page's header
    first_header.alignment = RIGHT
    small_run(first_header, "{{ draft }}", bold=True)

    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    small_run(footer, "{{ page_prefix }}")
    add_field(footer, " PAGE ", "1")
    small_run(footer, "{{ page_infix }}")
    add_field(footer, " NUMPAGES ", "1")
    small_run(footer, "{{ page_suffix }}")
    section.first_page_footer.paragraphs[0]  # creates the empty first-page footer


# (style, variable): the optional title-page lines, in order, after the title.
OPTIONAL_LINES = (("Subtitle", "subtitle"), ("Organization", "organization"), ("Date", "date"))


def add_title_page(doc):
    """Title, then each optional line between docxtpl paragraph tags: a paragraph
    holding a "{%p … %}" tag is replaced by the bare tag when rendered, so an empty
    value leaves no empty paragraph behind."""
    # Each placeholder stays in a single run so docxtpl sees the Jinja tag intact.
    doc.add_paragraph(style="Title").add_run("{{ title }}")
    for style, name in OPTIONAL_LINES:
        doc.add_paragraph(style=style).add_run(f"{{%p if {name} %}}")
        doc.add_paragraph(style=style).add_run(f"{{{{ {name} }}}}")
        doc.add_paragraph(style=style).add_run("{%p endif %}")
    page_break = doc.add_paragraph()
    page_break.paragraph_format.space_after = Pt(0)
    page_break.add_run().add_break(WD_BREAK.PAGE)


def set_core_properties(doc):
    props = doc.core_properties
    props.title = "Report template"
    props.author = props.last_modified_by = ""
    props.comments = ""  # python-docx's "generated by python-docx"
    props.created = props.modified = FIXED_DATE
    props.revision = 1


def write_stable_zip(data, path):
    """Rewrite the package with fixed timestamps and sorted member order, and
    app.xml as the report build writes it (python-docx's says "Microsoft Word")."""
    from report.render.docx.properties import app_properties

    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {name: src.read(name) for name in src.namelist()}
    members["docProps/app.xml"] = app_properties(members["docProps/app.xml"], None)
    order = sorted(members, key=lambda name: (name != "[Content_Types].xml", name))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # not the platform default: same bytes everywhere
            dst.writestr(info, members[name])


def build():
    doc = Document()
    drop_unneeded_parts(doc)
    set_fonts(doc)
    define_styles(doc)
    fit_header_footer_styles(doc)
    setup_section(doc)
    add_title_page(doc)
    set_core_properties(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_reference_docx.py OUTPUT.docx")
    write_stable_zip(build(), sys.argv[1])
