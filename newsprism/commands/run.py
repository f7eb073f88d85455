"""Analyse a corpus: clean, split, summarise, tag sentiment and stance, load into DuckDB, compare outlets.

CORPUS is a directory of .txt/.html articles (optional manifest.csv, claims.csv) or a .jsonl file.
Runs the `analyse-coverage` Prefect flow in-process and prints the per-outlet comparison.

Example:
  newsprism run seeds --profile tiny --db /tmp/newsprism.duckdb
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from newsprism import progress
from newsprism.cache import default_cache_dir
from newsprism.commands.show import print_comparison
from newsprism.corpus import MEGABYTE, CorpusError, NothingToAnalyse, scan_refs
from newsprism.errors import UserError
from newsprism.models.base import ModelUnavailable
from newsprism.models.profiles import PROFILE_NAMES
from newsprism.outcome import outcome_line
from newsprism.runners import TASK_RUNNERS
from newsprism.settings import CHART_STORIES, Settings

if TYPE_CHECKING:
    from newsprism.flows.analyse_coverage import CoverageParams

# Prefect (the flow), DuckDB and rich are imported in the functions below: `newsprism --help` builds every
# command's parser and stays fast, and Prefect reads its environment (set in `run`) when first imported.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults: Settings = parser.get_default("settings") or Settings()
    parser.add_argument("corpus", metavar="CORPUS", help="directory of articles or a .jsonl file")
    parser.add_argument("--story", metavar="ID", help="only this story (or the id for a corpus without one)")
    parser.add_argument(
        "--regroup",
        action="store_true",
        help="group the articles that name no story again, with those grouped by earlier runs (merges and "
        "splits are recorded); without it an article keeps the story it was given",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILE_NAMES,
        default=defaults.profile,
        help="models: tiny (smoke test), local (offline MiniLM, default), local-fast (local with a "
        "faster, less accurate sentiment head), hub (HF checkpoints)",
    )
    parser.add_argument("--db", default=defaults.db, metavar="PATH", help=f"DuckDB file (default {defaults.db})")
    parser.add_argument(
        "--claim",
        action="append",
        default=[],
        metavar="TEXT",
        help="a claim to measure stance toward (repeatable; default: the headline)",
    )
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME",
        help="a named target for sentiment (repeatable; default: most-shared names)",
    )
    parser.add_argument(
        "--max-input-mb",
        type=float,
        default=defaults.max_input_mb,
        metavar="MB",
        help=f"quarantine inputs larger than this, unread (default {defaults.max_input_mb:g}; NEWSPRISM_MAX_INPUT_MB)",
    )
    parser.add_argument(
        "--task-runner",
        choices=TASK_RUNNERS,
        default="default",
        help="default: every stage in this process; dask: the per-story stages on Dask by batches of stories "
        "(a LocalCluster, or --dask-address), models loaded once per worker; only the load writes DuckDB",
    )
    parser.add_argument(
        "--dask-address", metavar="ADDRESS", help="with --task-runner dask: an existing scheduler, e.g. tcp://host:8786"
    )
    parser.add_argument(
        "--partitions",
        metavar="DIR",
        help="with --task-runner dask: the folder (shared by the workers) where each story's rows are written as "
        "Parquet for the load to merge, and kept for querying (default: partitions/ beside --db)",
    )
    parser.add_argument(
        "--chart-stories",
        type=int,
        default=CHART_STORIES,
        metavar="N",
        help=f"draw the report artifacts' charts for the N largest stories (default {CHART_STORIES}; ~1 s a story)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        metavar="N",
        help="processes for the per-story Python work: cleaning, sentence splitting and entity tagging, the load's "
        "rows, the comparison's intervals, the report's charts (default: one per core; 1: all in this process)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar or table")
    parser.add_argument("--verbose", action="store_true", help="show Prefect's logs")


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    for option, value in (("--dask-address", args.dask_address), ("--partitions", args.partitions)):
        if value and args.task_runner != "dask":
            raise UserError(f"{option}: only with --task-runner dask")
    if args.chart_stories < 0:
        raise UserError(f"--chart-stories: expected 0 or more, got {args.chart_stories}")
    if args.processes is not None and args.processes < 1:
        raise UserError(f"--processes: expected 1 or more, got {args.processes}")
    if not args.max_input_mb > 0:
        raise UserError(f"--max-input-mb: expected a number of MB above 0, got {args.max_input_mb:g}")
    try:  # validate before starting Prefect, so a bad path is one clear line
        n_articles = len(scan_refs(args.corpus, args.story, round(args.max_input_mb * MEGABYTE))[0])  # no texts kept
    except NothingToAnalyse:  # read, but every input quarantined: the run records them all, then exits 1
        n_articles = 0
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    from newsprism.preflight import preflight  # DuckDB (the warehouse must not be held by a writer)

    preflight(args.db, default_cache_dir(args.db))  # PreflightError is a UserError: one line, exit 2
    # Prefect's local mode starts a temporary API server: give it time on a busy machine, keep it offline.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if args.verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

    from newsprism.inprocess import in_process, temporary_server  # Prefect: after its environment, above
    from newsprism.warehouse.db import WarehouseBusy  # DuckDB

    try:
        # the temporary API server dies with this process, even when it is killed; the flow's modules (torch,
        # transformers) are imported while it starts; no heartbeats: they add up to 1 s to every in-process run
        with temporary_server(while_starting=_import_flow), in_process(settings.heartbeats):
            result = _run_flow(
                _params(args), n_articles, show_progress=not args.quiet and (sys.stderr.isatty() or settings.progress)
            )
    except NothingToAnalyse as exc:  # every article quarantined after cleaning
        print(f"newsprism run: {exc}", file=sys.stderr)
        return 1
    except (ModelUnavailable, WarehouseBusy, CorpusError) as exc:
        raise UserError(str(exc)) from None
    if not args.quiet:
        print_stories(result["stories"], args.db)
    print(outcome_line(result["outcome"]))  # the last line, also with --quiet
    return 0


FULL_TABLES_UP_TO = 3  # more stories than this: one line each, not a table each


def print_stories(stories: list[dict[str, Any]], db: str) -> None:
    """The comparison of each story as a table (`newsprism show`'s); for more than FULL_TABLES_UP_TO stories one
    line each (title, outlets, articles) and where to read the rest."""
    if len(stories) <= FULL_TABLES_UP_TO:
        for story in stories:
            print_comparison(story)
    else:
        for story in stories:
            outlets = story["outlets"]
            print(f"{story['story_id']}: {story['title'] or '(no title)'} · {len(outlets)} outlet(s), "
                  f"{sum(o['articles'] for o in outlets)} article(s)")  # fmt: skip
        print(f"\n{len(stories)} stories: newsprism show --db {db} --story ID prints one; "
              f"newsprism report --db {db} --out report.html writes them all")  # fmt: skip
    print(f'\nwarehouse: {db}  ·  try: newsprism sql --db {db} "select outlet, count(*) from articles group by 1"')


def _import_flow() -> None:
    import newsprism.flows.analyse_coverage  # noqa: F401  # the flow and its models, while the server starts


def _params(args: argparse.Namespace) -> CoverageParams:
    """The flow's parameters from the command line (the hub checkpoints, NEWSPRISM_HUB_*, are read by the
    flow, as for a run a worker starts)."""
    from newsprism.flows.analyse_coverage import CoverageParams  # Prefect: imported by _import_flow already

    return CoverageParams(
        corpus=args.corpus,
        story=args.story,
        claims=args.claim,
        targets=args.target,
        profile=args.profile,
        db=args.db,
        max_input_mb=args.max_input_mb,
        regroup=args.regroup,
        task_runner=args.task_runner,
        dask_address=args.dask_address,
        partitions=args.partitions,
        chart_stories=args.chart_stories,
        processes=args.processes,
    )


def _run_flow(params: CoverageParams, n_articles: int, show_progress: bool) -> dict[str, Any]:
    """The flow, called in this process, with a progress bar per stage on stderr when `show_progress`."""
    from newsprism.flows.analyse_coverage import analyse_coverage  # Prefect

    if not show_progress:
        return analyse_coverage(params)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # rich

    stages = ("clean", "align", "same point", "summarise", "sentiment", "stance")
    with Progress(
        TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
    ) as bar:
        ids = {stage: bar.add_task(stage, total=n_articles) for stage in stages}
        progress.install(lambda stage, n: bar.advance(ids[stage], n) if stage in ids else None)
        try:
            return analyse_coverage(params)
        finally:
            progress.install(None)
