"""Group: the articles that named no story get their stories (`newsprism.grouping`), before the per-story
analysis; each story gets its grouping columns (how it was formed, its size, one outlet or more)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from newsprism.grouping import GROUPING_METHOD, GroupingConfig, Item, assign, central, items_for, regroup
from newsprism.models.registry import get_encoder
from newsprism.progress import stage_timer
from newsprism.records import (
    Article,
    Grouped,
    StoryEventRow,
    StoryGrouping,
    StoryMemberRow,
    article_id_for,
)
from newsprism.warehouse.db import connect, sql


def stored_members(db: str, encoder_id: str, since: int | None) -> list[Item]:
    """The articles grouped by earlier runs (with `encoder_id`) dated on or after `since` (None: all), as
    items known by their raw hash, each with its story."""
    if not Path(db).exists():
        return []
    with connect(db, read_only=True) as con:  # closed on leaving the block
        rows = con.execute(
            sql("queries/story_members_since"),
            {"since": -(2**31) if since is None else since, "encoder_model_id": encoder_id},
        ).fetchall()
    return [
        Item(
            raw_hash,
            day,
            np.asarray(lead, dtype=np.float32),
            np.asarray(body, dtype=np.float32),
            frozenset(names),
            story_id,
        )  # fmt: skip
        for raw_hash, story_id, _article_id, day, lead, body, names in rows
    ]


def _grouping(story_id: str, articles: Sequence[Article], grouped: bool, config: GroupingConfig) -> StoryGrouping:
    return StoryGrouping(
        story_id=story_id,
        size=len(articles),
        formed_by="grouped" if grouped else "given",
        grouping_model_id=GROUPING_METHOD if grouped else None,
        grouping_threshold=config.threshold if grouped else None,
        single_outlet=len({a["outlet"] for a in articles}) < 2,
    )


def group_stories(
    stories: list[list[Article]],
    ungrouped: list[str],
    encoder_id: str,
    db: str,
    regroup_all: bool = False,
    config: GroupingConfig | None = None,
) -> Grouped:
    """The articles per story once the `ungrouped` ones (by article id) have theirs: an article grouped
    before (same raw hash, in `db`) keeps its story, a new one joins an open story or opens one; with
    `regroup_all`, the new and the stored articles of the window are clustered again (merges and splits
    recorded). Stories given by the corpus come first, in their order, then the grouped ones by id."""
    config = config or GroupingConfig()
    todo_ids = set(ungrouped)
    given = [a for story in stories for a in story if a["article_id"] not in todo_ids]
    todo = [a for story in stories for a in story if a["article_id"] in todo_ids]
    by_story: dict[str, list[Article]] = {}
    for article in given:
        by_story.setdefault(article["story_id"], []).append(article)
    infos = [_grouping(story_id, mine, False, config) for story_id, mine in by_story.items()]
    if not todo:
        return Grouped(articles=list(by_story.values()), story_ids=list(by_story), stories=infos, members=[],
                       events=[])  # fmt: skip
    encoder = get_encoder(encoder_id)
    new = items_for(todo, encoder.encode, key="raw_hash")
    days = [i.day for i in new if i.day is not None]
    # memory bounded by the window: only stored articles that could share a story with a new one
    stored = stored_members(db, encoder_id, min(days) - 2 * config.window_days if days else None)
    known = {i.article_id: i for i in stored}
    context = items_for(given, encoder.encode, key="raw_hash", story_key="story_id") if given else []
    events: list[StoryEventRow] = []
    if regroup_all:
        fresh = [i for i in new if i.article_id not in known]  # the others are in `stored`, with their story
        assigned, made = regroup(fresh, [*stored, *context], config, keep={i.article_id for i in context})
        events = [StoryEventRow(story_id=e.story_id, kind=e.kind, from_story_id=e.from_story_id,
                                articles=e.articles) for e in made]  # fmt: skip
    else:
        fresh = [i for i in new if i.article_id not in known]
        assigned = {**{i.article_id: known[i.article_id].story_id or "" for i in new if i.article_id in known},
                    **assign(fresh, [*stored, *context], config)}  # fmt: skip
    item_of = {i.article_id: i for i in new}
    grouped: dict[str, list[Article]] = {}
    for article in sorted(todo, key=lambda a: a["raw_hash"]):
        story_id = assigned[article["raw_hash"]]
        grouped.setdefault(story_id, []).append(
            Article(**{**article, "story_id": story_id, "article_id": article_id_for(story_id, article["raw_hash"])})
        )
    for story_id, mine in grouped.items():
        if story_id in by_story:
            continue  # joined a story the corpus gave: its title stays the corpus's
        headline = central([item_of[a["raw_hash"]] for a in mine if a.get("title")] or [item_of[mine[0]["raw_hash"]]])
        title = next((a["title"] for a in mine if a["raw_hash"] == headline.article_id), None)
        for a in mine:
            a["story_title"] = title
    members = [
        StoryMemberRow(
            raw_hash=a["raw_hash"],
            story_id=a["story_id"],
            article_id=a["article_id"],
            published_day=item_of[a["raw_hash"]].day,
            title=a.get("title"),
            lead_vector=[float(x) for x in item_of[a["raw_hash"]].lead],
            body_vector=[float(x) for x in item_of[a["raw_hash"]].body],
            names=sorted(item_of[a["raw_hash"]].names),
            encoder_model_id=encoder_id,
        )
        for mine in grouped.values()
        for a in mine
    ]
    if regroup_all:  # stored articles that moved: their rows follow them
        members += [
            StoryMemberRow(
                raw_hash=i.article_id,
                story_id=assigned[i.article_id],
                article_id=article_id_for(assigned[i.article_id], i.article_id),
                published_day=i.day,
                title=None,
                lead_vector=[float(x) for x in i.lead],
                body_vector=[float(x) for x in i.body],
                names=sorted(i.names),
                encoder_model_id=encoder_id,
            )  # fmt: skip
            for i in stored
            if i.article_id not in item_of and assigned.get(i.article_id) != i.story_id
        ]
    for story_id in sorted(grouped):
        if story_id in by_story:  # grouped articles joined a story the corpus gave
            by_story[story_id].extend(grouped.pop(story_id))
    infos = [_grouping(story_id, mine, False, config) for story_id, mine in by_story.items()]
    infos += [_grouping(story_id, grouped[story_id], True, config) for story_id in sorted(grouped)]
    ordered = {**by_story, **{story_id: grouped[story_id] for story_id in sorted(grouped)}}
    return Grouped(
        articles=list(ordered.values()), story_ids=list(ordered), stories=infos, members=members, events=events
    )


@task(name="group", cache_policy=NO_CACHE)
def group(
    stories: list[list[Article]], ungrouped: list[str], encoder_id: str, db: str, regroup_all: bool = False
) -> Grouped:
    """`group_stories`, logging how many articles were grouped into how many stories."""
    with stage_timer("group"):
        grouped = group_stories(stories, ungrouped, encoder_id, db, regroup_all)
    if ungrouped:
        formed = sum(1 for s in grouped["stories"] if s["formed_by"] == "grouped")
        get_run_logger().info("Grouped %d article(s) into %d story(ies)", len(ungrouped), formed)
    return grouped
