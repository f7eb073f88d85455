"""Where the per-story stages run: in the flow's process (`default`) or on a Dask cluster (`dask`).

`dask` runs split, define-stories, align, summarise and the two tag stages per batch of stories on Dask
through `prefect-dask`: a `LocalCluster` of single-threaded worker processes, or the scheduler at `address`.
Each worker process loads a model once (the registry's memoised factory); only the load step, in the flow's
process, writes DuckDB. The flow stays the table of contents; this module only builds the runner and cuts
the batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from prefect_dask import DaskTaskRunner

TaskRunnerName = Literal["default", "dask"]
TASK_RUNNERS: tuple[TaskRunnerName, ...] = ("default", "dask")
STORIES_PER_BATCH = 8  # a task run per stage and batch on Dask: enough stories to fill the model batches
# the default runner runs split -> models -> load per batch of stories of about this many articles, so a
# batch's texts, vectors and rows are released before the next starts (memory stays flat as a corpus grows)
BATCH_ARTICLES = 512

T = TypeVar("T")


def dask_runner(address: str | None = None, n_workers: int | None = None) -> DaskTaskRunner:
    """A Dask task runner: the scheduler at `address` when given, else a LocalCluster of `n_workers`
    (default: one per core) single-threaded worker processes, so each process holds its own models."""
    from prefect_dask import DaskTaskRunner  # deferred: Dask's import is heavy and only a dask run needs it

    if address:
        return DaskTaskRunner(address=address)
    kwargs: dict[str, object] = {"processes": True, "threads_per_worker": 1, "dashboard_address": None}
    if n_workers:
        kwargs["n_workers"] = n_workers
    return DaskTaskRunner(cluster_kwargs=kwargs)


def batches(items: list[T], size: int = STORIES_PER_BATCH) -> list[list[T]]:
    """`items` cut into consecutive lists of at most `size` (the last may be shorter); none when empty."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    return [items[i : i + size] for i in range(0, len(items), size)]


def story_batches(stories: Sequence[Sequence[T]], articles: int = BATCH_ARTICLES) -> list[list[int]]:
    """The indices of consecutive stories (each a list of articles) in batches of at most `articles`
    articles; a larger story is alone in its batch."""
    if articles < 1:
        raise ValueError(f"batch size must be at least 1 article, got {articles}")
    out: list[list[int]] = []
    size = articles
    for i, story in enumerate(stories):
        if size + len(story) > articles:
            out.append([])
            size = 0
        out[-1].append(i)
        size += len(story)
    return out
