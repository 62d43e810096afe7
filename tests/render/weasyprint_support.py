"""Running WeasyPrint in a fresh interpreter, stock or with report's fixes applied, so
that tests can compare the two (the fixes, once applied, stay for the process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from report.render.weasyprint_version import WRITTEN_FOR, differences

# For the tests of the speed fixes (each compares them with stock and checks they took
# effect) and of what is true of the pinned versions only: on another WeasyPrint or pydyf
# the fixes are not applied (report.render.weasyprint_version), so those are skipped
# until the fixes are ported; the rest of the suite checks what stock WeasyPrint makes.
on_written_for_versions = pytest.mark.skipif(
    bool(differences()), reason=f"the speed fixes were written for {WRITTEN_FOR}, not what is installed")


def run_script(script: str, html: str, *args: str) -> object:
    """What ``script`` prints as JSON, run with ``args`` and ``html`` on its stdin, at a fixed
    SOURCE_DATE_EPOCH (so that two runs can write the same bytes)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run([sys.executable, "-c", script, *args], input=html, capture_output=True, text=True,
                          env=env, check=True, timeout=180)
    return json.loads(done.stdout)


def besides_fallback_note(diagnostics) -> list:
    """``diagnostics`` without the PDF004 note a render gives on another WeasyPrint or
    pydyf (report.render.weasyprint_patches.fallback_note), for tests of the others."""
    return [d for d in diagnostics if d.code != "PDF004"]


def structure_elements(data: bytes):
    """A PDF's reader and its structure elements, depth first: [(type, element, parent type)]."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found = []

    def walk(node, parent):
        node = node.get_object()
        if not isinstance(node, dict):
            return  # a marked-content id
        kind = node.get("/S")
        found.append((kind, node, parent))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                walk(kid, kind)

    kids = reader.trailer["/Root"]["/StructTreeRoot"].get_object()["/K"].get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        walk(kid, None)
    return reader, found
