"""The citation engine, citeproc-js, on what legal and human-rights reports cite, in
the stock styles authors reach for: OSCOLA's "(n 1)", given names kept whole,
disambiguated works of one author, a case name with "v", British conventions; and
its cache and its refusal when it is not installed."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from report.cli import main
from report.transforms import citeproc_js
from tests.citations import support
from tests.conftest import MINIMAL, write_project

REGISTRY = support.REGISTRY + """\
- id: x-v-ministry
  type: legal_case
  title: X v Ministry of Justice
  authority: High Court
  number: 2-117/2023
  issued: 2023-05-10
- id: jones-2019a
  type: book
  author:
    - family: Jones
      given: Mary
  title: Prisons in Transition
  publisher: OUP
  publisher-place: Oxford
  issued: 2019
- id: jones-2019b
  type: book
  author:
    - family: Jones
      given: Mary
  title: Detention and the Law
  publisher: OUP
  publisher-place: Oxford
  issued: 2019
"""
SECTION = """\
---
title: Findings
---

One.[@hrw-2020, p. 12] Two.[@smith-2021] Three.[@x-v-ministry, para. 4]
Four.[@jones-2019a, p. 3; @jones-2019b, p. 7] Five.[@hrw-2020, p. 15] Six.[@hrw-2020, p. 15]
Seven.[@smith-2021] Eight.[@jones-2019a, p. 9]
"""


def build_notes(root: Path, style: str, language: str = "en") -> list[str]:
    return support.build_notes(root, style, REGISTRY, SECTION, language)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_oscola_refers_back_to_the_first_note_and_keeps_given_names(tmp_path):
    notes = build_notes(tmp_path / "p", "oscola")
    assert notes == [
        "Human Rights Watch, ‘Locked Up and Forgotten’ (Human Rights Watch 2020) 12.",
        "Daniel Smith, ‘Detainees Moved at Night’ The Guardian (4 March 2021).",
        "X v Ministry of Justice [2023] High Court 2-117/2023 [4].",
        "Mary Jones, Prisons in Transition (OUP 2019) 3; Mary Jones, Detention and the Law (OUP 2019) 7.",
        "Human Rights Watch (n 1) 15.",
        "Ibid.",
        "Smith (n 2).",
        # two works of one author in one year: the short form names the title to tell them apart
        "Jones, Prisons in Transition (n 4) 9.",
    ]


def test_chicago_and_mhra_write_a_case_once_and_a_name_whole(tmp_path):
    chicago = build_notes(tmp_path / "c", "chicago-notes-bibliography-subsequent-ibid")
    assert chicago[1].startswith("Daniel Smith, “Detainees Moved at Night,” The Guardian")
    assert "Edition" not in chicago[1]
    assert chicago[2].count("Ministry of Justice") == 1 and " V. " not in chicago[2]
    assert chicago[6] == "Smith, “Detainees Moved at Night.”"  # en-US: the period inside the quote
    mhra = build_notes(tmp_path / "m", "mhra-notes-subsequent-ibid")
    assert mhra[1].startswith("Daniel Smith, ‘Detainees Moved at Night’")  # en-GB: single quotes
    assert mhra[2].count("Ministry of Justice") == 1 and " V. " not in mhra[2]


def test_a_rebuild_renders_from_the_cache_and_an_edit_only_what_changed(tmp_path, monkeypatch):
    root = tmp_path / "p"
    first = build_notes(root, "oscola")
    calls = []
    original = citeproc_js.CiteprocJsEngine._render

    def counting(self, order, keys, items):
        calls.append(len(keys))
        return original(self, order, keys, items)

    monkeypatch.setattr(citeproc_js.CiteprocJsEngine, "_render", counting)
    assert CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html", "--force"]).exit_code == 0
    assert calls == []  # nothing rendered: every cite's text was kept
    section = root / "sections" / "01-intro.md"
    section.write_text(section.read_text(encoding="utf-8").replace("p. 9]", "p. 10]"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert calls == [1]
    page = lxml_html.fromstring((root / "build/en/public/report.html").read_bytes())
    last = " ".join(page.xpath("//ol[@class='footnotes']/li")[-1].text_content().replace("↩", "").split())
    assert last == first[-1].replace(" 9.", " 10.")


def test_without_citeproc_js_the_build_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(citeproc_js, "citeproc_script", lambda: None)
    yaml = textwrap.dedent(MINIMAL["report.yaml"])
    root = write_project(tmp_path / "p", {"report.yaml": yaml})
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "error[" in line]
    assert lines and lines[0].startswith("report.yaml:") and "error[STY004]" in lines[0] and "scripts/setup" in lines[0]
    assert "Traceback" not in result.stderr


def test_the_installed_citeproc_js_is_the_pinned_one():
    script = citeproc_js.citeproc_script()
    assert script is not None
    package = json.loads((script.parent / "package.json").read_text(encoding="utf-8"))
    assert package["version"] == citeproc_js.CITEPROC_JS_VERSION


def test_ibid_inside_a_sentence_is_lower_case_and_an_en_dash_range_is_shortened(tmp_path):
    section = ("---\ntitle: Findings\n---\n\nOne.[@hrw-2020, pp. 25–26] Two.[see @hrw-2020, p. 27]"
               " Three.[@smith-2021; @smith-2021, p. 3] Four.[@smith-2021, p. 4] Five.^[As said, [@smith-2021, p. 5].]\n")
    root = tmp_path / "p"
    yaml = textwrap.dedent(MINIMAL["report.yaml"]).replace("citation-style: templates/notes.csl",
                                                           "citation-style: chicago-notes-bibliography-subsequent-ibid")
    write_project(root, {"report.yaml": yaml, "references/sources.yaml": REGISTRY, "sections/01-intro.md": section})
    assert CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"]).exit_code == 0
    notes = support.footnotes(root / "build/en/public/report.html")
    assert notes[1] == "See ibid., 27."
    assert notes[2].endswith("; ibid., 3.")
    assert notes[3].startswith("Smith, ")  # no Ibid. after a note citing several sources
    assert notes[4] == "As said, ibid., 5."
    write_project(root, {"report.yaml": yaml.replace("chicago-notes-bibliography-subsequent-ibid", "new-harts-rules-notes"),
                         "references/sources.yaml": REGISTRY, "sections/01-intro.md": section})
    assert CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"]).exit_code == 0
    page = lxml_html.fromstring((root / "build/en/public/report.html").read_bytes())
    first = " ".join(page.xpath("//ol[@class='footnotes']/li")[0].text_content().split())
    assert first.rstrip(" ↩").endswith("25–6.")  # New Hart's minimal page ranges


def test_small_caps_from_a_style_are_small_caps_in_the_outputs():
    from report import model as m
    from report.diagnostics import Location
    from report.transforms.csl import html_to_inlines

    nodes = html_to_inlines('in <i>ICJ Reports</i>, <span style="font-variant:small-caps;">mmvii</span>, x<sup>2</sup>',
                            Location("r", 1, 1))
    kinds = [type(n).__name__ for n in nodes]
    assert kinds == ["Text", "Emph", "Text", "Span", "Text", "Superscript"]
    assert nodes[3].classes == ("smallcaps",) and m.plain_text(nodes[3].children) == "mmvii"


ET_AL_STYLE = """\
<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
  <info><title>Et al. test</title><id>et-al-test</id><updated>2026-12-07T00:00:00+00:00</updated></info>
  <citation et-al-min="4" et-al-use-first="3" et-al-subsequent-min="2" et-al-subsequent-use-first="1">
    <layout suffix="." delimiter="; ">
      <group delimiter=", ">
        <names variable="author"><name and="text" delimiter=", "/></names>
        <choose><if position="first"><text variable="title" font-style="italic"/></if></choose>
        <text variable="locator"/>
      </group>
    </layout>
  </citation>
</style>
"""
FOUR_AUTHORS = """\
- id: many-2022
  type: report
  author:
    - {family: Aliyeva, given: Sona}
    - {family: Brown, given: Tom}
    - {family: Chen, given: Li}
    - {family: Dubois, given: Anne}
  title: Four Authors Report
  issued: 2022
"""


def test_et_al_subsequent_shortens_the_later_notes_only(tmp_path):
    root = tmp_path / "p"
    yaml = textwrap.dedent(MINIMAL["report.yaml"]).replace("citation-style: templates/notes.csl",
                                                           "citation-style: templates/etal.csl")
    section = "---\ntitle: Findings\n---\n\nOne.[@many-2022, p. 1] Two.[@hrw-2020] Three.[@many-2022, p. 3]\n"
    write_project(root, {"report.yaml": yaml, "references/sources.yaml": REGISTRY + FOUR_AUTHORS,
                         "sections/01-intro.md": section, "templates/etal.csl": ET_AL_STYLE})
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    notes = support.footnotes(root / "build/en/public/report.html")
    assert notes[0] == "Sona Aliyeva, Tom Brown, Li Chen, et al., Four Authors Report, 1."
    assert notes[2] == "Sona Aliyeva et al., 3."
