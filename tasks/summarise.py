"""Summarise: each article, and the story across outlets."""

from __future__ import annotations

from prefect import task

from newsprism import progress
from newsprism.models.registry import get_summariser

ARTICLE_SENTENCES = 3
STORY_SENTENCES = 5


def summarise_story(story: dict, articles: list[dict], summariser_id: str, encoder_id: str) -> list[dict]:
    """One summary per article and one for the story (all outlets' sentences together)."""
    summariser = get_summariser(summariser_id, encoder_id)
    per_article = summariser.summarise([a["sentences"] for a in articles], max_sentences=ARTICLE_SENTENCES)
    rows = [
        {
            "scope": "article",
            "subject_id": article["article_id"],
            "story_id": story["story_id"],
            "article_id": article["article_id"],
            "summary": summary.text,
            "sentence_ids": list(summary.sentence_ids),
            "model_id": summariser_id,
        }
        for article, summary in zip(articles, per_article, strict=True)
    ]
    progress.advance("summarise", len(articles))
    pooled = [s for a in articles for s in a["sentences"]]
    (story_summary,) = summariser.summarise([pooled], max_sentences=STORY_SENTENCES)
    rows.append({
        "scope": "story",
        "subject_id": story["story_id"],
        "story_id": story["story_id"],
        "article_id": None,
        "summary": story_summary.text,
        "sentence_ids": [],  # indices into the pooled sentences are not stable across loads
        "model_id": summariser_id,
    })
    return rows


@task(name="summarise")
def summarise(story: dict, articles: list[dict], summariser_id: str, encoder_id: str) -> list[dict]:
    return summarise_story(story, articles, summariser_id, encoder_id)
