"""Stories: a corpus's articles grouped per story, split into sentences, and what each story is measured
against (the claims stance is taken toward and the named targets of sentiment)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import TypeVar

from newsprism.entities import EntityMention, entity_targets, story_entities
from newsprism.records import Article, ArticleFields, SplitArticle, Story
from newsprism.targets import default_targets
from newsprism.text import split_sentences

A = TypeVar("A", bound=ArticleFields)


def group_by_story(articles: list[A]) -> dict[str, list[A]]:
    """Articles (with their texts or without: `IngestedArticle`, `ArticleRef`) per story id, stories in order of
    first appearance."""
    stories: dict[str, list[A]] = {}
    for article in articles:
        stories.setdefault(article["story_id"], []).append(article)
    return stories


def split_articles(articles: list[Article]) -> list[SplitArticle]:
    """One story's articles with their cleaned bodies split into sentences, and the named entities in them
    (names merged across the story's articles: `newsprism.entities`)."""
    split = [SplitArticle(**article, sentences=split_sentences(article["clean_text"])) for article in articles]
    for article, mentions in zip(split, story_entities(split), strict=True):
        article["entities"] = [asdict(m) for m in mentions]
    return split


def define_story(story_id: str, articles: list[SplitArticle], claims: list[str], targets: list[str]) -> Story:
    """The story's title, the claims stance is measured toward (default: its headline) and the named
    targets sentiment is measured toward (default: the names most of its articles mention)."""
    titles = [a["story_title"] for a in articles if a.get("story_title")]
    titles = titles or [a["title"] for a in articles if a.get("title")]
    title = Counter(titles).most_common(1)[0][0] if titles else None
    return Story(
        story_id=story_id,
        title=title,
        claims=list(claims) or ([title] if title else []),
        targets=list(targets) or _default_targets(articles),
    )


def _default_targets(articles: list[SplitArticle]) -> list[str]:
    """The named entities most articles mention; articles split without entities fall back to capitalised
    names (`newsprism.targets.default_targets`)."""
    if all("entities" in a for a in articles):
        return entity_targets([[EntityMention(**m) for m in a["entities"]] for a in articles])
    return default_targets([a["sentences"] for a in articles])


def define_stories(
    story_ids: list[str],
    articles: list[list[SplitArticle]],
    corpus_claims: dict[str, list[str]],
    claims: list[str],
    targets: list[str],
) -> list[Story]:
    """Per story (its id and split articles, in the same order): its definition. `claims`, when given, apply
    to every story; otherwise each story's claims come from the corpus (`claims.csv`), else its headline."""
    return [
        define_story(story_id, mine, claims or corpus_claims.get(story_id, []), targets)
        for story_id, mine in zip(story_ids, articles, strict=True)
    ]
