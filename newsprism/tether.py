"""Run a command that dies with the process that started it: `python -m newsprism.tether PARENT_PID CMD...`.

`newsprism run` starts Prefect's temporary API server through this, so that killing the run (even with
SIGKILL, which no handler sees) leaves no server behind: on Linux the kernel sends the command SIGTERM when
its parent dies (`PR_SET_PDEATHSIG`, kept across `exec`); where that is not available the command simply
runs (the parent still stops it when it ends normally). No imports beyond the standard library: it starts
before every command the server runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to send this process SIGTERM when its parent dies; exit at once if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        raise SystemExit(0)


def main(argv: list[str]) -> None:
    if len(argv) < 2 or not argv[0].isdigit():
        raise SystemExit("usage: python -m newsprism.tether PARENT_PID COMMAND [ARG...]")
    die_with_parent(int(argv[0]))
    os.execvp(argv[1], argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
