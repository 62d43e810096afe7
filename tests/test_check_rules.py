"""`report check` on broken projects: each is the minimal valid project plus one defect,
and must report exactly the expected diagnostic (code, path:line:col, message)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from report.cli import main

S = "sections/01-intro.md"
R = "references/sources.yaml"

INSTRUMENTS = """\
instruments:
  - id: cat
    title: Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment
    short-title: Convention against Torture
    adopted: 1984
    articles: 33
    entry-into-force:
      - {state: Testland, date: 2000-01-01, source: un-2020}
  - {id: gc1, title: Geneva Convention I, adopted: 1949, articles: 64}
  - {id: gc2, title: Geneva Convention II, adopted: 1949, articles: 63}
  - {id: gc3, title: Geneva Convention III, adopted: 1949, articles: 143}
  - {id: gc4, title: Geneva Convention IV, adopted: 1949, articles: 159}
families:
  - {id: gc, title: Geneva Conventions of 1949, members: [gc1, gc2, gc3, gc4]}
"""
INCIDENTS = """\
- id: detention-beatings
  summary: Detainees were beaten.
  date: 2020-05
  victims: [detainees]
  provisions: [cat:16]
  sources: [un-2020]
"""
TEXT = """\
---
title: Introduction
---

{{#detention-beatings .incident}}
Detainees were beaten[@un-2020, p. 3].

A free note.^[See also [@ngo-2021, para. 12].]

This violates [Article 16]{{.provision ref={ref}}}.
"""
TREATIES = {"references/instruments.yaml": INSTRUMENTS, "references/incidents.yaml": INCIDENTS, S: TEXT.format(ref="cat:16")}


def with_treaties(**changes):
    return {**TREATIES, **changes}


CASES = {
    # citations and locators
    "CIT003 entry never cited": ({R + "": None, "references/sources.yaml": None}, None),
    "CIT005 unknown locator label": ({S: "---\ntitle: X\n---\n\nA[@un-2020, pg. 5] b[@ngo-2021].\n"},
                                     "sections/01-intro.md:5:3: error[CIT005]: unknown locator label 'pg.' for 'un-2020' (use p./pp., para., §, art., chap., vol., n., l., fig. or col.)"),
    "CIT006 backwards range": ({S: "---\ntitle: X\n---\n\nA[@un-2020, pp. 26–25] b[@ngo-2021].\n"},
                               "sections/01-intro.md:5:3: error[CIT006]: locator range 26–25 of 'un-2020' runs backwards"),
    "CIT007 hyphen in range": ({S: "---\ntitle: X\n---\n\nA[@un-2020, pp. 25-26] b[@ngo-2021].\n"},
                               "sections/01-intro.md:5:3: warning[CIT007]: locator range 25-26 of 'un-2020' uses a hyphen (write 25–26 with an en dash)"),
    "CIT008 hand-written ibid": ({S: "---\ntitle: X\n---\n\nA[@un-2020] b[@ngo-2021] c.^[Ibid., p. 4.]\n"},
                                 "sections/01-intro.md:5:28: error[CIT008]: hand-written 'Ibid.' in a note (cite the source again with its locator; the style writes Ibid.)"),
    # registry
    "REG010 webpage without URL": ({R: "- {id: un-2020, type: report, title: T, genre: UN document, number: A/1, issued: 2020}\n- {id: ngo-2021, type: webpage, title: P, issued: 2021}\n"},
                                   "references/sources.yaml:2:4: warning[REG010]: 'ngo-2021' (webpage) has no 'URL'"),
    "REG011 URL without accessed": ({R: "- {id: un-2020, type: report, title: T, genre: UN document, number: A/1, issued: 2020}\n- id: ngo-2021\n  type: webpage\n  title: P\n  issued: 2021\n  URL: https://example.org/\n"},
                                    "references/sources.yaml:6:3: warning[REG011]: 'ngo-2021' has a URL but no 'accessed' date (add accessed: YYYY-MM-DD, the day the page was consulted)"),
    "REG012 UN document without symbol": ({R: "- {id: un-2020, type: report, title: T, genre: UN document, issued: 2020}\n- {id: ngo-2021, type: report, title: P, issued: 2021}\n"},
                                          "references/sources.yaml:1:4: error[REG012]: 'un-2020' is a UN or OSCE document without its symbol in 'number' (e.g. number: A/71/782 or SEC.DEL/585/16)"),
    "REG013 malformed URL": ({R: "- {id: un-2020, type: report, title: T, genre: UN document, number: A/1, issued: 2020}\n- id: ngo-2021\n  type: webpage\n  title: P\n  issued: 2021\n  accessed: 2022-01-01\n  URL: htp:/example org\n"},
                             "references/sources.yaml:7:3: error[REG013]: malformed URL in 'ngo-2021': htp:/example org (an absolute http(s) address without spaces)"),
    # typography
    "TYP001 closing quote first": ({R: "- {id: un-2020, type: report, title: ”A Report, genre: UN document, number: A/1, issued: 2020}\n- {id: ngo-2021, type: report, title: P, issued: 2021}\n"},
                                   "references/sources.yaml:1:31: warning[TYP001]: closing quote ” without an opening one in 'title' of 'un-2020'"),
    "TYP002 mixed quotes in a note": ({S: "---\ntitle: X\n---\n\nA[@un-2020] b[@ngo-2021].^[Called “x” and \"y\".]\n"},
                                      "sections/01-intro.md:5:26: warning[TYP002]: straight and curly quotes mixed in a note"),
    "TYP003 doubled space in registry": ({R: "- {id: un-2020, type: report, title: A  Report, genre: UN document, number: A/1, issued: 2020}\n- {id: ngo-2021, type: report, title: P, issued: 2021}\n"},
                                         "references/sources.yaml:1:31: warning[TYP003]: doubled space in 'title' of 'un-2020'"),
    # treaties and incidents
    "TRE001 unknown instrument": (with_treaties(**{S: TEXT.format(ref="cta:16")}),
                                  "sections/01-intro.md:10:15: error[TRE001]: unknown instrument 'cta' (did you mean 'cat'?)"),
    "TRE002 article out of range": (with_treaties(**{S: TEXT.format(ref="cat:34")}),
                                    "sections/01-intro.md:10:15: error[TRE002]: Convention against Torture has no article 34 (it has 33)"),
    "TRE003 ambiguous family article": (with_treaties(**{S: TEXT.format(ref="gc:13")}),
                                        "sections/01-intro.md:10:15: error[TRE003]: ambiguous provision 'gc:13': Geneva Conventions of 1949 article 13 (name which: gc1:13, gc2:13, gc3:13, gc4:13)"),
    "TRE004 malformed provision": (with_treaties(**{S: TEXT.format(ref="article16")}),
                                   "sections/01-intro.md:10:15: error[TRE004]: malformed provision 'article16' (write instrument:article, e.g. cat:12)"),
    "TRE005 argued but unsupported": (with_treaties(**{S: TEXT.format(ref="cat:12")}),
                                      "sections/01-intro.md:10:15: error[TRE005]: provision cat:12 is argued but no documented incident engages it (add the incident that supports it, or do not argue it)"),
    "TRE006 engaged never argued": (with_treaties(**{"references/incidents.yaml": INCIDENTS.replace("[cat:16]", "[cat:16, gc3:13]")}),
                                    "references/incidents.yaml:1:3: info[TRE006]: provision gc3:13 is engaged by incident 'detention-beatings' but never argued"),
    "TRE007 before entry into force": (with_treaties(**{"references/incidents.yaml": INCIDENTS.replace("date: 2020-05", "date: 1999-05\n  state: Testland")}),
                                       "references/incidents.yaml:6:16: warning[TRE007]: incident 'detention-beatings' (1999-05) predates the entry into force of Convention against Torture for Testland (2000-01-01)"),
    "INC001 incident without provision": (with_treaties(**{
        "references/incidents.yaml": INCIDENTS + INCIDENTS.replace("detention-beatings", "other").replace("[cat:16]", "[]"),
        S: TEXT.format(ref="cat:16") + "\n{#other .incident}\nMore[@un-2020].\n"}),
        "references/incidents.yaml:7:3: error[INC001]: incident 'other' engages no provision"),
    "INC002 incident without source": (with_treaties(**{"references/incidents.yaml": INCIDENTS.replace("[un-2020]", "[]")}),
                                       "references/incidents.yaml:1:3: error[INC002]: incident 'detention-beatings' has no source"),
    "INC003 paragraph does not cite": (with_treaties(**{"references/incidents.yaml": INCIDENTS.replace("[un-2020]", "[un-2020, ngo-2021]")}),
                                       "sections/01-intro.md:6:1: error[INC003]: the text of incident 'detention-beatings' does not cite its source 'ngo-2021'"),
    "INC004 never described": (with_treaties(**{"references/incidents.yaml": INCIDENTS + INCIDENTS.replace("detention-beatings", "second-one")}),
                               "references/incidents.yaml:7:3: error[INC004]: incident 'second-one' is never described in the text (mark its paragraph with {#second-one .incident})"),
    "INC005 unknown incident marked": (with_treaties(**{S: TEXT.format(ref="cat:16") + "\n{#detention-beating .incident}\nMore[@un-2020].\n"}),
                                       "sections/01-intro.md:13:1: error[INC005]: text marks unknown incident 'detention-beating' (did you mean 'detention-beatings'?)"),
    "INC006 unknown source": (with_treaties(**{"references/incidents.yaml": INCIDENTS.replace("[un-2020]", "[un-2020, un-2022]")}),
                              "references/incidents.yaml:6:22: error[INC006]: incident 'detention-beatings' names unknown source 'un-2022'"),
    "INC008 described twice": (with_treaties(**{S: TEXT.format(ref="cat:16") + "\n{#detention-beatings .incident}\nAgain[@un-2020].\n"}),
                               "sections/01-intro.md:13:1: error[INC008]: incident 'detention-beatings' is described twice (first at sections/01-intro.md:6:1)"),
}


def run_check(root, *args):
    return CliRunner().invoke(main, ["check", "--project", str(root), *args])


def test_the_minimal_projects_are_clean(make_project, tmp_path):
    for files in ({}, TREATIES):
        result = run_check(make_project(files))
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""


@pytest.mark.parametrize("name", sorted(c for c in CASES if CASES[c][1]))
def test_check_reports_exactly_the_defect(make_project, name):
    files, expected = CASES[name]
    result = run_check(make_project(files))
    lines = result.stderr.strip().splitlines()
    if ": info[" not in expected:
        # A broken reference also leaves its provision "never argued": that info is a consequence.
        lines = [line for line in lines if ": info[" not in line]
    assert lines == [expected]
    assert result.exit_code == (1 if ": error[" in expected else 0)


def test_uncited_entry_is_a_warning(make_project):
    root = make_project({S: "---\ntitle: X\n---\n\nOnly one[@un-2020].\n"})
    result = run_check(root)
    assert result.stderr.strip() == ("references/sources.yaml:10:3: warning[CIT003]: registry entry 'ngo-2021' is never "
                                     "cited (cite it or remove it from the registry)")
    assert result.exit_code == 0
    assert run_check(root, "--strict").exit_code == 1


def test_notes_with_citations_and_single_quotes_are_clean(make_project):
    # A note that cites in mid-sentence, and British ‘single quotes’ (with an apostrophe
    # inside), as Pandoc users write them: no doubled space, no unclosed quote.
    root = make_project({S: "---\ntitle: X\n---\n\nA claim[@un-2020].^[See [@ngo-2021, p. 4] and"
                            " the ‘monitor’s own’ words.]\n\nAnother.^[Called ‘x’  twice.]\n"})
    result = run_check(root)
    assert result.stderr.strip() == "sections/01-intro.md:7:9: warning[TYP003]: doubled space in a note"
    assert run_check(make_project({S: "---\ntitle: X\n---\n\nA[@un-2020] b[@ngo-2021].^[An ‘open quote.]\n"})
                     ).stderr.strip() == "sections/01-intro.md:5:26: warning[TYP001]: opening quote ‘ never closed in a note"


def test_same_work_under_two_keys(make_project):
    root = make_project({R: "- {id: un-2020, type: report, title: T, genre: UN document, number: A/1, issued: 2020}\n"
                            "- {id: ngo-2021, type: report, title: P, genre: UN document, number: a/1, issued: 2021}\n"})
    assert run_check(root).stderr.strip() == (
        "references/sources.yaml:2:4: warning[CIT004]: 'ngo-2021' and 'un-2020' look like one work (same document symbol) "
        "(cite one key; 'un-2020' is at references/sources.yaml:1:4)")


def test_select_ignore_and_noqa(make_project):
    defect = "---\ntitle: X\n---\n\nA[@un-2020, pp. 25-26] b[@ngo-2021].{}\n"
    root = make_project({S: defect.format("")})
    assert "CIT007" in run_check(root).stderr
    root.joinpath(S).write_text(defect.format(" <!-- noqa: CIT007 -->"), encoding="utf-8")
    assert run_check(root).stderr == ""
    root.joinpath(S).write_text(defect.format(""), encoding="utf-8")
    config = root / "report.yaml"
    config.write_text(config.read_text() + "checks:\n  ignore: [CIT]\n", encoding="utf-8")
    assert run_check(root).stderr == ""
    config.write_text(config.read_text().replace("ignore: [CIT]", "select: [TYP]"), encoding="utf-8")
    assert run_check(root).stderr == ""


def test_json_and_github_formats(make_project):
    root = make_project({S: "---\ntitle: X\n---\n\nA[@un-2020, pp. 25-26] b[@ngo-2021].\n"})
    data = json.loads(run_check(root, "--format", "json").stdout)
    assert data == [{"code": "CIT007", "severity": "warning", "message": "locator range 25-26 of 'un-2020' uses a hyphen",
                     "hint": "write 25–26 with an en dash", "path": "sections/01-intro.md", "line": 5, "col": 3}]
    github = run_check(root, "--format", "github").stdout.strip()
    assert github == ("::warning file=sections/01-intro.md,line=5,col=3,title=CIT007::locator range 25-26 of 'un-2020' "
                      "uses a hyphen (write 25–26 with an en dash)")


def test_usage_error_exits_2(make_project):
    assert run_check(make_project(), "--format", "xml").exit_code == 2


def test_build_runs_the_checks_first(make_project):
    root = make_project(with_treaties(**{S: TEXT.format(ref="cat:12")}))
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--format", "html"])
    assert result.exit_code == 1
    assert "error[TRE005]" in result.stderr
    assert not (root / "build" / "en").exists()
