"""analyse-coverage: how did each outlet cover the story?

ingest -> clean -> split into sentences -> align sentences across outlets -> summarise -> tag sentiment
-> tag stance -> load -> compare -> publish. Each stage is one task run over every story of the corpus.
"""

from __future__ import annotations

from typing import Literal

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.utilities.annotations import opaque
from pydantic import BaseModel, Field

from newsprism.cache import default_cache_dir
from newsprism.models.registry import prepare, resolve_profile
from newsprism.progress import reset_timings
from newsprism.tasks.align import align
from newsprism.tasks.clean import clean
from newsprism.tasks.compare import compare
from newsprism.tasks.ingest import group_by_story, ingest
from newsprism.tasks.load import load, run_record, save_run, utc_now
from newsprism.tasks.report import publish
from newsprism.tasks.split import split, story_definitions
from newsprism.tasks.summarise import summarise
from newsprism.tasks.tag import tag_sentiment, tag_stance


class HubModels(BaseModel):
    """Checkpoints for the `hub` profile (Hugging Face ids or local directories); blank = default."""

    summariser: str | None = Field(None, description="seq2seq summariser, e.g. sshleifer/distilbart-cnn-12-6")
    sentiment: str | None = Field(None, description="sequence classifier with negative/neutral/positive labels")
    stance: str | None = Field(None, description="NLI checkpoint used zero-shot for stance")

    def overrides(self) -> dict[str, str]:
        return {task: ref for task, ref in self.model_dump().items() if ref}


class CoverageParams(BaseModel):
    """What to analyse and where to put it."""

    corpus: str = Field(
        "seeds", description="Directory of .txt/.html articles (optional manifest.csv) or a .jsonl file"
    )
    story: str | None = Field(None, description="Only this story id (or: the id to give a corpus without one)")
    claims: list[str] = Field(
        default_factory=list, description="Claims to measure stance toward (default: the headline)"
    )
    targets: list[str] = Field(
        default_factory=list, description="Named targets for sentiment (default: most-shared names)"
    )
    profile: Literal["tiny", "local", "local-fast", "hub"] = Field(
        "local", description="tiny: smoke test; local: offline MiniLM; local-fast: local with the faster, less "
        "accurate sentiment head that shares the encoder's pass; hub: Hugging Face checkpoints"
    )
    hub_models: HubModels = Field(default_factory=HubModels, description="Only for profile=hub")
    db: str = Field("warehouse/newsprism.duckdb", description="DuckDB file to load into")
    cache: bool = Field(
        True, description="Reuse per-article model outputs from earlier runs (.newsprism-cache/ beside the db)"
    )


@flow(name="analyse-coverage", log_prints=True)
def analyse_coverage(params: CoverageParams = CoverageParams()) -> dict:  # noqa: B008 (Prefect form default)
    logger = get_run_logger()
    started = utc_now()
    reset_timings()
    profile = resolve_profile(params.profile, params.hub_models.overrides() if params.profile == "hub" else None)
    prepare(profile)
    cache_dir = default_cache_dir(params.db) if params.cache else None

    raw, corpus_claims = ingest(params.corpus, params.story)
    by_story = group_by_story(raw)
    story_ids = list(by_story)
    # one task per stage over every story (a story's data is a list per stage, in story order), so a
    # corpus of many stories costs a few task runs, not a few per story; caching stays per article.
    # opaque(): Prefect links the task runs through these values but does not walk every sentence and row
    # in them (that walk was most of an unchanged rerun's time)
    articles = split(opaque(clean(opaque(list(by_story.values())))))
    stories = story_definitions(opaque(dict(zip(story_ids, articles, strict=True))),
                                {s: params.claims for s in story_ids} if params.claims else corpus_claims,
                                params.targets)
    links = align(opaque(articles), profile.encoder, cache_dir)
    summaries = summarise(stories, opaque(articles), profile.summariser, profile.encoder, cache_dir)
    sentiment = tag_sentiment(stories, opaque(articles), profile.sentiment, profile.encoder, cache_dir)
    stance = tag_stance(stories, opaque(articles), profile.stance, profile.encoder, cache_dir)
    model_work = [*links, *summaries, *sentiment, *stance]
    load(params.db, stories, opaque(articles),
         *(opaque([out["rows"] for out in stage]) for stage in (summaries, sentiment, stance, links)),
         profile.as_dict())

    comparison = compare(params.db, story_ids, cache_dir)
    publish(comparison, params.db)
    run = run_record(flow_run.get_id(), params.model_dump(), profile.as_dict(), started, model_work, story_ids,
                     len(raw))
    save_run(params.db, run)
    logger.info("Model work (units computed / from cache): %s / %s", run["computed"], run["cached"])
    logger.info("Loaded %d article(s) in %d story(ies) into %s. Query it with: newsprism sql --db %s "
                "\"select * from outlet_coverage\"", len(raw), len(story_ids), params.db, params.db)
    return {"run_id": run["run_id"], "db": params.db, "stories": comparison, "timings": run["timings"]}


if __name__ == "__main__":
    analyse_coverage()
