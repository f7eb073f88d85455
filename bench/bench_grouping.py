"""Speed of assigning articles into existing stories (newsprism/grouping.py), their vectors given.

Synthetic but shaped like a stream: `--stories` stories spread over `--days` days, each with a random unit
direction for its title + lead and its body vectors and a few names; `--seeded` articles per story are
assigned first (the existing stories), then `--articles` new articles, each a noisy copy of a random story's
vectors dated its day or the next, arrive in date order one day at a time. Prints articles/s of the new
articles' assignment, the share that joined the story they were drawn from, and the most stories open at
once (memory is bounded by the date window, not the corpus).

.venv/bin/python bench/bench_grouping.py
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from newsprism.grouping import Grouper, GroupingConfig, Item

DIM = 384  # MiniLM's


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seeded", type=int, default=2, help="existing articles per story")
    parser.add_argument("--articles", type=int, default=10_000, help="new articles to assign")
    parser.add_argument("--noise", type=float, default=0.045, help="per-dimension noise of an article's vectors")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    lead_dirs = unit(rng.normal(size=(args.stories, DIM)))
    body_dirs = unit(rng.normal(size=(args.stories, DIM)))
    story_days = rng.integers(0, args.days, size=args.stories) + 730_000
    names = [frozenset(f"name{rng.integers(0, 5000)}" for _ in range(3)) for _ in range(args.stories)]

    def article(n: int, story: int, story_id: str | None, later: int) -> Item:
        lead = unit(lead_dirs[story] + rng.normal(scale=args.noise, size=(1, DIM)))[0]
        body = unit(body_dirs[story] + rng.normal(scale=args.noise, size=(1, DIM)))[0]
        day = int(story_days[story] + rng.integers(0, later + 1))
        return Item(f"{n:07d}", day, lead, body, names[story], story_id)

    existing = [article(n, s, f"s{s:05d}", 0) for n, s in enumerate(np.repeat(np.arange(args.stories), args.seeded))]
    drawn = rng.integers(0, args.stories, size=args.articles)
    new = [article(len(existing) + n, int(s), None, 1) for n, s in enumerate(drawn)]
    truth = {item.article_id: f"s{s:05d}" for item, s in zip(new, drawn, strict=True)}

    config = GroupingConfig()
    # the existing stories arrive in date order as the warehouse would replay them; new articles day by day
    by_day: dict[int, tuple[list[Item], list[Item]]] = {}
    for item in existing:
        by_day.setdefault(item.day or 0, ([], []))[0].append(item)
    for item in new:
        by_day.setdefault(item.day or 0, ([], []))[1].append(item)
    grouper = Grouper(config)
    assigned: dict[str, str] = {}
    seconds = 0.0
    most_open = 0
    for day in sorted(by_day):
        old, fresh = by_day[day]
        grouper.add(old)
        started = time.perf_counter()
        assigned.update(grouper.add(fresh))
        seconds += time.perf_counter() - started
        most_open = max(most_open, len(grouper.stories))
    right = sum(assigned[a] == s for a, s in truth.items()) / len(truth)
    out = {
        "articles": args.articles,
        "existing_stories": args.stories,
        "articles_per_s": round(args.articles / seconds, 1),
        "joined_their_story": round(right, 4),
        "most_stories_open": most_open,
        "threshold": config.threshold,
        "window_days": config.window_days,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
