"""analyse-coverage: how did each outlet cover the story?

ingest -> clean -> split into sentences -> align sentences across outlets -> summarise -> tag sentiment
-> tag stance -> load -> compare.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Literal

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from pydantic import BaseModel, Field

from newsprism.cache import default_cache_dir
from newsprism.models.registry import resolve_profile
from newsprism.tasks.align import align
from newsprism.tasks.clean import clean
from newsprism.tasks.compare import compare
from newsprism.tasks.ingest import ingest
from newsprism.tasks.load import load, save_run
from newsprism.tasks.report import publish
from newsprism.tasks.split import split, story_definition
from newsprism.tasks.summarise import summarise
from newsprism.tasks.tag import tag_sentiment, tag_stance


class HubModels(BaseModel):
    """Checkpoints for the `hub` profile (Hugging Face ids or local directories); blank = default."""

    summariser: str | None = Field(None, description="seq2seq summariser, e.g. sshleifer/distilbart-cnn-12-6")
    sentiment: str | None = Field(None, description="sequence classifier with negative/neutral/positive labels")
    stance: str | None = Field(None, description="NLI checkpoint used zero-shot for stance")


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
    profile: Literal["tiny", "local", "hub"] = Field(
        "local", description="tiny: smoke test; local: offline MiniLM; hub: Hugging Face checkpoints"
    )
    hub_models: HubModels = Field(default_factory=HubModels, description="Only for profile=hub")
    db: str = Field("warehouse/newsprism.duckdb", description="DuckDB file to load into")
    cache: bool = Field(
        True, description="Reuse per-article model outputs from earlier runs (.newsprism-cache/ beside the db)"
    )


@flow(name="analyse-coverage", log_prints=True)
def analyse_coverage(params: CoverageParams = CoverageParams()) -> dict:  # noqa: B008 (Prefect form default)
    logger = get_run_logger()
    started = datetime.now(UTC).replace(tzinfo=None)
    timings: dict[str, float] = defaultdict(float)
    overrides = {k: v for k, v in params.hub_models.model_dump().items() if v} if params.profile == "hub" else None
    profile = resolve_profile(params.profile, overrides)
    model_ids = profile.as_dict()
    cache_dir = default_cache_dir(params.db) if params.cache else None
    computed: dict[str, int] = defaultdict(int)
    cached: dict[str, int] = defaultdict(int)

    def timed(stage: str, fn, *args):
        t0 = time.perf_counter()
        result = fn(*args)
        timings[stage] += time.perf_counter() - t0
        return result

    raw, corpus_claims = timed("ingest", ingest, params.corpus, params.story)
    by_story: dict[str, list[dict]] = defaultdict(list)
    for article in raw:
        by_story[article["story_id"]].append(article)

    loaded: dict[str, dict] = {}
    for story_id, raw_articles in by_story.items():
        articles = timed("clean", clean, raw_articles)
        articles = timed("split", split, articles)
        claims = params.claims or corpus_claims.get(story_id, [])
        story = timed("split", story_definition, story_id, articles, claims, params.targets)
        outputs = {
            "align": timed("align", align, articles, profile.encoder, cache_dir),
            "summarise": timed("summarise", summarise, story, articles, profile.summariser, profile.encoder, cache_dir),
            "sentiment": timed("sentiment", tag_sentiment, story, articles, profile.sentiment, profile.encoder,
                               cache_dir),
            "stance": timed("stance", tag_stance, story, articles, profile.stance, profile.encoder, cache_dir),
        }
        for out in outputs.values():  # units of model work done vs served from the per-article cache
            for unit, n in out["computed"].items():
                computed[unit] += n
            for unit, n in out["cached"].items():
                cached[unit] += n
        loaded[story_id] = timed("load", load, params.db, story, articles, outputs["summarise"]["rows"],
                                 outputs["sentiment"]["rows"], outputs["stance"]["rows"], outputs["align"]["rows"],
                                 model_ids)

    stories = timed("compare", compare, params.db, list(by_story))
    timed("report", publish, stories, params.db)
    run = {
        "run_id": str(uuid.uuid4()),
        "flow_run_id": flow_run.get_id(),
        "profile": params.profile,
        "parameters": {**params.model_dump(), "models": model_ids},
        "started_at": started,
        "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "computed": dict(computed),
        "cached": dict(cached),
        "stories": list(by_story),
        "articles": len(raw),
    }
    save_run(params.db, run)
    logger.info("Model work per stage (articles): computed %s, from cache %s", dict(computed), dict(cached))
    logger.info("Loaded %d article(s) in %d story(ies) into %s. Query it with: newsprism sql --db %s "
                "\"select * from outlet_coverage\"", len(raw), len(by_story), params.db, params.db)
    return {"run_id": run["run_id"], "db": params.db, "loaded": loaded, "stories": stories, "timings": run["timings"]}


if __name__ == "__main__":
    analyse_coverage()
