"""Split: cleaned bodies into sentences (the unit every model works on), and each story's definition."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.processes import story_map
from newsprism.progress import stage_timer
from newsprism.records import Article, SplitArticle, Story
from newsprism.stories import define_stories, split_articles


@task(name="split-sentences", cache_policy=NO_CACHE)
def split(stories: list[list[Article]], processes: int | None = None) -> list[list[SplitArticle]]:
    """Per story (its cleaned articles): the articles with their sentences and entities, on `processes`
    worker processes (`newsprism.processes`; default one per core)."""
    with stage_timer("split"):
        return list(story_map(split_articles, stories, processes))


@task(name="define-stories", cache_policy=NO_CACHE)
def story_definitions(
    story_ids: list[str],
    articles: list[list[SplitArticle]],
    corpus_claims: dict[str, list[str]],
    claims: list[str],
    targets: list[str],
) -> list[Story]:
    """Per story (its id and split articles): its definition; `claims` for every story, else the corpus's."""
    with stage_timer("split"):
        return define_stories(story_ids, articles, corpus_claims, claims, targets)
