"""Pure per-story work on the machine's other cores: cleaning, sentence splitting and entity tagging, the load's
rows and fingerprints, the comparison's bootstrap intervals, the report's charts.

Those are pure Python, one core's work in the flow's process, while the model stages use every core through
torch. On a run of many stories they are most of the run's time, so `story_map` spreads them over worker
processes, a story at a time, results in the stories' order — the same values as a loop in the flow's process:

    from newsprism.processes import story_map
    cleaned = list(story_map(clean_story, stories, workers=2))

A pool of `workers` processes is started on first use and kept for the rest of the process (a later batch,
stage or run reuses it: each worker loads a model once). Workers are started fresh (`spawn`: nothing of the
flow's process — its threads, torch, the Prefect client — is copied into them, nor its main script: a script
that runs a flow without an `if __name__ == "__main__":` guard is not run again in each worker) and exit within
a second of the process that started them, even one killed with SIGKILL (each watches its parent). Small inputs, or
`workers` 1, stay in the calling process: a pool costs about a second to start.
"""

from __future__ import annotations

import atexit
import multiprocessing.context
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.popen_spawn_posix import Popen

T = TypeVar("T")
R = TypeVar("R")

# below this many articles a stage's stories run in the calling process: a pool's start (~1 s) costs more
# than it saves
MIN_POOL_ARTICLES = 64

_pools: dict[int, ProcessPoolExecutor] = {}


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def _watch_parent(parent_pid: int, every_s: float = 1.0) -> None:
    """A worker's initialiser: exit as soon as the process that started the pool is gone (its parent is then
    another process). A thread, not PR_SET_PDEATHSIG, which fires when the *thread* that started the worker
    ends: any thread of the flow's process may start one."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(every_s)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned worker that is not given the parent's main script to run again (spawn's default: a script
    without a main guard would start its flow again in every worker). It needs none: it runs functions of
    newsprism's modules, which it imports by name."""

    @staticmethod
    def _Popen(process_obj: multiprocessing.process.BaseProcess) -> Popen:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")  # read once, as the worker's start is prepared
        try:
            return multiprocessing.context.SpawnProcess._Popen(process_obj)
        finally:
            sys.modules["__main__"] = main


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


def _pool(workers: int) -> ProcessPoolExecutor:
    """The pool of `workers` processes; a new one when a worker of the last died (killed, out of memory): the
    call that met the dead worker raised BrokenProcessPool, the next ones run."""
    if workers in _pools and getattr(_pools[workers], "_broken", False):
        _pools.pop(workers).shutdown(wait=False, cancel_futures=True)
    if workers not in _pools:
        _pools[workers] = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_WorkerContext(),
            initializer=_watch_parent,
            initargs=(os.getpid(),),
        )
    return _pools[workers]


def shutdown() -> None:
    """Stop every pool this process started (at exit, and in tests)."""
    while _pools:
        _pools.popitem()[1].shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def story_map(
    fn: Callable[[T], R],
    stories: Sequence[T],
    workers: int | None = None,
    min_articles: int | None = None,
    articles: int | None = None,
) -> Iterator[R]:
    """`fn` (a module-level function: it is sent to the workers by name) of each story, in order, as each is
    done; on `workers` processes (default: one per core) when the stories hold at least `min_articles`
    (default MIN_POOL_ARTICLES) articles, `articles` (default: each story is a sequence of articles), else
    here. An exception in `fn` is raised here, as from a loop."""
    n = default_workers() if workers is None else workers
    size = sum(map(len, stories)) if articles is None else articles  # type: ignore[arg-type]
    if n <= 1 or size < (MIN_POOL_ARTICLES if min_articles is None else min_articles):
        return map(fn, stories)
    # a few stories per message: fewer round trips, and the workers still share the stories evenly
    chunk = max(1, len(stories) // (n * 4))
    return _pool(n).map(fn, stories, chunksize=chunk)
