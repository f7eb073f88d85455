"""Load: the only stage that writes. One transaction per story; idempotent on content hash and model id."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.progress import stage_timer, timings
from newsprism.warehouse.db import WarehouseBusy, connect
from newsprism.warehouse.load import load_story, record_run

LOCK_WAIT_S = 60.0


def load_stories(db: str, stories: list[dict], articles: list[list[dict]], summaries: list[list[dict]],
                 sentiment: list[list[dict]], stance: list[list[dict]], links: list[list[dict]],
                 model_ids: dict[str, str], lock_wait_s: float = LOCK_WAIT_S) -> list[dict]:
    """Load every story (one transaction each) through one connection; per story the rows written per
    table, or `{"unchanged": 1}`. All lists are per story, in the same order."""
    con = connect(db, read_only=False, wait_s=lock_wait_s)
    try:
        return [
            load_story(con, story, *rows, model_ids, story_links)
            for story, *rows, story_links in zip(stories, articles, summaries, sentiment, stance, links, strict=True)
        ]
    finally:
        con.close()


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_record(flow_run_id: str | None, parameters: dict, model_ids: dict[str, str], started: datetime,
               model_work: list[dict], story_ids: list[str], n_articles: int) -> dict:
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
    return {
        "run_id": str(uuid.uuid4()),
        "flow_run_id": flow_run_id,
        "profile": model_ids["name"],
        "parameters": {**parameters, "models": model_ids},
        "started_at": started,
        "finished_at": finished,
        "timings": {**timings(), "flow_wall": round((finished - started).total_seconds(), 4)},
        "computed": dict(computed),
        "cached": dict(cached),
        "stories": story_ids,
        "articles": n_articles,
    }


def record_run_row(db: str, run: dict, lock_wait_s: float = LOCK_WAIT_S) -> None:
    con = connect(db, read_only=False, wait_s=lock_wait_s)
    try:
        record_run(con, run)
    finally:
        con.close()


@task(name="load", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def load(db: str, stories: list[dict], articles: list[list[dict]], summaries: list[list[dict]],
         sentiment: list[list[dict]], stance: list[list[dict]], links: list[list[dict]],
         model_ids: dict[str, str]) -> list[dict]:
    with stage_timer("load"):
        return load_stories(db, stories, articles, summaries, sentiment, stance, links, model_ids)


@task(name="record-run", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def save_run(db: str, run: dict) -> None:
    with stage_timer("load"):
        record_run_row(db, run)


__all__ = ["WarehouseBusy", "load", "load_stories", "record_run_row", "save_run"]
