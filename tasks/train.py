"""Train: fit the offline heads on public data (one task per head; deterministic, so no retries)."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.models.profiles import HEAD_NAMES, HeadName
from newsprism.models.trainers import TRAINERS


def train_head(name: HeadName, data_dir: str, out_dir: str, seed: int = 0) -> dict[str, Any]:
    """Train one head (a name in `profiles.HEAD_NAMES`); returns its dev metrics (also in its model card)."""
    if name not in TRAINERS:
        raise ValueError(f"unknown head {name!r}; choose one of {', '.join(HEAD_NAMES)}")
    return TRAINERS[name](data_dir, out_dir, seed=seed)


@task(name="train-head", cache_policy=NO_CACHE, timeout_seconds=4 * 3600)
def train(name: HeadName, data_dir: str, out_dir: str, seed: int = 0) -> dict[str, Any]:
    return train_head(name, data_dir, out_dir, seed)
