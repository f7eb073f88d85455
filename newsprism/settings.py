"""Settings read once, at the entry point, from the environment (nothing else reads os.environ)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    db: str = "warehouse/newsprism.duckdb"
    profile: str = "local"
    hub_summariser: str | None = None
    hub_sentiment: str | None = None
    hub_stance: str | None = None
    heartbeats: bool = False  # Prefect flow-run heartbeats for flows run in-process (see newsprism.inprocess)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            db=env.get("NEWSPRISM_DB", cls.db),
            profile=env.get("NEWSPRISM_PROFILE", cls.profile),
            hub_summariser=env.get("NEWSPRISM_HUB_SUMMARISER") or None,
            hub_sentiment=env.get("NEWSPRISM_HUB_SENTIMENT") or None,
            hub_stance=env.get("NEWSPRISM_HUB_STANCE") or None,
            heartbeats=env.get("NEWSPRISM_HEARTBEATS", "") == "1",
        )
