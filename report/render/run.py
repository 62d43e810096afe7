"""Running the renderers: every requested format from one resolved document.

With several formats and cores, the PDF (the slow one) is laid out in a forked
process while DOCX and HTML render in this one; the child inherits the parsed
document, so one parse serves every format.
"""

from __future__ import annotations

import logging
import os
import sys

from report import model as m
from report.diagnostics import Diagnostic
from report.errors import ReportError
from report.progress import QUIET, Progress


class _PagesLaidOut(logging.Handler):
    """Shows WeasyPrint's "Creating layout - Page N" progress on the terminal line."""

    def __init__(self, stream):
        super().__init__(logging.INFO)
        self.stream = stream

    def emit(self, record):
        message = record.getMessage()
        if "Creating layout - Page" in message:
            self.stream.write(f"\r\x1b[2Krender pdf: laying out page {message.rsplit(' ', 1)[-1]}…")
            self.stream.flush()


def _render_one(fmt: str, document: m.Document, context, live: bool = False) -> tuple[bytes | None, list[Diagnostic]]:
    """(bytes, warnings) or (None, errors), so every format's errors are collected.
    ``live``: show the PDF's pages as they are laid out (on a terminal)."""
    from report.render.base import get_renderer

    renderer = get_renderer(fmt)
    pages = logging.getLogger("weasyprint.progress")
    handler = _PagesLaidOut(sys.stderr) if live and fmt == "pdf" else None
    if handler:
        pages.addHandler(handler)
    try:
        return renderer.render(document, context), list(renderer.diagnostics)
    except ReportError as exc:
        return None, exc.diagnostics
    finally:
        if handler:
            pages.removeHandler(handler)


def render_all(document: m.Document, context, formats, progress: Progress = QUIET, parallel: bool = True):
    """Every format's bytes by file name, and the renderers' diagnostics."""
    outputs: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    pending = None
    parallel = parallel and "pdf" in formats and len(formats) > 1 and (os.cpu_count() or 1) > 1
    if parallel:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the child inherits the parsed document and the imported modules.
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        pending = pool.submit(_render_one, "pdf", document, context, progress.live)
    try:
        for fmt in formats:
            if parallel and fmt == "pdf":
                continue
            with progress.stage(f"render {fmt}"):
                data, found = _render_one(fmt, document, context, progress.live)
            problems += found
            if data is not None:
                outputs[f"report.{fmt}"] = data
        if pending is not None:
            with progress.stage("render pdf (laying out pages)"):
                data, found = pending.result()
            problems += found
            if data is not None:
                outputs["report.pdf"] = data
    finally:
        if pending is not None:
            pool.shutdown(cancel_futures=True)
    return outputs, problems
