"""Document-level settings: title-page values, language, footnote settings, and the
core, extended (app.xml) and custom (custom.xml: the build's identity) properties.

Each function takes the piece of the package it changes (an element or a part's
bytes) and the report metadata; elements are changed in place, bytes returned.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from report.buildid import CUSTOM_NS, VT_NS
from report.model import Metadata
from report.render.docx.xml import insert_in_order, sub, w, xml_safe

APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
DCTERMS_NS = "http://purl.org/dc/terms/"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
APPLICATION = "report"
# app.xml elements that describe the file a word processor last saved (counts, edit
# time, its version, its outline of parts): stale in a generated report.
STALE_APP_PROPERTIES = frozenset({
    "Pages", "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs", "TotalTime",
    "Notes", "Slides", "HiddenSlides", "MMClips", "AppVersion", "HeadingPairs", "TitlesOfParts",
    "DigSig"})
# Word names a few languages by script as well as region (Windows locale names such
# as az-Latn-AZ, sr-Cyrl-RS); for every other language it wants language-REGION.
SCRIPT_QUALIFIED = frozenset({"az", "bs", "ha", "iu", "sr", "tzm", "uz"})

# Schema successors (CT_Settings, CT_RPr) of the elements inserted below.
AFTER_FOOTNOTE_PR = frozenset((
    "endnotePr compat docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
    "decimalSymbol listSeparator").split())
AFTER_THEME_FONT_LANG = frozenset((
    "clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade "
    "captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator").split())
AFTER_LANG = frozenset({"eastAsianLayout", "specVanish", "oMath"})
AFTER_COMPAT = AFTER_FOOTNOTE_PR - {"endnotePr", "compat"}
AFTER_EXPAND_SHIFT_RETURN = frozenset((
    "spacingInWholePoints lineWrapLikeWord6 printBodyTextBeforeHeader printColBlack wpSpaceWidth "
    "showBreaksInFrames subFontBySize suppressBottomSpacing suppressTopSpacing "
    "suppressSpacingAtTopOfPage suppressTopSpacingWP suppressSpBfAfterPgBrk swapBordersFacingPages "
    "convMailMergeEsc truncateFontHeightsLikeWP51 mwSmallCaps usePrinterMetrics "
    "doNotSuppressParagraphBorders wrapTrailSpaces footnoteLayoutLikeWW8 shapeLayoutLikeWW8 "
    "alignTablesRowByRow forgetLastTabAlignment adjustLineHeightInTable autoSpaceLikeWord95 "
    "noSpaceRaiseLower doNotUseHTMLParagraphAutoSpacing layoutRawTableWidth layoutTableRowsApart "
    "useWord97LineBreakRules doNotBreakWrappedTables doNotSnapToGridInCell "
    "selectFldWithFirstOrLastChar applyBreakingRules doNotWrapTextWithPunct "
    "doNotUseEastAsianBreakRules useWord2002TableStyleRules growAutofit useFELayout "
    "useNormalStyleForList doNotUseIndentAsNumberingTabStop useAltKinsokuLineBreakRules "
    "allowSpaceOfSameStyleInTable doNotSuppressIndentation doNotAutofitConstrainedTables "
    "autofitToFirstFixedWidthCell underlineTabInNumList displayHangulFixedWidth "
    "splitPgBreakAndParaMark doNotVertAlignCellWithSp doNotBreakConstrainedForcedTable "
    "doNotVertAlignInTxbx useAnsiKerningPairs cachedColBandWidth compatSetting").split())


def word_language(tag: str) -> str:
    """The tag Word expects in ``w:lang``: ``en`` → ``en-US``, ``az`` → ``az-Latn-AZ``.

    A tag that already names a region is used as given. Babel's likely-subtags
    data supplies the region (and script) a bare language usually has."""
    parts = tag.replace("_", "-").split("-")
    if any(_is_region(p) for p in parts[1:]):
        return "-".join(parts)
    from babel.core import get_global

    lang = parts[0].lower()
    given_script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    likely_table = get_global("likely_subtags")
    likely = (given_script and likely_table.get(f"{lang}_{given_script}")) or likely_table.get(lang)
    if not likely:
        return tag
    found = likely.split("_")
    region = found[-1] if _is_region(found[-1]) else None
    script = given_script or next((p for p in found[1:] if len(p) == 4), None)
    if region is None:
        return tag
    if script and (given_script or lang in SCRIPT_QUALIFIED):
        return f"{lang}-{script}-{region}"
    return f"{lang}-{region}"


def _is_region(subtag: str) -> bool:
    return len(subtag) == 2 and subtag.isalpha() or len(subtag) == 3 and subtag.isdigit()


def display_date(date: dt.date | None, language: str) -> str:
    """The report date as the language writes it in full (en: ``May 3, 2024``), or ''."""
    if date is None:
        return ""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    tag = language.replace("-", "_")
    for locale in (tag, tag.split("_")[0]):
        try:
            return format_date(date, "long", locale=locale)
        except (UnknownLocaleError, ValueError):
            continue
    return date.isoformat()  # a language Babel does not know: still unambiguous


def short_title(title: str, limit: int = 80) -> str:
    """The title for a running header: cut at a word before ``limit`` characters, with
    an ellipsis, so a long title does not wrap onto the body (the PDF does the same)."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"


def title_values(metadata: Metadata) -> dict[str, str]:
    """The docxtpl context for the title page and headers: plain, XML-safe strings."""
    values = {
        "title": metadata.title,
        "short_title": short_title(metadata.title),
        "subtitle": metadata.subtitle or "",
        "organization": metadata.organization or "",
        "date": display_date(metadata.date, metadata.language),
    }
    return {key: xml_safe(value) for key, value in values.items()}


def document_defaults(styles):
    """The ``w:rPr`` and ``w:pPr`` of the styles' document defaults, made when missing."""
    defaults = styles.find(w("docDefaults"))
    if defaults is None:
        defaults = styles.makeelement(w("docDefaults"), {})
        styles.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = defaults.makeelement(w("rPrDefault"), {})
        defaults.insert(0, rpr_default)
    ppr_default = defaults.find(w("pPrDefault"))
    if ppr_default is None:
        ppr_default = defaults.makeelement(w("pPrDefault"), {})
        rpr_default.addnext(ppr_default)
    rpr = rpr_default.find(w("rPr")) if rpr_default.find(w("rPr")) is not None else \
        rpr_default.makeelement(w("rPr"), {})
    if rpr.getparent() is None:
        rpr_default.append(rpr)
    ppr = ppr_default.find(w("pPr")) if ppr_default.find(w("pPr")) is not None else \
        ppr_default.makeelement(w("pPr"), {})
    if ppr.getparent() is None:
        ppr_default.append(ppr)
    return rpr, ppr


def set_language(styles, settings, tag: str) -> None:
    """``tag`` as the default run language (styles.xml) and the theme font language."""
    rpr, _ = document_defaults(styles)
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = rpr.makeelement(w("lang"), {})
        insert_in_order(rpr, lang, AFTER_LANG)
    lang.set(w("val"), tag)
    theme_lang = settings.find(w("themeFontLang"))
    if theme_lang is None:
        theme_lang = settings.makeelement(w("themeFontLang"), {})
        insert_in_order(settings, theme_lang, AFTER_THEME_FONT_LANG)
    theme_lang.set(w("val"), tag)


def set_footnote_properties(settings, special_ids: list[str]) -> None:
    """``w:footnotePr`` naming the separator notes, in its schema place (before
    ``w:compat``). A designer's numbering format or position in it is kept."""
    props = settings.find(w("footnotePr"))
    if props is None:
        props = settings.makeelement(w("footnotePr"), {})
        insert_in_order(settings, props, AFTER_FOOTNOTE_PR)
    for old in props.findall(w("footnote")):
        props.remove(old)
    for note_id in special_ids:
        sub(props, "footnote", id=note_id)


def keep_broken_lines_unstretched(settings) -> None:
    """``w:doNotExpandShiftReturn`` in ``w:compat``: a line ended by a line break (a
    Markdown hard break, a line block) is not stretched to the margin in a justified
    paragraph. Word and LibreOffice both stretch it by default, spreading its few words
    across the line; the PDF and the HTML never do."""
    compat = settings.find(w("compat"))
    if compat is None:
        compat = settings.makeelement(w("compat"), {})
        insert_in_order(settings, compat, AFTER_COMPAT)
    if compat.find(w("doNotExpandShiftReturn")) is None:
        insert_in_order(compat, compat.makeelement(w("doNotExpandShiftReturn"), {}), AFTER_EXPAND_SHIFT_RETURN)


def set_core_properties(core, metadata: Metadata, timestamp: dt.datetime | None) -> None:
    """Title, subject (the subtitle), author (the organization), language and dates on
    python-docx's ``CoreProperties``; nothing left from the reference document's own.

    With no ``timestamp`` (no SOURCE_DATE_EPOCH, no report date) core.xml carries no
    date at all: dcterms:created, dcterms:modified and cp:lastPrinted are removed."""
    core.title = xml_safe(metadata.title)
    core.subject = xml_safe(metadata.subtitle or "")
    core.author = xml_safe(metadata.organization or "")
    core.last_modified_by = ""
    core.keywords = core.comments = core.category = ""
    core.language = metadata.language
    core.revision = 1
    element = core._element  # python-docx can set a date but not remove one
    for name in ("{%s}created" % DCTERMS_NS, "{%s}modified" % DCTERMS_NS, "{%s}lastPrinted" % CP_NS):
        for old in element.findall(name):
            element.remove(old)
    if timestamp is not None:
        when = timestamp.astimezone(dt.timezone.utc).replace(tzinfo=None) if timestamp.tzinfo else timestamp
        core.created = core.modified = when


def app_properties(blob: bytes, organization: str | None) -> bytes:
    """app.xml (the part's bytes in, new bytes out) with ``Application`` "report",
    ``Company`` the organization, and none of the statistics and part lists a word
    processor wrote for the reference document (they describe that file, not the
    report). python-docx has no API for extended properties, so the XML is edited."""
    root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
    for child in list(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in STALE_APP_PROPERTIES:
            root.remove(child)
    for name, value in (("Application", APPLICATION), ("Company", xml_safe(organization or "") or None)):
        element = root.find("{%s}%s" % (APP_NS, name))
        if element is None:
            element = etree.SubElement(root, "{%s}%s" % (APP_NS, name))
        element.text = value
    etree.indent(root, space="  ")  # removed elements leave their layout whitespace behind
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- the build's identity (docProps/custom.xml; report.buildid) --------------------

CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id Word and LibreOffice write
CUSTOM_PART = "/docProps/custom.xml"


def build_properties(document, revision: str | None = None) -> dict[str, str]:
    """The custom properties that name the build of ``document`` (a resolved
    :class:`~report.model.Document`): its identity, the language, edition and draft
    state it was built in, and the git ``revision`` its sources are, when there is one
    (:data:`report.buildid.BUILT_FOR`)."""
    from report.buildid import (BUILD_PROPERTY, DRAFT_PROPERTY, EDITION_PROPERTY, LANGUAGE_PROPERTY,
                                REVISION_PROPERTY, build_identity)
    from report.model import to_data

    metadata = document.metadata
    values = {BUILD_PROPERTY: build_identity(to_data(document)), LANGUAGE_PROPERTY: metadata.language,
              EDITION_PROPERTY: metadata.edition, DRAFT_PROPERTY: "true" if metadata.draft else "false"}
    if revision:
        values[REVISION_PROPERTY] = revision
    return values


def custom_properties(blob: bytes | None, values: dict[str, str]) -> bytes:
    """custom.xml (the reference document's part bytes, or None) with ``values`` set as
    text properties; the reference's other custom properties are kept, in their order,
    and every ``pid`` renumbered from 2 as the format requires."""
    root = None
    if blob:
        try:
            root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            root = None  # a broken part is replaced
    if root is None or root.tag != "{%s}Properties" % CUSTOM_NS:
        root = etree.Element("{%s}Properties" % CUSTOM_NS, nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for prop in list(root):
        if prop.get("name") in values or not isinstance(prop.tag, str):
            root.remove(prop)
    for name, value in values.items():
        prop = etree.SubElement(root, "{%s}property" % CUSTOM_NS, fmtid=CUSTOM_FMTID, pid="0", name=name)
        etree.SubElement(prop, "{%s}lpwstr" % VT_NS).text = xml_safe(value)
    for pid, prop in enumerate(root, start=2):
        prop.set("pid", str(pid))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_custom_properties(package, values: dict[str, str]) -> dict[str, bytes]:
    """Give python-docx's ``package`` a custom properties part holding ``values``: the
    reference's own part is rewritten (returned as ``{member name: bytes}`` for
    :func:`~report.render.docx.package.write_package`'s ``replace``), or a new part is
    related from the package (an empty mapping is returned)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            part = rel.target_part
            return {part.partname.membername: custom_properties(part.blob, values)}
    part = Part(PackURI(CUSTOM_PART), CT.OFC_CUSTOM_PROPERTIES, custom_properties(None, values), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
    return {}
