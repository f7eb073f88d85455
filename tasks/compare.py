"""Compare: read back how each outlet covered each story (read-only) and note the differences."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.comparison import Comparison, compare_stories_cached
from newsprism.progress import stage_timer
from newsprism.retry import retry_on_transient_io


@task(name="compare", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE)
def compare(db: str, story_ids: list[str], cache_dir: str | None = None, processes: int | None = 1) -> list[Comparison]:
    """Per story: its comparison across outlets (reused from the cache while its last load is unchanged); the
    bootstrap intervals on `processes` worker processes (`newsprism.processes`; None: one per core)."""
    with stage_timer("compare"):
        return compare_stories_cached(db, story_ids, cache_dir, processes)
