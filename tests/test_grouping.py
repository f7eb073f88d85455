"""Grouping articles into stories (newsprism/grouping.py): exact assignments on hand-made vectors."""

import json
import random

import numpy as np
import pytest

from newsprism.cli import build_parser
from newsprism.evaluation.stories import scores
from newsprism.grouping import (
    Grouper,
    GroupingConfig,
    Item,
    StoryEvent,
    article_texts,
    assign,
    day_of,
    new_story_id,
    regroup,
)

DAY = day_of("2024-05-01")
CONFIG = GroupingConfig(threshold=0.5, name_weight=0.0, window_days=3)


def vec(*values: float) -> np.ndarray:
    v = np.array([*values, *([0.0] * (4 - len(values)))], dtype=np.float32)
    return v / np.linalg.norm(v)


def item(article_id: str, story: str, day: int | None = 0, story_id: str | None = None, tilt: float = 0.1) -> Item:
    """An article of story "a" (axis 0) or "b" (axis 1), tilted a little toward axis 2."""
    direction = vec(1.0, 0.0, tilt) if story == "a" else vec(0.0, 1.0, tilt)
    return Item(article_id, None if day is None else DAY + day, direction, direction, frozenset(), story_id)


# two stories interleaved in time: a1 b1 a2 b2 a3 b3 over three days
TWO_STORIES = [
    item("a1", "a", 0),
    item("b1", "b", 0),
    item("a2", "a", 1),
    item("b2", "b", 1),
    item("a3", "a", 2),
    item("b3", "b", 2),
]
EXPECTED = {
    "a1": "story-a1",
    "a2": "story-a1",
    "a3": "story-a1",
    "b1": "story-b1",
    "b2": "story-b1",
    "b3": "story-b1",
}


def test_two_interleaved_stories_are_told_apart():
    assert assign(TWO_STORIES, config=CONFIG) == EXPECTED


def test_the_result_does_not_depend_on_the_order_given():
    for seed in range(5):
        shuffled = list(TWO_STORIES)
        random.Random(seed).shuffle(shuffled)
        assert assign(shuffled, config=CONFIG) == EXPECTED


def test_adding_articles_never_changes_earlier_assignments():
    first = assign(TWO_STORIES[:3], config=CONFIG)
    assert first == {"a1": "story-a1", "b1": "story-b1", "a2": "story-a1"}
    existing = [Item(i.article_id, i.day, i.lead, i.body, i.names, first[i.article_id]) for i in TWO_STORIES[:3]]
    # "a0" sits between both stories and is dated earliest: it would found a story of its own in a fresh run,
    # but joining later it goes to the closer story and moves nothing
    between = Item("a0", DAY - 1, vec(1.0, 0.9), vec(1.0, 0.9), frozenset())
    later = assign([*TWO_STORIES[3:], between], existing, CONFIG)
    assert later == {"a0": "story-a1", "b2": "story-b1", "a3": "story-a1", "b3": "story-b1"}
    assert set(later).isdisjoint(first)


def test_an_article_with_a_story_id_keeps_it_and_others_can_join_it():
    given = item("a1", "a", 0, story_id="my-story")
    assert assign([given, item("a2", "a", 1), item("b1", "b", 1)], config=CONFIG) == {
        "a1": "my-story",
        "a2": "my-story",
        "b1": "story-b1",
    }


def test_the_date_window_separates_and_closes_stories():
    grouper = Grouper(CONFIG)
    assert grouper.add([item("a1", "a", 0), item("a2", "a", 3)]) == {"a1": "story-a1", "a2": "story-a1"}
    assert grouper.add([item("a9", "a", 7)]) == {"a9": "story-a9"}  # 4 days after story-a1's last article
    assert [s.story_id for s in grouper.stories] == ["story-a9"]  # story-a1 closed: out of memory
    assert grouper.closed == 1


def test_undated_articles_are_compared_with_every_open_story():
    assert assign([item("a1", "a", 0), item("a2", "a", None), item("b1", "b", None)], config=CONFIG) == {
        "a1": "story-a1",
        "a2": "story-a1",
        "b1": "story-b1",
    }


def test_names_add_to_the_score():
    lead = vec(1.0, 1.0)  # cosine 0.707 with either axis
    a = Item("a1", DAY, vec(1.0), vec(1.0), frozenset({"obama"}))
    b = Item("b1", DAY, vec(0.0, 1.0), vec(0.0, 1.0), frozenset({"putin"}))
    new = Item("c1", DAY, lead, lead, frozenset({"putin"}))
    strict = GroupingConfig(threshold=0.75, name_weight=0.0)
    assert assign([a, b, new], config=strict)["c1"] == "story-c1"
    assert assign([a, b, new], config=GroupingConfig(threshold=0.75, name_weight=0.1))["c1"] == "story-b1"


def test_regroup_merges_and_records_it():
    # a2 was put in a story of its own (say, by a stricter threshold); regrouping merges it into story-a1
    existing = [
        item("a1", "a", 0, story_id="story-a1"),
        item("a2", "a", 1, story_id="story-a2"),
        item("b1", "b", 0, story_id="story-b1"),
    ]
    assigned, events = regroup([item("a3", "a", 2)], existing, CONFIG)
    assert assigned == {"a1": "story-a1", "a2": "story-a1", "a3": "story-a1", "b1": "story-b1"}
    assert events == [StoryEvent("merge", "story-a1", "story-a2", 1)]


def test_regroup_splits_and_records_it():
    existing = [
        item("a1", "a", 0, story_id="story-a1"),
        item("a2", "a", 0, story_id="story-a1"),
        item("b1", "b", 1, story_id="story-a1"),
    ]
    assigned, events = regroup([], existing, CONFIG)
    assert assigned == {"a1": "story-a1", "a2": "story-a1", "b1": "story-b1"}
    assert events == [StoryEvent("split", "story-b1", "story-a1", 1)]


def test_regroup_keeps_given_story_ids():
    existing = [item("a1", "a", 0, story_id="mine"), item("a2", "a", 0, story_id="story-a2")]
    assigned, events = regroup([], existing, CONFIG, keep={"a1"})
    assert assigned == {"a1": "mine", "a2": "mine"}
    assert events == [StoryEvent("merge", "mine", "story-a2", 1)]


def test_new_story_ids_come_from_the_founding_article():
    assert new_story_id("0123456789abcdef") == "story-0123456789ab"


def test_article_texts():
    lead, body, names = article_texts(
        "Senate passes budget",
        "Senator Jane Doe spoke in Washington on Monday. The bill passed. "
        "Critics in Ohio objected, as critics do. More later.",
    )
    assert lead == "Senate passes budget Senator Jane Doe spoke in Washington on Monday. The bill passed."
    assert body.startswith("Senator Jane Doe spoke")
    assert names == frozenset({"senate", "jane doe", "washington", "ohio"})


def test_scores_are_exact():
    gold = ["x", "x", "x", "y", "y"]
    predicted = ["1", "1", "2", "2", "2"]
    out = scores(gold, predicted)
    # pairs: gold 3 + 1 = 4; formed 1 + 3 = 4; both: (0, 1) and (3, 4) = 2
    assert out["pairwise_precision"] == 0.5
    assert out["pairwise_recall"] == 0.5
    assert out["pairwise_f1"] == 0.5
    assert out["purity"] == 0.8
    assert out["stories"] == {"formed": 2, "gold": 2}
    assert scores(gold, gold)["ari"] == pytest.approx(1.0)
    assert scores(gold, gold)["nmi"] == pytest.approx(1.0)


def test_eval_stories_prints_both_arrival_orders(tmp_path, capsys):
    rows = [  # two gold stories a month apart (beyond the window: any encoder tells them apart), one story a line
        {"cluster_id": "c1", "date": "2020-01-01", "articles": [
            {"title": "One", "content_original": "Alpha beta gamma. Delta.", "date": "2020-01-01"},
            {"title": "Two", "content_original": "Gamma beta alpha. Epsilon.", "date": "2020-01-02"}]},
        {"cluster_id": "c2", "date": "2020-02-01", "articles": [
            {"title": "Three", "content_original": "Storm hits the coast.", "date": "2020-02-01"}]},
    ]  # fmt: skip
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    args = build_parser().parse_args(["eval", "stories", str(data), "--profile", "tiny", "--threshold", "-1"])
    assert args._handler(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["articles"], out["undated"], out["threshold"]) == (3, 0, -1.0)
    for mode in ("all_at_once", "daily"):
        assert out[mode]["pairwise_f1"] == 1.0
        assert out[mode]["stories"] == {"formed": 2, "gold": 2}
