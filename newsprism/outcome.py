"""A run's outcome in numbers: articles analysed, unchanged (already stored exactly so), quarantined by reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.records import Grouped, RejectedInput, RunOutcome, StageOutput, StoryGrouping


def units_of_work(outputs: Sequence[StageOutput[Any]]) -> list[StageOutput[Any]]:
    """The model stages' outputs without their rows: what a run records of them once they are loaded."""
    return [StageOutput(rows=[], computed=o["computed"], cached=o["cached"]) for o in outputs]


@dataclass
class LoadedStories:
    """What a run keeps of the stories it has loaded, batch by batch: per story its id, number of articles,
    load result and grouping columns (when its batch was grouped on the way), and the model stages' units of
    work. Their rows are in the warehouse, not here, so what a run holds does not grow with the sentences of
    its corpus."""

    story_ids: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    results: list[dict[str, int]] = field(default_factory=list)
    work: list[StageOutput[Any]] = field(default_factory=list)
    groupings: list[StoryGrouping] = field(default_factory=list)

    def add(
        self,
        sizes: Sequence[int],
        results: Sequence[dict[str, int]],
        outputs: Sequence[StageOutput[Any]],
        story_ids: Sequence[str],
        groupings: Sequence[StoryGrouping] = (),
    ) -> None:
        """A loaded batch: per story its number of articles and load result, the model stages' outputs, the
        stories' ids and (for a batch grouped on its way) their grouping columns."""
        if not len(sizes) == len(results) == len(story_ids):
            raise ValueError(f"{len(story_ids)} stories, {len(sizes)} sizes but {len(results)} load results")
        self.story_ids += story_ids
        self.sizes += sizes
        self.results += results
        self.work += units_of_work(outputs)
        self.groupings += groupings

    def grouping(self, whole: Grouped | None) -> Grouped:
        """What record-groups writes: `whole`, the corpus grouped before its batches, else the grouping
        columns of the stories loaded."""
        if whole is not None:
            return whole
        return Grouped(articles=[], story_ids=self.story_ids, stories=self.groupings, members=[], events=[])


def run_outcome(sizes: Sequence[int], loaded: Sequence[dict[str, int]], rejected: Sequence[RejectedInput]
                ) -> RunOutcome:  # fmt: skip
    """Per story its number of articles and its load's result (`{"unchanged": 1}` when nothing needed
    writing): the articles written, those left as stored, and the quarantined inputs per reason."""
    analysed = unchanged = 0
    for size, result in zip(sizes, loaded, strict=True):
        if result.get("unchanged"):
            unchanged += size
        else:
            analysed += size
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
