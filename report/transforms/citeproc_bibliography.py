"""citeproc-js's ``makeBibliography``: the list of sources as the citation style writes it.

Takes a :class:`~report.transforms.citeproc_js.CiteprocJsEngine` (its style, locale
and registry, as the notes used them), every cited key and the keys of each group
to print; returns one :class:`RenderedGroup` a group: each entry's (key, HTML) in
the style's order (its ``<sort>``, else the order of citation) and the layout its
``<bibliography>`` asks for. Every key is registered with one engine, so
disambiguation sees the whole list; a group is a selection of it, so "———" (the
style's ``subsequent-author-substitute``) starts again in each group.

The result is kept in the cache folder (report.cache) by everything it depends on,
as the cites are, so a rebuild starts no V8 for it; V8 is closed before this
returns (a V8 left running would hang a forked process).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from report.diagnostics import error
from report.errors import ReportError
from report.transforms.citeproc_js import ENGINE

_FORMAT = 1  # part of the cache key: change it when what is kept changes
_DRIVER = """
function __report_bibliography(payload) {
""" + ENGINE + """  for (var i = 0; i < p.groups.length; i++) {
    var include = p.groups[i].map(function (id) { return {field: "id", value: id}; });
    var made = engine.makeBibliography({include: include});
    if (!made) { return JSON.stringify({error: "the style has no bibliography"}); }
    var params = made[0];
    out.push({ids: params.entry_ids.map(function (ids) { return String(ids[0]); }), entries: made[1],
              hanging: !!params.hangingindent, align: params["second-field-align"] || null,
              line: params.linespacing || 1, entry: params.entryspacing === undefined ? 1 : params.entryspacing});
  }
  return JSON.stringify({groups: out});
}
"""


@dataclass(frozen=True)
class RenderedGroup:
    entries: tuple[tuple[str, str], ...]  # (key, citeproc-js's HTML of the entry)
    hanging_indent: bool
    second_field_align: str | None  # "flush" | "margin" | None
    line_spacing: int
    entry_spacing: int


def render_bibliography(engine, keys: list[str], groups: list[list[str]]) -> list[RenderedGroup]:
    """The groups' entries and layout (see the module doc); ReportError CIT010 when the
    engine fails, STY004 when it is not installed."""
    from report import cache

    made = "\0".join([str(_FORMAT), engine._context(keys), json.dumps([keys, groups], ensure_ascii=False)])
    digest = hashlib.sha256(made.encode("utf-8")).hexdigest()
    try:
        kept = cache.folder() / f"bibliography_{digest[:32]}.json"
    except OSError:
        kept = None
    try:
        data = json.loads(kept.read_bytes())
    except Exception:  # noqa: BLE001 - not kept yet, or damaged (or no cache folder): rendered again
        data = _render(engine, keys, groups)
        if kept is not None:
            cache.keep(kept, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return [RenderedGroup(tuple((key, engine._months(html)) for key, html in zip(g["ids"], g["entries"])),
                          bool(g["hanging"]), g["align"] or None, int(g["line"]), int(g["entry"]))
            for g in data]


def _render(engine, keys: list[str], groups: list[list[str]]) -> list[dict]:
    from report.transforms.citeproc_js import citeproc_script, run_citeproc

    script = citeproc_script()
    if script is None:
        raise ReportError(error("STY004", "citeproc-js, the citation engine, is not installed", engine.where,
                                "run scripts/setup, or set REPORT_CITEPROC_JS to npm's citeproc_commonjs.js"))
    payload = {"style": engine.style, "locale": engine.locale, "items": engine._items(keys), "order": keys,
               "groups": groups}
    result = run_citeproc(script, engine.locale, _DRIVER, "__report_bibliography", payload, engine.where,
                          "the citation engine failed on the list of sources")
    if "error" in result:
        raise ReportError(error("CIT010", f"the citation engine failed on the list of sources: {result['error']}",
                                engine.where))
    return result["groups"]
