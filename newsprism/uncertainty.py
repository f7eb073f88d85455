"""How sure a claim about outlets is: a two-stage (cluster) bootstrap over articles, then sentences.

A story has few articles per outlet and sentences within an article are not independent, so the resampling
mirrors how the data was drawn: pick the outlet's articles with replacement, then each picked article's
sentences with replacement. Every interval is a 95 % percentile interval; the resampling is seeded, so the
same warehouse always yields the same statements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

RESAMPLES = 2000
LEVEL = 0.95
SEED = 20261204

# one outlet's values: per article, its sentences' values
Clustered = Sequence[Sequence[float]]


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    articles: int
    sentences: int

    def excludes(self, value: float) -> bool:
        return not self.low <= value <= self.high

    def text(self, sign: bool = True) -> str:
        fmt = "+.2f" if sign else ".2f"
        return f"{self.estimate:{fmt}} [{self.low:{fmt}}, {self.high:{fmt}}]"


def _percentiles(reps: np.ndarray) -> tuple[float, float]:
    if np.isnan(reps).all():
        return float("nan"), float("nan")
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(reps, [tail, 100 - tail])
    return float(low), float(high)


def _pooled_mean(clusters: Clustered) -> float:
    values = [v for cluster in clusters for v in cluster]
    return float(np.mean(values)) if values else float("nan")


def resampled_means(clusters: Clustered, rng: np.random.Generator, resamples: int = RESAMPLES) -> np.ndarray:
    """`resamples` bootstrap replicates of the pooled sentence mean (articles, then sentences, resampled)."""
    arrays = [np.asarray(c, dtype=float) for c in clusters if len(c)]
    if not arrays:
        return np.full(resamples, np.nan)
    n = len(arrays)
    picked = rng.integers(n, size=(resamples, n))  # which article fills each of the n slots
    total = np.zeros(resamples)
    count = np.zeros(resamples)
    for slot in range(n):
        for a, values in enumerate(arrays):
            chosen = picked[:, slot] == a
            # an independent resample of the article's sentences for every replicate that picked it here
            draws = values[rng.integers(len(values), size=(int(chosen.sum()), len(values)))]
            total[chosen] += draws.sum(axis=1)
            count[chosen] += len(values)
    return total / count


def interval(clusters: Clustered, resamples: int = RESAMPLES, seed: int = SEED) -> Interval:
    """The pooled sentence mean of one outlet with its 95 % cluster-bootstrap interval."""
    reps = resampled_means(clusters, np.random.default_rng(seed), resamples)
    low, high = _percentiles(reps)
    return Interval(
        estimate=_pooled_mean(clusters),
        low=low,
        high=high,
        articles=sum(1 for c in clusters if len(c)),
        sentences=sum(len(c) for c in clusters),
    )


@dataclass(frozen=True)
class Ranking:
    """Which outlet is lowest / highest, and how often the resamples agree."""

    lowest: str
    highest: str
    p_lowest: float  # share of resamples in which `lowest` has the lowest mean
    p_highest: float
    difference: Interval  # highest minus lowest, over the same resamples

    def clear(self) -> bool:
        """The lowest and highest outlet are told apart: each keeps its place in >= LEVEL of the resamples."""
        return self.p_lowest >= LEVEL and self.p_highest >= LEVEL and self.difference.excludes(0.0)


def rank(by_outlet: Mapping[str, Clustered], resamples: int = RESAMPLES, seed: int = SEED) -> Ranking | None:
    """The outlets with the lowest and highest pooled mean (None under two outlets with values), and in
    what share of joint resamples each keeps that place: picking the extremes on the full data and then
    testing them would overstate the difference."""
    names = sorted(o for o, clusters in by_outlet.items() if any(len(c) for c in clusters))
    if len(names) < 2:
        return None
    rng = np.random.default_rng(seed)
    reps = np.stack([resampled_means(by_outlet[o], rng, resamples) for o in names])  # outlets x resamples
    means = [_pooled_mean(by_outlet[o]) for o in names]
    lo, hi = int(np.argmin(means)), int(np.argmax(means))
    if lo == hi:  # every outlet has the same mean: name two, the interval says there is no gap
        hi = 1 if lo == 0 else 0
    d_low, d_high = _percentiles(reps[hi] - reps[lo])
    return Ranking(
        lowest=names[lo],
        highest=names[hi],
        p_lowest=float(np.mean(reps.argmin(axis=0) == lo)),
        p_highest=float(np.mean(reps.argmax(axis=0) == hi)),
        difference=Interval(
            estimate=means[hi] - means[lo],
            low=d_low,
            high=d_high,
            articles=sum(len(by_outlet[o]) for o in (names[lo], names[hi])),
            sentences=sum(len(c) for o in (names[lo], names[hi]) for c in by_outlet[o]),
        ),
    )
