"""Align: match every sentence to its closest sentence in each other article of the story, and decide
whether the two make the same point (the profile's pairs model, over the encoder's top candidates).

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
from newsprism.models.base import PairInput, PairResult
from newsprism.models.registry import get_encoder, get_pairs
from newsprism.progress import stage_timer
from newsprism.records import LinkRow, SplitArticle, StageOutput, sentences_hash
from newsprism.runners import BATCH_ARTICLES, story_batches
from newsprism.text import words

VERSION = "align.v2"  # v2: candidates scored by the pairs model (same_point, same_point_score)
TOP_CANDIDATES = 3  # per sentence and other article, the most similar sentences the pairs model scores
# the pairs model is not asked below this encoder cosine: on MSRP train 35 of 4,076 pairs fall below it, holding
# 0.2 % of its paraphrases (0.5 would lose 1.2 %; table in models/heads/pairs.minilm-msrp.v1.md)
MIN_COSINE = 0.4


def word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of lower-cased word sets."""
    wa, wb = {w.lower() for w in words(a)}, {w.lower() for w in words(b)}
    return len(wa & wb) / len(wa | wb) if wa or wb else 0.0


ArticlePair = tuple[SplitArticle, SplitArticle]


def best_matches(
    pairs: list[ArticlePair],
    encoder_id: str,
    pairs_id: str,
    on_progress: Callable[[float], None] | None = None,
    on_pairs: Callable[[float], None] | None = None,
) -> list[list[dict]]:
    """Per (article, other article): for each sentence of the first, its link to the second. The candidates
    are its TOP_CANDIDATES most similar sentences there (cosine of the shared encoder's embeddings; memoised,
    so each sentence is encoded once) at or above MIN_COSINE; the pairs model scores every candidate of
    every pair in one batch, and the link goes to the best-scored one (`same_point`, `same_point_score`).
    A sentence with no candidate links to its most similar sentence, not the same point, unscored (None).
    `on_progress(fraction)` follows the encoding, `on_pairs(fraction)` the pairs model."""
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
    sims_of: list[tuple[np.ndarray, np.ndarray] | None] = []  # per pair: (cosines, candidate mask)
    candidates: dict[tuple[str, str], None] = {}  # (sentence, other sentence), in first-seen order
    for article, other in pairs:
        if not article["sentences"] or not other["sentences"]:
            sims_of.append(None)
            continue
        sims = np.clip(encoder.encode(article["sentences"]) @ encoder.encode(other["sentences"]).T, -1.0, 1.0)
        keep = top_candidates(sims)
        sims_of.append((sims, keep))
        for i, j in zip(*np.nonzero(keep), strict=True):
            candidates[(article["sentences"][i], other["sentences"][j])] = None
    scored = score_pairs(list(candidates), pairs_id, encoder_id, on_pairs)
    out: list[list[dict]] = []
    for (article, other), matched in zip(pairs, sims_of, strict=True):
        if matched is None:
            out.append([])
            continue
        sims, keep = matched
        rows = []
        for i, sentence in enumerate(article["sentences"]):
            js = np.nonzero(keep[i])[0]
            if len(js):
                j = max(js, key=lambda j: (scored[(sentence, other["sentences"][j])].score, sims[i, j]))
                result: PairResult | None = scored[(sentence, other["sentences"][j])]
            else:
                j, result = int(sims[i].argmax()), None
            rows.append(
                {
                    "sentence_no": i,
                    "other_sentence_no": int(j),
                    "similarity": round(float(sims[i, j]), 6),
                    "word_overlap": round(word_overlap(sentence, other["sentences"][j]), 6),
                    "same_point": bool(result is not None and result.same_point),
                    "same_point_score": None if result is None else round(float(result.score), 6),
                    "model_id": encoder_id,
                    "pairs_model_id": pairs_id,
                }
            )
        out.append(rows)
    return out


def top_candidates(sims: np.ndarray, k: int = TOP_CANDIDATES, min_cosine: float = MIN_COSINE) -> np.ndarray:
    """A boolean mask of `sims` (sentences x other sentences): each row's `k` most similar at or above
    `min_cosine`."""
    keep = np.zeros(sims.shape, dtype=bool)
    if sims.size:
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        np.put_along_axis(keep, top, True, axis=1)
    return keep & (sims >= min_cosine)


def score_pairs(candidates: list[tuple[str, str]], pairs_id: str, encoder_id: str,
                on_pairs: Callable[[float], None] | None = None) -> dict[tuple[str, str], PairResult]:  # fmt: skip
    """The pairs model's decision on each (sentence, other sentence), in chunks (for the progress bar)."""
    model = get_pairs(pairs_id, encoder_id)
    out: dict[tuple[str, str], PairResult] = {}
    chunk = 256
    for start in range(0, len(candidates), chunk):
        part = candidates[start : start + chunk]
        out.update(zip(part, model.predict([PairInput(a, b) for a, b in part]), strict=True))
        if on_pairs is not None:
            on_pairs(min(start + chunk, len(candidates)) / len(candidates))
    return out


def align_stories(
    stories: list[list[SplitArticle]],
    encoder_id: str,
    pairs_id: str,
    cache_dir: str | None = None,
    batch_articles: int = BATCH_ARTICLES,
) -> list[StageOutput[LinkRow]]:
    """Per story (its articles): links for every ordered pair of distinct articles, counts in article
    pairs. Stories go in batches of about `batch_articles` articles (so a large corpus's similarity matrices
    and candidates are never all held at once); a batch's pairs not in the cache are computed together:
    one encoder pass over all their sentences, one pairs-model batch over all their candidates."""
    shown = {"align": 0.0, "same point": 0.0}
    done = 0  # articles of the batches before this one

    def advance(fraction: float, size: int, stage: str) -> None:  # the progress bars count articles
        progress.advance(stage, done + fraction * size - shown[stage])
        shown[stage] = done + fraction * size

    results = []
    for indices in story_batches(stories, batch_articles):
        batch = [stories[i] for i in indices]
        size = sum(map(len, batch))
        groups = [
            [(a, b) for a in articles for b in articles if a["article_id"] != b["article_id"]] for articles in batch
        ]

        def compute(units: list[ArticlePair], size: int = size) -> list[list[dict]]:
            return best_matches(
                units,
                encoder_id,
                pairs_id,
                lambda f: advance(f, size, "align"),
                lambda f: advance(f, size, "same point"),
            )

        results += map_unit_groups(
            cache_dir,
            "align",
            groups,
            key=lambda pair: cache_key(VERSION, encoder_id, pairs_id, sentences_hash(pair[0]), sentences_hash(pair[1])),
            identity=lambda pair: {"article_id": pair[0]["article_id"], "other_article_id": pair[1]["article_id"]},
            compute=compute,
        )
        advance(1.0, size, "align")
        advance(1.0, size, "same point")
        done += size
    return [
        StageOutput(
            rows=cast(list[LinkRow], r["rows"]), computed={"align": r["computed"]}, cached={"align": r["cached"]}
        )
        for r in results
    ]


@task(name="align-sentences", cache_policy=NO_CACHE)
def align(
    stories: list[list[SplitArticle]], encoder_id: str, pairs_id: str, cache_dir: str | None = None
) -> list[StageOutput[LinkRow]]:
    """Per story (its split articles): the sentence links and the counts of computed/cached pairs."""
    with stage_timer("align"):
        return align_stories(stories, encoder_id, pairs_id, cache_dir)
