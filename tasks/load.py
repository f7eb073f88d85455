"""Load: the only stage that writes. One transaction per story; idempotent on content hash and model id."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.warehouse.db import WarehouseBusy, connect
from newsprism.warehouse.load import load_story, record_run

LOCK_WAIT_S = 60.0


def load_story_rows(db: str, story: dict, articles: list[dict], summaries: list[dict], sentiment: list[dict],
                    stance: list[dict], links: list[dict], model_ids: dict[str, str],
                    lock_wait_s: float = LOCK_WAIT_S) -> dict:
    con = connect(db, read_only=False, wait_s=lock_wait_s)
    try:
        return load_story(con, story, articles, summaries, sentiment, stance, model_ids, links)
    finally:
        con.close()


def record_run_row(db: str, run: dict, lock_wait_s: float = LOCK_WAIT_S) -> None:
    con = connect(db, read_only=False, wait_s=lock_wait_s)
    try:
        record_run(con, run)
    finally:
        con.close()


@task(name="load", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def load(db: str, story: dict, articles: list[dict], summaries: list[dict], sentiment: list[dict],
         stance: list[dict], links: list[dict], model_ids: dict[str, str]) -> dict:
    return load_story_rows(db, story, articles, summaries, sentiment, stance, links, model_ids)


@task(name="record-run", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def save_run(db: str, run: dict) -> None:
    record_run_row(db, run)


__all__ = ["WarehouseBusy", "load", "load_story_rows", "record_run_row", "save_run"]
