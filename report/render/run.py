"""Running the renderers: every requested format from one resolved document.

With more than one core, the slowest format (the PDF, else the DOCX) is rendered by
a :class:`RenderWorker`: a process forked when the build starts, which imports its
renderer (WeasyPrint, python-docx) while this one reads and parses the sources, then
receives the resolved document and renders it while the other formats render here.
One parse serves every format; the worker of a command's first build does not even
import the parser or the citation engine. The worker is a child that never outlives
its build (report.children).
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from report import model as m
from report.diagnostics import Diagnostic, error
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

    try:
        renderer = get_renderer(fmt)
    except (ImportError, OSError) as exc:
        # WeasyPrint loads Pango and friends when imported: a missing system library is
        # the machine's problem, said in one line, not a traceback.
        return None, [cannot_render(fmt, context, f"its libraries cannot be loaded: {exc}",
                                    "run scripts/setup, which installs them")]
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


def cannot_render(fmt: str, context, reason: str, hint: str) -> Diagnostic:
    """REN001: ``fmt`` could not be rendered for a reason outside the project's files,
    located at the ``outputs`` key of report.yaml."""
    return error("REN001", f"cannot render the {fmt.upper()}: {reason}", context.config.where("outputs"), hint)


def slowest_format(formats) -> str | None:
    """The format worth a process of its own: the PDF, else the DOCX, else None."""
    return next((fmt for fmt in ("pdf", "docx") if fmt in formats), None)


def _warm_up(fmt: str, language: str, template: Path | None, fonts: dict | None = None) -> None:
    """In the worker, while the parent parses: import what rendering ``fmt`` needs;
    for a PDF also read the language's hyphenation patterns (pyphen keeps them), for
    a DOCX open the reference document (kept for the render, see template.prepare) and
    read the advance widths of ``fonts`` (face → file), which its page estimate uses.
    Every format reads the tool's own words in the language (babel's PO reader, 11 ms)."""
    from report.i18n.strings import tool_strings
    from report.render.base import get_renderer

    get_renderer(fmt)
    tool_strings(language)
    if fmt == "pdf":
        from report.render import weasyprint_import, weasyprint_patches

        weasyprint_patches.apply()  # imports WeasyPrint and its layout, the slow part
        weasyprint_import.load_hyphenation(language)
    elif fmt == "docx" and template is not None:
        from report.render.docx.template import prepare

        prepare(template)
    if fmt == "docx" and fonts:
        from report.render.docx.metrics import read_faces

        read_faces(fonts)


def _worker_main(fmt: str, language: str, template: Path | None, jobs, results, parent: int, parent_ends,
                 fonts: dict | None = None) -> None:
    """The worker process: warm up, wait for one pickled (document, context, live), render
    it and send back the pickled (bytes, diagnostics). Ends when the job pipe closes,
    which it does when the parent closes it or dies: the worker first closes its own
    copies of the parent's ends (``parent_ends``), inherited with the fork."""
    from report.children import child_setup

    for end in parent_ends:
        end.close()
    child_setup(parent)
    try:
        _warm_up(fmt, language, template, fonts)
    except Exception:  # noqa: BLE001 - the render meets the same failure and reports it
        pass
    import gc

    # The imports' objects, frozen, are no longer visited by each collection the layout
    # sets off: 0.15 s of a 60-page PDF.
    gc.freeze()
    try:
        job = jobs.recv_bytes()
    except (EOFError, OSError):
        return  # the build stopped before rendering
    document, context, live = pickle.loads(job)
    send_or_leave(results, pickle.dumps(_render_one(fmt, document, context, live), pickle.HIGHEST_PROTOCOL))


def send_or_leave(connection, data: bytes) -> None:
    """Send ``data`` to the process that asked for it, or, when that one is gone (killed:
    the pipe is broken), end here quietly: nobody is left to read a traceback."""
    try:
        connection.send_bytes(data)
    except OSError:
        os._exit(1)


class RenderWorker:
    """One forked process that renders the build's slowest format: the PDF, else the
    DOCX. Start it before parsing (:meth:`start`), hand it the resolved document
    (:meth:`submit`), collect (bytes, diagnostics) (:meth:`result`); :meth:`close`
    ends it, also when the build failed before (``abort`` stops a render under way)."""

    # A build's one worker shares the machine with this process alone: it lays a PDF's
    # photographs out before they are made, while this process makes them (hand_over).
    # The languages of an --all-locales build keep every core busy: there they are made
    # first, on every core.
    lays_out_photographs_first = True

    def __init__(self, fmt: str, language: str, template: Path | None = None, fonts: dict | None = None):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.format = fmt
        self._sender = None  # the thread writing the job (submit)
        jobs_in, self._jobs = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        # fork, now: the child starts from this small process, not from one holding the
        # parsed sources, and imports its renderer on the other core meanwhile.
        self._process = context.Process(
            target=_worker_main, name=f"report-{fmt}", daemon=True,
            args=(fmt, language, template, jobs_in, results_out, os.getpid(), (self._jobs, self._results), fonts))
        self._process.start()
        jobs_in.close()
        results_out.close()

    @classmethod
    def start(cls, formats, language: str, templates: dict[str, Path], fonts: dict | None = None) -> RenderWorker | None:
        """A worker for the PDF (else the DOCX) in ``formats`` when a core is spare, else
        None (also where the system cannot fork: the build then renders here).
        ``templates``: the template files by kind, from report.yaml; ``fonts``: the main
        family's files by face."""
        fmt = slowest_format(formats)
        if (os.cpu_count() or 1) < 2 or fmt is None:
            return None
        try:
            return cls(fmt, language, templates.get(fmt), fonts)
        except (OSError, ValueError):  # no fork here (Windows), or no process left
            return None

    def submit(self, document: m.Document, context, live: bool) -> None:
        import threading

        job = pickle.dumps((document, context, live), pickle.HIGHEST_PROTOCOL)

        def send():
            try:
                self._jobs.send_bytes(job)
            except OSError:
                pass  # the worker is gone: result() says so

        # A thread, so that a worker still importing (the pipe full) does not hold up the
        # formats rendered here.
        self._sender = threading.Thread(target=send, daemon=True)
        self._sender.start()

    def result(self, context) -> tuple[bytes | None, list[Diagnostic]]:
        from multiprocessing.connection import wait

        wait([self._results, self._process.sentinel])
        try:
            return pickle.loads(self._results.recv_bytes())
        except (EOFError, OSError):
            return None, [cannot_render(self.format, context, "its worker process stopped (killed, or out of memory)",
                                        "build again; if it recurs, build with fewer formats at a time")]

    def close(self, abort: bool = False) -> None:
        if abort:
            self._process.terminate()
        if self._sender is not None:
            # Its write ends, done or broken by the worker's end, before the pipe is closed
            # under it (closed mid-write, the connection fails with a TypeError, uncaught).
            self._sender.join()
        self._jobs.close()  # a worker still waiting for its job sees the end and exits
        self._process.join()
        self._results.close()


def _return_freed_memory() -> None:
    """Collect this process's garbage and give the C heap's free pages back to the system
    (glibc's ``malloc_trim``) before it only waits for its worker: the DOCX and HTML
    renderers leave freed lxml memory behind (14 MiB at 287 pages) that would otherwise
    be held all along."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _remote(worker, formats) -> str | None:
    return worker.format if worker is not None and worker.format in formats else None


def start_rendering(document: m.Document, context, formats, progress: Progress = QUIET,
                    worker=None, meanwhile: Callable[[], T] | None = None):
    """Render here the formats other than ``worker``'s (a RenderWorker, or anything with
    its ``format``, ``submit`` and ``result``; :func:`hand_over` gave it its document),
    then run ``meanwhile``: (outputs, diagnostics, what ``meanwhile`` returned). The
    worker's format is added to both by :func:`finish_rendering`."""
    outputs: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    remote = _remote(worker, formats)
    for fmt in formats:
        if fmt == remote:
            continue
        with progress.stage(f"render {fmt}"):
            data, found = _render_one(fmt, document, context, progress.live)
        problems += found
        if data is not None:
            outputs[f"report.{fmt}"] = data
    extra = meanwhile() if meanwhile is not None else None
    return outputs, problems, extra


def hand_over(worker, document: m.Document, context, formats, progress: Progress = QUIET) -> None:
    """Hand ``worker`` its format's document, when ``formats`` hold its format.

    The figures' images are made once, for every process to read from the cache folder
    (report.render.figures.prepare_images). A PDF worker lays photographs (JPEG) out
    by their size alone and makes them only after its layout, the last first
    (``print_images``): this process hands it the document at once, then makes them
    first to last while the pages are laid out, on the core the layout leaves free.
    Other images (PNG), and every image when the worker cannot defer them (a DOCX
    worker, another WeasyPrint, an --all-locales pool), are made first, on every core."""
    if not _remote(worker, formats):
        return
    figures = any(isinstance(b, m.Figure) for s in document.sections for b in m.walk_blocks(s.blocks))
    deferred = False
    if figures:
        from report.render.figures import defers_photographs, prepare_images

        deferred = (worker.format == "pdf" and getattr(worker, "lays_out_photographs_first", False)
                    and defers_photographs())
        with progress.stage("prepare images"):
            prepare_images(document, context.root, os.cpu_count() or 1, ("png",) if deferred else ("png", "jpeg"))
    worker.submit(document, context, progress.live)
    if deferred:
        with progress.stage("prepare photographs"):
            prepare_images(document, context.root, 1, ("jpeg",))


def finish_rendering(worker, formats, context, progress: Progress, outputs: dict, problems: list,
                     free_memory: bool = True) -> None:
    """Wait for the worker's format (if it had one) and add it to ``outputs`` and ``problems``.
    ``free_memory``: return this process's freed memory first, when the wait is long (a
    PDF) and the cores are not needed elsewhere (an --all-locales build's renders are
    still at work on them: the collection, 30 ms, would be taken from theirs)."""
    remote = _remote(worker, formats)
    if remote:
        if remote == "pdf" and free_memory:  # a long wait; a DOCX is back in milliseconds
            _return_freed_memory()
        label = "render pdf (laying out pages)" if remote == "pdf" else f"render {remote}"
        with progress.stage(label):
            data, found = worker.result(context)
        problems += found
        if data is not None:
            outputs[f"report.{remote}"] = data
