"""Ingest: read a corpus into raw article records, grouped per story (I/O, so it retries)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism.corpus import corpus_claims, read_corpus
from newsprism.progress import stage_timer
from newsprism.records import Corpus, IngestedArticle
from newsprism.stories import group_by_story


def read_articles(corpus: str, story_id: str | None = None) -> list[IngestedArticle]:
    """Every article of the corpus as a plain dict."""
    return [raw.as_record() for raw in read_corpus(corpus, story_id)]


def read_stories(corpus: str, story_id: str | None = None) -> Corpus:
    """The corpus's articles per story, and the claims its `claims.csv` names per story."""
    return Corpus(stories=group_by_story(read_articles(corpus, story_id)), claims=corpus_claims(corpus))


@task(name="ingest", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest(corpus: str, story_id: str | None = None) -> Corpus:
    with stage_timer("ingest"):
        return read_stories(corpus, story_id)
