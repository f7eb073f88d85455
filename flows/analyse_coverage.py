"""analyse-coverage: how did each outlet cover the story?

ingest (no texts kept) -> [read texts -> clean -> split into sentences -> align sentences across outlets ->
summarise -> tag sentiment -> tag stance -> load] per batch of stories -> compare -> publish. Each stage is one
task run over every story of a batch (or of the corpus). A corpus with articles that name no story is read and
cleaned whole first and grouped (such an article may join any story), and so is every corpus on Dask; then the
batches start at split.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal, TypeVar, cast

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.utilities.annotations import opaque
from pydantic import BaseModel, Field

from newsprism.cache import default_cache_dir
from newsprism.corpus import MAX_INPUT_BYTES, MEGABYTE, NothingToAnalyse
from newsprism.models.profiles import Profile, resolve_profile
from newsprism.outcome import LoadedStories, outcome_line, run_outcome
from newsprism.preflight import preflight
from newsprism.progress import reset_timings
from newsprism.records import (
    Article,
    ArticleRef,
    Grouped,
    LinkRow,
    RejectedInput,
    SentimentRow,
    SplitArticle,
    StageOutput,
    StanceRow,
    Story,
    SummaryOutput,
)
from newsprism.runners import batches, dask_runner, story_batches
from newsprism.settings import CHART_STORIES, Settings
from newsprism.tasks.align import align
from newsprism.tasks.clean import clean, screen
from newsprism.tasks.compare import compare
from newsprism.tasks.group import group
from newsprism.tasks.ingest import ingest, read_batch
from newsprism.tasks.load import (
    begin_run,
    fail_run,
    load,
    merge,
    partitions_root,
    quarantine,
    save_groups,
    save_run,
    utc_now,
    write_partitions,
)
from newsprism.tasks.report import publish
from newsprism.tasks.split import split, story_definitions
from newsprism.tasks.summarise import summarise
from newsprism.tasks.tag import tag_sentiment, tag_stance

T = TypeVar("T")


def unwalked(value: T) -> T:
    """`opaque(value)`: Prefect links the task runs through the value but does not walk every sentence and
    row in it (that walk was most of an unchanged rerun's time). Typed as the value, which the task gets."""
    return cast(T, opaque(value))


class HubModels(BaseModel):
    """Checkpoints for the `hub` profile (Hugging Face ids or local directories); blank = the environment's
    NEWSPRISM_HUB_SUMMARISER / _SENTIMENT / _STANCE / _PAIRS, else the registry's default."""

    summariser: str | None = Field(default=None, description="seq2seq summariser, e.g. sshleifer/distilbart-cnn-12-6")
    sentiment: str | None = Field(default=None, description="sequence classifier with negative/neutral/positive labels")
    stance: str | None = Field(default=None, description="NLI checkpoint used zero-shot for stance")
    pairs: str | None = Field(default=None, description="sequence-pair classifier deciding that two sentences "
                              "make the same point, e.g. textattack/bert-base-uncased-MRPC")  # fmt: skip

    def overrides(self) -> dict[str, str]:
        return {task: ref for task, ref in self.model_dump().items() if ref}


class CoverageParams(BaseModel):
    """What to analyse and where to put it."""

    corpus: str = Field(
        default="seeds", description="Directory of .txt/.html articles (optional manifest.csv) or a .jsonl file"
    )
    story: str | None = Field(default=None, description="Only this story id (or: the id to give a corpus without one)")
    claims: list[str] = Field(
        default_factory=list, description="Claims to measure stance toward (default: the headline)"
    )
    targets: list[str] = Field(
        default_factory=list, description="Named targets for sentiment (default: most-shared names)"
    )
    profile: Literal["tiny", "local", "local-fast", "hub"] = Field(
        default="local",
        description="tiny: smoke test; local: offline MiniLM; local-fast: local with the faster, "
        "less accurate sentiment head that shares the encoder's pass; hub: Hugging Face checkpoints",
    )
    hub_models: HubModels = Field(default_factory=lambda: HubModels(), description="Only for profile=hub")
    db: str = Field(default="warehouse/newsprism.duckdb", description="DuckDB file to load into")
    max_input_mb: float = Field(
        default=MAX_INPUT_BYTES / MEGABYTE,
        gt=0,
        description="Inputs larger than this (MB, checked before reading) are quarantined as too_large",
    )
    cache: bool = Field(
        default=True, description="Reuse per-article model outputs from earlier runs (.newsprism-cache/ beside the db)"
    )
    regroup: bool = Field(
        default=False,
        description="Cluster the articles that named no story again with those grouped before (merges and "
        "splits recorded); without it, earlier assignments never change",
    )
    task_runner: Literal["default", "dask"] = Field(
        default="default",
        description="default: every stage in the flow's process; dask: the per-story stages (split, align, "
        "summarise, tag) on Dask by batches of stories, models loaded once per worker; only the load writes DuckDB",
    )
    dask_address: str | None = Field(
        default=None,
        description="With task_runner=dask: an existing Dask scheduler (e.g. tcp://scheduler:8786); blank: a "
        "LocalCluster for this run",
    )
    partitions: str | None = Field(
        default=None,
        description="With task_runner=dask: the folder, shared by every worker, where workers write each "
        "story's rows as Parquet (story_id=<id>/<table>.parquet) for the load to merge; it stays as a "
        "queryable copy. Blank: partitions/ beside the db",
    )
    processes: int | None = Field(
        default=None,
        ge=1,
        description="Processes for the per-story Python work (cleaning, sentence splitting and entity tagging, "
        "the load's rows, the comparison's intervals, the report's charts); blank: one per core, 1: all in the "
        "flow's process",
    )
    chart_stories: int = Field(
        default=CHART_STORIES,
        ge=0,
        description="Draw the charts in the report artifacts of this many of the run's largest stories (~1 s "
        "each); every story still gets its Markdown and table artifacts",
    )


def run_profile(params: CoverageParams, settings: Settings) -> Profile:
    """The run's models: `params.profile`; for `hub`, each checkpoint the run names, else the one the
    environment names (`settings`, NEWSPRISM_HUB_*), else the registry's default."""
    if params.profile != "hub":
        return resolve_profile(params.profile)
    return resolve_profile("hub", {**settings.hub_models(), **params.hub_models.overrides()})


@flow(name="analyse-coverage", log_prints=True)
def analyse_coverage(params: CoverageParams = CoverageParams()) -> dict[str, Any]:  # noqa: B008 (Prefect form default)
    started = utc_now()
    reset_timings()
    # the flow is the entry point of runs a worker starts: the environment is read here, once
    profile = run_profile(params, Settings.from_env())
    cache_dir = default_cache_dir(params.db) if params.cache else None
    preflight(params.db, cache_dir)  # before any model work: the warehouse and cache can be written
    # the run's `runs` row, `running` until it completes or fails; a killed run's is marked `abandoned`
    run_id = begin_run(params.db, flow_run.get_id(), params.model_dump(), profile.as_dict(), started)
    try:
        return analyse(params, profile, cache_dir, run_id, started)
    except BaseException as exc:
        fail_run(params.db, run_id, f"{type(exc).__name__}: {exc}")
        raise


def analyse(
    params: CoverageParams, profile: Profile, cache_dir: str | None, run_id: str, started: datetime
) -> dict[str, Any]:
    """The stages of the run `run_id` (the flow's body once the run is recorded)."""
    logger = get_run_logger()
    corpus = ingest(params.corpus, params.story, round(params.max_input_mb * MEGABYTE))
    rejected = list(corpus["rejected"])  # every input ends in `articles` or in here
    grouped = None
    if params.task_runner == "dask":  # the Dask runner's batches start at split: the corpus is cleaned first
        grouped = clean_and_group(params, profile, corpus["stories"], corpus["ungrouped"], rejected)
        done = per_story_on_dask(params, profile, run_id, grouped["story_ids"], grouped["articles"],
                                 corpus["claims"], cache_dir)  # fmt: skip
    else:  # batch by batch: only the rows' counts stay in the flow (memory stays flat)
        if corpus["ungrouped"]:  # an article that names no story may join any story: grouping needs them all
            grouped = clean_and_group(params, profile, corpus["stories"], corpus["ungrouped"], rejected)
        ready = (
            cleaned_batches(params, profile, corpus["stories"], rejected)
            if grouped is None
            else grouped_batches(grouped)
        )
        done = per_story(params, profile, ready, corpus["claims"], cache_dir)
    if not done.story_ids:
        quarantine(params.db, run_id, rejected)  # nothing lost: the run records every input it refused
        raise NothingToAnalyse(f"{params.corpus}: nothing to analyse, all {len(rejected)} input(s) quarantined")
    story_ids = done.story_ids
    save_groups(params.db, run_id, unwalked(done.grouping(grouped)))
    quarantine(params.db, run_id, rejected)
    comparison = compare(params.db, story_ids, cache_dir, params.processes)
    publish(comparison, params.db, params.chart_stories, params.processes)
    run = save_run(  # the run's last write: `completed`
        params.db,
        run_id,
        flow_run.get_id(),
        params.model_dump(),
        profile.as_dict(),
        started,
        unwalked(done.work),
        story_ids,
        sum(done.sizes),
    )
    outcome = run_outcome(done.sizes, done.results, rejected)
    logger.info("Model work (units computed / from cache): %s / %s", run["computed"], run["cached"])
    logger.info(
        "Loaded %d article(s) in %d story(ies) into %s. Query it with: newsprism sql --db %s "
        '"select * from outlet_coverage"',
        run["articles"],
        len(story_ids),
        params.db,
        params.db,
    )
    logger.info("%s", outcome_line(outcome))
    return {
        "run_id": run["run_id"],
        "db": params.db,
        "stories": comparison,
        "timings": run["timings"],
        "outcome": outcome,
    }


def clean_and_group(
    params: CoverageParams,
    profile: Profile,
    raw: dict[str, list[ArticleRef]],
    ungrouped: list[str],
    rejected: list[RejectedInput],
) -> Grouped:
    """Every article of the corpus cleaned (`cleaned`), and the articles that named no story given theirs: each
    joins a story or opens one."""
    articles = cleaned(params, list(raw.values()), rejected)
    return group(unwalked(articles), ungrouped, profile.encoder, params.db, params.regroup)


def cleaned(params: CoverageParams, stories: list[list[ArticleRef]], rejected: list[RejectedInput]
            ) -> list[list[Article]]:  # fmt: skip
    """The stories' articles read (`read_batch`) and cleaned, on `params.processes` worker processes, less
    those that changed since the corpus was scanned or were left without article text (added to `rejected`;
    a story left with none is dropped)."""
    raw = read_batch(unwalked(stories), round(params.max_input_mb * MEGABYTE))
    rejected += raw["rejected"]
    screened = screen(unwalked(clean(unwalked(raw["stories"]), params.processes)))
    rejected += screened["rejected"]
    return screened["articles"]


def cleaned_batches(
    params: CoverageParams, profile: Profile, raw: dict[str, list[ArticleRef]], rejected: list[RejectedInput]
) -> Iterator[Grouped]:
    """The corpus's stories (all named by the corpus) in batches of about BATCH_ARTICLES articles, each
    read from the corpus and cleaned when its turn comes (those changed since the scan or left without text
    added to `rejected`, a story left with none dropped) with its grouping columns. Neither the raw nor the
    clean texts of the whole corpus are held at once: `raw` holds no texts, and a batch's leave it as it is
    read."""
    ids = list(raw)
    for indices in story_batches(list(raw.values())):
        articles = cleaned(params, [raw.pop(ids[i]) for i in indices], rejected)
        if articles:
            yield group(unwalked(articles), [], profile.encoder, params.db)


def grouped_batches(grouped: Grouped) -> Iterator[Grouped]:
    """The stories of `grouped` in batches of about BATCH_ARTICLES articles (their grouped members and
    events stay with the whole: `LoadedStories.grouping` writes them once)."""
    by_story = dict(zip(grouped["story_ids"], grouped["stories"], strict=True))
    for indices in story_batches(grouped["articles"]):
        ids = [grouped["story_ids"][i] for i in indices]
        yield Grouped(articles=[grouped["articles"][i] for i in indices], story_ids=ids,
                      stories=[by_story[i] for i in ids], members=[], events=[])  # fmt: skip


def load_batch(
    done: LoadedStories,
    params: CoverageParams,
    profile: Profile,
    batch: Grouped,
    articles: list[list[SplitArticle]],
    stories: list[Story],
    links: list[StageOutput[LinkRow]],
    summaries: list[SummaryOutput],
    sentiment: list[StageOutput[SentimentRow]],
    stance: list[StageOutput[StanceRow]],
) -> None:
    """Load a batch of stories (the flow's process is the warehouse's only writer) and keep its counts."""
    results = load(
        params.db,
        stories,
        unwalked(articles),
        unwalked(summaries),
        unwalked(sentiment),
        unwalked(stance),
        unwalked(links),
        profile.as_dict(),
        params.processes,
    )
    outputs: list[StageOutput[Any]] = [*links, *summaries, *sentiment, *stance]
    done.add([len(a) for a in articles], results, outputs, batch["story_ids"], batch["stories"])


def per_story(
    params: CoverageParams,
    profile: Profile,
    ready: Iterable[Grouped],
    corpus_claims: dict[str, list[str]],
    cache_dir: str | None,
) -> LoadedStories:
    """The per-story stages in this process, batch by batch (`ready`: cleaned stories, about BATCH_ARTICLES
    articles a batch): split -> define-stories -> align -> summarise -> tag -> load, one task run per stage
    and batch. A batch's texts, sentences and rows are gone before the next batch starts."""
    done = LoadedStories()
    for batch in ready:
        articles = split(unwalked(batch["articles"]), params.processes)
        stories = story_definitions(batch["story_ids"], unwalked(articles), corpus_claims, params.claims,
                                    params.targets)  # fmt: skip
        links = align(unwalked(articles), profile.encoder, profile.pairs, cache_dir)
        summaries = summarise(stories, unwalked(articles), unwalked(links), profile.summariser, profile.encoder,
                              cache_dir)  # fmt: skip
        sentiment = tag_sentiment(stories, unwalked(articles), profile.sentiment, profile.encoder, cache_dir)
        stance = tag_stance(stories, unwalked(articles), profile.stance, profile.encoder, cache_dir)
        load_batch(done, params, profile, batch, articles, stories, links, summaries, sentiment, stance)
    return done


def per_story_on_dask(
    params: CoverageParams,
    profile: Profile,
    run_id: str,
    story_ids: list[str],
    grouped: list[list[Article]],
    corpus_claims: dict[str, list[str]],
    cache_dir: str | None,
) -> LoadedStories:
    """The same stages on Dask, one task run per stage and batch of stories; a batch's stages chain on the
    workers (futures as inputs) and end by writing its stories as Parquet partitions under `params.partitions`
    (warehouse/partitions.py). The flow's process, the warehouse's only writer, merges them in story order."""
    done = LoadedStories()
    if not story_ids:
        return done  # no cluster for nothing
    root = partitions_root(params.partitions, params.db)
    staged = []
    with dask_runner(params.dask_address) as runner:
        for ids, batch in zip(batches(story_ids), batches(grouped), strict=True):
            articles = runner.submit(split, {"stories": batch, "processes": 1})  # a Dask worker is one process
            stories = runner.submit(
                story_definitions,
                {"story_ids": ids, "articles": articles, "corpus_claims": corpus_claims, "claims": params.claims,
                 "targets": params.targets},
            )  # fmt: skip
            models = {"encoder_id": profile.encoder, "cache_dir": cache_dir}
            links = runner.submit(align, {"stories": articles, "pairs_id": profile.pairs, **models})
            summaries = runner.submit(
                summarise,
                {
                    "stories": stories,
                    "articles": articles,
                    "links": links,
                    "summariser_id": profile.summariser,
                    **models,
                },
            )
            sentiment = runner.submit(
                tag_sentiment, {"stories": stories, "articles": articles, "sentiment_id": profile.sentiment, **models}
            )
            stance = runner.submit(
                tag_stance, {"stories": stories, "articles": articles, "stance_id": profile.stance, **models}
            )
            staged.append(
                (
                    ids,
                    runner.submit(
                        write_partitions,
                        {
                            "root": root,
                            "run_id": run_id,
                            "stories": stories,
                            "articles": articles,
                            "summaries": summaries,
                            "sentiment": sentiment,
                            "stance": stance,
                            "links": links,
                            "model_ids": profile.as_dict(),
                        },
                    ),
                )  # fmt: skip
            )
        for ids, future in staged:  # in story order; the rows stay in the partitions, only counts come back
            batch = future.result()
            done.add(batch["sizes"], merge(params.db, batch["folders"]), batch["work"], ids)
    return done


if __name__ == "__main__":
    analyse_coverage()
