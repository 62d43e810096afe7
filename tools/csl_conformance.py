"""Run the CSL processor test suite through candidate citation engines.

    scripts/csl-conformance SUITE_DIR [--engine NAME ... | --engine all] [--only PATTERN] [--write-doc]

The default engine is ``report``, the project's citation engine (see
csl_conformance_engines); ``--engine all`` runs every candidate, as ``--write-doc``
does when no engine is named (the document compares them).

SUITE_DIR is a checkout of citation-style-language/test-suite (its
``processor-tests/humans`` folder is used), or any folder of fixtures in its
format. The suite carries no licence statement, so it is read where it is given
and never copied into this repository.

A fixture is a text file of sections ``>>===== NAME =====>> … <<===== NAME =====<<``:
MODE (citation | bibliography), CSL (a style), INPUT (CSL-JSON items), RESULT, and
optionally CITATION-ITEMS (citations rendered one after another, positions given
explicitly, as citeproc-js's makeCitationCluster takes them) or CITATIONS (calls to
citeproc-js's processCitationCluster: the final document is compared; the ``>>``/``..``
markers of the suite's runner, which say which citations the last call changed,
are an API detail of citeproc-js and are stripped).

Fixtures that test citeproc-js extensions rather than CSL are left out and listed
(see :func:`exclusion`). Outputs are compared after one normalisation: HTML
character references decoded (citeproc-js writes ``&#38;``, citeproc-py ``&amp;``),
``<em>``/``<strong>`` read as ``<i>``/``<b>``, and leading/trailing white space of
the whole output dropped. Everything else must match exactly.

Prints "passed N of M" for each engine and its failures by feature (the fixture
name's prefix: ``disambiguate_``, ``position_``…). ``--write-doc`` rewrites the
measured part of docs/csl-conformance.md (between its markers); ``--json FILE``
writes every fixture's outcome.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import signal
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from csl_conformance_engines import ENGINES, Case, install_citeproc_js  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "csl-conformance.md"
START, END = "<!-- conformance:start -->", "<!-- conformance:end -->"

_SECTION = re.compile(r"^>>=+\s*([A-Z0-9-]+)\s*=+>>[ \t]*\r?\n(.*?)^<<=+\s*\1\s*=+<<", re.S | re.M)
CORE_SECTIONS = {"MODE", "CSL", "INPUT", "RESULT", "CITATION-ITEMS", "CITATIONS", "DESCRIPTION", "VERSION", "NAME"}
# Sections the suite's runner knows that only citeproc-js's API has.
JS_SECTIONS = {"ABBREVIATIONS", "BIBENTRIES", "BIBSECTION", "INPUT2", "LANGPARAMS", "MULTIAFFIX", "OPTIONS", "OPTIONZ"}
_DATE_FIELDS = ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
_NOTE_VARIABLE = re.compile(r"(^|\n)\s*[a-z][a-z-]+:\s*\S|\{:[a-z-]+:")


@dataclass
class Fixture:
    name: str
    path: Path
    sections: dict

    @property
    def feature(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def mode(self) -> str:
        return self.sections.get("MODE", "").strip()

    def case(self) -> Case:
        s = self.sections
        return Case(
            name=self.name,
            csl=s["CSL"].strip(),
            items=json.loads(s["INPUT"]),
            mode=self.mode.split("-")[0],
            citation_items=json.loads(s["CITATION-ITEMS"]) if "CITATION-ITEMS" in s else None,
            citations=json.loads(s["CITATIONS"]) if "CITATIONS" in s else None,
        )

    def expected(self) -> str:
        text = self.sections.get("RESULT", "")
        if "CITATIONS" in self.sections:
            text = "\n".join(re.sub(r"^(>>|\.\.)\[\d+\] ", "", line) for line in text.split("\n"))
        return text


def parse_fixture(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8-sig")
    sections = {name: body.rstrip("\r\n") for name, body in _SECTION.findall(text)}
    return Fixture(path.stem, path, sections)


def find_fixtures(suite: Path) -> list[Path]:
    """The suite's humans/ fixtures (top level only: off-spec/ and experiments/ are
    by the suite's own word not CSL), or the .txt files of any other folder."""
    humans = suite / "processor-tests" / "humans"
    folder = humans if humans.is_dir() else suite
    return sorted(p for p in folder.glob("*.txt"))


def exclusion(fx: Fixture) -> str | None:
    """Why a fixture tests citeproc-js rather than CSL, or None."""
    s = fx.sections
    extra = sorted(set(s) & JS_SECTIONS)
    if extra:
        return "citeproc-js API section " + ", ".join(extra)
    if "-" in fx.mode:
        return f"citeproc-js output sub-mode '{fx.mode}'"
    version = s.get("VERSION", "1.0").strip()
    if version and not version.startswith("1.0"):
        return f"CSL-M (Juris-M) style version {version}"
    try:
        items = json.loads(s["INPUT"])
    except (KeyError, json.JSONDecodeError):
        return "no INPUT"
    for item in items:
        for key in _DATE_FIELDS:
            value = item.get(key)
            if isinstance(value, str) or (isinstance(value, dict) and "raw" in value):
                return "raw date (citeproc-js parses dates from free text; CSL-JSON gives date-parts)"
        if isinstance(item.get("note"), str) and _NOTE_VARIABLE.search(item["note"]):
            return "variables in the note field (citeproc-js/Zotero 'cheater syntax', not CSL-JSON)"
        if isinstance(item.get("multi"), dict) and any(item["multi"].get(k) for k in ("main", "_keys")):
            return "Juris-M multilingual 'multi' field"
    return None


def normalize(text: str) -> str:
    text = html.unescape(text.replace("\r\n", "\n"))
    text = re.sub(r"<(/?)em>", r"<\1i>", text)
    text = re.sub(r"<(/?)strong>", r"<\1b>", text)
    return text.strip()


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def run_engine(engine, fixtures: list[Fixture], timeout: int = 20, jobs: int = 1) -> dict[str, dict]:
    """{fixture name: {"ok": bool, "got": str, "error": str|None, "seconds": float}}."""

    def one(fx: Fixture) -> tuple[str, dict]:
        started = time.perf_counter()
        got, err = "", None
        use_alarm = jobs == 1
        try:
            if use_alarm:
                signal.signal(signal.SIGALRM, _alarm)
                signal.alarm(timeout)
            got = engine.render(fx.case())
        except _Timeout:
            err = f"timed out after {timeout} s"
        except Exception as exc:  # noqa: BLE001 - an engine's failure is a result
            err = f"{type(exc).__name__}: {str(exc)[:300]}"
        finally:
            if use_alarm:
                signal.alarm(0)
        ok = err is None and normalize(got) == normalize(fx.expected())
        return fx.name, {"ok": ok, "got": got, "error": err, "seconds": time.perf_counter() - started}

    if jobs > 1:
        with ThreadPoolExecutor(jobs) as pool:
            return dict(pool.map(one, fixtures))
    return dict(one(fx) for fx in fixtures)


def summarize(results: dict[str, dict], fixtures: list[Fixture]) -> tuple[int, int, dict]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fx in fixtures:
        per[fx.feature][1] += 1
        if results[fx.name]["ok"]:
            per[fx.feature][0] += 1
    passed = sum(p for p, _ in per.values())
    return passed, len(fixtures), dict(per)


def print_report(name: str, results: dict, fixtures: list[Fixture], verbose: bool) -> None:
    passed, total, per = summarize(results, fixtures)
    print(f"{name}: passed {passed} of {total} ({100 * passed / max(total, 1):.1f} %)")
    failures = defaultdict(list)
    for fx in fixtures:
        if not results[fx.name]["ok"]:
            failures[fx.feature].append(fx.name)
    for feature in sorted(failures, key=lambda f: (-len(failures[f]), f)):
        p, t = per[feature]
        print(f"  {feature:<14} {p:>3}/{t:<3} failing: {', '.join(n.split('_', 1)[1] for n in failures[feature][:8])}"
              + (" …" if len(failures[feature]) > 8 else ""))
    if verbose:
        for fx in fixtures:
            r = results[fx.name]
            if not r["ok"]:
                print(f"--- {fx.name}\n expected: {normalize(fx.expected())!r}\n got:      {normalize(r['got'])!r}"
                      + (f"\n error: {r['error']}" if r["error"] else ""))


def markdown(engines: dict, all_results: dict, fixtures: list[Fixture], excluded: list[tuple[Fixture, str]],
             suite: Path, seconds: dict, label: str | None = None) -> str:
    names = list(all_results)
    lines = [START, ""]
    lines.append(f"Measured by `scripts/csl-conformance SUITE_DIR --write-doc` on {len(fixtures) + len(excluded)} "
                 f"fixtures of `processor-tests/humans` ({suite_revision(suite, label)}); {len(excluded)} left out as "
                 f"citeproc-js extensions (listed below), {len(fixtures)} counted.")
    lines.append("")
    lines.append("| engine | version | passed | of | rate | time for the suite |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: |")
    for n in names:
        p, t, _ = summarize(all_results[n], fixtures)
        lines.append(f"| {n} | {engines[n].version()} | {p} | {t} | {100 * p / t:.1f} % | {seconds[n]:.0f} s |")
    lines.append("")
    lines.append("Per feature (the fixture name's prefix), passed of counted:")
    lines.append("")
    lines.append("| feature | fixtures | " + " | ".join(names) + " |")
    lines.append("| --- | ---: | " + " | ".join("---:" for _ in names) + " |")
    features = Counter(fx.feature for fx in fixtures)
    for feature in sorted(features):
        row = [feature, str(features[feature])]
        for n in names:
            row.append(str(summarize(all_results[n], fixtures)[2][feature][0]))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("Left out (they test citeproc-js, not CSL):")
    lines.append("")
    reasons = defaultdict(list)
    for fx, why in excluded:
        reasons[why].append(fx.name)
    for why, which in sorted(reasons.items()):
        lines.append(f"- {why}: {', '.join('`' + w + '`' for w in which)}")
    lines.append("")
    for n in names:
        failing = [fx.name for fx in fixtures if not all_results[n][fx.name]["ok"]]
        lines.append(f"<details><summary>{n}: the {len(failing)} failing fixtures</summary>")
        lines.append("")
        lines.append(", ".join(f"`{f}`" for f in failing) or "none")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def suite_revision(suite: Path, label: str | None = None) -> str:
    if label:
        return label
    import subprocess

    done = subprocess.run(["git", "-C", str(suite), "log", "-1", "--format=commit %h of %cs"],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else f"folder {suite.name}"


def write_doc(block: str) -> None:
    if DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1]
            DOC.write_text(before + block + after, encoding="utf-8")
            return
    DOC.write_text("# CSL conformance\n\n" + block + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suite", nargs="?", type=Path, help="the test-suite checkout, or a folder of fixtures")
    ap.add_argument("--engine", action="append", choices=sorted(ENGINES) + ["all"],
                    help="engines to run (default: report, the project's engine; all: every candidate, "
                         "the default with --write-doc)")
    ap.add_argument("--only", help="run only fixtures whose name contains this")
    ap.add_argument("--verbose", "-v", action="store_true", help="print expected and actual output of each failure")
    ap.add_argument("--write-doc", action="store_true", help="rewrite the measured part of docs/csl-conformance.md")
    ap.add_argument("--json", type=Path, help="write each fixture's outcome to this file")
    ap.add_argument("--suite-label", help="how the doc names the suite's revision (default: from git)")
    ap.add_argument("--timeout", type=int, default=20, help="seconds allowed for one fixture (default 20)")
    ap.add_argument("--install-citeproc-js", action="store_true",
                    help="install npm's citeproc package into .venv/share/citeproc-js and stop")
    args = ap.parse_args(argv)
    if args.install_citeproc_js:
        print(install_citeproc_js())
        return 0
    if args.suite is None:
        ap.error("give SUITE_DIR")
    paths = find_fixtures(args.suite)
    if not paths:
        print(f"csl-conformance: no fixtures in {args.suite}", file=sys.stderr)
        return 2
    fixtures, excluded = [], []
    for path in paths:
        if args.only and args.only.lower() not in path.stem.lower():
            continue
        fx = parse_fixture(path)
        why = exclusion(fx)
        (excluded.append((fx, why)) if why else fixtures.append(fx))
    if args.engine and "all" in args.engine or not args.engine and args.write_doc:
        names = list(ENGINES)
    else:
        names = list(dict.fromkeys(args.engine or ["report"]))
    engines, all_results, seconds = {}, {}, {}
    for name in names:
        engine = ENGINES[name]()
        missing = engine.available()
        if missing:
            print(f"{name}: not run: {missing}")
            continue
        started = time.perf_counter()
        jobs = 2 if name == "pandoc" else 1
        all_results[name] = run_engine(engine, fixtures, args.timeout, jobs)
        seconds[name] = time.perf_counter() - started
        engines[name] = engine
        print_report(name, all_results[name], fixtures, args.verbose)
    print(f"left out: {len(excluded)} fixtures that test citeproc-js extensions"
          + "".join(f"\n  {fx.name}: {why}" for fx, why in excluded))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({n: r for n, r in all_results.items()}, ensure_ascii=False, indent=1))
    if args.write_doc and all_results:
        write_doc(markdown(engines, all_results, fixtures, excluded, args.suite, seconds, args.suite_label))
        print(f"wrote {DOC.relative_to(REPO)}")
    return 0 if all_results else 1


if __name__ == "__main__":
    sys.exit(main())
