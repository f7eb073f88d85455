"""Process-wide progress and timing hooks.

The CLI installs a progress bar; under a Prefect worker it is a no-op. Tasks time their own work with
`stage_timer`, so a run can tell the stages' work apart from orchestration overhead.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_hook: Callable[[str, float], None] | None = None
_timings: dict[str, float] = defaultdict(float)


def install(hook: Callable[[str, float], None] | None) -> None:
    global _hook
    _hook = hook


def advance(stage: str, n: float = 1) -> None:
    """`n` more of `stage`'s articles done (a fraction while a batch is part-way)."""
    if _hook is not None:
        _hook(stage, n)


@contextmanager
def stage_timer(stage: str) -> Iterator[None]:
    """Add the wall time of the block to `stage`'s total."""
    started = time.perf_counter()
    try:
        yield
    finally:
        _timings[stage] += time.perf_counter() - started


def reset_timings() -> None:
    _timings.clear()


def timings() -> dict[str, float]:
    return {stage: round(seconds, 4) for stage, seconds in _timings.items()}
