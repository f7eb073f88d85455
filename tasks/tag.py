"""Tag: sentiment (per sentence, per article, toward each named target) and stance toward each claim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cache import CachedUnits, cache_key, map_units
from newsprism.models.attitude import attitude_for
from newsprism.models.base import SENTIMENT_LABELS, SentimentInput, SentimentResult, StanceInput
from newsprism.models.registry import get_sentiment, get_stance
from newsprism.progress import stage_timer
from newsprism.records import SentimentRow, SplitArticle, StageOutput, StanceRow, Story, sentences_hash
from newsprism.targets import Mention, target_mentions

VERSION = "tag.v2"  # bump when this stage's logic changes: cached outputs are then recomputed


# Rows below are computed without their article id (the per-article cache adds it back), so they are
# plain dicts here and SentimentRow / StanceRow once the stage returns them.
Values = dict[str, Any]


def _aggregate(results: list[SentimentResult]) -> Values:
    """Mean probabilities over results: label = argmax, score = p(positive) - p(negative)."""
    probs = {name: float(np.mean([r.probs.get(name, 0.0) for r in results])) for name in SENTIMENT_LABELS}
    return {
        "label": max(SENTIMENT_LABELS, key=probs.__getitem__),
        "score": probs["positive"] - probs["negative"],
        "p_negative": probs["negative"],
        "p_neutral": probs["neutral"],
        "p_positive": probs["positive"],
    }


def _row(level: str, model_id: str, **values: Any) -> Values:
    return {"level": level, "model_id": model_id, "sentence_no": None, "target": None, "mentions": None, **values}


def sentence_sentiment_rows(articles: list[SplitArticle], sentiment_id: str, encoder_id: str) -> list[list[Values]]:
    """Per article: one row per sentence and the article's aggregate (rows carry no article id)."""
    model = get_sentiment(sentiment_id, encoder_id)
    inputs = [SentimentInput(sentence) for article in articles for sentence in article["sentences"]]
    results = iter(model.predict(inputs))
    out = []
    for article in articles:
        mine = [next(results) for _ in article["sentences"]]
        rows = [
            _row(
                "sentence",
                sentiment_id,
                sentence_no=s_no,
                label=r.label,
                score=r.score,
                p_negative=r.probs.get("negative"),
                p_neutral=r.probs.get("neutral"),
                p_positive=r.probs.get("positive"),
            )
            for s_no, r in enumerate(mine)
        ]
        if mine:
            rows.append(_row("article", sentiment_id, mentions=len(mine), **_aggregate(mine)))
        out.append(rows)
    return out


def target_sentiment_rows(
    pairs: list[tuple[SplitArticle, str]], sentiment_id: str, encoder_id: str
) -> list[list[Values]]:
    """Per (article, target): the article's attitude toward the target (`models/attitude.py`: label and score,
    calibrated for the sentiment model where a calibration is shipped), from the sentiment of the sentences
    that mention it (`newsprism.targets.target_mentions`), the target's span marked in the input; the p_*
    columns are those sentences' plain mean. No row when the article does not mention the target."""
    rule = attitude_for(sentiment_id)
    inputs: list[SentimentInput] = []
    mentions: list[list[Mention]] = []
    for article, target in pairs:
        mine = target_mentions(article["sentences"], target)
        mentions.append(mine)
        inputs += [SentimentInput(article["sentences"][m.sentence_no], m.span) for m in mine]
    results = iter(get_sentiment(sentiment_id, encoder_id).predict(inputs) if inputs else [])
    out: list[list[Values]] = []
    for (_, target), mine in zip(pairs, mentions, strict=True):
        if not mine:
            out.append([])
            continue
        attitude = rule.decide(mine, [next(results) for _ in mine])
        probs = {f"p_{name}": attitude.probs[name] for name in SENTIMENT_LABELS}
        out.append([_row("target", sentiment_id, target=target, mentions=attitude.mentions, label=attitude.label,
                         score=attitude.score, **probs)])  # fmt: skip
    return out


def stance_rows(triples: list[tuple[SplitArticle, int, str]], stance_id: str, encoder_id: str) -> list[list[Values]]:
    """Per (article, claim number, claim): the stance and its evidence sentence."""
    model = get_stance(stance_id, encoder_id)
    results = model.predict([StanceInput(claim, tuple(article["sentences"])) for article, _, claim in triples])
    out = []
    for (article, c_no, claim), result in zip(triples, results, strict=True):
        evidence = article["sentences"][result.evidence] if result.evidence is not None else None
        out.append(
            [
                {
                    "claim_no": c_no,
                    "claim": claim,
                    "label": result.label,
                    "score": result.score,
                    **{f"p_{name}": result.probs.get(name) for name in ("agree", "disagree", "discuss", "unrelated")},
                    "evidence_sentence_no": result.evidence,
                    "evidence": evidence,
                    "model_id": stance_id,
                }
            ]
        )
    return out


def cached_units(
    namespace: str,
    units: list[Any],
    key_parts: Callable[[Any], list[Any]],
    compute: Callable[[list[Any]], list[list[Values]]],
    cache_dir: str | None,
) -> CachedUnits:
    """Rows per unit of work (its first element is the article), cached on the article's sentences, the
    model and the unit's configuration (`key_parts`)."""
    return map_units(
        cache_dir,
        namespace,
        units,
        key=lambda unit: cache_key(VERSION, namespace, *key_parts(unit), sentences_hash(unit[0])),
        identity=lambda unit: {"article_id": unit[0]["article_id"]},
        compute=compute,
    )


def tag_sentiment_cached(
    story: Story, articles: list[SplitArticle], sentiment_id: str, encoder_id: str, cache_dir: str | None = None
) -> StageOutput[SentimentRow]:
    """Sentence, article and target sentiment rows; counts are articles and article x target pairs."""
    attitude = attitude_for(sentiment_id)  # its parameters key the target rows: a refit recomputes them
    sentences = cached_units(
        "sentiment",
        [(a,) for a in articles],
        lambda unit: [sentiment_id],
        lambda units: sentence_sentiment_rows([u[0] for u in units], sentiment_id, encoder_id),
        cache_dir,
    )
    targets = cached_units(
        "sentiment-targets",
        [(a, t) for a in articles for t in story["targets"]],
        lambda unit: [sentiment_id, attitude, unit[1]],
        lambda units: target_sentiment_rows(units, sentiment_id, encoder_id),
        cache_dir,
    )
    progress.advance("sentiment", len(articles))
    return StageOutput(
        rows=cast(list[SentimentRow], sentences["rows"] + targets["rows"]),
        computed={"sentiment": sentences["computed"], "sentiment_targets": targets["computed"]},
        cached={"sentiment": sentences["cached"], "sentiment_targets": targets["cached"]},
    )


def tag_stance_cached(
    story: Story, articles: list[SplitArticle], stance_id: str, encoder_id: str, cache_dir: str | None = None
) -> StageOutput[StanceRow]:
    """Stance rows; counts are article x claim pairs."""
    claims = list(enumerate(story["claims"]))
    result = cached_units(
        "stance",
        [(a, c_no, claim) for a in articles for c_no, claim in claims],
        lambda unit: [stance_id, unit[2]],
        lambda units: stance_rows(units, stance_id, encoder_id),
        cache_dir,
    )
    progress.advance("stance", len(articles))
    return StageOutput(
        rows=cast(list[StanceRow], result["rows"]),
        computed={"stance": result["computed"]},
        cached={"stance": result["cached"]},
    )


# Prefect's own cache is off: caching is per article (newsprism.cache), so one new article in a story
# does not recompute the others.
@task(name="tag-sentiment", cache_policy=NO_CACHE)
def tag_sentiment(
    stories: list[Story],
    articles: list[list[SplitArticle]],
    sentiment_id: str,
    encoder_id: str,
    cache_dir: str | None = None,
) -> list[StageOutput[SentimentRow]]:
    """Per story (its definition and split articles): sentiment rows and computed/cached counts."""
    with stage_timer("sentiment"):
        return [
            tag_sentiment_cached(story, mine, sentiment_id, encoder_id, cache_dir)
            for story, mine in zip(stories, articles, strict=True)
        ]


@task(name="tag-stance", cache_policy=NO_CACHE)
def tag_stance(
    stories: list[Story],
    articles: list[list[SplitArticle]],
    stance_id: str,
    encoder_id: str,
    cache_dir: str | None = None,
) -> list[StageOutput[StanceRow]]:
    """Per story (its definition and split articles): stance rows and computed/cached counts."""
    with stage_timer("stance"):
        return [
            tag_stance_cached(story, mine, stance_id, encoder_id, cache_dir)
            for story, mine in zip(stories, articles, strict=True)
        ]
