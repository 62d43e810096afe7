"""A style's default-locale when report.yaml names only a language (CSL 1.0.2, "Locale
Fallback"): ``en`` with an en-GB style such as OSCOLA or MHRA gives British dates and
quotes; ``en-US`` asks for American ones and gets them."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from report.cli import main
from tests.conftest import MINIMAL, write_project

REGISTRY = """\
- id: hrw-2020
  type: report
  author:
    - literal: Human Rights Watch
  title: Locked Up and Forgotten
  publisher: Human Rights Watch
  issued: 2020-12-02
- id: smith-2021
  type: article-newspaper
  author:
    - family: Smith
      given: Daniel
  title: Detainees Moved at Night
  container-title: The Guardian
  issued: 2021-03-04
"""
SECTION = "---\ntitle: Intro\n---\n\nA claim.[@hrw-2020] Another.[@smith-2021]\n"


def notes(tmp_path, language: str, style: str) -> list[str]:
    yaml = textwrap.dedent(MINIMAL["report.yaml"]).replace("language: en", f"language: {language}")
    yaml = yaml.replace("citation-style: templates/notes.csl", f"citation-style: {style}")
    root = write_project(tmp_path / f"{language}-{style}", {"report.yaml": yaml, "references/sources.yaml": REGISTRY,
                                                             "sections/01-intro.md": SECTION})
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    page = lxml_html.fromstring((root / "build" / language / "report.html").read_bytes())
    return [" ".join(li.text_content().replace("↩", "").split()) for li in page.xpath("//ol[@class='footnotes']/li")]


@pytest.mark.parametrize("style", ["oscola", "mhra-notes-subsequent-ibid"])
def test_a_british_style_is_british_when_the_report_says_only_en(tmp_path, style):
    found = notes(tmp_path, "en", style)
    assert "4 March 2021" in found[1] and "‘Detainees Moved at Night’" in found[1], found
    american = notes(tmp_path, "en-US", style)
    assert "March 4, 2021" in american[1] and "“Detainees Moved at Night" in american[1], american
