"""train-heads: fit the offline heads: stance (FNC-1), sentiment and the fast shared-trunk sentiment (NewsMTSC),
the "same point" pairs head (MSRP) and the entity-attitude calibration (BASIL).

The data stays where it is (a path parameter); heads and their model cards are written to `out`.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from pydantic import BaseModel, Field

from newsprism.models.profiles import HEAD_NAMES, HeadName
from newsprism.tasks.train import train


class TrainParams(BaseModel):
    """Where the public data is and where the heads go."""

    data: str = Field(
        "../shared/data", description="Root of the shared data (holds sentiment/newsmtsc, stance/fnc1, pairs, corpora)"
    )
    out: str = Field("models/heads", description="Directory for the head files and model cards")
    only: HeadName | None = Field(None, description="Train one head only (default: all of them)")
    seed: int = Field(0, description="Random seed: the same seed gives the same heads")


@flow(name="train-heads", log_prints=True)
def train_heads(params: TrainParams = TrainParams()) -> dict[str, Any]:  # noqa: B008 (Prefect form default)
    logger = get_run_logger()
    heads = [params.only] if params.only else list(HEAD_NAMES)
    metrics: dict[str, Any] = {name: train(name, params.data, params.out, params.seed) for name in heads}
    logger.info("Trained %s into %s: %s", ", ".join(heads), params.out, metrics)
    return metrics


if __name__ == "__main__":
    train_heads()
