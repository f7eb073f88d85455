"""Load: the only stage that writes. One transaction per batch of stories (one insert per table); idempotent on
content hash and model id."""

from __future__ import annotations

import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from newsprism.outcome import units_of_work
from newsprism.progress import stage_timer, timings
from newsprism.records import (
    Grouped,
    LinkRow,
    RejectedInput,
    RunRecord,
    SentimentRow,
    SplitArticle,
    StageOutput,
    StanceRow,
    Story,
    SummaryOutput,
    SummaryPointRow,
    SummaryRow,
)
from newsprism.retry import retry_on_transient_io
from newsprism.warehouse.db import WarehouseBusy, connect
from newsprism.warehouse.load import (
    close_run,
    load_story_batch,
    record_grouping,
    record_rejections,
    record_run,
    running_runs,
    story_load,
)
from newsprism.warehouse.partitions import default_root, merge_partitions, write_partition

LOCK_WAIT_S = 60.0


def load_stories(
    db: str,
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summaries: list[SummaryOutput],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
    links: list[StageOutput[LinkRow]],
    model_ids: dict[str, str],
    lock_wait_s: float = LOCK_WAIT_S,
    processes: int | None = 1,
) -> list[dict[str, int]]:
    """Load every story through one connection, the changed ones built on `processes` worker processes and
    written a chunk of stories at a time, a transaction each (`load_story_batch`); per story the rows written per
    table, or `{"unchanged": 1}`. All lists are per story, in the same order; the model stages' rows are loaded
    (their counts of work go to the run's record)."""
    inputs = story_inputs(stories, articles, summaries, sentiment, stance, links, model_ids)
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        return load_story_batch(con, inputs, processes)


StoryInputs = tuple[Story, list[SplitArticle], list[SummaryRow], list[SentimentRow], list[StanceRow],
                    dict[str, str], list[LinkRow], list[SummaryPointRow] | None]  # fmt: skip


def story_inputs(
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summaries: list[SummaryOutput],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
    links: list[StageOutput[LinkRow]],
    model_ids: dict[str, str],
) -> list[StoryInputs]:
    """Per story, from the per-story lists of the stages (same order), the arguments of `load_story` after
    the connection, which are those of `story_load`: story, articles, summary, sentiment, stance rows, model
    ids, link rows, the story summary's points."""
    return [
        (story, mine, s["rows"], t["rows"], st["rows"], model_ids, lk["rows"], s.get("points"))
        for story, mine, s, t, st, lk in zip(stories, articles, summaries, sentiment, stance, links, strict=True)
    ]


class StagedBatch(TypedDict):
    """A batch of stories written as partitions by a worker: their folders, per story its number of articles,
    and the model stages' units of work (their rows are in the partitions)."""

    folders: list[str]
    sizes: list[int]
    work: list[StageOutput[Any]]


def partitions_root(root: str | None, db: str) -> str:
    """Where a run's workers write story partitions: `root`, else `partitions/` beside the warehouse file."""
    return root or default_root(db)


@task(name="write-partitions", cache_policy=NO_CACHE)
def write_partitions(
    root: str,
    run_id: str,
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summaries: list[SummaryOutput],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
    links: list[StageOutput[LinkRow]],
    model_ids: dict[str, str],
) -> StagedBatch:
    """On a worker: every story's load (all its tables' rows, `story_load`) as its Parquet partition under
    `root` (warehouse/partitions.py), for the flow's load step to merge; only counts travel back."""
    with stage_timer("partitions"):
        folders = [
            str(write_partition(story_load(*inputs), root, run_id))
            for inputs in story_inputs(stories, articles, summaries, sentiment, stance, links, model_ids)
        ]
        work = units_of_work([*links, *summaries, *sentiment, *stance])
        return StagedBatch(folders=folders, sizes=[len(a) for a in articles], work=work)


@task(name="merge-partitions", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io,
      cache_policy=NO_CACHE)  # fmt: skip
def merge(db: str, folders: list[str]) -> list[dict[str, int]]:
    """Merge story partitions into the warehouse (one transaction per batch); per story the rows written
    per table, or `{"unchanged": 1}`."""
    with stage_timer("load"), connect(db, read_only=False, wait_s=LOCK_WAIT_S) as con:
        return merge_partitions(con, folders)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_record(
    run_id: str,
    flow_run_id: str | None,
    parameters: dict[str, Any],
    model_ids: dict[str, str],
    started: datetime,
    model_work: Sequence[StageOutput[Any]],
    story_ids: list[str],
    n_articles: int,
) -> RunRecord:
    """The `runs` row of a completed run: parameters, the stages' own work time (from their timers) and the
    flow's wall time, and the units of model work computed vs served from the per-article cache."""
    computed: dict[str, int] = defaultdict(int)
    cached: dict[str, int] = defaultdict(int)
    for output in model_work:
        for unit, n in output["computed"].items():
            computed[unit] += n
        for unit, n in output["cached"].items():
            cached[unit] += n
    finished = utc_now()
    return _run_row(
        run_id,
        flow_run_id,
        parameters,
        model_ids,
        started,
        status="completed",
        finished={
            "finished_at": finished,
            "timings": {**timings(), "flow_wall": round((finished - started).total_seconds(), 4)},
            "computed": dict(computed),
            "cached": dict(cached),
            "stories": story_ids,
            "articles": n_articles,
        },
    )


def _run_row(
    run_id: str,
    flow_run_id: str | None,
    parameters: dict[str, Any],
    model_ids: dict[str, str],
    started: datetime,
    status: str,
    finished: dict[str, Any] | None = None,
) -> RunRecord:
    """A `runs` row of this process and host; `finished` holds what a finished run adds (finished_at,
    timings, computed, cached, stories, articles), null until then."""
    done = finished or {}
    return RunRecord(
        run_id=run_id,
        flow_run_id=flow_run_id,
        profile=model_ids["name"],
        parameters={**parameters, "models": model_ids},
        started_at=started,
        finished_at=done.get("finished_at"),
        timings=done.get("timings"),
        computed=done.get("computed"),
        cached=done.get("cached"),
        stories=done.get("stories"),
        articles=done.get("articles"),
        status=status,
        error=None,
        host=socket.gethostname(),
        pid=os.getpid(),
    )


def record_run_row(db: str, run: RunRecord, lock_wait_s: float = LOCK_WAIT_S) -> None:
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        record_run(con, run)


def process_gone(host: str | None, pid: int | None) -> bool:
    """Whether the process that ran a run is gone: it ran on this host and no process (or only a zombie) has
    its pid. A run from another host (a worker elsewhere) cannot be checked from here: not gone."""
    if host != socket.gethostname() or pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user has the pid
        return False
    try:  # a killed process its parent has not reaped yet still has its pid (Linux: state Z)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def begin_run_record(
    db: str,
    flow_run_id: str | None,
    parameters: dict[str, Any],
    model_ids: dict[str, str],
    started: datetime,
    lock_wait_s: float = LOCK_WAIT_S,
) -> tuple[str, list[str]]:
    """Write a new run's `runs` row as `running` (this process, this host) and return its id; first, every
    run still `running` whose process is gone (`process_gone`: killed) is marked `abandoned`. Returns the
    run id and the ids of the runs marked abandoned."""
    run_id = str(uuid.uuid4())
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        abandoned = [old for old, host, pid in running_runs(con) if process_gone(host, pid)]
        for old in abandoned:
            close_run(con, old, "abandoned", "its process ended without closing the run (killed?)", utc_now())
        record_run(con, _run_row(run_id, flow_run_id, parameters, model_ids, started, status="running"))
    return run_id, abandoned


def fail_run_record(db: str, run_id: str, error: str, lock_wait_s: float = LOCK_WAIT_S) -> None:
    """Close the run as `failed` with its error (one line: the exception's type and message)."""
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        close_run(con, run_id, "failed", error, utc_now())


@task(name="load", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE)
def load(
    db: str,
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summaries: list[SummaryOutput],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
    links: list[StageOutput[LinkRow]],
    model_ids: dict[str, str],
    processes: int | None = 1,
) -> list[dict[str, int]]:
    """Per story (its definition, split articles and model stages' outputs): the rows written per table; the
    rows are computed on `processes` worker processes (`newsprism.processes`; None: one per core)."""
    with stage_timer("load"):
        return load_stories(db, stories, articles, summaries, sentiment, stance, links, model_ids,
                            processes=processes)  # fmt: skip


@task(
    name="record-run", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE
)
def save_run(
    db: str,
    run_id: str,
    flow_run_id: str | None,
    parameters: dict[str, Any],
    model_ids: dict[str, str],
    started: datetime,
    model_work: Sequence[StageOutput[Any]],
    story_ids: list[str],
    n_articles: int,
) -> RunRecord:
    """Record the completed run (its `runs` row, see `run_record`) and return it."""
    with stage_timer("load"):
        run = run_record(run_id, flow_run_id, parameters, model_ids, started, model_work, story_ids, n_articles)
        record_run_row(db, run)
        return run


def record_groups(db: str, run_id: str, grouped: Grouped, lock_wait_s: float = LOCK_WAIT_S) -> dict[str, int]:
    """Write how the run's stories were formed, the grouped articles and a regroup's merges and splits."""
    with connect(db, read_only=False, wait_s=lock_wait_s) as con:  # closed on leaving the block
        return record_grouping(con, run_id, grouped["stories"], grouped["members"], grouped["events"])


@task(
    name="record-groups",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=retry_on_transient_io,
    cache_policy=NO_CACHE,
)
def save_groups(db: str, run_id: str, grouped: Grouped) -> dict[str, int]:
    """Record the run's story grouping (`record_groups`), after the stories are loaded."""
    with stage_timer("load"):
        return record_groups(db, run_id, grouped)


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


@task(
    name="begin-run", retries=2, retry_delay_seconds=2, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE
)
def begin_run(
    db: str, flow_run_id: str | None, parameters: dict[str, Any], model_ids: dict[str, str], started: datetime
) -> str:
    """Record the run as `running` (`begin_run_record`, which also marks killed runs `abandoned`); its id."""
    run_id, abandoned = begin_run_record(db, flow_run_id, parameters, model_ids, started)
    for old in abandoned:
        get_run_logger().warning("Run %s was still 'running' but its process is gone: marked abandoned", old)
    return run_id


@task(name="fail-run", cache_policy=NO_CACHE)
def fail_run(db: str, run_id: str, error: str) -> None:
    """Record that the run failed, and why (`fail_run_record`)."""
    fail_run_record(db, run_id, error)


__all__ = [
    "WarehouseBusy",
    "begin_run",
    "begin_run_record",
    "fail_run",
    "fail_run_record",
    "process_gone",
    "load",
    "load_stories",
    "merge",
    "partitions_root",
    "write_partitions",
    "quarantine",
    "record_quarantine",
    "record_run_row",
    "run_record",
    "save_run",
    "utc_now",
]
