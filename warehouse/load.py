"""The only code that writes to the warehouse: idempotent loads of one story at a time.

A load replaces, in one transaction, everything derived from the articles it carries (keyed on content
hash) and the outputs of the models it names (keyed on model id). Loading the same corpus twice leaves
exactly the same rows; rows of other model ids are kept (nothing is lost when a model changes).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

import duckdb

from newsprism.warehouse.db import sql

_NAMED = re.compile(r"\$([a-z_]+)")


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> None:
    """Run a multi-statement .sql file, binding each statement's `$name` parameters from `params`."""
    for statement in sql(name).split(";\n"):
        body = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--"))
        if not body.strip():
            continue
        used = {key: params[key] for key in _NAMED.findall(body)}
        con.execute(body, used or None)


def insert_columns(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[Sequence[Any]]) -> int:
    """Insert rows with one statement: each column is bound as a list and unnested in SQL."""
    if not rows:
        return 0
    columns = [list(col) for col in zip(*rows, strict=True)]
    con.execute(sql(name), columns)
    return len(rows)


def load_story(
    con: duckdb.DuckDBPyConnection,
    story: dict[str, Any],
    articles: list[dict[str, Any]],
    summaries: list[dict[str, Any]],
    sentiment: list[dict[str, Any]],
    stance: list[dict[str, Any]],
    model_ids: dict[str, str],
    links: list[dict[str, Any]] | None = None,
) -> dict[str, int]:
    """Load one story's articles and model outputs; returns rows written per table (`{"unchanged": 1}`
    when the story's last load carried exactly the same data, which is then left as it is)."""
    story_id = story["story_id"]
    article_ids = [a["article_id"] for a in articles]
    fingerprint = hashlib.blake2b(json.dumps(
        [story, articles, summaries, sentiment, stance, model_ids, links or []], sort_keys=True, default=str,
    ).encode(), digest_size=16).hexdigest()
    if con.execute(sql("queries/story_load_fingerprints"), [[story_id]]).fetchall() == [(story_id, fingerprint)]:
        return {"unchanged": 1}
    counts: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        run_script(con, "loads/delete_stale_articles", {
            "story_id": story_id,
            "sources": [a["source"] for a in articles],
            "article_ids": article_ids,
        })
        run_script(con, "loads/delete_articles", {"article_ids": article_ids})
        run_script(con, "loads/delete_model_outputs", {
            "story_id": story_id,
            "article_ids": article_ids,
            "summary_model_id": model_ids["summariser"],
            "sentiment_model_id": model_ids["sentiment"],
            "stance_model_id": model_ids["stance"],
            "encoder_model_id": model_ids["encoder"],
        })
        con.execute(sql("loads/upsert_story"), [
            story_id, story.get("title"), model_ids["summariser"], model_ids["sentiment"], model_ids["stance"],
            model_ids["encoder"],
        ])
        run_script(con, "loads/replace_claims", {"story_id": story_id, "claims": list(story["claims"])})
        outlets = {a["outlet"]: a.get("outlet_evidence") for a in articles}
        insert_columns(con, "loads/upsert_outlets", sorted(outlets.items()))
        counts["articles"] = insert_columns(con, "loads/insert_articles", [
            (a["article_id"], a["story_id"], a["outlet"], a["outlet_evidence"], a["wire"], a["source"],
             a["title"], a["published_at"], a["author"], a["url"], a["language"], a["raw_hash"],
             a["raw_text"], a["clean_text"], a["words_raw"], a["words_clean"], a["cleaner_id"])
            for a in articles
        ])
        counts["cleaning_decisions"] = insert_columns(con, "loads/insert_cleaning_decisions", [
            (a["article_id"], line_no, text, kept, reason)
            for a in articles for line_no, text, kept, reason in a["decisions"]
        ])
        counts["sentences"] = insert_columns(con, "loads/insert_sentences", [
            (a["article_id"], i, text) for a in articles for i, text in enumerate(a["sentences"])
        ])
        counts["summaries"] = insert_columns(con, "loads/insert_summaries", [
            (s["scope"], s["subject_id"], s["story_id"], s.get("article_id"), s["summary"],
             list(s.get("sentence_ids") or []), s["model_id"])
            for s in summaries
        ])
        counts["sentiment"] = insert_columns(con, "loads/insert_sentiment", [
            (r["article_id"], r["level"], r.get("sentence_no"), r.get("target"), r["label"], r["score"],
             r.get("p_negative"), r.get("p_neutral"), r.get("p_positive"), r.get("mentions"), r["model_id"])
            for r in sentiment
        ])
        counts["stance"] = insert_columns(con, "loads/insert_stance", [
            (r["article_id"], r["claim_no"], r["claim"], r["label"], r["score"], r.get("p_agree"),
             r.get("p_disagree"), r.get("p_discuss"), r.get("p_unrelated"), r.get("evidence_sentence_no"),
             r.get("evidence"), r["model_id"])
            for r in stance
        ])
        counts["sentence_links"] = insert_columns(con, "loads/insert_sentence_links", [
            (r["article_id"], r["sentence_no"], r["other_article_id"], r["other_sentence_no"], r["similarity"],
             r["word_overlap"], r["model_id"])
            for r in links or []
        ])
        con.execute(sql("loads/set_load_fingerprint"), [fingerprint, story_id])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts


def record_run(con: duckdb.DuckDBPyConnection, run: dict[str, Any]) -> None:
    con.execute(sql("loads/upsert_run"), [
        run["run_id"], run.get("flow_run_id"), run["profile"], json.dumps(run.get("parameters", {})),
        run.get("started_at"), run.get("finished_at"), json.dumps(run.get("timings", {})),
        json.dumps(run.get("computed", {})), json.dumps(run.get("cached", {})),
        list(run.get("stories", [])), run.get("articles", 0),
    ])
