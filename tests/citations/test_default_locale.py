"""A style's default-locale when report.yaml names only a language (CSL 1.0.2, "Locale
Fallback"): ``en`` with an en-GB style such as OSCOLA or MHRA gives British dates and
quotes; ``en-US`` asks for American ones and gets them."""

from __future__ import annotations

import pytest
from tests.citations.support import REGISTRY, build_notes

SECTION = "---\ntitle: Intro\n---\n\nA claim.[@hrw-2020] Another.[@smith-2021]\n"


def notes(tmp_path, language: str, style: str) -> list[str]:
    return build_notes(tmp_path / f"{language}-{style}", style, REGISTRY, SECTION, language)


@pytest.mark.parametrize("style", ["oscola", "mhra-notes-subsequent-ibid"])
def test_a_british_style_is_british_when_the_report_says_only_en(tmp_path, style):
    found = notes(tmp_path, "en", style)
    assert "4 March 2021" in found[1] and "‘Detainees Moved at Night’" in found[1], found
    american = notes(tmp_path, "en-US", style)
    assert "March 4, 2021" in american[1] and "“Detainees Moved at Night" in american[1], american
