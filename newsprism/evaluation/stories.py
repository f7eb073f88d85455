"""Story grouping on JSONL with a gold story per article, as JSON on stdout.

DATASET is one article a line with its gold story in `triplet_uuid` (BASIL) or `cluster_id` / `story_id`
(`{text, title, date|published_at, ...}`), or one story a line (`{cluster_id, articles: [{title,
content_original|text, date}]}`, AllSides). The gold is read for scoring only: every article is grouped as
one without a story id (`newsprism.grouping`), from the profile's encoder.

Two ways articles arrive: `all_at_once`, every article given in one random order (`--seed`), and `daily`,
one day at a time in date order, each day added to the stories of the days before. Each prints
`pairwise_f1` (with precision and recall over article pairs), `ari`, `nmi`, `purity`, `stories` (formed vs
gold) and `articles_per_s` (the grouping alone, vectors given); `encode_articles_per_s` is the encoder's
share. `--cv K` adds `cv`: the threshold chosen on K-1 folds of gold stories (by all-at-once pairwise F1)
and scored on the held-out fold, averaged over folds.

Example:

  newsprism eval stories ../shared/data/corpora/basil_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.cli import UserError
from newsprism.grouping import (
    DEFAULT_NAME_WEIGHT,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    GROUPING_METHOD,
    Grouper,
    GroupingConfig,
    Item,
    items_for,
)
from newsprism.models.profiles import PROFILES

THRESHOLD_GRID = [round(0.30 + 0.025 * i, 3) for i in range(17)]  # 0.30 .. 0.70


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, metavar="DATASET", help="JSONL with a gold story per article")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="local", help="models to use (default: local)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="join score (default: %(default)s)")
    parser.add_argument("--name-weight", type=float, default=DEFAULT_NAME_WEIGHT, help="default: %(default)s")
    parser.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=0, help="the random order of all_at_once (default: 0)")
    parser.add_argument("--cv", type=int, metavar="K", help="also choose the threshold in K folds of gold stories")


def read_dataset(path: Path) -> list[dict[str, Any]]:
    """Articles with `article_id` (the line order), `title`, `text`, `published_at` and `gold`."""
    articles: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            nested = row.get("articles") if isinstance(row.get("articles"), list) else None
            for item in nested if nested is not None else [row]:
                gold = row.get("triplet_uuid") or row.get("cluster_id") or row.get("story_id")
                text = item.get("text") or item.get("content_original") or item.get("content")
                if not gold or not text:
                    raise UserError(f"{path}:{line_no}: needs a gold story (triplet_uuid/cluster_id) and a text")
                articles.append(
                    {
                        "article_id": f"{len(articles):06d}",
                        "title": item.get("title"),
                        "text": text,
                        "published_at": item.get("published_at") or item.get("date") or row.get("date"),
                        "gold": str(gold),
                    }
                )
    return articles


def _pairs(counts: Sequence[int] | np.ndarray) -> int:
    return int(sum(int(c) * (int(c) - 1) // 2 for c in counts))


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Pairwise precision / recall / F1 over article pairs, ARI, NMI, purity and story counts."""
    # sklearn's metrics are only needed here: evaluation code, not imported at run time
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    both = _pairs(list(Counter(zip(gold, predicted, strict=True)).values()))
    formed = _pairs(list(Counter(predicted).values()))
    true = _pairs(list(Counter(gold).values()))
    precision = both / formed if formed else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    majority: Counter[str] = Counter()  # per predicted story: how many of its articles its main gold story has
    for story, count in Counter(zip(predicted, gold, strict=True)).items():
        majority[story[0]] = max(majority[story[0]], count)
    return {
        "pairwise_f1": round(f1, 4),
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "ari": round(float(adjusted_rand_score(gold, predicted)), 4),
        "nmi": round(float(normalized_mutual_info_score(gold, predicted)), 4),
        "purity": round(sum(majority.values()) / len(gold), 4) if gold else 1.0,
        "stories": {"formed": len(set(predicted)), "gold": len(set(gold))},
    }


def group_all_at_once(items: Sequence[Item], config: GroupingConfig, seed: int) -> tuple[dict[str, str], float]:
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    started = time.perf_counter()
    assigned = Grouper(config).add(shuffled)
    return assigned, time.perf_counter() - started


def group_daily(items: Sequence[Item], config: GroupingConfig) -> tuple[dict[str, str], float]:
    days: dict[int | None, list[Item]] = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    grouper = Grouper(config)
    assigned: dict[str, str] = {}
    started = time.perf_counter()
    for day in sorted(days, key=lambda d: (d is None, d or 0)):
        assigned.update(grouper.add(days[day]))
    return assigned, time.perf_counter() - started


def _measured(items: Sequence[Item], gold: dict[str, str], assigned: dict[str, str], seconds: float) -> dict:
    ids = [i.article_id for i in items]
    out = scores([gold[a] for a in ids], [assigned[a] for a in ids])
    out["articles_per_s"] = round(len(items) / seconds, 1) if seconds > 0 else None
    return out


def cross_validate(items: Sequence[Item], gold: dict[str, str], config: GroupingConfig, k: int, seed: int) -> dict:
    """The threshold chosen on K-1 folds of gold stories, scored on the held-out fold; means over folds."""
    stories = sorted(set(gold.values()))
    random.Random(seed).shuffle(stories)
    fold_of = {story: n % k for n, story in enumerate(stories)}
    folds = []
    for fold in range(k):
        train = [i for i in items if fold_of[gold[i.article_id]] != fold]
        test = [i for i in items if fold_of[gold[i.article_id]] == fold]

        def f1(threshold: float, part: Sequence[Item]) -> float:
            chosen = GroupingConfig(threshold, config.name_weight, config.window_days)
            assigned = Grouper(chosen).add(part)
            return scores([gold[i.article_id] for i in part], [assigned[i.article_id] for i in part])["pairwise_f1"]

        best = max(THRESHOLD_GRID, key=lambda t: (f1(t, train), -abs(t - config.threshold)))
        chosen = GroupingConfig(best, config.name_weight, config.window_days)
        folds.append({"threshold": best, **_measured(test, gold, *group_all_at_once(test, chosen, seed))})
    mean = {key: round(float(np.mean([f[key] for f in folds])), 4) for key in ("pairwise_f1", "ari", "nmi", "purity")}
    return {"folds": k, **mean, "thresholds": [f["threshold"] for f in folds]}


def run(args: argparse.Namespace) -> int:
    if not args.dataset.is_file():
        raise UserError(f"file not found: {args.dataset}")
    # torch and the encoder load here, not at import: `newsprism --help` imports this module
    from newsprism.models.registry import get_encoder

    articles = read_dataset(args.dataset)
    profile = PROFILES[args.profile]
    encoder = get_encoder(profile.encoder)
    started = time.perf_counter()
    items = items_for(articles, encoder.encode)
    encode_seconds = time.perf_counter() - started
    gold = {a["article_id"]: a["gold"] for a in articles}
    config = GroupingConfig(args.threshold, args.name_weight, args.window_days)
    out: dict[str, Any] = {
        "dataset": str(args.dataset),
        "method": GROUPING_METHOD,
        "encoder": profile.encoder,
        "threshold": config.threshold,
        "name_weight": config.name_weight,
        "window_days": config.window_days,
        "articles": len(items),
        "undated": sum(1 for i in items if i.day is None),
        "encode_articles_per_s": round(len(items) / encode_seconds, 1) if encode_seconds > 0 else None,
        "all_at_once": _measured(items, gold, *group_all_at_once(items, config, args.seed)),
        "daily": _measured(items, gold, *group_daily(items, config)),
    }
    if args.cv:
        if args.cv < 2 or len(set(gold.values())) < args.cv:
            raise UserError(f"--cv {args.cv}: needs at least 2 folds and as many gold stories")
        out["cv"] = cross_validate(items, gold, config, args.cv, args.seed)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    for mode in ("all_at_once", "daily"):
        m = out[mode]
        print(
            f"{mode}: pairwise F1 {m['pairwise_f1']:.4f}  ARI {m['ari']:.4f}  NMI {m['nmi']:.4f}  purity "
            f"{m['purity']:.4f}  stories {m['stories']['formed']} vs {m['stories']['gold']}",
            file=sys.stderr,
        )
    return 0
