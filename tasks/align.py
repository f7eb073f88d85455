"""Align: match every sentence to its closest sentence in each other article of the story.

The links are what the comparison is built on: what an outlet shares with others (and copies word for
word), what only it says, and what it leaves out that others report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cache import cache_key, map_unit_groups
from newsprism.models.registry import get_encoder
from newsprism.progress import stage_timer
from newsprism.records import LinkRow, SplitArticle, StageOutput, sentences_hash
from newsprism.text import words

VERSION = "align.v1"


def word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of lower-cased word sets."""
    wa, wb = {w.lower() for w in words(a)}, {w.lower() for w in words(b)}
    return len(wa & wb) / len(wa | wb) if wa or wb else 0.0


ArticlePair = tuple[SplitArticle, SplitArticle]


def best_matches(
    pairs: list[ArticlePair], encoder_id: str, on_progress: Callable[[float], None] | None = None
) -> list[list[dict]]:
    """Per (article, other article): for each sentence of the first, its most similar sentence in the
    second (cosine of the shared encoder's embeddings; memoised, so each sentence is encoded once).
    `on_progress(fraction)` follows the encoding, the long part."""
    encoder = get_encoder(encoder_id)
    # one batched pass over every sentence involved (batches of similar length); the per-pair lookups
    # below then come from the encoder's memo
    texts = list({s: None for pair in pairs for a in pair for s in a["sentences"]})
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if on_progress is not None:
            on_progress(done / len(texts))

    encoder.encode(texts, tick)
    out: list[list[dict]] = []
    for article, other in pairs:
        if not article["sentences"] or not other["sentences"]:
            out.append([])
            continue
        sims = encoder.encode(article["sentences"]) @ encoder.encode(other["sentences"]).T
        best = sims.argmax(axis=1)
        out.append(
            [
                {
                    "sentence_no": i,
                    "other_sentence_no": int(j),
                    "similarity": round(float(np.clip(sims[i, j], -1.0, 1.0)), 6),
                    "word_overlap": round(word_overlap(article["sentences"][i], other["sentences"][j]), 6),
                    "model_id": encoder_id,
                }
                for i, j in enumerate(best)
            ]
        )
    return out


def align_stories(
    stories: list[list[SplitArticle]], encoder_id: str, cache_dir: str | None = None
) -> list[StageOutput[LinkRow]]:
    """Per story (its articles): links for every ordered pair of distinct articles, counts in article
    pairs. The pairs not in the cache are computed together: one encoder pass over all their sentences."""
    groups = [
        [(a, b) for a in articles for b in articles if a["article_id"] != b["article_id"]] for articles in stories
    ]
    total, shown = sum(len(articles) for articles in stories), 0.0

    def advance(fraction: float) -> None:  # the progress bar counts articles
        nonlocal shown
        progress.advance("align", fraction * total - shown)
        shown = fraction * total

    results = map_unit_groups(
        cache_dir,
        "align",
        groups,
        key=lambda pair: cache_key(VERSION, encoder_id, sentences_hash(pair[0]), sentences_hash(pair[1])),
        identity=lambda pair: {"article_id": pair[0]["article_id"], "other_article_id": pair[1]["article_id"]},
        compute=lambda batch: best_matches(batch, encoder_id, advance),
    )
    advance(1.0)
    return [
        StageOutput(
            rows=cast(list[LinkRow], r["rows"]), computed={"align": r["computed"]}, cached={"align": r["cached"]}
        )
        for r in results
    ]


@task(name="align-sentences", cache_policy=NO_CACHE)
def align(
    stories: list[list[SplitArticle]], encoder_id: str, cache_dir: str | None = None
) -> list[StageOutput[LinkRow]]:
    """Per story (its split articles): the sentence links and the counts of computed/cached pairs."""
    with stage_timer("align"):
        return align_stories(stories, encoder_id, cache_dir)
