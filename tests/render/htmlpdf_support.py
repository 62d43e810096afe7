"""Helpers shared by test_html and test_pdf: a loaded project and its render context."""

from __future__ import annotations

from pathlib import Path

from report.build import build_timestamp, load
from report.config import load_config
from report.diagnostics import Location
from report.render.base import RenderContext
from tests.conftest import copy_shipped_project


def context_for(root: Path, timestamp="build") -> RenderContext:
    config = load_config(root)
    return RenderContext(config, build_timestamp(config) if timestamp == "build" else timestamp)


def loaded(root: Path):
    """(document, context) for the project at ``root``."""
    result = load(root)
    return result.document, context_for(root)


def shipped_project(tmp_path_factory):
    """The shipped report, copied out of the repository and loaded."""
    root = copy_shipped_project(tmp_path_factory.mktemp("shipped"))
    document, context = loaded(root)
    return root, document, context


L = Location("sections/01-intro.md", 1, 1)
