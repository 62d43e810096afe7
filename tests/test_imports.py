"""The check path stays light: `report check` never imports WeasyPrint or python-docx."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import sys
from click.testing import CliRunner
from report.cli import main
result = CliRunner().invoke(main, ["check", "--project", sys.argv[1]])
assert result.exit_code == 0, result.output
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("weasyprint", "docx", "docxtpl", "pydyf"))
print(",".join(heavy))
"""


def test_check_imports_no_renderer():
    out = subprocess.run([sys.executable, "-c", PROBE, str(REPO)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_imports_nothing_heavy():
    probe = "import sys; from report.cli import main; print(sorted(m for m in sys.modules if m.startswith(('citeproc', 'markdown_it', 'lxml', 'weasyprint'))))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_build_recipe_defers_the_parser_and_the_citation_engine():
    """A build forks its PDF worker before reading the sources; importing the recipe
    must not pull in the parser or citeproc, or the worker would start heavy and late."""
    probe = "import sys, report.build; print(sorted({m.split('.')[0] for m in sys.modules} & {'citeproc', 'markdown_it', 'weasyprint', 'docx'}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
