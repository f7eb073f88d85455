"""A process-wide progress hook: the CLI installs a progress bar; under a Prefect worker it is a no-op."""

from __future__ import annotations

from collections.abc import Callable

_hook: Callable[[str, int], None] | None = None


def install(hook: Callable[[str, int], None] | None) -> None:
    global _hook
    _hook = hook


def advance(stage: str, n: int = 1) -> None:
    if _hook is not None:
        _hook(stage, n)
