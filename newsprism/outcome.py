"""A run's outcome in numbers: articles analysed, unchanged (already stored exactly so), quarantined by reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from newsprism.records import RejectedInput, RunOutcome


def run_outcome(
    articles: Sequence[Sequence[Any]], loaded: Sequence[dict[str, int]], rejected: Sequence[RejectedInput]
) -> RunOutcome:
    """Per story its articles and its load's result (`{"unchanged": 1}` when nothing needed writing): the
    articles written, those left as stored, and the quarantined inputs per reason."""
    analysed = unchanged = 0
    for story_articles, result in zip(articles, loaded, strict=True):
        if result.get("unchanged"):
            unchanged += len(story_articles)
        else:
            analysed += len(story_articles)
    by_reason = Counter(item["reason"] for item in rejected)
    return RunOutcome(analysed=analysed, unchanged=unchanged, quarantined=dict(sorted(by_reason.items())))


def outcome_line(outcome: RunOutcome) -> str:
    """E.g. `analysed 5, unchanged 0, quarantined 2 (binary 1, duplicate 1)`."""
    quarantined = outcome["quarantined"]
    detail = ", ".join(f"{reason} {n}" for reason, n in quarantined.items())
    total = sum(quarantined.values())
    return f"analysed {outcome['analysed']}, unchanged {outcome['unchanged']}, quarantined {total}" + (
        f" ({detail})" if detail else ""
    )
