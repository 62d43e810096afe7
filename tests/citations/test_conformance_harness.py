"""tools/csl_conformance.py on fixtures this project wrote in the CSL test suite's
format (tests/citations/fixtures; the suite itself has no licence statement and is
not copied here): parsing, leaving out citeproc-js extensions, comparing, and the
engines that can run here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import csl_conformance as cc  # noqa: E402
from csl_conformance_engines import ENGINES, final_citations  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def load():
    return [cc.parse_fixture(p) for p in cc.find_fixtures(FIXTURES)]


def test_fixtures_parse_with_every_section():
    fixtures = {fx.name: fx for fx in load()}
    assert set(fixtures) == {"report_InTextAuthorYear", "report_IbidWithLocator",
                             "report_BibliographySorted", "report_RawDateLeftOut"}
    ibid = fixtures["report_IbidWithLocator"]
    case = ibid.case()
    assert case.mode == "citation" and len(case.citation_items) == 3 and case.items[0]["id"] == "hrw"
    assert ibid.feature == "report"
    assert fixtures["report_BibliographySorted"].expected().startswith('<div class="csl-bib-body">')


def test_citeproc_js_extensions_are_left_out_with_a_reason():
    reasons = {fx.name: cc.exclusion(fx) for fx in load()}
    assert reasons["report_RawDateLeftOut"].startswith("raw date")
    assert [n for n, why in reasons.items() if why] == ["report_RawDateLeftOut"]


def test_normalisation_only_forgives_spelling_of_the_same_output():
    assert cc.normalize("A &#38; B <em>x</em>\n") == cc.normalize("A &amp; B <i>x</i>")
    assert cc.normalize("Ibid.") != cc.normalize("ibid.")


def test_citations_calls_leave_the_final_document():
    calls = [
        [{"citationID": "C1", "citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}, [], []],
        [{"citationID": "C2", "citationItems": [{"id": "b"}], "properties": {"noteIndex": 2}}, [["C1", 1]], []],
        [{"citationID": "C1", "citationItems": [{"id": "c"}], "properties": {"noteIndex": 1}}, [], [["C2", 2]]],
    ]
    assert [c["citationItems"][0]["id"] for c in final_citations(calls)] == ["c", "b"]


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_engine_passes_the_project_fixtures(name, capsys):
    engine = ENGINES[name]()
    missing = engine.available()
    if missing:
        if name in ("citeproc-py", "report"):
            pytest.fail(missing)  # the project's engines are installed by scripts/setup
        pytest.skip(missing)
    fixtures = [fx for fx in load() if not cc.exclusion(fx)]
    results = cc.run_engine(engine, fixtures)
    failed = {n: (r["got"], r["error"]) for n, r in results.items() if not r["ok"]}
    assert not failed


def test_command_prints_the_count_and_the_left_out(capsys):
    assert cc.main([str(FIXTURES), "--engine", "citeproc-py"]) == 0
    out = capsys.readouterr().out
    assert "citeproc-py: passed 3 of 3" in out
    assert "report_RawDateLeftOut: raw date" in out


def test_report_engine_is_the_projects_citeproc_js_with_its_locales():
    """The `report` engine runs the file, the locales and the V8 that
    report.transforms.citeproc_js uses, and passes the project's fixtures."""
    from report.transforms.citeproc_js import _locale_files, citeproc_script

    engine = ENGINES["report"]()
    assert engine.available() is None
    assert engine.script == citeproc_script()
    assert set(engine._locales()) == set(_locale_files())
    assert "report.transforms.citeproc_js" in engine.version() and "mini-racer" in engine.version()
    fixtures = [fx for fx in load() if not cc.exclusion(fx)]
    results = cc.run_engine(engine, fixtures)
    assert {n: r["got"] for n, r in results.items() if not r["ok"]} == {}


def test_the_command_runs_the_projects_engine_by_default(capsys):
    assert cc.main([str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "report: passed 3 of 3" in out and "citeproc-py" not in out


def test_agreement_run_reads_the_projects_notes(tmp_path, monkeypatch):
    """tools/csl_conformance_bench.py builds a report project and reads its footnotes:
    one per note, in order, free-text notes and groups included."""
    import csl_conformance_bench as bench

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    notes = bench.document(20)
    body = bench.section_markdown(notes)
    assert "[@un-a-hrc, p. 7; @" in body and "^[See [@" in body
    root = bench.write_project(tmp_path / "p", "oscola", body)
    ours = bench.run_report(root)
    assert len(ours) == 20 and ours[0].startswith("Human Rights Watch, ‘Bloodshed")
    if bench.Pandoc().available():  # Pandoc is the bench extra's (scripts/setup --bench)
        pytest.skip(bench.Pandoc().available())
    theirs = bench.run_pandoc(bench.style_file("oscola"), body)
    assert [bench.forgiving(a, n["kind"] == "free") for a, n in zip(ours, notes)] == \
        [bench.forgiving(b, n["kind"] == "free") for b, n in zip(theirs, notes)]
