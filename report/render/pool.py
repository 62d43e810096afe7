"""Rendering the slowest format of several documents at once: the languages of ``--all-locales``.

A :class:`RenderPool` is one process forked when the build starts, like a
:class:`~report.render.run.RenderWorker`: it imports its renderer (WeasyPrint, with
every language's hyphenation patterns) while the build reads and checks the first
language. Each document it is then handed is rendered in a process forked from it,
which starts with all of that already imported: all renders at once while there are
at most two a core, else one a core at a time. Meanwhile the build checks the next language and
renders its other formats. Results come back in any order, each under its job's key.

Every process here is a child that never outlives its parent (report.children): a
stopped build ends the pool, and the pool's end ends its renders.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections import deque
from pathlib import Path

from report.diagnostics import Diagnostic
from report.render.run import _render_one, _warm_up, cannot_render, send_or_leave, slowest_format

_STOPPED = "its render process stopped (killed, or out of memory)"
_HINT = "build again; if it recurs, build fewer languages at a time"


def _render_job(fmt: str, job: bytes, out, parent: int, pool_ends) -> None:
    """A render process: one pickled (document, context, live) in, (bytes, diagnostics) out.
    ``pool_ends``: the pool's own pipe ends, inherited with the fork and closed here, so
    that the build sees the end of the pool's results as soon as the pool is gone."""
    from report.children import child_setup

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the pool's handler, inherited with the fork
    for end in pool_ends:
        end.close()
    child_setup(parent)
    document, context, live = pickle.loads(job)
    send_or_leave(out, pickle.dumps(_render_one(fmt, document, context, live), pickle.HIGHEST_PROTOCOL))


def _pool_main(fmt: str, languages, template, jobs, results, parent: int, parent_ends, limit: int) -> None:
    """The pool process: warm up, then fork a render for each (key, job) received, at most
    ``limit`` at a time, and pass each result on as (key, pickled result or None).
    Ends when the job pipe is closed and every render has reported."""
    import gc
    import multiprocessing
    from multiprocessing.connection import wait

    from report.children import child_setup

    for end in parent_ends:
        end.close()
    child_setup(parent)
    running: dict = {}  # the result pipe of each render → (its key, its process)
    pool = os.getpid()

    def stop(signum, frame):
        # Stopped by the build (it failed, or was interrupted): the renders end with it.
        if os.getpid() != pool:
            os._exit(1)  # a render just forked, still with this handler
        for _, process in running.values():
            process.terminate()
        for _, process in running.values():
            process.join(1)
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)
    for language in languages if fmt == "pdf" else languages[:1]:  # (hyphenation is per language)
        try:
            _warm_up(fmt, language, template)
        except Exception:  # noqa: BLE001 - each render meets the same failure and reports it
            break
    gc.freeze()  # (see _worker_main)
    context = multiprocessing.get_context("fork")
    waiting: deque = deque()
    receiving = True
    while receiving or waiting or running:
        while waiting and len(running) < limit:
            key, job = waiting.popleft()
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_render_job, args=(fmt, job, writer, pool, (jobs, results)),
                                      daemon=True, name=f"report-{fmt}-{key}")
            process.start()
            writer.close()
            running[reader] = (key, process)
        for ready in wait(([jobs] if receiving else []) + list(running)):
            if ready is jobs:
                try:
                    waiting.append(pickle.loads(jobs.recv_bytes()))
                except (EOFError, OSError):
                    receiving = False  # the build sent all it had, or stopped
                continue
            key, process = running.pop(ready)
            try:
                data = ready.recv_bytes()
            except (EOFError, OSError):
                data = None
            ready.close()
            process.join()
            send_or_leave(results, pickle.dumps((key, data), pickle.HIGHEST_PROTOCOL))


class RenderPool:
    """Renders one format of several documents in processes forked from one warm
    process: :meth:`submit` a document under a key, :meth:`result` for that key,
    :meth:`close` at the end (``abort`` stops renders under way)."""

    def __init__(self, fmt: str, languages, template: Path | None, limit: int):
        import multiprocessing
        import multiprocessing.util
        import queue
        import threading

        context = multiprocessing.get_context("fork")
        self.format = fmt
        jobs_in, self._jobs = context.Pipe(duplex=False)
        self._results, results_out = context.Pipe(duplex=False)
        # Not a daemon: those may not have children. close() (and report.children, should
        # this process die) end it all the same.
        self._process = context.Process(
            target=_pool_main, name=f"report-{fmt}-pool", daemon=False,
            args=(fmt, tuple(languages), template, jobs_in, results_out, os.getpid(),
                  (self._jobs, self._results), limit))
        self._process.start()
        jobs_in.close()
        results_out.close()
        # A pool its build never closed (a bug) must not hold this process's exit, where
        # multiprocessing waits for its children: it is stopped first.
        multiprocessing.util.Finalize(self, self._process.terminate, exitpriority=10)
        self._done: dict = {}
        # Jobs are written by one thread, in order, so that a pool still importing (the
        # pipe full) does not hold up the languages checked and rendered here.
        self._outbox: queue.Queue = queue.Queue()
        self._sender = threading.Thread(target=self._send, daemon=True)
        self._sender.start()

    @classmethod
    def start(cls, formats, languages, templates: dict[str, Path]) -> RenderPool | None:
        """A pool for the PDF (else the DOCX) among ``formats``, or None (one core, no fork)."""
        cores = os.cpu_count() or 1
        if cores < 2:
            return None
        # All renders at once while there are at most two a core: three on two cores
        # take 1.5 renders' time together, where two at a time would leave the third
        # alone on one core at the end (2 renders' time).
        limit = len(languages) if len(languages) <= 2 * cores else cores
        fmt = slowest_format(formats)
        if fmt is None:
            return None
        try:
            return cls(fmt, languages, templates.get(fmt), limit)
        except (OSError, ValueError):  # no fork here, or no process left
            return None

    def _send(self) -> None:
        while (job := self._outbox.get()) is not None:
            try:
                self._jobs.send_bytes(job)
            except OSError:
                pass  # the pool is gone: result() says so

    def job(self, key: str) -> PoolJob:
        """A handle for one document, with a RenderWorker's ``format``, ``submit`` and ``result``."""
        return PoolJob(self, key)

    def submit(self, key: str, document, context, live: bool = False) -> None:
        self._outbox.put(pickle.dumps((key, pickle.dumps((document, context, live), pickle.HIGHEST_PROTOCOL)),
                                      pickle.HIGHEST_PROTOCOL))

    def result(self, key: str, context) -> tuple[bytes | None, list[Diagnostic]]:
        from multiprocessing.connection import wait

        while key not in self._done:
            wait([self._results, self._process.sentinel])
            try:
                got, data = pickle.loads(self._results.recv_bytes())
            except (EOFError, OSError):
                return None, [cannot_render(self.format, context, _STOPPED, _HINT)]
            self._done[got] = data
        data = self._done.pop(key)
        if data is None:
            return None, [cannot_render(self.format, context, _STOPPED, _HINT)]
        return pickle.loads(data)

    def close(self, abort: bool = False) -> None:
        from multiprocessing.connection import wait

        if abort:
            self._process.terminate()
        self._outbox.put(None)
        self._sender.join()  # its last write ends, done or broken, before the pipe closes
        self._jobs.close()  # the pool sees the end, lets its renders finish and exits
        # Results nobody asked for (a language that failed after its job was sent) are
        # read meanwhile: a pool writing one to a full pipe would never end.
        while self._process.is_alive():
            if self._results in wait([self._results, self._process.sentinel]):
                try:
                    got, data = pickle.loads(self._results.recv_bytes())
                except (EOFError, OSError):
                    break
                self._done[got] = data
        self._process.join()
        self._results.close()


class PoolJob:
    """One document's render in a :class:`RenderPool`, used where a RenderWorker would be."""

    def __init__(self, pool: RenderPool, key: str):
        self.pool, self.key, self.format = pool, key, pool.format

    def submit(self, document, context, live: bool = False) -> None:
        # Not live: several documents' pages would share one terminal line.
        self.pool.submit(self.key, document, context, False)

    def result(self, context) -> tuple[bytes | None, list[Diagnostic]]:
        return self.pool.result(self.key, context)
