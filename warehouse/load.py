"""The only code that writes to the warehouse: idempotent loads of one story at a time.

A load replaces, in one transaction, everything derived from the articles it carries (keyed on content
hash) and the outputs of the models it names (keyed on model id). Loading the same corpus twice leaves
exactly the same rows; rows of other model ids are kept (nothing is lost when a model changes).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from newsprism import speakers, terms
from newsprism.corpus import near_duplicates
from newsprism.entities import EntityMention, entity_rows
from newsprism.records import (
    LinkRow,
    RejectedInput,
    RunRecord,
    SentimentRow,
    SplitArticle,
    StanceRow,
    Story,
    StoryEventRow,
    StoryGrouping,
    StoryMemberRow,
    SummaryPointRow,
    SummaryRow,
)
from newsprism.warehouse.db import insert_target, sql

_NAMED = re.compile(r"\$([a-z_]+)")


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]) -> None:
    """Run a .sql file (one statement or several), binding each statement's `$name` parameters from `params`."""
    for statement in sql(name).split(";\n"):
        body = "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--"))
        if not body.strip():
            continue
        used = {key: params[key] for key in _NAMED.findall(body)}
        con.execute(body, used or None)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back (and the error raised) when it fails."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def insert_rows(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows with one statement. The .sql file names its table's columns and binds each one by name
    (`$column`, a list, unnested in SQL); every row gives a value per named column (other keys are left
    out), so the file's column list is the one place the columns are declared."""
    if not rows:
        return 0
    columns = insert_target(name).columns
    con.execute(sql(name), {column: [row[column] for row in rows] for column in columns})
    return len(rows)


def load_story(
    con: duckdb.DuckDBPyConnection,
    story: Story,
    articles: Sequence[SplitArticle],
    summaries: Sequence[SummaryRow],
    sentiment: Sequence[SentimentRow],
    stance: Sequence[StanceRow],
    model_ids: Mapping[str, str],
    links: Sequence[LinkRow] | None = None,
    points: Sequence[SummaryPointRow] | None = None,
) -> dict[str, int]:
    """Load one story's articles and model outputs; returns rows written per table (`{"unchanged": 1}`
    when the story's last load carried exactly the same data, which is then left as it is). `points`, the
    story summary's points, are counted when given; a reload always replaces the summariser's old ones."""
    story_id = story["story_id"]
    article_ids = [a["article_id"] for a in articles]
    fingerprint = hashlib.blake2b(
        json.dumps(
            [
                story,
                articles,
                summaries,
                sentiment,
                stance,
                model_ids,
                links or [],
                *([points] if points else []),
                terms.VERSION,
                speakers.VERSION,
            ],
            sort_keys=True,
            default=str,
        ).encode(),
        digest_size=16,
    ).hexdigest()
    if con.execute(sql("queries/story_load_fingerprints"), [[story_id]]).fetchall() == [(story_id, fingerprint)]:
        return {"unchanged": 1}
    counts: dict[str, int] = {}
    with transaction(con):
        run_script(
            con,
            "loads/delete_stale_articles",
            {
                "story_id": story_id,
                "sources": [a["source"] for a in articles],
                "article_ids": article_ids,
            },
        )
        run_script(con, "loads/delete_articles", {"article_ids": article_ids})
        run_script(
            con,
            "loads/delete_model_outputs",
            {
                "story_id": story_id,
                "article_ids": article_ids,
                "summary_model_id": model_ids["summariser"],
                "sentiment_model_id": model_ids["sentiment"],
                "stance_model_id": model_ids["stance"],
                "encoder_model_id": model_ids["encoder"],
            },
        )
        run_script(
            con,
            "loads/upsert_story",
            {
                "story_id": story_id,
                "title": story.get("title"),
                "summary_model_id": model_ids["summariser"],
                "sentiment_model_id": model_ids["sentiment"],
                "stance_model_id": model_ids["stance"],
                "encoder_model_id": model_ids["encoder"],
                "pairs_model_id": model_ids["pairs"],
            },
        )
        run_script(con, "loads/replace_claims", {"story_id": story_id, "claims": list(story["claims"])})
        outlets = {a["outlet"]: a.get("outlet_evidence") for a in articles}
        insert_rows(
            con,
            "loads/upsert_outlets",
            [{"outlet": outlet, "evidence": evidence} for outlet, evidence in sorted(outlets.items())],
        )
        counts["articles"] = insert_rows(con, "loads/insert_articles", articles)
        run_script(con, "loads/delete_article_links", {"story_id": story_id})
        counts["article_links"] = insert_rows(con, "loads/insert_article_links", near_duplicates(articles))
        counts["cleaning_decisions"] = insert_rows(
            con,
            "loads/insert_cleaning_decisions",
            [
                {"article_id": a["article_id"], "line_no": line_no, "text": text, "kept": kept, "reason": reason}
                for a in articles
                for line_no, text, kept, reason in a["decisions"]
            ],
        )
        counts["sentences"] = insert_rows(
            con,
            "loads/insert_sentences",
            [
                {"article_id": a["article_id"], "sentence_no": i, "text": text}
                for a in articles
                for i, text in enumerate(a["sentences"])
            ],
        )
        counts["term_counts"] = insert_rows(con, "loads/insert_term_counts", term_rows(articles))
        counts["entities"] = insert_rows(con, "loads/insert_entities", [
            row for a in articles for row in entity_rows(a["article_id"], mentions_of(a))
        ])  # fmt: skip
        counts["attributions"] = insert_rows(con, "loads/insert_attributions", attribution_rows(articles))
        counts["summaries"] = insert_rows(con, "loads/insert_summaries", summaries)
        counts["sentiment"] = insert_rows(con, "loads/insert_sentiment", sentiment)
        counts["stance"] = insert_rows(con, "loads/insert_stance", stance)
        counts["sentence_links"] = insert_rows(con, "loads/insert_sentence_links", links or [])
        if points is not None:
            counts["summary_points"] = insert_rows(con, "loads/insert_summary_points", points)
        run_script(con, "loads/set_load_fingerprint", {"load_fingerprint": fingerprint, "story_id": story_id})
    return counts


def mentions_of(article: SplitArticle) -> list[EntityMention]:
    return [EntityMention(**m) for m in article.get("entities", [])]


def attribution_rows(articles: Sequence[SplitArticle]) -> list[dict[str, Any]]:
    """`attributions` rows: who each article quotes (newsprism/speakers.py)."""
    return [
        {"article_id": a["article_id"], **asdict(t)}
        for a in articles
        for t in speakers.attributions(a["sentences"], mentions_of(a))
    ]


def term_rows(articles: Sequence[SplitArticle]) -> list[dict[str, Any]]:
    """`term_counts` rows: each article's words and phrases (newsprism/terms.py), in a stable order."""
    return [
        {"article_id": a["article_id"], "term": term, "n": n, "count": count}
        for a in articles
        for (term, n), count in sorted(terms.article_terms(a["sentences"], a.get("language") or "en").items())
    ]


def record_grouping(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    stories: Sequence[StoryGrouping],
    members: Sequence[StoryMemberRow],
    events: Sequence[StoryEventRow],
) -> dict[str, int]:
    """Write, in one transaction, how the run's stories were formed (their `stories` rows must exist), the
    grouped articles (`story_members`, replaced by raw hash: a rerun writes the same rows) and the merges and
    splits of a regroup (`story_events`, tagged with the run)."""
    with transaction(con):
        for story in stories:
            run_script(con, "loads/set_story_grouping", dict(story))
        counts = {
            "story_members": insert_rows(con, "loads/insert_story_members", members),
            "story_events": insert_rows(con, "loads/insert_story_events", [{**e, "run_id": run_id} for e in events]),
        }
    return counts


def record_run(con: duckdb.DuckDBPyConnection, run: RunRecord) -> None:
    """Write the run's `runs` row (its JSON columns as JSON text; None as NULL)."""
    row: dict[str, Any] = dict(run)
    for column in ("parameters", "timings", "computed", "cached"):
        row[column] = None if row[column] is None else json.dumps(row[column])
    run_script(con, "loads/upsert_run", row)


def running_runs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, int | None]]:
    """(run_id, host, pid) of every run still marked `running`."""
    return [(run_id, host, pid) for run_id, host, pid in con.execute(sql("queries/running_runs")).fetchall()]


def close_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, error: str | None, finished_at: datetime
) -> None:
    """Close a run still `running` as `failed` or `abandoned`, with its error (a closed run is left as it is)."""
    run_script(
        con,
        "loads/close_run",
        {"run_id": run_id, "status": status, "error": error, "finished_at": finished_at},
    )


OUTLET_METADATA_COLUMNS = ("domain", "lean", "country", "ownership")


def read_outlet_metadata(path: str | Path) -> list[dict[str, str | None]]:
    """The rows of a user's outlet CSV: a `name` (or `outlet`) column and any of OUTLET_METADATA_COLUMNS;
    empty cells are NULL. Raises ValueError naming the problem (no name column, an unknown column, a repeated
    or empty name)."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        name_column = next((h for h in ("name", "outlet") if h in header), None)
        if name_column is None:
            raise ValueError(f"{path}: needs a 'name' column (the outlet as newsprism names it); found {header}")
        unknown = sorted(set(header) - {name_column, *OUTLET_METADATA_COLUMNS})
        if unknown:
            raise ValueError(
                f"{path}: unknown column(s) {unknown}; allowed: name, {', '.join(OUTLET_METADATA_COLUMNS)}"
            )
        rows: list[dict[str, str | None]] = []
        seen: set[str] = set()
        for line_no, raw in enumerate(reader, 2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            name = row.get(name_column) or ""
            if not name:
                raise ValueError(f"{path}:{line_no}: empty outlet name")
            if name in seen:
                raise ValueError(f"{path}:{line_no}: outlet {name!r} is listed twice")
            seen.add(name)
            rows.append({"outlet": name, **{c: row.get(c) or None for c in OUTLET_METADATA_COLUMNS},
                         "source": path.name})  # fmt: skip
    return rows


def load_outlet_metadata(con: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert or replace the outlets' metadata rows (one transaction); returns how many."""
    with transaction(con):
        n = insert_rows(con, "loads/replace_outlet_metadata", rows)
    return n


def record_rejections(con: duckdb.DuckDBPyConnection, run_id: str, rejected: Sequence[RejectedInput]) -> int:
    """Write the run's quarantined inputs (`rejected_inputs` rows); returns how many."""
    return insert_rows(con, "loads/insert_rejected_inputs", [{**item, "run_id": run_id} for item in rejected])
