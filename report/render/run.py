"""Running the renderers: every requested format from one resolved document.

With more than one core, the PDF (the slow one) is laid out by a :class:`PdfWorker`:
a process forked when the build starts, which imports WeasyPrint while this one
reads and parses the sources, then receives the resolved document and lays it
out while DOCX and HTML render here. One parse serves every format, and the
worker never holds this process's parser, citation engine or DOCX objects.
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


def _warm_up(language: str) -> None:
    """In the worker: import what laying out a PDF needs and read the language's
    hyphenation patterns (pyphen keeps them), while the parent parses."""
    from report.render import weasyprint_patches
    from report.render.base import get_renderer

    get_renderer("pdf")
    import pyphen
    import weasyprint.layout  # noqa: F401  (imported by render(); the slow part of the import)

    weasyprint_patches.apply()
    if pyphen.language_fallback(language.replace("-", "_")):
        pyphen.Pyphen(lang=language.replace("-", "_"))


class PdfWorker:
    """One forked process that lays out the PDF. Start it before parsing (:meth:`start`),
    hand it the resolved document (:meth:`submit`), collect (bytes, diagnostics)
    (:meth:`result`); :meth:`close` ends it, also when the build failed before."""

    def __init__(self, language: str):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork, now: the child starts from this small process, not from one holding the
        # parsed sources, and imports WeasyPrint on the other core meanwhile.
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._pool.submit(_warm_up, language)
        self._pending = None

    @classmethod
    def start(cls, formats, language: str) -> PdfWorker | None:
        """A worker when ``formats`` has a PDF and there is a core to spare, else None."""
        if "pdf" not in formats or (os.cpu_count() or 1) < 2:
            return None
        return cls(language)

    def submit(self, document: m.Document, context, live: bool) -> None:
        self._pending = self._pool.submit(_render_one, "pdf", document, context, live)

    def result(self) -> tuple[bytes | None, list[Diagnostic]]:
        return self._pending.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def render_all(document: m.Document, context, formats, progress: Progress = QUIET, pdf_worker: PdfWorker | None = None):
    """Every format's bytes by file name, and the renderers' diagnostics. With a
    ``pdf_worker`` the PDF is laid out there while the other formats render here."""
    outputs: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    remote = pdf_worker is not None and "pdf" in formats
    if remote:
        pdf_worker.submit(document, context, progress.live)
    for fmt in formats:
        if remote and fmt == "pdf":
            continue
        with progress.stage(f"render {fmt}"):
            data, found = _render_one(fmt, document, context, progress.live)
        problems += found
        if data is not None:
            outputs[f"report.{fmt}"] = data
    if remote:
        with progress.stage("render pdf (laying out pages)"):
            data, found = pdf_worker.result()
        problems += found
        if data is not None:
            outputs["report.pdf"] = data
    return outputs, problems
