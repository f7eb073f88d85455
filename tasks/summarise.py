"""Summarise: each article, and the story across outlets (its points, most widely carried first)."""

from __future__ import annotations

import json

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cache import ResultCache, cache_key
from newsprism.models.registry import get_encoder, get_summariser
from newsprism.models.summarise import story_points
from newsprism.progress import stage_timer
from newsprism.records import (
    LinkRow,
    SplitArticle,
    StageOutput,
    Story,
    SummaryOutput,
    SummaryPointRow,
    SummaryRow,
    content_hash,
    sentences_hash,
)

# bump when this stage's logic changes: cached outputs are then recomputed. v2: datelines removed, no summary
# opens on a sentence that leans on a missing one, the story summary made of the points most outlets share.
VERSION = "summarise.v2"
ARTICLE_SENTENCES = 3
STORY_SENTENCES = 5

SamePoint = tuple[int, int, int, int]


def same_point_pairs(articles: list[SplitArticle], links: list[LinkRow]) -> list[SamePoint]:
    """The links the align stage judged to make the same point (`same_point`), as (article index, sentence,
    other article index, other sentence) into `articles`, sorted; links to other articles are left out."""
    index = {a["article_id"]: d for d, a in enumerate(articles)}
    return sorted(
        (index[link["article_id"]], link["sentence_no"], index[link["other_article_id"]], link["other_sentence_no"])
        for link in links
        if link["same_point"] and link["article_id"] in index and link["other_article_id"] in index
    )


def summarise_story(
    story: Story,
    articles: list[SplitArticle],
    links: list[LinkRow],
    summariser_id: str,
    encoder_id: str,
    cache_dir: str | None = None,
) -> SummaryOutput:
    """One summary per article, and one for the story: its points (what most outlets say, one sentence each,
    with the outlets that say it) and a summary of them.

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
    same = same_point_pairs(ordered, links)
    outlets = [a["outlet"] for a in ordered]
    story_key = cache_key(
        VERSION,
        summariser_id,
        encoder_id,
        STORY_SENTENCES,
        [sentences_hash(a) for a in ordered],
        outlets,
        content_hash(json.dumps(same)),
    )

    def compute_story(_: list[int]) -> list[dict]:
        points = story_points(
            get_encoder(encoder_id), [a["sentences"] for a in ordered], same, outlets, STORY_SENTENCES
        )
        texts = [p.text for p in points]
        # the summariser reads the points in their order: extractive keeps them all, seq2seq rewrites them
        (summary,) = get_summariser(summariser_id, encoder_id).summarise([texts], max_sentences=len(texts))
        return [
            {
                "text": summary.text,
                "points": [
                    {
                        "text": p.text,
                        "article_id": ordered[p.document]["article_id"],
                        "sentence_no": p.sentence_no,
                        "outlets": sorted({outlets[d] for d in p.documents}),
                    }
                    for p in points
                ],
            }
        ]

    (story_summary,), _ = cache.map("story-summaries", [story_key], compute_story)
    rows.append(
        SummaryRow(
            scope="story",
            subject_id=story["story_id"],
            story_id=story["story_id"],
            article_id=None,
            summary=story_summary["text"],
            sentence_ids=[],  # the points (summary_points) say where each sentence comes from
            model_id=summariser_id,
        )
    )
    points = [
        SummaryPointRow(
            story_id=story["story_id"],
            point_no=n,
            text=point["text"],
            article_id=point["article_id"],
            sentence_no=point["sentence_no"],
            outlets=point["outlets"],
            model_id=summariser_id,
        )
        for n, point in enumerate(story_summary["points"], start=1)
    ]
    return SummaryOutput(
        rows=rows, points=points, computed={"summarise": stats.computed}, cached={"summarise": stats.cached}
    )


# Prefect's own cache is off: caching is per article (newsprism.cache), so one new article in a story
# does not recompute the others.
@task(name="summarise", cache_policy=NO_CACHE)
def summarise(
    stories: list[Story],
    articles: list[list[SplitArticle]],
    links: list[StageOutput[LinkRow]],
    summariser_id: str,
    encoder_id: str,
    cache_dir: str | None = None,
) -> list[SummaryOutput]:
    """Per story (its definition, split articles and sentence links): summary rows, the story summary's points,
    and computed/cached counts."""
    with stage_timer("summarise"):
        return [
            summarise_story(story, mine, story_links["rows"], summariser_id, encoder_id, cache_dir)
            for story, mine, story_links in zip(stories, articles, links, strict=True)
        ]
