"""Allow ``python -m report``."""

from report.cli import run

run()
