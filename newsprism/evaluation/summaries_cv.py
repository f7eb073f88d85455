"""`newsprism eval summaries --cv K`: choose the extractive summariser's settings in K folds grouped by topic.

Every item is encoded once; each setting of `GRID` then summarises every item from the vectors (exactly as
`ExtractiveSummariser.pick` does) and each distinct summary is scored once.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsprism.errors import UserError
from newsprism.models.attitude_training import grouped_folds
from newsprism.models.datasets import DisjointSets
from newsprism.models.profiles import resolve_profile
from newsprism.models.summarise import leans_back, relevance_scores, select_sentences, without_dateline
from newsprism.text import split_sentences

# the extractive summariser's settings `--cv` chooses among (ExtractiveSummariser's fields)
# (lead_span > 0: a step prior over that many sentences, lead_decay unused; lead_weight 0: no prior at all)
GRID: dict[str, tuple[float, ...]] = {
    "lead_weight": (0.0, 0.1, 0.2, 0.35, 0.5, 1.0),
    "lead_span": (0, 1, 2, 3),
    "lead_decay": (1.0, 3.0),
    "redundancy_weight": (0.0, 0.3, 0.6),
    "min_words": (4, 6),
    "max_words": (60,),
}


@dataclass
class Prepared:
    """One item as the extractive summariser sees it: sentences (dateline removed), their vectors, and the
    item's Lead-3 and reference."""

    sentences: list[str]
    vectors: np.ndarray
    lead: str
    reference: str
    dangling: list[bool] = field(init=False, repr=False)
    sims: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.dangling = [leans_back(s) for s in self.sentences]
        self.sims = self.vectors @ self.vectors.T


def settings_grid(grid: dict[str, tuple[float, ...]] = GRID) -> list[dict[str, float]]:
    """Every combination of `grid`, less those that summarise as another does: a step prior (lead_span > 0)
    only with the first lead_decay, no prior (lead_weight 0) only with the first shape."""
    keep = []
    for values in itertools.product(*grid.values()):
        option = dict(zip(grid, values, strict=True))
        shape = (option.get("lead_span", 0), option.get("lead_decay"))
        first_decay = grid.get("lead_decay", (None,))[0]
        if option.get("lead_span") and shape[1] != first_decay:
            continue
        if option["lead_weight"] == 0 and shape != (grid.get("lead_span", (0,))[0], first_decay):
            continue
        keep.append(option)
    return keep


def topic_groups(vectors: np.ndarray, threshold: float) -> list[int]:
    """A topic per item (row of unit vectors): items within cosine `threshold` of each other share one, linked
    transitively (single link)."""
    topics: DisjointSets[int] = DisjointSets()
    sims = vectors @ vectors.T
    for i, j in zip(*np.nonzero(np.triu(sims >= threshold, 1)), strict=True):
        topics.union(int(i), int(j))
    return [topics.find(i) for i in range(len(vectors))]


class RougeTable:
    """ROUGE-1/2/L F1 of each item's candidate summaries (sentence ids), each candidate scored once."""

    def __init__(self, scorer, items: Sequence[Prepared]) -> None:
        self.scorer, self.items = scorer, items
        self.memo: dict[tuple[int, tuple[int, ...]], tuple[float, float, float]] = {}
        self.lead = [self._score(item.lead, item.reference) for item in items]

    def _score(self, prediction: str, reference: str) -> tuple[float, float, float]:
        s = self.scorer.score(reference, prediction)
        return (s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure)

    def __call__(self, n: int, ids: tuple[int, ...]) -> tuple[float, float, float]:
        if (n, ids) not in self.memo:
            item = self.items[n]
            self.memo[(n, ids)] = self._score(" ".join(item.sentences[i] for i in ids), item.reference)
        return self.memo[(n, ids)]


def pick_all(items: Sequence[Prepared], settings: dict[str, float], k: int) -> list[tuple[int, ...]]:
    """Each item's summary under `settings`, exactly as ExtractiveSummariser.pick makes it."""
    weight, decay, span = settings["lead_weight"], settings.get("lead_decay", 3.0), int(settings.get("lead_span", 0))
    bounds = (int(settings["min_words"]), int(settings["max_words"]))
    return [
        select_sentences(
            relevance_scores(item.vectors, item.sentences, weight, *bounds, lead_decay=decay, lead_span=span),
            item.sims,
            item.dangling,
            k,
            settings["redundancy_weight"],
        )
        for item in items
    ]


def mean_scores(rows: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    n = max(len(rows), 1)
    return {key: round(float(sum(r[c] for r in rows)) / n, 4) for c, key in enumerate(("rouge1", "rouge2", "rougeL"))}


OBJECTIVES = ("worst-gain", "mean")


def objective_scores(table: np.ndarray, lead: np.ndarray, objective: str) -> np.ndarray:
    """Per setting, from its items' ROUGE-1/2/L F1 (settings, items, 3) and Lead-3's (items, 3): "worst-gain",
    the smallest of its three mean gains over Lead-3 (to be at least Lead-3 on all three); "mean", the mean of
    its three means."""
    means = table.mean(1)
    if objective == "worst-gain":
        return (means - lead.mean(0)).min(1)
    return means.mean(1)


def cross_validate(
    items: Sequence[Prepared], groups: Sequence[int], rouge: RougeTable, k: int, folds: int, seed: int,
    grid: dict[str, tuple[float, ...]] = GRID, objective: str = "worst-gain",
) -> dict:  # fmt: skip
    """Per setting, every item's ROUGE; then in each fold the setting with the best `objective` on the other
    folds, scored on the held-out fold. Returns the held-out scores pooled over the folds beside Lead-3's on the
    same items, each fold's choice, and the setting chosen on all items."""
    settings = settings_grid(grid)
    table = np.array([[rouge(n, ids) for n, ids in enumerate(pick_all(items, option, k))] for option in settings])
    lead = np.array(rouge.lead)
    held_out: list[tuple[float, float, float]] = []
    chosen = []
    tested: list[int] = []
    for test in grouped_folds([str(g) for g in groups], folds, seed):
        train = np.ones(len(items), dtype=bool)
        train[test] = False
        best = int(objective_scores(table[:, train], lead[train], objective).argmax())
        chosen.append(settings[best])
        held_out.extend(tuple(row) for row in table[best, test])
        tested.extend(test)
    overall = int(objective_scores(table, lead, objective).argmax())
    return {
        "folds": folds,
        "topics": len(set(groups)),
        "objective": objective,
        "held_out": mean_scores(held_out),
        "lead3_same_items": mean_scores([tuple(lead[i]) for i in tested]),
        "chosen_per_fold": chosen,
        "chosen": settings[overall],
        "chosen_in_sample": mean_scores([tuple(row) for row in table[overall]]),
    }


def run_cv(args: argparse.Namespace, items: list[dict]) -> int:
    # deferred, as in `run` (see there): ROUGE and the encoder (torch)
    from rich.progress import track  # (see above)
    from rouge_score import rouge_scorer  # (see above)

    from newsprism.models.registry import get_encoder  # (see above)

    if args.cv < 2:
        raise UserError("--cv needs at least 2 folds")
    encoder = get_encoder(resolve_profile(args.profile).encoder)
    prepared = []
    for item in track(items, description="encoding", console=None, transient=True):
        sentences = [s for doc in item["documents"] for s in split_sentences(doc)]
        (clean,) = without_dateline([sentences])
        if clean:
            prepared.append(
                Prepared(clean, encoder.encode(clean), " ".join(sentences[: args.sentences]), item["reference"])
            )
    means = np.stack([p.vectors.mean(0) / (np.linalg.norm(p.vectors.mean(0)) or 1.0) for p in prepared])
    groups = topic_groups(means, args.topic_threshold)
    if len(set(groups)) < args.cv:
        raise UserError(f"--cv {args.cv}: only {len(set(groups))} topics")
    rouge = RougeTable(rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True), prepared)
    result = {
        "dataset": str(args.dataset),
        "items": len(prepared),
        "encoder": encoder.model_id,
        "sentences": args.sentences,
        "topic_threshold": args.topic_threshold,
        **cross_validate(prepared, groups, rouge, args.sentences, args.cv, args.seed, objective=args.objective),
    }
    print(json.dumps(result, indent=2))
    print(f"held out: ours {result['held_out']} lead-3 {result['lead3_same_items']}", file=sys.stderr)
    print(f"chosen on all items: {result['chosen']}", file=sys.stderr)
    return 0
