"""The CSL engine: citeproc-js, the processor Zotero uses, in V8 (PyPI's mini-racer).

Chosen by measurement (docs/csl-conformance.md): 835 of 840 fixtures of the CSL
processor test suite, where citeproc-py passes 515; it implements what reports
need and citeproc-py lacks (disambiguation, et-al-subsequent, page ranges,
punctuation in quotes, OSCOLA's "(n 1)" through first-reference-note-number).

Takes the style file, the registry and the report's language; :meth:`texts`
renders every cite of a report at once and returns citeproc-js's HTML of each,
with the position :mod:`report.transforms.positions` computed (the house rules,
and the reasons ``report notes`` gives, stay the project's). Each cite is one
cluster, so the caller keeps a group's order and the layout's delimiter, prefix
and suffix (removed from the style here, as the caller applies them).

The texts are kept in the cache folder (report.cache) by everything they depend
on: the engine, the style, the locale, the cited entries and the cite itself, so
a rebuild renders only cites that changed; V8 is started only for those, and
closed before this returns (a V8 left running would hang a forked process).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from report import model as m
from report.diagnostics import Location, error
from report.errors import ReportError
from report.sources.registry import Registry
from report.transforms.csl import OUR_LOCALES, cite_inlines, citeproc_locales, locale_for, month_with_day, style_default_locale

CITEPROC_JS_VERSION = "2.4.63"
POSITIONS = {"first": 0, "subsequent": 1, "ibid": 2, "ibid-with-locator": 3}
_DASHED_RANGE = re.compile(r"(?<=[0-9A-Za-z])\s*[–—]\s*(?=[0-9A-Za-z])")
_PUNCTUATION_IN_QUOTE = re.compile(r"punctuation-in-quote=[\"'](\w+)")
_IBID_TERM = re.compile(r"<term\s+name=[\"']ibid[\"'](?![^>]*form=)[^>]*>([^<]*)</term>")
_FORMAT = 1  # part of the cache key: change it when what is kept changes
_LAYOUT = re.compile(r"(<citation\b[^>]*>.*?<layout\b)([^>]*)(>)", re.S)
_AFFIX = re.compile(r"""\s(delimiter|prefix|suffix)=("[^"]*"|'[^']*')""")
# The start of every driver function: the payload parsed, an engine with its items.
ENGINE = """  var p = JSON.parse(payload), out = [];
  var sys = {
    retrieveLocale: function (lang) { return __report_locales[lang] || ""; },
    retrieveItem: function (id) { return p.items[id]; }
  };
  var engine = new CSL.Engine(sys, p.style, p.locale, true);
  engine.updateItems(p.order);
"""
_DRIVER = """
function __report_render(payload) {
""" + ENGINE + """  for (var i = 0; i < p.cites.length; i++) {
    try { out.push(engine.makeCitationCluster([p.cites[i]])); }
    catch (e) { return JSON.stringify({error: String(e), index: i}); }
  }
  return JSON.stringify({texts: out});
}
"""


def citeproc_script() -> Path | None:
    """citeproc-js's file: $REPORT_CITEPROC_JS, else where scripts/setup puts npm's
    ``citeproc`` package (``share/citeproc-js`` of this Python's prefix)."""
    for candidate in (os.environ.get("REPORT_CITEPROC_JS"),
                      Path(sys.prefix) / "share" / "citeproc-js" / "node_modules" / "citeproc" / "citeproc_commonjs.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def strip_layout_affixes(style: str) -> tuple[str, str, str, str]:
    """The style without its citation layout's delimiter, prefix and suffix, and those three."""
    match = _LAYOUT.search(style)
    if match is None:
        return style, "; ", "", ""
    attrs = dict((k, v[1:-1]) for k, v in _AFFIX.findall(match.group(2)))
    kept = _AFFIX.sub("", match.group(2))
    stripped = style[:match.start(2)] + kept + style[match.end(2):]
    unescape = lambda s: s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')  # noqa: E731
    return (stripped, unescape(attrs.get("delimiter", "; ")), unescape(attrs.get("prefix", "")),
            unescape(attrs.get("suffix", "")))


@lru_cache(maxsize=1)
def _locale_files() -> dict[str, Path]:
    """Locale name → CSL locale file: citeproc-py's data, then ours. (Found, not
    imported: importing citeproc-py costs a build 10 ms.)"""
    found = {p.name[len("locales-"):-len(".xml")]: p for p in citeproc_locales().glob("locales-*.xml")}
    found.update({p.name[len("locales-"):-len(".xml")]: p for p in OUR_LOCALES.glob("locales-*.xml")})
    return found


def payload_locales(locale: str) -> dict[str, str]:
    """The CSL locales citeproc-js may ask for when it renders in ``locale``: every
    region of its language and en-US. (It asks for its own region of a language, es-ES
    for es-CL: a locale it cannot get ends the render with a JSON error.)"""
    base = locale.split("-")[0].lower()
    return {name: path.read_text(encoding="utf-8") for name, path in sorted(_locale_files().items())
            if name == "en-US" or name.split("-")[0].lower() == base}


def run_citeproc(script: Path, locale: str, driver: str, function: str, payload: dict, where: Location,
                 failed: str) -> dict:
    """Load citeproc-js (``script``) and the CSL locales of ``locale`` into a fresh V8
    context, define ``driver`` and return ``function(payload)``'s JSON result; CIT010
    (``failed``: what the message says failed) when the engine throws."""
    from py_mini_racer import MiniRacer

    ctx = MiniRacer()
    try:
        ctx.eval("var module = {exports: {}}; var exports = module.exports;")
        ctx.eval(script.read_text(encoding="utf-8"))
        ctx.eval("var CSL = module.exports; var __report_locales = "
                 + json.dumps(payload_locales(locale), ensure_ascii=False) + ";")
        ctx.eval(driver)
        return json.loads(ctx.call(function, json.dumps(payload, ensure_ascii=False)))
    except Exception as exc:  # noqa: BLE001 - the style or an entry broke the engine
        raise ReportError(error("CIT010", f"{failed}: {exc}", where)) from None
    finally:
        ctx.close()  # before anything forks (see the module doc)


class CiteprocJsEngine:
    """Renders a report's cites with citeproc-js (see the module doc)."""

    def __init__(self, style_file: Path, registry: Registry, language: str, where: Location):
        self.where = where
        try:
            raw = style_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReportError(error("STY003", f"cannot load citation style {style_file.name}: {exc}", where)) from None
        if "<citation" not in raw:
            raise ReportError(error("STY003", f"citation style {style_file.name} has no <citation>", where))
        self.style, self.delimiter, self.prefix, self.suffix = strip_layout_affixes(raw)
        self.locale = locale_for(language, style_default_locale(style_file))
        self.language = language
        # whether a note's final period goes inside a closing quote (American English: yes)
        self.punctuation_in_quote = self._locale_value(raw, _PUNCTUATION_IN_QUOTE) == "true"
        self.ibid_term = self._locale_value(raw, _IBID_TERM)  # the long form: "ibid."
        self.registry = registry

    # --- the interface report.transforms.notes uses --------------------------
    def texts(self, cites: list) -> list[str]:
        """citeproc-js's HTML of each (item, position, near_note, first_note) of ``cites``."""
        keys = [self._cite(*cite) for cite in cites]
        order = list(dict.fromkeys(k[0] for k in keys))
        context = self._context(order)
        kept_file, kept = self._kept(context)
        missing = [i for i, key in enumerate(keys) if json.dumps(key) not in kept]
        if missing:
            made = self._render(order, [keys[i] for i in missing], [cites[i][0] for i in missing])
            for i, text in zip(missing, made):
                kept[json.dumps(keys[i])] = text
            if kept_file is not None:
                from report import cache

                cache.keep(kept_file, json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        return [self._ibid(self._months(kept[json.dumps(key)]), key[3]) for key in keys]

    def inlines(self, item: m.CiteItem, text: str) -> tuple:
        """The inline nodes of a cite's HTML, with the author's prefix and suffix."""
        return cite_inlines(item, text)

    def bibliography(self, keys: list[str], groups: list[list[str]]) -> list:
        """The style's bibliography of ``keys``, a RenderedGroup for each of ``groups``
        (report.transforms.citeproc_bibliography: the list of sources)."""
        from report.transforms.citeproc_bibliography import render_bibliography

        return render_bibliography(self, keys, groups)

    def _ibid(self, text: str, position: int) -> str:
        """An Ibid. written as the locale writes the term ("ibid."): citeproc-js capitalises
        a term that opens a citation, and each cite here is a citation of its own, so
        "See Ibid." and "…; Ibid." would follow; the note's first letter is capitalised
        by the caller (report.transforms.notes) where the note opens with it."""
        term = self.ibid_term
        if position >= POSITIONS["ibid"] and term and term[0].islower() and text.startswith(term[0].upper() + term[1:]):
            return term[0] + text[1:]
        return text

    def _locale_value(self, style: str, pattern: re.Pattern) -> str | None:
        """The first group of ``pattern`` in the style's own locale for this language
        (or one for every language) first, else in the locale file."""
        for match in re.finditer(r"<locale\b([^>]*)>(.*?)</locale>", style, re.S):
            lang = re.search(r"xml:lang=[\"']([^\"']+)", match.group(1))
            found = pattern.search(match.group(2)) if lang is None or self.locale.startswith(lang.group(1)) else None
            if found:
                return found.group(1)
        path = _locale_files().get(self.locale)
        found = pattern.search(path.read_text(encoding="utf-8")) if path else None
        return found.group(1) if found else None

    # --- inside ------------------------------------------------------------
    def _cite(self, item: m.CiteItem, position: str, near_note: bool, first_note: int = 0) -> tuple:
        entry = self.registry.get(item.key)
        key = entry.id if entry is not None else item.key
        # citeproc-js shortens a range written with a hyphen ("25-6" in New Hart's), and writes
        # the en dash itself: an author's "pp. 25–26" is read as that range.
        locator = _DASHED_RANGE.sub("-", item.locator) if item.locator else item.locator
        return (key, item.locator_label or ("page" if item.locator else None), locator, POSITIONS[position],
                bool(near_note), int(first_note), bool(item.suppress_author))

    def _items(self, order: list[str]) -> dict[str, dict]:
        return {key: {**self.registry.get(key).csl, "id": key} for key in order}

    def _context(self, order: list[str]) -> str:
        """The digest of all a cite's text depends on besides the cite itself."""
        script = citeproc_script()
        locales = _locale_files()
        parts = [str(_FORMAT), CITEPROC_JS_VERSION, str(script.stat().st_size) if script else "", self.style,
                 self.locale, json.dumps(self._items(order), sort_keys=True, ensure_ascii=False)]
        for name in (self.locale, "en-US"):
            path = locales.get(name)
            parts.append(path.read_text(encoding="utf-8") if path else "")
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    @staticmethod
    def _kept(context: str) -> tuple[Path | None, dict]:
        from report import cache

        try:
            path = cache.folder() / f"cites_{context[:32]}.json"
        except OSError:
            return None, {}
        try:
            return path, json.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - not kept yet, or damaged: rendered again
            return path, {}

    def _render(self, order: list[str], keys: list[tuple], items: list[m.CiteItem]) -> list[str]:
        script = citeproc_script()
        if script is None:
            raise ReportError(error("STY004", "citeproc-js, the citation engine, is not installed", self.where,
                                    "run scripts/setup, or set REPORT_CITEPROC_JS to npm's citeproc_commonjs.js"))
        cites = []
        for key, label, locator, position, near, first, suppress in keys:
            cite = {"id": key, "position": position, "near-note": near}
            if locator:
                cite.update(locator=locator, label=label)
            if first:
                cite["first-reference-note-number"] = first
            if suppress:
                cite["suppress-author"] = True
            cites.append(cite)
        payload = {"style": self.style, "locale": self.locale, "items": self._items(order), "order": order,
                   "cites": cites}
        result = run_citeproc(script, self.locale, _DRIVER, "__report_render", payload, self.where,
                              "the citation engine failed")
        if "error" in result:
            item = items[result["index"]]
            raise ReportError(error("CIT010", f"the citation style failed on '{item.key}': {result['error']}",
                                    item.location))
        return result["texts"]

    def _months(self, text: str) -> str:
        """A month name beside a day in the grammatical form CLDR gives it (Russian
        "11 декабря", where CSL locales have only the form of a month alone)."""
        from report.transforms.csl import _month_names

        alone, with_day = _month_names(self.language)
        for number, name in alone.items():
            if with_day.get(number, name) == name or name.casefold() not in text.casefold():
                continue
            pattern = re.compile(rf"(?<!\d)(\d{{1,2}}\s+)({re.escape(name)})(?!\w)", re.I)
            text = pattern.sub(lambda found, n=number: found.group(1) + month_with_day(found.group(2), n, self.language),
                               text)
        return text
