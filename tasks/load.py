"""Load: the only stage that writes. One transaction per story; idempotent on content hash and model id."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.progress import stage_timer, timings
from newsprism.records import (
    LinkRow,
    RejectedInput,
    RunRecord,
    SentimentRow,
    SplitArticle,
    StageOutput,
    StanceRow,
    Story,
    SummaryRow,
)
from newsprism.retry import retry_on_transient_io
from newsprism.warehouse.db import WarehouseBusy, connect
from newsprism.warehouse.load import load_story, record_rejections, record_run

LOCK_WAIT_S = 60.0


def load_stories(
    db: str,
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summaries: list[StageOutput[SummaryRow]],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
    links: list[StageOutput[LinkRow]],
    model_ids: dict[str, str],
    lock_wait_s: float = LOCK_WAIT_S,
) -> list[dict[str, int]]:
    """Load every story (one transaction each) through one connection; per story the rows written per
    table, or `{"unchanged": 1}`. All lists are per story, in the same order; the model stages' rows are
    loaded (their counts of work go to the run's record)."""
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        return [
            load_story(
                con,
                story,
                mine,
                story_summaries["rows"],
                story_sentiment["rows"],
                story_stance["rows"],
                model_ids,
                story_links["rows"],
            )
            for story, mine, story_summaries, story_sentiment, story_stance, story_links in zip(
                stories, articles, summaries, sentiment, stance, links, strict=True
            )
        ]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_record(
    flow_run_id: str | None,
    parameters: dict[str, Any],
    model_ids: dict[str, str],
    started: datetime,
    model_work: Sequence[StageOutput[Any]],
    story_ids: list[str],
    n_articles: int,
) -> RunRecord:
    """The `runs` row: parameters, the stages' own work time (from their timers) and the flow's wall time,
    and the units of model work computed vs served from the per-article cache."""
    computed: dict[str, int] = defaultdict(int)
    cached: dict[str, int] = defaultdict(int)
    for output in model_work:
        for unit, n in output["computed"].items():
            computed[unit] += n
        for unit, n in output["cached"].items():
            cached[unit] += n
    finished = utc_now()
    return RunRecord(
        run_id=str(uuid.uuid4()),
        flow_run_id=flow_run_id,
        profile=model_ids["name"],
        parameters={**parameters, "models": model_ids},
        started_at=started,
        finished_at=finished,
        timings={**timings(), "flow_wall": round((finished - started).total_seconds(), 4)},
        computed=dict(computed),
        cached=dict(cached),
        stories=story_ids,
        articles=n_articles,
    )


def record_run_row(db: str, run: RunRecord, lock_wait_s: float = LOCK_WAIT_S) -> None:
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        record_run(con, run)


@task(name="load", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE)
def load(
    db: str,
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summaries: list[StageOutput[SummaryRow]],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
    links: list[StageOutput[LinkRow]],
    model_ids: dict[str, str],
) -> list[dict[str, int]]:
    """Per story (its definition, split articles and model stages' outputs): the rows written per table."""
    with stage_timer("load"):
        return load_stories(db, stories, articles, summaries, sentiment, stance, links, model_ids)


@task(
    name="record-run", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE
)
def save_run(
    db: str,
    flow_run_id: str | None,
    parameters: dict[str, Any],
    model_ids: dict[str, str],
    started: datetime,
    model_work: Sequence[StageOutput[Any]],
    story_ids: list[str],
    n_articles: int,
) -> RunRecord:
    """Record the run (its `runs` row, see `run_record`) and return it."""
    with stage_timer("load"):
        run = run_record(flow_run_id, parameters, model_ids, started, model_work, story_ids, n_articles)
        record_run_row(db, run)
        return run


def record_quarantine(db: str, run_id: str, rejected: list[RejectedInput], lock_wait_s: float = LOCK_WAIT_S) -> int:
    """Write the run's quarantined inputs, its `rejected_inputs` rows (a rerun of the run id replaces them)."""
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        return record_rejections(con, run_id, rejected)


@task(
    name="record-quarantine",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=retry_on_transient_io,
    cache_policy=NO_CACHE,
)
def quarantine(db: str, run_id: str, rejected: list[RejectedInput]) -> int:
    """Record the inputs the run quarantined (`record_quarantine`); returns how many."""
    with stage_timer("load"):
        return record_quarantine(db, run_id, rejected)


__all__ = [
    "WarehouseBusy",
    "load",
    "load_stories",
    "quarantine",
    "record_quarantine",
    "record_run_row",
    "run_record",
    "save_run",
    "utc_now",
]
