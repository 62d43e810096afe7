"""Candidate CSL engines behind one interface, for tools/csl_conformance.py.

An engine renders one test case: ``render(case) -> str``, where ``case`` is a
:class:`Case` (the style's XML, the CSL-JSON items, the mode, and the citations as
CITATION-ITEMS or CITATIONS give them). The string is in the test suite's dialect:
citations one per line, a bibliography wrapped in ``<div class="csl-bib-body">``,
formatting as ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small caps as a span.

Engines:

* ``citeproc-py`` - citeproc-py as this project uses it (report.transforms.csl: its
  patches installed, positions forced from the fixture, or for CITATIONS computed by
  report.transforms.positions as a build does); whole clusters are rendered, so
  sorting and collapsing inside a citation are citeproc-py's own.
* ``pandoc`` - Pandoc's citeproc (the Haskell ``citeproc`` library) through the
  ``pandoc`` binary of the pypandoc-binary wheel: one Pandoc JSON document per case,
  each citation its own paragraph (for a note style, its own footnote, empty notes
  padding the note numbers that CITATIONS give), read back from Pandoc's JSON output.
* ``citeproc-js`` - citeproc-js (npm ``citeproc``) inside QuickJS (PyPI ``quickjs``),
  driven the way the suite's own runner drives it (makeCitationCluster,
  processCitationCluster, makeBibliography); ``citeproc-js-v8`` the same inside V8
  (PyPI ``mini-racer``).
* ``report`` - the project's citation engine: the very citeproc-js file
  (report.transforms.citeproc_js.citeproc_script()), the project's locale files
  (report.transforms.citeproc_js._locale_files(): citeproc-py's set with the
  project's own over it) and V8 (mini-racer), as a build uses them. A fixture is run
  in the fixture's mode (whole clusters, CITATIONS calls, bibliographies, all by
  citeproc-js): the suite tests the processor. The project's own path (one cluster
  per cite, positions from report.transforms.positions, the layout's affixes applied
  by report.transforms.notes) is measured by tools/csl_conformance_bench.py.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Where `scripts/csl-conformance --install-citeproc-js` puts the npm package.
CITEPROC_JS_HOME = REPO / ".venv" / "share" / "citeproc-js"
CITEPROC_JS_VERSION = "2.4.63"

POSITIONS = {0: "first", 1: "subsequent", 2: "ibid", 3: "ibid-with-locator"}


@dataclass
class Case:
    name: str
    csl: str
    items: list
    mode: str  # "citation" or "bibliography"
    citation_items: list | None = None  # [[{id, locator, label, position…}, …], …]
    citations: list | None = None  # [[{citationID, citationItems, properties}, pre, post], …]
    extra: dict = field(default_factory=dict)


def final_citations(citations: list) -> list[dict]:
    """The document the CITATIONS calls leave behind, in order: each call places its
    citation between the ``pre`` and ``post`` lists it names, and a later call for the
    same citationID replaces the earlier one. (The suite's runner prints this state,
    marking with ``>>`` what the last call changed; the harness compares the text.)"""
    latest: dict[str, dict] = {}
    order: list[str] = []
    for call in citations:
        citation, pre, post = call[0], call[1], call[2]
        cid = citation["citationID"]
        latest[cid] = citation
        order = [p[0] for p in pre] + [cid] + [p[0] for p in post]
    return [latest[cid] for cid in order if cid in latest]


def note_of(citation: dict) -> int:
    return int((citation.get("properties") or {}).get("noteIndex") or 0)


def bib_body(entries: list[str]) -> str:
    """Entries in the suite's wrapper (as citeproc-js's makeBibliography writes it)."""
    lines = ['<div class="csl-bib-body">']
    for entry in entries:
        if entry.startswith("<div"):
            lines.append('  <div class="csl-entry">\n    ' + entry + "\n  </div>")
        else:
            lines.append('  <div class="csl-entry">' + entry + "</div>")
    lines.append("</div>")
    return "\n".join(lines)


class Engine:
    name = "?"

    def available(self) -> str | None:
        """None when the engine can run here, else why not."""
        return None

    def version(self) -> str:
        return "?"

    def render(self, case: Case) -> str:
        raise NotImplementedError


# --------------------------------------------------------------------- citeproc-py


class CiteprocPy(Engine):
    name = "citeproc-py"

    def available(self):
        try:
            import citeproc  # noqa: F401
        except ImportError:
            return "citeproc-py is not installed (scripts/setup)"
        return None

    def version(self):
        from importlib.metadata import version

        return "citeproc-py " + version("citeproc-py") + " + report.transforms.csl patches"

    def render(self, case: Case) -> str:
        import io
        import warnings

        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
        from citeproc.source.json import CiteProcJSON

        from report.transforms.csl import _install_citeproc_patches
        from report.transforms.positions import CiteRef, compute_positions

        _install_citeproc_patches()
        items = [dict(it) for it in case.items]
        for i, it in enumerate(items):
            it.setdefault("id", f"item-{i}")
            it.setdefault("type", "book")  # citeproc-py requires a type
        style = CitationStylesStyle(io.BytesIO(case.csl.encode("utf-8")), validate=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = CiteProcJSON(items)
        bib = CitationStylesBibliography(style, source, formatter.html)

        def make_item(data: dict, position: str | None, near: bool):
            kwargs = {}
            if data.get("locator") not in (None, ""):
                kwargs["locator"] = Locator(data.get("label") or "page", str(data["locator"]))
            for key in ("prefix", "suffix"):
                if data.get(key):
                    kwargs[key] = data[key]
            ci = CitationItem(str(data["id"]), **kwargs)
            if position is not None:
                ci.report_position = position
                ci.report_near_note = near
            return ci

        citations = []
        if case.citations:
            docs = final_citations(case.citations)
            refs, sizes = [], {}
            for n, cit in enumerate(docs):
                sizes[n] = len(cit["citationItems"])
                for data in cit["citationItems"]:
                    loc = (data.get("label") or "page", str(data["locator"])) if data.get("locator") not in (None, "") else (None, None)
                    refs.append(CiteRef(str(data["id"]), loc, note_of(cit) or n + 1, n))
            near = int(_citation_attr(case.csl, "near-note-distance") or 5)
            computed = iter(compute_positions(refs, sizes, near_note_distance=near))
            for cit in docs:
                cis = []
                for data in cit["citationItems"]:
                    pos = next(computed)
                    cis.append(make_item(data, pos.position, pos.near_note))
                citations.append(Citation(cis))
        elif case.citation_items:
            for group in case.citation_items:
                citations.append(Citation([make_item(d, POSITIONS.get(d.get("position", 0), "first"),
                                                     bool(d.get("near-note"))) for d in group]))
        else:
            citations.append(Citation([make_item({"id": it["id"]}, "first", False) for it in items]))

        if case.mode == "bibliography":
            if not case.citations:
                bib.register(Citation([CitationItem(str(it["id"])) for it in items]))
            for c in citations:
                bib.register(c)
            if style.has_bibliography():
                bib.sort()
            return bib_body([str(e) for e in bib.bibliography()])
        for c in citations:
            bib.register(c)
        if style.has_bibliography():
            bib.sort()
        return "\n".join(str(bib.cite(c, lambda _: None)) for c in citations)


def _citation_attr(csl: str, attr: str) -> str | None:
    from lxml import etree

    root = etree.fromstring(csl.encode("utf-8"))
    cit = root.find("{http://purl.org/net/xbiblio/csl}citation")
    return None if cit is None else cit.get(attr)


def _style_class(csl: str) -> str:
    from lxml import etree

    return etree.fromstring(csl.encode("utf-8")).get("class", "in-text")


# -------------------------------------------------------------------------- pandoc


def pandoc_path() -> str | None:
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        if path and Path(path).exists():
            return path
    except Exception:  # noqa: BLE001 - not installed, or no binary in it
        pass
    return shutil.which("pandoc")


_MD_PUNCT = re.compile(r"([!-/:-@\\[-`{-~])")


def md_escape(text: str) -> str:
    """Text as Markdown that reads back as itself (every ASCII punctuation escaped,
    so quotes stay straight and nothing becomes markup)."""
    return _MD_PUNCT.sub(r"\\\1", text)


class Pandoc(Engine):
    name = "pandoc"

    def __init__(self):
        self.path = pandoc_path()

    def available(self):
        return None if self.path else "no pandoc binary (scripts/setup --bench installs pypandoc-binary)"

    def version(self):
        out = subprocess.run([self.path, "--version"], capture_output=True, text=True).stdout
        return out.splitlines()[0] if out else "pandoc ?"

    @staticmethod
    def cite(group: list) -> str:
        """A Pandoc Markdown citation: ``[see @{id}, {page 23} and note]``. The
        locator's label is given by its CSL name (a term Pandoc knows) and braced
        with it, so Pandoc takes the whole of it as the locator."""
        parts = []
        for data in group:
            text = ""
            if data.get("prefix"):
                text += md_escape(data["prefix"].strip()) + " "
            if data.get("suppress-author"):
                text += "-"
            text += "@{" + str(data["id"]) + "}"
            if data.get("locator") not in (None, ""):
                locator = str(data["locator"]).replace("{", "").replace("}", "")
                text += ", {" + (data.get("label") or "page") + " " + locator + "}"
            if data.get("suffix"):
                text += " " + md_escape(data["suffix"].strip())
            parts.append(text)
        return "[" + "; ".join(parts) + "]"

    def document(self, case: Case) -> str:
        note_style = _style_class(case.csl) == "note"
        paras = []
        groups: list[tuple[list, int]] = []
        if case.citations:
            groups = [(c["citationItems"], note_of(c)) for c in final_citations(case.citations)]
        elif case.citation_items:
            groups = [(g, i + 1) for i, g in enumerate(case.citation_items)]
        elif case.mode == "citation":
            groups = [([{"id": it["id"]} for it in case.items], 1)]
        notes_made = 0
        for group, note in groups:
            if note_style and note > 0:
                # Pad with empty notes so that this one gets the fixture's note number.
                while notes_made < note - 1:
                    paras.append("x^[pad]")
                    notes_made += 1
                # An explicit footnote holding the citation: Pandoc renders it as the
                # library gives it (in running text, Pandoc would also capitalise the
                # note and end it with a period: a document's convention, not CSL's).
                paras.append("x^[" + self.cite(group) + "]")
                notes_made += 1
            else:
                paras.append(self.cite(group))
        meta = {"link-citations": False, "link-bibliography": False}
        if not case.citations:
            meta["nocite"] = " ".join("@{" + str(it["id"]) + "}" for it in case.items)
        if case.mode == "bibliography":
            paras.append("::: {#refs}\n:::")
        else:
            meta["suppress-bibliography"] = True
        return "---\n" + json.dumps(meta) + "\n---\n\n" + "\n\n".join(paras) + "\n"

    def render(self, case: Case) -> str:
        if any("id" not in it for it in case.items):  # Pandoc needs a key to cite
            import dataclasses

            case = dataclasses.replace(case, items=[{**it, "id": it.get("id", f"item-{i}")} for i, it in enumerate(case.items)])
        doc = self.document(case)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "style.csl").write_text(case.csl, encoding="utf-8")
            (Path(tmp) / "refs.json").write_text(json.dumps(case.items), encoding="utf-8")
            done = subprocess.run(
                [self.path, "-f", "markdown", "-t", "json", "--citeproc", "--csl", "style.csl",
                 "--bibliography", "refs.json"],
                input=doc, capture_output=True, text=True, cwd=tmp, timeout=60)
        if done.returncode:
            raise RuntimeError(done.stderr.strip()[:300])
        out = json.loads(done.stdout)
        if case.mode == "bibliography":
            entries = []
            for block in out["blocks"]:
                if block["t"] == "Div" and block["c"][0][0] == "refs":
                    for entry in block["c"][1]:
                        entries.append(render_blocks(entry["c"][1]))
            return bib_body(entries)
        cites = []
        _collect_cites(out["blocks"], cites)
        return "\n".join(render_inlines(c) for c in cites)


def _collect_cites(node, out: list) -> None:
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            content = node["c"][1]
            # A note style's citation in running text: Pandoc wraps it in a Note.
            if len(content) == 1 and content[0]["t"] == "Note":
                content = [i for block in content[0]["c"] for i in (block["c"] if block["t"] in ("Para", "Plain") else [])]
            out.append(content)
            return
        _collect_cites(node.get("c"), out)
    elif isinstance(node, list):
        for child in node:
            _collect_cites(child, out)


_SPAN_STYLE = {
    "csl-no-emph": "font-style:normal;",
    "csl-no-strong": "font-weight:normal;",
    "csl-no-smallcaps": "font-variant:normal;",
}
_DISPLAY = ("csl-block", "csl-left-margin", "csl-right-inline", "csl-indent")


def render_inlines(inlines: list, inside: frozenset = frozenset()) -> str:
    """Pandoc inlines as the suite's HTML dialect. Pandoc's citeproc writes flip-flop
    formatting as nesting (Emph inside Emph); here, as in CSL, the inner one flips
    back: ``<span style="font-style:normal;">``."""
    out = []

    def flip(kind: str, tag: str, normal: str, c) -> str:
        inner = render_inlines(c, inside ^ {kind})
        if kind in inside:
            return f'<span style="{normal}">{inner}</span>'
        return f"<{tag}>{inner}</{tag.split()[0]}>"

    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(html.escape(c, quote=False))
        elif t == "Space":
            out.append(" ")
        elif t == "SoftBreak":  # a line break the style wrote ("&#x0A;")
            out.append("\n")
        elif t == "LineBreak":
            out.append("<br/>")
        elif t == "Emph":
            out.append(flip("i", "i", "font-style:normal;", c))
        elif t == "Strong":
            out.append(flip("b", "b", "font-weight:normal;", c))
        elif t == "Underline":
            out.append("<u>" + render_inlines(c, inside) + "</u>")
        elif t == "SmallCaps":
            out.append(flip("sc", 'span style="font-variant:small-caps;"', "font-variant:normal;", c))
        elif t == "Superscript":
            out.append("<sup>" + render_inlines(c, inside) + "</sup>")
        elif t == "Subscript":
            out.append("<sub>" + render_inlines(c, inside) + "</sub>")
        elif t == "Strikeout":
            out.append("<s>" + render_inlines(c, inside) + "</s>")
        elif t == "Quoted":
            q = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(q[0] + render_inlines(c[1], inside) + q[1])
        elif t == "Span":
            classes = c[0][1]
            reset = {"csl-no-emph": "i", "csl-no-strong": "b", "csl-no-smallcaps": "sc"}
            inner = render_inlines(c[1], inside - {reset[k] for k in classes if k in reset})
            display = [k for k in classes if k in _DISPLAY]
            style = "".join(_SPAN_STYLE[k] for k in classes if k in _SPAN_STYLE)
            if display:
                inner = f'<div class="{display[0]}">{inner}</div>'
            if style:
                inner = f'<span style="{style}">{inner}</span>'
            out.append(inner)
        elif t == "Link":
            out.append(render_inlines(c[1], inside))
        elif t == "Cite":
            out.append(render_inlines(c[1], inside))
        elif t == "Code":
            out.append(html.escape(c[1], quote=False))
        elif t == "Note":
            pass
        else:
            out.append(render_inlines(c, inside) if isinstance(c, list) else "")
    return "".join(out)


def render_blocks(blocks: list) -> str:
    parts = []
    for b in blocks:
        if b["t"] in ("Para", "Plain"):
            parts.append(render_inlines(b["c"]))
        elif b["t"] == "Div":
            classes = b["c"][0][1]
            inner = render_blocks(b["c"][1])
            display = [k for k in classes if k in _DISPLAY]
            parts.append(f'<div class="{display[0]}">{inner}</div>' if display else inner)
    return "".join(parts)


# --------------------------------------------------------------------- citeproc-js

_JS_DRIVER = r"""
var __cp_items = {};
var __cp_sys = {
  retrieveItem: function (id) { return __cp_items[id]; },
  retrieveLocale: function (lang) { var x = __py_locale(lang); return x ? x : false; }
};
function __cp_run(payload) {
  var p = JSON.parse(payload);
  __cp_items = {};
  var ids = [];
  for (var i = 0; i < p.items.length; i++) { __cp_items[p.items[i].id] = p.items[i]; ids.push(p.items[i].id); }
  var engine = new CSL.Engine(__cp_sys, p.csl);
  if (!p.citations) { engine.updateItems(ids); }
  var lines = [];
  if (p.citations) {
    var doc = [];  // [citationID, text] in document order, as the suite's runner keeps it
    for (var i = 0; i < p.citations.length; i++) {
      var call = p.citations[i];
      var res = engine.processCitationCluster(call[0], call[1], call[2])[1];
      var order = {};
      var pp = call[1].concat(call[2]);
      for (var j = 0; j < pp.length; j++) { order[pp[j][0]] = j; }
      doc = doc.filter(function (d) { return engine.registry.citationreg.citationById[d[0]]; });
      doc.sort(function (a, b) { return (order[a[0]] || 0) - (order[b[0]] || 0); });
      for (var j = 0; j < res.length; j++) {
        var found = false;
        for (var k = 0; k < doc.length; k++) {
          if (doc[k][0] === res[j][2]) { doc[k][1] = res[j][1]; found = true; break; }
        }
        if (!found) { doc.splice(res[j][0], 0, [res[j][2], res[j][1]]); }
      }
    }
    for (var k = 0; k < doc.length; k++) { lines.push(doc[k][1]); }
  } else {
    var groups = p.citation_items;
    if (!groups) {
      var all = [];
      for (var i = 0; i < engine.registry.reflist.length; i++) { all.push({id: engine.registry.reflist[i].id}); }
      groups = [all];
    }
    for (var i = 0; i < groups.length; i++) { lines.push(engine.makeCitationCluster(groups[i])); }
  }
  if (p.mode === "bibliography") {
    var bib = engine.makeBibliography();
    return bib[0].bibstart + bib[1].join("") + bib[0].bibend;
  }
  return lines.join("\n");
}
"""


def citeproc_js_file() -> Path | None:
    for candidate in (os.environ.get("CITEPROC_JS"),
                      CITEPROC_JS_HOME / "node_modules" / "citeproc" / "citeproc_commonjs.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def install_citeproc_js() -> Path:
    """npm's ``citeproc`` package into .venv/share/citeproc-js (one 1 MB file)."""
    CITEPROC_JS_HOME.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(CITEPROC_JS_HOME),
                    f"citeproc@{CITEPROC_JS_VERSION}"], check=True)
    found = citeproc_js_file()
    assert found is not None
    return found


def locales_dir() -> Path:
    """CSL locale files: $CSL_LOCALES, else the set citeproc-py ships."""
    if os.environ.get("CSL_LOCALES"):
        return Path(os.environ["CSL_LOCALES"])
    from citeproc import frontend

    return Path(frontend.LOCALES_PATH)


class CiteprocJs(Engine):
    """citeproc-js in QuickJS (``quickjs``, a 2 MB wheel, an interpreter)."""

    name = "citeproc-js"
    module, package = "quickjs", "quickjs"

    def __init__(self):
        self.ctx = None
        self.script = citeproc_js_file()

    def available(self):
        try:
            __import__(self.module)
        except ImportError:
            return f"the {self.package} package is not installed (pip install {self.package})"
        if self.script is None:
            return "citeproc-js not found (scripts/csl-conformance --install-citeproc-js, or set CITEPROC_JS)"
        return None

    def version(self):
        from importlib.metadata import version

        pkg = json.loads((self.script.parent / "package.json").read_text()) if (self.script.parent / "package.json").exists() else {}
        return f"citeproc-js (npm citeproc {pkg.get('version', '?')}) in {self.package} {version(self.package)}"

    @staticmethod
    def _locales() -> dict[str, str]:
        return {p.name[len("locales-"):-len(".xml")]: p.read_text(encoding="utf-8")
                for p in sorted(locales_dir().glob("locales-*.xml"))}

    def _new_context(self):
        import quickjs

        ctx = quickjs.Context()
        ctx.set_max_stack_size(0)  # citeproc-js recurses deeply on long styles
        locales = self._locales()
        ctx.add_callable("__py_locale", lambda lang: locales.get(lang, ""))
        return ctx

    def context(self):
        if self.ctx is None:
            ctx = self._new_context()
            ctx.eval("var module = {exports: {}}; var exports = module.exports;")
            ctx.eval(self.script.read_text(encoding="utf-8"))
            ctx.eval("var CSL = module.exports;")
            ctx.eval(_JS_DRIVER)
            self.ctx = ctx
        return self.ctx

    def eval(self, code: str):
        return self.context().eval(code)

    def render(self, case: Case) -> str:
        payload = json.dumps({"csl": case.csl, "items": case.items, "mode": case.mode,
                              "citation_items": case.citation_items, "citations": case.citations})
        return self.eval("__cp_run(" + json.dumps(payload) + ")")


class CiteprocJsV8(CiteprocJs):
    """citeproc-js in V8 (``mini-racer``, a 22 MB wheel, 82 MB installed; a JIT)."""

    name = "citeproc-js-v8"
    module, package = "py_mini_racer", "mini-racer"

    def _new_context(self):
        from py_mini_racer import MiniRacer

        ctx = MiniRacer()
        ctx.eval("var __cp_locales = " + json.dumps(self._locales()) + ";"
                 "function __py_locale(lang) { return __cp_locales[lang] || ''; }")
        return ctx


class Report(CiteprocJsV8):
    """The project's citation engine: the citeproc-js file, the locale files and the
    JavaScript engine (V8) that report.transforms.citeproc_js uses."""

    name = "report"

    def __init__(self):
        from report.transforms.citeproc_js import citeproc_script

        self.ctx = None
        self.script = citeproc_script()

    def available(self):
        try:
            import py_mini_racer  # noqa: F401
        except ImportError:
            return "mini-racer is not installed (scripts/setup)"
        if self.script is None:
            return "citeproc-js is not installed (scripts/setup, or set REPORT_CITEPROC_JS)"
        return None

    def version(self):
        from importlib.metadata import version

        from report.transforms.citeproc_js import CITEPROC_JS_VERSION as pinned

        pkg = self.script.parent / "package.json"
        found = json.loads(pkg.read_text()).get("version", "?") if pkg.is_file() else "?"
        return (f"report.transforms.citeproc_js: citeproc-js (npm citeproc {found}, pinned {pinned}) "
                f"in mini-racer {version('mini-racer')}")

    @staticmethod
    def _locales() -> dict[str, str]:
        from report.transforms.citeproc_js import _locale_files

        return {name: path.read_text(encoding="utf-8") for name, path in sorted(_locale_files().items())}


ENGINES = {"report": Report, "citeproc-py": CiteprocPy, "pandoc": Pandoc, "citeproc-js": CiteprocJs,
           "citeproc-js-v8": CiteprocJsV8}
