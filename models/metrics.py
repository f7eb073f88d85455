"""Scores of predicted labels against gold ones: the FNC-1 relative score, per-class F1, the confusion
matrix, and the report `newsprism train` and `newsprism eval` print. Plain Python; no model code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """FNC-1 relative score in percent: weighted score / best possible weighted score * 100.

    Per pair: +0.25 if gold and prediction agree on related vs unrelated; +0.75 more if gold is
    related and the prediction is exactly the gold label.
    """
    score = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        g_rel, p_rel = g != "unrelated", p != "unrelated"
        best += 1.0 if g_rel else 0.25
        if g_rel == p_rel:
            score += 0.25
        if g_rel and p == g:
            score += 0.75
    return 100.0 * score / best if best else 0.0


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows: gold label, columns: predicted label, both in `labels` order."""
    index = {label: i for i, label in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        m[index[g]][index[p]] += 1
    return m


def per_class_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    m = confusion(gold, pred, labels)
    out = {}
    for i, label in enumerate(labels):
        tp = m[i][i]
        fp = sum(m[j][i] for j in range(len(labels))) - tp
        fn = sum(m[i]) - tp
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    f1 = per_class_f1(gold, pred, labels)
    return {
        "n": len(gold),
        "macro_f1": round(sum(f1.values()) / len(f1), 4),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / (len(gold) or 1), 4),
        "f1": {k: round(v, 4) for k, v in f1.items()},
        "labels": list(labels),
        "confusion": confusion(gold, pred, labels),
    }
