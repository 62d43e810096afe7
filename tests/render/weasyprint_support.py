"""Running WeasyPrint in a fresh interpreter, stock or with report's fixes applied, so
that tests can compare the two (the fixes, once applied, stay for the process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run_script(script: str, html: str, *args: str) -> object:
    """What ``script`` prints as JSON, run with ``args`` and ``html`` on its stdin, at a fixed
    SOURCE_DATE_EPOCH (so that two runs can write the same bytes)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run([sys.executable, "-c", script, *args], input=html, capture_output=True, text=True,
                          env=env, check=True, timeout=180)
    return json.loads(done.stdout)
