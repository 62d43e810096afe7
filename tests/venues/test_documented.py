"""Every diagnostic code the venue code emits has its row in README's code table."""

from __future__ import annotations

import re

from tests.conftest import REPO

SOURCES = [REPO / "report" / "checks" / "venue.py", *sorted((REPO / "report" / "venues").glob("*.py"))]


def readme_codes() -> set[str]:
    """The codes README's table names: ``VEN002–VEN006`` is five, ``CIT001–CIT008, CIT010`` nine."""
    covered = set()
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        cell = re.match(r"^\| ([A-Z0-9–, ]+) \|", line)
        for part in re.split(r",\s*", cell.group(1)) if cell else ():
            span = re.fullmatch(r"([A-Z]+)(\d+)(?:–[A-Z]*(\d+))?", part.strip())
            if span:
                first, last = int(span.group(2)), int(span.group(3) or span.group(2))
                covered |= {f"{span.group(1)}{n:0{len(span.group(2))}d}" for n in range(first, last + 1)}
    return covered


def test_every_venue_code_is_in_the_readme_table():
    emitted = {code for path in SOURCES for code in re.findall(r'"([A-Z]{3}\d{3})"', path.read_text(encoding="utf-8"))}
    assert {"CFG011", "VEN001", "VEN002", "VEN006", "VEN010"} <= emitted  # the scan finds them
    assert sorted(emitted - readme_codes()) == []
