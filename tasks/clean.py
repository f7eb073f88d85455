"""Clean: strip boilerplate from raw articles, keep every line's decision, identify outlet and metadata."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cleaning import clean_story
from newsprism.records import Article, IngestedArticle


@task(name="clean", cache_policy=NO_CACHE)
def clean(stories: list[list[IngestedArticle]]) -> list[list[Article]]:
    """Per story (its raw articles): the cleaned articles (see `newsprism.cleaning.story`)."""
    out = []
    with progress.stage_timer("clean"):
        for raw_articles in stories:
            out.append(clean_story(raw_articles))
            progress.advance("clean", len(raw_articles))
    return out
