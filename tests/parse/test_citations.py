"""Citation grammar cases from tests/fixtures/citation_groups.txt (input and expected side by side)."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.parse.citations import parse_group

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "citation_groups.txt"


def load_cases():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    cases, current, start = [], [], None
    for number, line in enumerate(lines, start=1):
        if line.startswith("#"):
            continue
        if line == "=":
            cases.append((start, current))
            current, start = [], None
            continue
        if start is None:
            start = number
        current.append(line)
    if current:
        cases.append((start, current))
    return [pytest.param(case, id=f"line {start}") for start, case in cases]


@pytest.mark.parametrize("case", load_cases())
def test_citation_group(case):
    separator = case.index(".")
    source, expected = case[0], case[separator + 1:]
    items = parse_group(source, 0)
    if expected == ["NOT A CITATION"]:
        assert items is None
        return
    got = [" | ".join([i.key, i.prefix, i.locator_label or "", i.locator or "", i.suffix]) for i in items]
    assert got == expected
