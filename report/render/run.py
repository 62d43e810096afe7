"""Running the renderers: every requested format from one resolved document.

With several formats and cores, the PDF (the slow one) is laid out in a forked
process while DOCX and HTML render in this one; the child inherits the parsed
document, so one parse serves every format.
"""

from __future__ import annotations

import os

from report import model as m
from report.diagnostics import Diagnostic
from report.errors import ReportError
from report.progress import QUIET, Progress


def _render_one(fmt: str, document: m.Document, context) -> tuple[bytes | None, list[Diagnostic]]:
    """(bytes, warnings) or (None, errors): a ReportError does not survive pickling."""
    from report.render.base import get_renderer

    renderer = get_renderer(fmt)
    try:
        return renderer.render(document, context), list(renderer.diagnostics)
    except ReportError as exc:
        return None, exc.diagnostics


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
        pending = pool.submit(_render_one, "pdf", document, context)
    try:
        for fmt in formats:
            if parallel and fmt == "pdf":
                continue
            with progress.stage(f"render {fmt}"):
                data, found = _render_one(fmt, document, context)
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
