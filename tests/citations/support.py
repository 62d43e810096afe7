"""What the citation tests share: two registry entries every style test cites (an
institutional report, a newspaper article by a named person), and a build of a small
project in a given style that returns its notes as a reader sees them."""

from __future__ import annotations

import textwrap
from pathlib import Path

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


def footnotes(page: Path) -> list[str]:
    """The notes of a built HTML page, white space collapsed, back links left out."""
    tree = lxml_html.fromstring(page.read_bytes())
    return [" ".join(li.text_content().replace("↩", "").split()) for li in tree.xpath("//ol[@class='footnotes']/li")]


def style_yaml(style: str, language: str = "en") -> str:
    """The minimal project's report.yaml with another style and language."""
    yaml = textwrap.dedent(MINIMAL["report.yaml"]).replace("language: en", f"language: {language}")
    return yaml.replace("citation-style: templates/notes.csl", f"citation-style: {style}")


def build_notes(root: Path, style: str, registry: str, section: str, language: str = "en",
                files: dict | None = None) -> list[str]:
    """Build the project at ``root`` (HTML only) and return its notes."""
    write_project(root, {"report.yaml": style_yaml(style, language), "references/sources.yaml": registry,
                         "sections/01-intro.md": section, **(files or {})})
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    return footnotes(root / "build" / language / "public" / "report.html")
