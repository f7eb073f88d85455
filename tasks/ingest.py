"""Ingest: read a corpus into raw article records (I/O, so it retries)."""

from __future__ import annotations

from dataclasses import asdict

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.corpus import corpus_claims, read_corpus
from newsprism.progress import stage_timer


def read_articles(corpus: str, story_id: str | None = None) -> list[dict]:
    """Every article of the corpus as a plain dict (see `newsprism.records.RawArticle`)."""
    rows = []
    for raw in read_corpus(corpus, story_id):
        row = asdict(raw)
        row["raw_hash"] = raw.raw_hash
        row["article_id"] = raw.article_id
        rows.append(row)
    return rows


def group_by_story(raw_articles: list[dict]) -> dict[str, list[dict]]:
    """Articles per story id, stories in order of first appearance."""
    stories: dict[str, list[dict]] = {}
    for article in raw_articles:
        stories.setdefault(article["story_id"], []).append(article)
    return stories


def read_claims(corpus: str) -> dict[str, list[str]]:
    return corpus_claims(corpus)


@task(name="ingest", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest(corpus: str, story_id: str | None = None) -> tuple[list[dict], dict[str, list[str]]]:
    with stage_timer("ingest"):
        return read_articles(corpus, story_id), read_claims(corpus)
