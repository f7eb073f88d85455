"""Settings read once, at each entry point, from the environment (nothing else reads os.environ).

The entry points: the CLI (`newsprism.cli.main`), the `analyse-coverage` flow (the entry point of the runs a
Prefect worker starts: it reads the hub checkpoints here) and the benchmarks. Each calls `Settings.from_env()`
once and passes plain values on.

    NEWSPRISM_DB               `newsprism run/show/sql`: the default --db
    NEWSPRISM_PROFILE          `newsprism run`: the default --profile
    NEWSPRISM_HUB_SUMMARISER   the `hub` profile's checkpoints (a Hugging Face id or a local directory), for
    NEWSPRISM_HUB_SENTIMENT    every run, in-process or started by a worker; a checkpoint the run names
    NEWSPRISM_HUB_STANCE       (the flow's `hub_models` parameter) wins
    NEWSPRISM_HEARTBEATS=1     keep Prefect's flow-run heartbeats for flows run in-process
    NEWSPRISM_PROGRESS=1       `newsprism run`: show the progress bar even when stderr is not a terminal
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    db: str = "warehouse/newsprism.duckdb"
    profile: str = "local"
    hub_summariser: str | None = None
    hub_sentiment: str | None = None
    hub_stance: str | None = None
    heartbeats: bool = False  # Prefect flow-run heartbeats for flows run in-process (see newsprism.inprocess)
    progress: bool = False  # a progress bar even when stderr is not a terminal

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
            heartbeats=env.get("NEWSPRISM_HEARTBEATS", "") == "1",
            progress=env.get("NEWSPRISM_PROGRESS", "") == "1",
        )

    def hub_models(self) -> dict[str, str]:
        """The hub checkpoints the environment names, per task (summariser, sentiment, stance)."""
        named = {"summariser": self.hub_summariser, "sentiment": self.hub_sentiment, "stance": self.hub_stance}
        return {task: ref for task, ref in named.items() if ref}
