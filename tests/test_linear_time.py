"""No input is slower than linear: four times the text may take at most about four
times as long (the bound, 12, is generous for a loaded machine; the quadratic paths this
guards against took 30 to 60 times as long)."""

from __future__ import annotations

import gc
import time

import pytest

from report.diagnostics import Location
from report.parse.markdown import parse_section
from report.sources.sections import SectionSource

PATTERNS = {
    "unclosed citation brackets": "[@a ",
    "at-signs before brackets": "a@b [",
    "unclosed notes": "^[",
    "plain brackets": "[x ",
    "many citations in one paragraph": "text[@key, p. 3] ",
    "many paragraphs with notes": "A claim.^[A note [@k].]\n\n",
}


def parse_time(text: str) -> float:
    source = SectionSource("sections/x.md", "x", "X", text, 1, Location("sections/x.md"))
    best = float("inf")
    for _ in range(3):
        # A garbage collection landing in one run is noise, not growth: keep it out.
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            parse_section(source)
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_parsing_is_linear(name):
    small = PATTERNS[name] * 1500
    ratio = parse_time(small * 4) / max(parse_time(small), 1e-4)
    assert ratio < 12, f"{name}: 4x the input took {ratio:.1f}x the time"
