"""Train: fit the offline heads on public data (one task per head; deterministic, so no retries)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.models import training


def train_head(name: str, data_dir: str, out_dir: str, seed: int = 0) -> dict:
    """Train one head (a name in `training.HEADS`); returns its dev metrics (also in its model card)."""
    if name not in training.HEADS:
        raise ValueError(f"unknown head {name!r}; choose one of {', '.join(training.HEADS)}")
    return training.HEADS[name](data_dir, out_dir, seed=seed)


@task(name="train-head", cache_policy=NO_CACHE, timeout_seconds=4 * 3600)
def train(name: str, data_dir: str, out_dir: str, seed: int = 0) -> dict:
    return train_head(name, data_dir, out_dir, seed)
