"""A list-valued field of the incidents and instruments files given one scalar
(``victims: civilians``) is read as the one-item list (``victims: [civilians]``),
located at the scalar."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from report.cli import main
from report.sources.treaties import read_treaties
from report.sources.yamlfile import load_yaml
from tests.conftest import write_project

S = "sections/01-intro.md"
INSTRUMENTS = """\
instruments:
  - id: cat
    title: Convention against Torture
    adopted: 1984
    articles: 33
    entry-into-force:
      - {state: Testland, date: 2000-01-01, source: un-2020}
  - {id: gc3, title: Geneva Convention III, adopted: 1949, articles: 143}
families:
  - id: gc
    title: Geneva Conventions of 1949
    members: MEMBERS
"""
INCIDENTS = """\
- id: detention-beatings
  summary: Detainees were beaten.
  date: 2020-05
  victims: VICTIMS
  provisions: PROVISIONS
  sources: SOURCES
"""
TEXT = """\
---
title: Introduction
---

{#detention-beatings .incident}
Detainees were beaten[@un-2020, p. 3].

A free note.^[See also [@ngo-2021, para. 12].]

This violates [Article 16]{.provision ref=cat:16}.
"""
VALUES = {"MEMBERS": "gc3", "VICTIMS": "detainees", "PROVISIONS": "cat:16", "SOURCES": "un-2020"}


def project(root, scalars: bool, **changes):
    """The treaty project, each list field written as one scalar or as a one-item list."""
    instruments, incidents = INSTRUMENTS, INCIDENTS
    for name, value in {**VALUES, **changes}.items():
        written = value if scalars else f"[{value}]"
        instruments, incidents = instruments.replace(name, written), incidents.replace(name, written)
    files = {"references/instruments.yaml": instruments, "references/incidents.yaml": incidents, S: TEXT}
    return write_project(root, files)


def test_scalars_read_as_one_item_lists(tmp_path):
    scalar = read_treaties(project(tmp_path / "scalar", True))
    listed = read_treaties(project(tmp_path / "listed", False))
    (incident,), (other,) = scalar.incidents, listed.incidents
    assert incident.victims == other.victims == ("detainees",)
    assert [ref for ref, _ in incident.provisions] == [ref for ref, _ in other.provisions] == ["cat:16"]
    assert [key for key, _ in incident.sources] == ["un-2020"]
    assert scalar.families["gc"].members == listed.families["gc"].members == ("gc3",)
    # Located at the scalar itself: line 5, column 15 ("provisions: cat:16"), 6:12 ("sources: un-2020").
    assert (incident.provisions[0][1].line, incident.provisions[0][1].col) == (5, 15)
    assert (incident.sources[0][1].line, incident.sources[0][1].col) == (6, 12)


def test_check_and_build_are_the_same_as_with_lists(tmp_path):
    runner = CliRunner()
    outputs = []
    for scalars in (True, False):
        root = project(tmp_path / str(scalars), scalars)
        check = runner.invoke(main, ["check", "--project", str(root)])
        assert check.exit_code == 0, check.stderr
        build = runner.invoke(main, ["build", "--project", str(root), "--format", "html"])
        assert build.exit_code == 0, build.output
        out = root / "build" / "en" / "public"
        model = json.loads((out / "model.json").read_text(encoding="utf-8"))
        outputs.append((check.stderr, without_item_columns(model), (out / "evidence.csv").read_bytes()))
    assert outputs[0] == outputs[1]
    assert b"detention-beatings" in outputs[0][2] and b"cat:16" in outputs[0][2]


def without_item_columns(model: dict) -> dict:
    """model.json with the columns of the incidents' provisions and sources left out: a
    scalar starts one column before the item of ``[item]``; all else must be equal."""
    for incident in model["incidents"]:
        for key in ("provisions", "sources"):
            for _, where in incident[key]:
                del where["col"]
    return model


def test_a_wrong_scalar_is_located_at_the_scalar(tmp_path):
    root = project(tmp_path / "p", True, SOURCES="un-2022")
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    errors = [line for line in result.stderr.splitlines() if ": error[" in line]
    assert errors == ["references/incidents.yaml:6:12: error[INC006]: incident 'detention-beatings' names unknown source 'un-2022'"]


@pytest.mark.parametrize("value, message", [
    ("{a: b}", "references/incidents.yaml:4:3: error[INC010]: 'victims' of incident 'detention-beatings' must be a list"),
])
def test_a_mapping_is_still_not_a_list(tmp_path, value, message):
    root = project(tmp_path / "p", True, VICTIMS=value)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ": error[" in line] == [message]


def test_value_where_is_the_value_not_the_key():
    doc = load_yaml("- id: x\n  victims: civilians\n  sources: [a]\n", "f.yaml", value_locations=True)
    assert (doc.where(0, "victims").line, doc.where(0, "victims").col) == (2, 3)
    assert (doc.value_where(0, "victims").line, doc.value_where(0, "victims").col) == (2, 12)
    assert doc.value_where(0, "sources", 0) == doc.where(0, "sources", 0)
    plain = load_yaml("- id: x\n  victims: civilians\n", "f.yaml")  # not kept unless asked
    assert plain.value_locations is None and plain.where(0, "victims") == doc.where(0, "victims")
