"""Ingest: scan a corpus into article references (no texts), grouped per story, and the inputs quarantined
instead; read a batch's texts again when its turn comes."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from newsprism.corpus import MAX_INPUT_BYTES, NothingToAnalyse, corpus_claims, read_texts, scan_refs
from newsprism.progress import stage_timer
from newsprism.records import ArticleRef, Corpus, RawBatch
from newsprism.retry import retry_on_transient_io
from newsprism.stories import group_by_story


def read_stories(corpus: str, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES) -> Corpus:
    """The corpus's articles per story (stories in order of first appearance; each article without its text,
    which `read_batch` reads again), the claims its `claims.csv` names per story, and the inputs quarantined
    instead of analysed (a corpus whose every input is quarantined has no stories: the run still records
    them). The articles that name no story (none given as `story_id` either) are `ungrouped`: the group stage
    gives them their stories."""
    try:
        articles, rejected = scan_refs(corpus, story_id, max_bytes)
    except NothingToAnalyse as exc:
        articles, rejected = [], exc.rejected
    return Corpus(
        stories=group_by_story(articles),
        claims=corpus_claims(corpus),
        rejected=rejected,
        ungrouped=[ref["article_id"] for ref in articles if not ref["story_given"]],
    )


@task(name="ingest", retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient_io, cache_policy=NO_CACHE)
def ingest(corpus: str, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES) -> Corpus:
    """The corpus scanned (`read_stories`); one log line per quarantined input, naming it and why."""
    logger = get_run_logger()
    with stage_timer("ingest"):
        read = read_stories(corpus, story_id, max_bytes)
    for item in read["rejected"]:
        logger.warning("Quarantined %s (%s): %s", item["source"], item["reason"], item["message"])
    return read


@task(name="read-texts", retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient_io,
      cache_policy=NO_CACHE)  # fmt: skip
def read_batch(stories: list[list[ArticleRef]], max_bytes: int = MAX_INPUT_BYTES) -> RawBatch:
    """The stories' articles with their texts read again (`newsprism.corpus.read_texts`); one log line per
    input quarantined because it changed since the scan."""
    logger = get_run_logger()
    with stage_timer("ingest"):
        texts, rejected = read_texts(stories, max_bytes)
    for item in rejected:
        logger.warning("Quarantined %s (%s): %s", item["source"], item["reason"], item["message"])
    return RawBatch(stories=texts, rejected=rejected)
