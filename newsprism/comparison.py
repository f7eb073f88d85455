"""How each outlet covered each story, read back from the warehouse (read-only), and the notable differences.

`newsprism show` and the flow's compare stage both read it from here.
"""

from __future__ import annotations

from typing import Any

import duckdb

from newsprism.cache import ResultCache, cache_key
from newsprism.warehouse.db import connect, schema_fingerprint, sql

VERSION = "compare.v1"  # bump when this module's logic changes: cached comparisons are then recomputed

# One story's comparison: the columns of queries/story_overview.sql plus one list per PER_STORY query and
# "notable"; its keys follow the SQL files, so it stays a plain dict.
Comparison = dict[str, Any]


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def notable_differences(outlets: list[dict[str, Any]], claims: list[str]) -> list[str]:
    """Plain-language differences between outlets (empty when fewer than two outlets)."""
    notes: list[str] = []
    if len(outlets) < 2:
        return notes
    scored = [o for o in outlets if o["sentiment_mean"] is not None]
    if len(scored) >= 2:
        low = min(scored, key=lambda o: o["sentiment_mean"])
        high = max(scored, key=lambda o: o["sentiment_mean"])
        if high["sentiment_mean"] - low["sentiment_mean"] >= 0.1:
            notes.append(
                f"Tone: {low['outlet']} is the most negative ({low['sentiment_mean']:+.2f}), "
                f"{high['outlet']} the most positive ({high['sentiment_mean']:+.2f})."
            )
    longest = max(outlets, key=lambda o: o["words"] or 0)
    shortest = min(outlets, key=lambda o: o["words"] or 0)
    if (shortest["words"] or 0) and longest["words"] >= 2 * shortest["words"]:
        notes.append(
            f"Depth: {longest['outlet']} gives the story {longest['words']} words, "
            f"{shortest['outlet']} {shortest['words']}."
        )
    for c_no, claim in enumerate(claims):
        labels: dict[str, list[str]] = {}
        for o in outlets:
            for entry in o["stance"] or []:
                if entry["claim"] == claim:
                    labels.setdefault(entry["label"], []).append(o["outlet"])
        if len(labels) > 1:
            split = "; ".join(f"{label}: {', '.join(sorted(names))}" for label, names in sorted(labels.items()))
            notes.append(f"Stance on claim {c_no + 1} ({claim!r}) differs — {split}.")
    return notes


PER_STORY = [
    ("outlets", "outlet_comparison"),
    ("targets", "target_sentiment"),
    ("exclusive", "exclusive_by_outlet"),
    ("left_out", "left_out_by_outlet"),
    ("copied", "copied_pairs"),
    ("shared_quotes", "shared_quotes"),
]


def compare_stories(db: str, story_ids: list[str]) -> list[Comparison]:
    """Per story: title, claims, the cross-outlet summary, one row per outlet, sentiment toward targets,
    what each outlet alone said and left out, copied sentences, shared quotes, notable differences.
    Each query runs once for all the stories."""
    con = connect(db, read_only=True)
    try:
        return _compare(con, story_ids)
    finally:
        con.close()


def _compare(con: duckdb.DuckDBPyConnection, story_ids: list[str]) -> list[Comparison]:
    stories = _records(con.execute(sql("queries/story_overview"), [story_ids]))
    by_id = {story["story_id"]: story for story in stories}
    for story in stories:
        story.update({key: [] for key, _ in PER_STORY})
    for key, query in PER_STORY:
        for row in _records(con.execute(sql(f"queries/{query}"), [story_ids])):
            by_id[row.pop("story_id")][key].append(row)
    for story in stories:
        story["notable"] = notable_differences(story["outlets"], story["claims"] or [])
    return stories


def compare_stories_cached(db: str, story_ids: list[str], cache_dir: str | None = None) -> list[Comparison]:
    """`compare_stories`, reused while every story's last load (its load fingerprint), the warehouse's
    schema and views, the queries and this module's VERSION are all unchanged: an unchanged rerun reads
    one row per story instead of running every query."""
    cache = ResultCache(cache_dir)
    con = connect(db, read_only=True)
    try:
        loads = con.execute(sql("queries/story_load_fingerprints"), [story_ids]).fetchall()
        key = cache_key(
            VERSION,
            schema_fingerprint(),
            [sql("queries/story_overview"), *(sql(f"queries/{q}") for _, q in PER_STORY)],
            story_ids,
            loads,
        )
        stories = cache.get("compare", key)
        if stories is None:
            stories = _compare(con, story_ids)
            cache.put("compare", key, stories)
        return stories
    finally:
        con.close()
