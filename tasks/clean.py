"""Clean: strip boilerplate from raw articles, keep every line's decision, identify outlet and metadata."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cleaning import clean_story
from newsprism.corpus import screen_articles
from newsprism.processes import story_map
from newsprism.records import Article, IngestedArticle, Screened


@task(name="clean", cache_policy=NO_CACHE)
def clean(stories: list[list[IngestedArticle]], processes: int | None = None) -> list[list[Article]]:
    """Per story (its raw articles): the cleaned articles (see `newsprism.cleaning.story`), on `processes`
    worker processes (`newsprism.processes`; default one per core)."""
    out = []
    with progress.stage_timer("clean"):
        for raw_articles, cleaned in zip(stories, story_map(clean_story, stories, processes), strict=True):
            out.append(cleaned)
            progress.advance("clean", len(raw_articles))
    return out


@task(name="screen", cache_policy=NO_CACHE)
def screen(stories: list[list[Article]]) -> Screened:
    """The cleaned articles with article text left (`newsprism.corpus.screen_articles`); the others are
    quarantined, one log line each."""
    logger = get_run_logger()
    kept, rejected = screen_articles(stories)
    for item in rejected:
        logger.warning("Quarantined %s (%s): %s", item["source"], item["reason"], item["message"])
    return Screened(articles=kept, story_ids=[articles[0]["story_id"] for articles in kept], rejected=rejected)
