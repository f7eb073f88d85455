"""How each outlet covered each story, read back from the warehouse (read-only), and the notable differences.

`newsprism show` and the flow's compare stage both read it from here.
"""

from __future__ import annotations

from typing import Any

import duckdb

from newsprism.cache import ResultCache, cache_key
from newsprism.processes import story_map
from newsprism.uncertainty import interval, rank
from newsprism.warehouse.db import connect, records, schema_fingerprint, sql

# bump when this module's (or newsprism.uncertainty's) logic changes: cached comparisons are then recomputed
VERSION = "compare.v2"
# the queries run for this many stories at a time, so their rows (every sentence's tone) and DuckDB's work
# follow a chunk of the run, not the whole warehouse (docs/scaling.md)
STORIES_PER_QUERY = 256

# One story's comparison: the columns of queries/story_overview.sql plus one list per PER_STORY query and
# "notable"; its keys follow the SQL files, so it stays a plain dict.
Comparison = dict[str, Any]


def _clusters(rows: list[dict[str, Any]], value: str) -> dict[str, list[list[float]]]:
    """Per outlet, per article (in row order): the rows' `value`s."""
    by_article: dict[str, dict[str, list[float]]] = {}
    for row in rows:
        by_article.setdefault(row["outlet"], {}).setdefault(row["article_id"], []).append(row[value])
    return {outlet: list(articles.values()) for outlet, articles in by_article.items()}


def add_tone_intervals(outlets: list[dict[str, Any]], sentences: list[dict[str, Any]]) -> None:
    """Each outlet row gains `tone` (the mean sentence sentiment) and shares of negative/positive sentences,
    each with its 95 % bootstrap interval over the outlet's articles and their sentences."""
    for value in ("score", "negative", "positive"):
        clusters = _clusters(sentences, value)
        name = "tone" if value == "score" else f"share_{value}"
        for o in outlets:
            if o["outlet"] in clusters:
                ci = interval(clusters[o["outlet"]])
                o[f"{name}_interval"] = [round(ci.low, 4), round(ci.high, 4)]
                if value == "score":
                    o["tone"] = round(ci.estimate, 4)
            else:
                o[f"{name}_interval"] = None
                if value == "score":
                    o["tone"] = None


def tone_note(sentences: list[dict[str, Any]]) -> str | None:
    """The tone statement: which outlet is the most negative and which the most positive, only when the
    resamples agree; a difference between the two extremes without a stable order, said as such; otherwise
    that no clear difference shows. None under two outlets with sentences."""
    ranking = rank(_clusters(sentences, "score"))
    if ranking is None:
        return None
    d = ranking.difference
    if ranking.clear():
        return (
            f"Tone: {ranking.lowest} is the most negative and {ranking.highest} the most positive "
            f"(difference {d.text()}, 95 % interval; in {min(ranking.p_lowest, ranking.p_highest):.0%} of "
            f"resamples over articles and sentences the order holds)."
        )
    if d.excludes(0.0):  # the two differ, but the resamples do not agree that they are the extremes
        return (
            f"Tone: {ranking.lowest} reads more negative than {ranking.highest} (difference {d.text()}, 95 % "
            f"interval over articles and sentences), but which outlets are the most negative and most positive "
            f"is not clear (the order holds in {min(ranking.p_lowest, ranking.p_highest):.0%} of resamples)."
        )
    return (
        f"Tone: no clear difference between outlets (widest gap {ranking.lowest} vs {ranking.highest}: "
        f"{d.text()}, 95 % interval over articles and sentences)."
    )


def stance_notes(rows: list[dict[str, Any]], claims: list[str]) -> list[str]:
    """Per claim on which outlets' articles get different labels: each outlet's share of articles per label
    with its 95 % bootstrap interval over articles (one article: no interval, said so)."""
    notes: list[str] = []
    for c_no, claim in enumerate(claims):
        claim_rows = [r for r in rows if r["claim_no"] == c_no]
        if len({r["label"] for r in claim_rows}) < 2 or len({r["outlet"] for r in claim_rows}) < 2:
            continue
        parts = []
        for outlet in sorted({r["outlet"] for r in claim_rows}):
            mine = [r for r in claim_rows if r["outlet"] == outlet]
            label = max(sorted({r["label"] for r in mine}), key=lambda lab: sum(r["label"] == lab for r in mine))
            if len(mine) == 1:
                parts.append(f"{outlet}: {label} (one article, p={mine[0]['score']:.2f})")
            else:
                ci = interval([[1.0 if r["label"] == label else 0.0] for r in mine])
                parts.append(f"{outlet}: {label} in {ci.text(sign=False)} of {len(mine)} articles")
        notes.append(f"Stance on claim {c_no + 1} ({claim!r}) differs — " + "; ".join(parts) + ".")
    return notes


def notable_differences(
    outlets: list[dict[str, Any]],
    claims: list[str],
    sentences: list[dict[str, Any]] | None = None,
    stance: list[dict[str, Any]] | None = None,
) -> list[str]:
    """Plain-language differences between outlets (empty when fewer than two outlets): tone and stance
    with their uncertainty (`sentences`: queries/sentence_tone.sql rows, `stance`: queries/article_stance.sql
    rows), and depth."""
    notes: list[str] = []
    if len(outlets) < 2:
        return notes
    tone = tone_note(sentences or [])
    if tone:
        notes.append(tone)
    longest = max(outlets, key=lambda o: o["words"] or 0)
    shortest = min(outlets, key=lambda o: o["words"] or 0)
    if (shortest["words"] or 0) and longest["words"] >= 2 * shortest["words"]:
        notes.append(
            f"Depth: {longest['outlet']} gives the story {longest['words']} words, "
            f"{shortest['outlet']} {shortest['words']}."
        )
    notes += stance_notes(stance or [], claims)
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


def _compare(con: duckdb.DuckDBPyConnection, story_ids: list[str], processes: int | None = 1) -> list[Comparison]:
    """`compare_stories` on an open connection, STORIES_PER_QUERY stories at a time (by id, the order of the
    result)."""
    ordered = sorted(set(story_ids))
    out: list[Comparison] = []
    for start in range(0, len(ordered), STORIES_PER_QUERY):
        out += _compare_chunk(con, ordered[start : start + STORIES_PER_QUERY], processes)
    return out


def _compare_chunk(con: duckdb.DuckDBPyConnection, story_ids: list[str], processes: int | None) -> list[Comparison]:
    stories = records(con.execute(sql("queries/story_overview"), [story_ids]))
    by_id = {story["story_id"]: story for story in stories}
    for story in stories:
        story.update({key: [] for key, _ in PER_STORY})
    for key, query in PER_STORY:
        for row in records(con.execute(sql(f"queries/{query}"), [story_ids])):
            by_id[row.pop("story_id")][key].append(row)
    tone = _by_story(con, "sentence_tone", story_ids)
    stance = _by_story(con, "article_stance", story_ids)
    # the bootstrap intervals and notes (seeded per story: the same on any process), on `processes` workers
    work = [(story, tone.get(story["story_id"], []), stance.get(story["story_id"], [])) for story in stories]
    articles = sum(o["articles"] for story in stories for o in story["outlets"])
    return list(story_map(_with_notes, work, processes, articles=articles))


def _with_notes(work: tuple[Comparison, list[dict[str, Any]], list[dict[str, Any]]]) -> Comparison:
    """A story's comparison with its outlets' tone intervals and its notable differences, from its sentences'
    tone and its articles' stance rows."""
    story, tone, stance = work
    add_tone_intervals(story["outlets"], tone)
    story["notable"] = notable_differences(story["outlets"], story["claims"] or [], tone, stance)
    return story


def _by_story(con: duckdb.DuckDBPyConnection, query: str, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in records(con.execute(sql(f"queries/{query}"), [story_ids])):
        out.setdefault(row.pop("story_id"), []).append(row)
    return out


def compare_stories_cached(
    db: str, story_ids: list[str], cache_dir: str | None = None, processes: int | None = 1
) -> list[Comparison]:
    """`compare_stories`, reused while every story's last load (its load fingerprint), the warehouse's
    schema and views, the queries and this module's VERSION are all unchanged: an unchanged rerun reads
    one row per story instead of running every query. The per-story intervals run on `processes` workers."""
    cache = ResultCache(cache_dir)
    con = connect(db, read_only=True)
    try:
        loads = con.execute(sql("queries/story_load_fingerprints"), [story_ids]).fetchall()
        key = cache_key(
            VERSION,
            schema_fingerprint(),
            [
                sql("queries/story_overview"),
                *(sql(f"queries/{q}") for _, q in PER_STORY),
                *(sql(f"queries/{q}") for q in ("sentence_tone", "article_stance")),
            ],
            story_ids,
            loads,
        )
        stories = cache.get("compare", key)
        if stories is None:
            stories = _compare(con, story_ids, processes)
            cache.put("compare", key, stories)
        return stories
    finally:
        con.close()
