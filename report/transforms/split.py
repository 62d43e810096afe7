"""Rendering a report's cites on several cores.

citeproc-py renders about 2,700 cites a second here, on one core: a third of reading
a long report. Each cite's text depends on the cite, its position (computed
beforehand, report.transforms.positions) and the keys registered before it, nothing
else. So :func:`cite_texts` forks helpers that each render one stretch of the
cites after registering the keys before it, while this process renders the first
stretch; the texts are the same as one process makes (tested).

Takes the engine and the cites in reading order as (item, position, near note);
returns citeproc's HTML of each, in that order. Helpers are used only where they pay
(enough cites, a spare core, fork) and are safe (no other thread in this process
whose locks a fork could copy held, as in ``report serve``).
"""

from __future__ import annotations

import os
import pickle
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
    started = [_fork_helper(engine, cites, start, end) for start, end in parts[1:]]
    texts: list[str] = []
    failure: Diagnostic | None = None
    try:
        start, end = parts[0]
        for cite in cites[start:end]:
            texts.append(engine.cite_text(*cite))
    except ReportError as exc:
        failure = exc.diagnostics[0]
    results = [_collect(reader, pid) for reader, pid in started]
    if failure is not None:
        raise ReportError([failure])
    for (start, end), got in zip(parts[1:], results):
        if isinstance(got, Diagnostic):
            raise ReportError([got])
        if got is None:  # the helper died (killed): its stretch is rendered here
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
    """A forked process rendering ``cites[start:end]``: (the pipe to read, its pid)."""
    reader, writer = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(writer)
        return reader, pid
    # The helper: never back into the caller's code, never a traceback of its own.
    code = 1
    try:
        from report.children import child_setup

        os.close(reader)
        child_setup(parent)
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
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        return pickle.loads(data)  # noqa: S301 - written by this process's own fork
    except Exception:  # noqa: BLE001 - killed before or while writing
        return None
