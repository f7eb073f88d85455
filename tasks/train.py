"""Train: fit the offline heads on public data (one task per head; deterministic, so no retries)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.models import training


def train_head(name: str, data_dir: str, out_dir: str, seed: int = 0) -> dict:
    """Train one head (HEADS); returns its dev metrics (also in its model card)."""
    trainers = {"sentiment": training.train_sentiment, "sentiment-shared": training.train_shared_sentiment,
                "stance": training.train_stance}  # fmt: skip
    if name not in trainers:
        raise ValueError(f"unknown head {name!r}; choose one of {', '.join(trainers)}")
    return trainers[name](data_dir, out_dir, seed=seed)


@task(name="train-head", cache_policy=NO_CACHE, timeout_seconds=4 * 3600)
def train(name: str, data_dir: str, out_dir: str, seed: int = 0) -> dict:
    return train_head(name, data_dir, out_dir, seed)
