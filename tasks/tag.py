"""Tag: sentiment (per sentence, per article, toward each named target) and stance toward each claim."""

from __future__ import annotations

import numpy as np
from prefect import task

from newsprism import progress
from newsprism.models.base import SENTIMENT_LABELS, SentimentInput, SentimentResult, StanceInput
from newsprism.models.registry import get_sentiment, get_stance
from newsprism.targets import find_mentions


def _aggregate(results: list[SentimentResult]) -> dict:
    """Mean probabilities over results: label = argmax, score = p(positive) - p(negative)."""
    probs = {name: float(np.mean([r.probs.get(name, 0.0) for r in results])) for name in SENTIMENT_LABELS}
    return {
        "label": max(SENTIMENT_LABELS, key=probs.get),
        "score": probs["positive"] - probs["negative"],
        "p_negative": probs["negative"],
        "p_neutral": probs["neutral"],
        "p_positive": probs["positive"],
    }


def _row(article_id: str, level: str, model_id: str, **values) -> dict:
    return {"article_id": article_id, "level": level, "model_id": model_id, "sentence_no": None, "target": None,
            "mentions": None, **values}


def tag_sentiment_rows(story: dict, articles: list[dict], sentiment_id: str, encoder_id: str) -> list[dict]:
    """Sentence-level labels, their per-article aggregate, and per-target sentiment over the sentences
    that mention each of the story's targets (the target span marked in the input)."""
    model = get_sentiment(sentiment_id, encoder_id)
    inputs: list[SentimentInput] = []
    index: list[tuple[int, str, int, str | None]] = []  # article position, level, sentence_no, target
    for a_pos, article in enumerate(articles):
        for s_no, sentence in enumerate(article["sentences"]):
            inputs.append(SentimentInput(sentence))
            index.append((a_pos, "sentence", s_no, None))
            for target in story["targets"]:
                for span in find_mentions(sentence, target)[:1]:
                    inputs.append(SentimentInput(sentence, span))
                    index.append((a_pos, "target", s_no, target))
    results = model.predict(inputs)
    rows: list[dict] = []
    by_article: dict[int, list[SentimentResult]] = {}
    by_target: dict[tuple[int, str], list[SentimentResult]] = {}
    for (a_pos, level, s_no, target), result in zip(index, results, strict=True):
        article_id = articles[a_pos]["article_id"]
        if level == "sentence":
            by_article.setdefault(a_pos, []).append(result)
            rows.append(_row(article_id, "sentence", sentiment_id, sentence_no=s_no, label=result.label,
                             score=result.score, p_negative=result.probs.get("negative"),
                             p_neutral=result.probs.get("neutral"), p_positive=result.probs.get("positive")))
        else:
            by_target.setdefault((a_pos, target), []).append(result)
    for a_pos, results_ in sorted(by_article.items()):
        rows.append(_row(articles[a_pos]["article_id"], "article", sentiment_id, mentions=len(results_),
                         **_aggregate(results_)))
    for (a_pos, target), results_ in sorted(by_target.items()):
        rows.append(_row(articles[a_pos]["article_id"], "target", sentiment_id, target=target,
                         mentions=len(results_), **_aggregate(results_)))
    progress.advance("sentiment", len(articles))
    return rows


def tag_stance_rows(story: dict, articles: list[dict], stance_id: str, encoder_id: str) -> list[dict]:
    """Each article's stance toward each claim, with the evidence sentence."""
    model = get_stance(stance_id, encoder_id)
    pairs = [(article, c_no, claim) for article in articles for c_no, claim in enumerate(story["claims"])]
    results = model.predict([StanceInput(claim, tuple(article["sentences"])) for article, _, claim in pairs])
    rows = []
    for (article, c_no, claim), result in zip(pairs, results, strict=True):
        evidence = article["sentences"][result.evidence] if result.evidence is not None else None
        rows.append({
            "article_id": article["article_id"],
            "claim_no": c_no,
            "claim": claim,
            "label": result.label,
            "score": result.score,
            **{f"p_{name}": result.probs.get(name) for name in ("agree", "disagree", "discuss", "unrelated")},
            "evidence_sentence_no": result.evidence,
            "evidence": evidence,
            "model_id": stance_id,
        })
    progress.advance("stance", len(articles))
    return rows


@task(name="tag-sentiment")
def tag_sentiment(story: dict, articles: list[dict], sentiment_id: str, encoder_id: str) -> list[dict]:
    return tag_sentiment_rows(story, articles, sentiment_id, encoder_id)


@task(name="tag-stance")
def tag_stance(story: dict, articles: list[dict], stance_id: str, encoder_id: str) -> list[dict]:
    return tag_stance_rows(story, articles, stance_id, encoder_id)
