"""Running the renderers: every requested format from one resolved document.

With more than one core, the slowest format (the PDF, else the DOCX) is rendered by
a :class:`RenderWorker`: a process forked when the build starts, which imports its
renderer (WeasyPrint, python-docx) while this one reads and parses the sources, then
receives the resolved document and renders it while the other formats render here.
One parse serves every format, and the worker never holds this process's parser or
citation engine.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from report import model as m
from report.diagnostics import Diagnostic
from report.errors import ReportError
from report.progress import QUIET, Progress

T = TypeVar("T")


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


def _warm_up(fmt: str, language: str, template: Path | None) -> None:
    """In the worker, while the parent parses: import what rendering ``fmt`` needs;
    for a PDF also read the language's hyphenation patterns (pyphen keeps them), for
    a DOCX open the reference document (kept for the render, see template.prepare)."""
    from report.render.base import get_renderer

    get_renderer(fmt)
    if fmt == "pdf":
        import pyphen
        import weasyprint.layout  # noqa: F401  (imported by render(); the slow part of the import)

        from report.render import weasyprint_patches

        weasyprint_patches.apply()
        if pyphen.language_fallback(language.replace("-", "_")):
            pyphen.Pyphen(lang=language.replace("-", "_"))
    elif fmt == "docx" and template is not None:
        from report.render.docx.template import prepare

        prepare(template)


class RenderWorker:
    """One forked process that renders the build's slowest format: the PDF, else the
    DOCX. Start it before parsing (:meth:`start`), hand it the resolved document
    (:meth:`submit`), collect (bytes, diagnostics) (:meth:`result`); :meth:`close`
    ends it, also when the build failed before."""

    def __init__(self, fmt: str, language: str, template: Path | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork, now: the child starts from this small process, not from one holding the
        # parsed sources, and imports its renderer on the other core meanwhile.
        self.format = fmt
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._pool.submit(_warm_up, fmt, language, template)
        self._pending = None

    @classmethod
    def start(cls, formats, language: str, templates: dict[str, Path]) -> RenderWorker | None:
        """A worker for the PDF (else the DOCX) in ``formats`` when a core is spare, else None.
        ``templates``: the template files by kind, from report.yaml."""
        if (os.cpu_count() or 1) < 2:
            return None
        for fmt in ("pdf", "docx"):
            if fmt in formats:
                return cls(fmt, language, templates.get(fmt))
        return None

    def submit(self, document: m.Document, context, live: bool) -> None:
        self._pending = self._pool.submit(_render_one, self.format, document, context, live)

    def result(self) -> tuple[bytes | None, list[Diagnostic]]:
        return self._pending.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def render_all(document: m.Document, context, formats, progress: Progress = QUIET,
               worker: RenderWorker | None = None, meanwhile: Callable[[], T] | None = None):
    """Every format's bytes by file name, the renderers' diagnostics, and what
    ``meanwhile`` returned. With a ``worker`` its format renders there while the
    others (then ``meanwhile``) run here."""
    outputs: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    remote = worker.format if worker is not None and worker.format in formats else None
    if remote:
        worker.submit(document, context, progress.live)
    for fmt in formats:
        if fmt == remote:
            continue
        with progress.stage(f"render {fmt}"):
            data, found = _render_one(fmt, document, context, progress.live)
        problems += found
        if data is not None:
            outputs[f"report.{fmt}"] = data
    extra = meanwhile() if meanwhile is not None else None
    if remote:
        label = "render pdf (laying out pages)" if remote == "pdf" else f"render {remote}"
        with progress.stage(label):
            data, found = worker.result()
        problems += found
        if data is not None:
            outputs[f"report.{remote}"] = data
    return outputs, problems, extra
