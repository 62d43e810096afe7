"""Rendering a report's cites on several cores.

citeproc-py renders about 2,700 cites a second here, on one core: a third of reading
a long report. Each cite's text depends on the cite, its position (computed
beforehand, report.transforms.positions) and the keys registered before it, nothing
else. So :func:`cite_texts` forks helpers that each render one stretch of the
cites after registering the keys before it, while this process renders the first
stretch; the texts are the same as one process makes (tested).

Takes the engine and the cites in reading order as (item, position, near note);
returns citeproc's HTML of each, in that order. Helpers are used only where they pay
(enough cites, a spare core, fork) and are safe: no other thread in this process
whose locks a fork could copy held (``report serve`` once its server runs). Where a
helper cannot be forked or dies, its cites are rendered here; when this process is
interrupted, its helpers are stopped with it.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading

from report.diagnostics import Diagnostic
from report.errors import ReportError

# Below this many cites a stretch, forking (about 3 ms) costs more than it saves.
MIN_STRETCH = 60


def cite_texts(engine, cites: list, helpers: int = 0) -> list[str]:
    """citeproc's HTML of each (item, position, near_note) in ``cites``; up to
    ``helpers`` forked processes render stretches of them. ReportError (CIT010) for
    the first cite, in reading order, that the style fails on."""
    parts = _stretches(len(cites), helpers)
    if len(parts) == 1 or not _can_fork():
        return [engine.cite_text(*cite) for cite in cites]
    started: dict[tuple[int, int], tuple[int, int]] = {}  # stretch → (pipe to read, pid)
    results: dict[tuple[int, int], list[str] | Diagnostic | None] = {}
    texts: list[str] = []
    failure: Diagnostic | None = None
    try:
        for stretch in parts[1:]:
            try:
                started[stretch] = _fork_helper(engine, cites, *stretch)
            except OSError:  # no process or file descriptor left: rendered here instead
                break
        start, end = parts[0]
        try:
            for cite in cites[start:end]:
                texts.append(engine.cite_text(*cite))
        except ReportError as exc:
            failure = exc.diagnostics[0]
        for stretch in list(started):
            results[stretch] = _collect(*started.pop(stretch))
    finally:
        for reader, pid in started.values():  # interrupted (Ctrl-C): the helpers end with us
            _stop(reader, pid)
    if failure is not None:
        raise ReportError([failure])
    for start, end in parts[1:]:
        got = results.get((start, end))
        if isinstance(got, Diagnostic):
            raise ReportError([got])
        if got is None:  # not forked, or the helper died (killed): its stretch is rendered here
            for cite in cites[:start]:
                engine.register(cite[0])
            got = [engine.cite_text(*cite) for cite in cites[start:end]]
        texts.extend(got)
    return texts


def _stretches(count: int, helpers: int) -> list[tuple[int, int]]:
    """(start, end) of each process's cites: as many as pay, up to ``helpers`` + 1."""
    parts = max(1, min(helpers + 1, count // MIN_STRETCH))
    bounds = [count * i // parts for i in range(parts + 1)]
    return list(zip(bounds, bounds[1:]))


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _fork_helper(engine, cites: list, start: int, end: int) -> tuple[int, int]:
    """A forked process rendering ``cites[start:end]``: (the pipe to read, its pid).
    OSError when there is no process or pipe to be had."""
    reader, writer = os.pipe()
    parent = os.getpid()
    # Ctrl-C and SIGTERM wait until the helper has its own handlers: delivered between
    # the fork and those, they would unwind the helper through the build's code.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(reader)
        os.close(writer)
        raise
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(writer)
        return reader, pid
    # The helper: never back into the caller's code, never a traceback of its own.
    code = 1
    try:
        from report.children import child_setup

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        child_setup(parent)  # Ctrl-C is the parent's; the build lock's copy closed
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(reader)
        for item, _, _ in cites[:start]:
            engine.register(item)
        try:
            result: list[str] | Diagnostic = [engine.cite_text(*cite) for cite in cites[start:end]]
        except ReportError as exc:
            result = exc.diagnostics[0]
        with os.fdopen(writer, "wb") as out:
            out.write(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)


def _collect(reader: int, pid: int) -> list[str] | Diagnostic | None:
    """A helper's texts (or the diagnostic of the cite it failed on); None when it
    died without answering."""
    try:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)
    try:
        return pickle.loads(data)  # noqa: S301 - written by this process's own fork
    except Exception:  # noqa: BLE001 - killed before or while writing
        return None


def _stop(reader: int, pid: int) -> None:
    """End a helper whose answer is no longer wanted, and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.close(reader)
    except OSError:
        pass  # closed by an interrupted _collect
    os.waitpid(pid, 0)
