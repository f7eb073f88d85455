"""Split: cleaned bodies into sentences (the unit every model works on)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.progress import stage_timer
from newsprism.text import split_sentences


def split_articles(articles: list[dict]) -> list[dict]:
    return [{**article, "sentences": split_sentences(article["clean_text"])} for article in articles]


@task(name="split-sentences", cache_policy=NO_CACHE)
def split(stories: list[list[dict]]) -> list[list[dict]]:
    """Per story (its cleaned articles): the articles with their sentences."""
    with stage_timer("split"):
        return [split_articles(articles) for articles in stories]


def define_story(story_id: str, articles: list[dict], claims: list[str], targets: list[str]) -> dict:
    """The story's title, the claims stance is measured toward (default: its headline) and the named
    targets sentiment is measured toward (default: the names most of its articles mention)."""
    from collections import Counter

    from newsprism.targets import default_targets

    titles = [a.get("story_title") for a in articles if a.get("story_title")]
    titles = titles or [a["title"] for a in articles if a.get("title")]
    title = Counter(titles).most_common(1)[0][0] if titles else None
    return {
        "story_id": story_id,
        "title": title,
        "claims": list(claims) or ([title] if title else []),
        "targets": list(targets) or default_targets([a["sentences"] for a in articles]),
    }


@task(name="define-stories", cache_policy=NO_CACHE)
def story_definitions(stories: dict[str, list[dict]], claims: dict[str, list[str]], targets: list[str]) -> list[dict]:
    """Per story (id -> its split articles): its definition; `claims` per story id (missing: the headline)."""
    with stage_timer("split"):
        return [define_story(story_id, articles, claims.get(story_id, []), targets)
                for story_id, articles in stories.items()]
