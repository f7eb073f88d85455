"""Summarise: each article, and the story across outlets."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cache import ResultCache, cache_key
from newsprism.models.registry import get_summariser
from newsprism.progress import stage_timer
from newsprism.records import SplitArticle, StageOutput, Story, SummaryRow, sentences_hash

VERSION = "summarise.v1"  # bump when this stage's logic changes: cached outputs are then recomputed
ARTICLE_SENTENCES = 3
STORY_SENTENCES = 5


def summarise_story(
    story: Story, articles: list[SplitArticle], summariser_id: str, encoder_id: str, cache_dir: str | None = None
) -> StageOutput[SummaryRow]:
    """One summary per article and one for the story (all outlets' sentences together).

    Computed and cached are counted in articles.
    """
    cache = ResultCache(cache_dir)
    keys = [cache_key(VERSION, summariser_id, ARTICLE_SENTENCES, sentences_hash(a)) for a in articles]

    def compute(positions: list[int]) -> list[dict]:
        summariser = get_summariser(summariser_id, encoder_id)
        out = summariser.summarise([articles[i]["sentences"] for i in positions], max_sentences=ARTICLE_SENTENCES)
        return [{"text": s.text, "sentence_ids": list(s.sentence_ids)} for s in out]

    summaries, stats = cache.map("summaries", keys, compute)
    rows = [
        SummaryRow(
            scope="article",
            subject_id=article["article_id"],
            story_id=story["story_id"],
            article_id=article["article_id"],
            summary=summary["text"],
            sentence_ids=summary["sentence_ids"],
            model_id=summariser_id,
        )
        for article, summary in zip(articles, summaries, strict=True)
    ]
    progress.advance("summarise", len(articles))
    ordered = sorted(articles, key=lambda a: a["article_id"])  # the story summary must not depend on file order
    story_key = cache_key(VERSION, summariser_id, STORY_SENTENCES, [sentences_hash(a) for a in ordered])

    def compute_story(_: list[int]) -> list[dict]:
        pooled = [s for a in ordered for s in a["sentences"]]
        (summary,) = get_summariser(summariser_id, encoder_id).summarise([pooled], max_sentences=STORY_SENTENCES)
        return [{"text": summary.text}]

    (story_summary,), _ = cache.map("story-summaries", [story_key], compute_story)
    rows.append(
        SummaryRow(
            scope="story",
            subject_id=story["story_id"],
            story_id=story["story_id"],
            article_id=None,
            summary=story_summary["text"],
            sentence_ids=[],  # indices into the pooled sentences are not stable across loads
            model_id=summariser_id,
        )
    )
    return StageOutput(rows=rows, computed={"summarise": stats.computed}, cached={"summarise": stats.cached})


# Prefect's own cache is off: caching is per article (newsprism.cache), so one new article in a story
# does not recompute the others.
@task(name="summarise", cache_policy=NO_CACHE)
def summarise(
    stories: list[Story],
    articles: list[list[SplitArticle]],
    summariser_id: str,
    encoder_id: str,
    cache_dir: str | None = None,
) -> list[StageOutput[SummaryRow]]:
    """Per story (its definition and split articles): summary rows and computed/cached counts."""
    with stage_timer("summarise"):
        return [
            summarise_story(story, mine, summariser_id, encoder_id, cache_dir)
            for story, mine in zip(stories, articles, strict=True)
        ]
