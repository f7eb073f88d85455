"""Ingest: read a corpus into raw article records, grouped per story, and the inputs quarantined instead."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from newsprism.corpus import MAX_INPUT_BYTES, NothingToAnalyse, corpus_claims, read_corpus, scan_corpus
from newsprism.progress import stage_timer
from newsprism.records import Corpus, IngestedArticle
from newsprism.retry import retry_on_transient_io
from newsprism.stories import group_by_story


def read_articles(corpus: str, story_id: str | None = None) -> list[IngestedArticle]:
    """Every article of the corpus as a plain dict."""
    return [raw.as_record() for raw in read_corpus(corpus, story_id)]


def read_stories(corpus: str, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES) -> Corpus:
    """The corpus's articles per story, the claims its `claims.csv` names per story, and the inputs
    quarantined instead of analysed (a corpus whose every input is quarantined has no stories: the run
    still records them). The articles that name no story (none given as `story_id` either) are
    `ungrouped`: the group stage gives them their stories."""
    try:
        articles, rejected = scan_corpus(corpus, story_id, max_bytes)
    except NothingToAnalyse as exc:
        articles, rejected = [], exc.rejected
    return Corpus(
        stories=group_by_story([raw.as_record() for raw in articles]),
        claims=corpus_claims(corpus),
        rejected=rejected,
        ungrouped=[raw.article_id for raw in articles if not raw.story_given],
    )


@task(name="ingest", retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE)
def ingest(corpus: str, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES) -> Corpus:
    """The corpus read (`read_stories`); one log line per quarantined input, naming it and why."""
    logger = get_run_logger()
    with stage_timer("ingest"):
        read = read_stories(corpus, story_id, max_bytes)
    for item in read["rejected"]:
        logger.warning("Quarantined %s (%s): %s", item["source"], item["reason"], item["message"])
    return read
