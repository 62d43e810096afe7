"""What every process a build forks does first, so that it never outlives its build.

A forked child inherits the build lock's file (``outputs.build_lock``): if the parent
is killed while the child waits or works, the child would keep the lock, and every
later build of the project would wait forever. So a child closes its copy of the lock
(the lock itself stays with the parent: flock locks belong to the open file, released
when its last descriptor closes), exits as soon as its parent is gone, and leaves
Ctrl-C to the parent when the parent stops it (the render worker).
"""

from __future__ import annotations

import os
import signal
import threading
import time

# Files held open by build_lock in this process; a child closes its copies.
held_locks: list = []


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def child_setup(parent: int, leave_interrupt_to_parent: bool = True) -> None:
    """Call first in a forked child of a build (a ProcessPoolExecutor initializer, or
    the start of a worker's main function). ``parent``: the pid of the process that
    forked it, taken before the fork (it may be gone already when this runs).
    ``leave_interrupt_to_parent``: ignore Ctrl-C here, for a child the parent stops."""
    if leave_interrupt_to_parent:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for handle in held_locks:
        try:
            handle.close()
        except OSError:
            pass
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
