"""Progress of a long build: the current stage on a terminal, stage times with --verbose.

Quiet when stderr is not a terminal (CI logs, pipes) unless ``verbose``; the build
calls :meth:`Progress.stage` around each of its stages.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, enabled: bool = False, verbose: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.live = enabled and self.stream.isatty()
        self.verbose = verbose
        self.times: list[tuple[str, float]] = []

    @contextmanager
    def stage(self, name: str):
        """Show ``name`` while the block runs; record (and with verbose print) its time."""
        if self.live:
            self.stream.write(f"\r\x1b[2K{name}…")
            self.stream.flush()
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.times.append((name, elapsed))
            if self.live:
                self.stream.write("\r\x1b[2K")
            if self.verbose:
                self.stream.write(f"{name}: {elapsed:.3f} s\n")
            self.stream.flush()


QUIET = Progress()
