"""Settings read once, at each entry point, from the environment (nothing else reads os.environ).

The entry points: the CLI (`newsprism.cli.main`), the `analyse-coverage` flow (the entry point of the runs a
Prefect worker starts: it reads the hub checkpoints here) and the benchmarks. Each calls `Settings.from_env()`
once and passes plain values on.

    NEWSPRISM_DB               `newsprism run/show/sql`: the default --db
    NEWSPRISM_PROFILE          `newsprism run`: the default --profile
    NEWSPRISM_HUB_SUMMARISER   the `hub` profile's checkpoints (a Hugging Face id or a local directory), for
    NEWSPRISM_HUB_SENTIMENT    every run, in-process or started by a worker; a checkpoint the run names
    NEWSPRISM_HUB_STANCE       (the flow's `hub_models` parameter) wins
    NEWSPRISM_HUB_PAIRS        the `hub` profile's same-point cross-encoder (a sequence-pair classifier), likewise
    NEWSPRISM_HEARTBEATS=1     keep Prefect's flow-run heartbeats for flows run in-process
    NEWSPRISM_PROGRESS=1       `newsprism run`: show the progress bar even when stderr is not a terminal
    NEWSPRISM_MAX_INPUT_MB     `newsprism run`: the default --max-input-mb (inputs larger than this many MB
                               are quarantined as too_large, unread; default 20)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from newsprism.corpus import MAX_INPUT_BYTES, MEGABYTE
from newsprism.errors import UserError

# a run's report artifacts carry charts for this many of its largest stories (each costs ~1 s to draw); every
# other story's artifact says how to draw its own (`newsprism report`)
CHART_STORIES = 20


@dataclass(frozen=True)
class Settings:
    db: str = "warehouse/newsprism.duckdb"
    profile: str = "local"
    hub_summariser: str | None = None
    hub_sentiment: str | None = None
    hub_stance: str | None = None
    hub_pairs: str | None = None
    heartbeats: bool = False  # Prefect flow-run heartbeats for flows run in-process (see newsprism.inprocess)
    progress: bool = False  # a progress bar even when stderr is not a terminal
    max_input_mb: float = MAX_INPUT_BYTES / MEGABYTE  # larger inputs are quarantined unread (too_large)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings `env` (default: this process's environment) gives; unset: the default."""
        env = os.environ if env is None else env
        return cls(
            db=env.get("NEWSPRISM_DB", cls.db),
            profile=env.get("NEWSPRISM_PROFILE", cls.profile),
            hub_summariser=env.get("NEWSPRISM_HUB_SUMMARISER") or None,
            hub_sentiment=env.get("NEWSPRISM_HUB_SENTIMENT") or None,
            hub_stance=env.get("NEWSPRISM_HUB_STANCE") or None,
            hub_pairs=env.get("NEWSPRISM_HUB_PAIRS") or None,
            heartbeats=env.get("NEWSPRISM_HEARTBEATS", "") == "1",
            progress=env.get("NEWSPRISM_PROGRESS", "") == "1",
            max_input_mb=_positive_mb(env.get("NEWSPRISM_MAX_INPUT_MB") or None, cls.max_input_mb),
        )

    def hub_models(self) -> dict[str, str]:
        """The hub checkpoints the environment names, per task (summariser, sentiment, stance, pairs)."""
        named = {"summariser": self.hub_summariser, "sentiment": self.hub_sentiment, "stance": self.hub_stance,
                 "pairs": self.hub_pairs}  # fmt: skip
        return {task: ref for task, ref in named.items() if ref}


def environment_with(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment plus `extra`: the environment of a child process (the temporary Prefect
    server `newsprism.inprocess` starts), which reads its own settings."""
    return {**os.environ, **extra}


def _positive_mb(value: str | None, default: float) -> float:
    """NEWSPRISM_MAX_INPUT_MB as a number of MB > 0 (unset: `default`); anything else is a UserError."""
    if value is None:
        return default
    try:
        mb = float(value)
    except ValueError:
        mb = 0.0
    if not mb > 0 or mb == float("inf"):
        raise UserError(f"NEWSPRISM_MAX_INPUT_MB: expected a number of MB above 0, got {value!r}")
    return mb
