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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from newsprism import speakers, terms
from newsprism.corpus import near_duplicates
from newsprism.entities import EntityMention, entity_rows
from newsprism.processes import story_map
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
from newsprism.runners import story_batches
from newsprism.warehouse.db import insert_target, sql

_NAMED = re.compile(r"\$([a-z_]+)")
BATCH = "batch"  # the relation an insert file selects its rows from (insert_rows)
# `load_story_batch` builds and writes its stories' rows about this many articles at a time (a transaction
# each): a chunk's rows, as Python dicts and in DuckDB's insert, are released before the next is built. At 512
# articles a time the write raised the process's peak by ~300 MB above what it held between loads.
LOAD_ARTICLES = 128


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


@contextmanager
def registered_batch(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[Mapping[str, Any]]) -> Iterator[None]:
    """`rows` as the relation `batch` that the insert file `name` selects from, for the block: one array per
    column the file names (each value as it is: None is NULL, a list a list; the file's casts convert them),
    which DuckDB scans in bulk (a list bound as a parameter is converted value by value: ~15x slower on a
    batch's term counts). Every row gives a value per named column; other keys are left out."""
    columns = insert_target(name).columns
    con.register(BATCH, {c: np.fromiter((row[c] for row in rows), dtype=object, count=len(rows)) for c in columns})
    try:
        yield
    finally:
        with suppress(duckdb.Error):  # in a failed transaction: its error is the one to raise
            con.unregister(BATCH)


def batch_select(name: str) -> str:
    """The select of the insert file `name`, its columns named as the table's: its rows from `batch`, as the
    table gets them, in their order (names from the file, never from data)."""
    text = sql(name)
    select = text[text.index("\nselect") + 1 :]
    return f"select * from ({select}) as rows({', '.join(insert_target(name).columns)})"


def insert_rows(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows with one statement: the .sql file names its table's columns (the one place they are
    declared) and selects each, cast to its type, from `batch` (`registered_batch`)."""
    if not rows:
        return 0
    with registered_batch(con, name, rows):
        con.execute(sql(name))
    return len(rows)


@dataclass(frozen=True)
class StoryLoad:
    """Everything one story's load writes, computed apart from writing it (`story_load`): the parameters of
    its delete and upsert scripts, and per insert file (`loads/<name>.sql`) its rows. A worker can compute it
    and write it as Parquet (`warehouse/partitions.py`); the one writer then writes it with `write_stories`."""

    story_id: str
    fingerprint: str
    scripts: dict[str, Any]  # story_id, title, claims, sources, article_ids and the model ids
    tables: dict[str, list[dict[str, Any]]]  # insert file name -> rows, in the order they are written


def load_fingerprint(story: Story, articles: Sequence[SplitArticle], summaries: Sequence[SummaryRow],
                     sentiment: Sequence[SentimentRow], stance: Sequence[StanceRow], model_ids: Mapping[str, str],
                     links: Sequence[LinkRow] | None, points: Sequence[SummaryPointRow] | None) -> str:  # fmt: skip
    """A hash of what a story's load carries: an equal one means the stored rows are already these."""
    return hashlib.blake2b(
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


def story_load(
    story: Story,
    articles: Sequence[SplitArticle],
    summaries: Sequence[SummaryRow],
    sentiment: Sequence[SentimentRow],
    stance: Sequence[StanceRow],
    model_ids: Mapping[str, str],
    links: Sequence[LinkRow] | None = None,
    points: Sequence[SummaryPointRow] | None = None,
    fingerprint: str | None = None,
) -> StoryLoad:
    """One story's load: its articles and model outputs as the rows of every table, the rows derived from
    its articles included (near-duplicates, terms, entities, attributions). Reads and writes nothing.
    `points`, the story summary's points, are written when given (a reload always removes the old ones);
    `fingerprint`, the inputs' `load_fingerprint` when the caller has it already."""
    story_id = story["story_id"]
    outlets = {a["outlet"]: a.get("outlet_evidence") for a in articles}
    tables: dict[str, list[dict[str, Any]]] = {
        "upsert_outlets": [{"outlet": outlet, "evidence": evidence} for outlet, evidence in sorted(outlets.items())],
        "insert_articles": [dict(a) for a in articles],
        "insert_article_links": [dict(row) for row in near_duplicates(articles)],
        "insert_cleaning_decisions": [
            {"article_id": a["article_id"], "line_no": line_no, "text": text, "kept": kept, "reason": reason}
            for a in articles
            for line_no, text, kept, reason in a["decisions"]
        ],
        "insert_sentences": [
            {"article_id": a["article_id"], "sentence_no": i, "text": text}
            for a in articles
            for i, text in enumerate(a["sentences"])
        ],
        "insert_term_counts": term_rows(articles),
        "insert_entities": [row for a in articles for row in entity_rows(a["article_id"], mentions_of(a))],
        "insert_attributions": attribution_rows(articles),
        "insert_summaries": [dict(row) for row in summaries],
        "insert_sentiment": [dict(row) for row in sentiment],
        "insert_stance": [dict(row) for row in stance],
        "insert_sentence_links": [dict(row) for row in links or []],
    }
    if points is not None:
        tables["insert_summary_points"] = [dict(row) for row in points]
    scripts = {
        "story_id": story_id,
        "title": story.get("title"),
        "claims": list(story["claims"]),
        "sources": [a["source"] for a in articles],
        "article_ids": [a["article_id"] for a in articles],
        "summary_model_id": model_ids["summariser"],
        "sentiment_model_id": model_ids["sentiment"],
        "stance_model_id": model_ids["stance"],
        "encoder_model_id": model_ids["encoder"],
        "pairs_model_id": model_ids["pairs"],
    }
    fingerprint = fingerprint or load_fingerprint(story, articles, summaries, sentiment, stance, model_ids, links,
                                                  points)  # fmt: skip
    return StoryLoad(story_id, fingerprint, scripts, tables)


def stored_fingerprints(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> dict[str, str | None]:
    """Per story of `story_ids` in the warehouse: the fingerprint of its last load (None: never loaded whole)."""
    return dict(con.execute(sql("queries/story_load_fingerprints"), [list(story_ids)]).fetchall())


def new_stories(con: duckdb.DuckDBPyConnection, scripts: Sequence[Mapping[str, Any]]) -> list[bool]:
    """Per load's `scripts` (story_id, article_ids): whether its story was never loaded, neither its row nor
    any of its articles in the warehouse (queries/stored_of_batch) — one query for a whole batch."""
    params = {
        "story_ids": [s["story_id"] for s in scripts],
        "article_ids": [a for s in scripts for a in s["article_ids"]],
    }
    stored = set(con.execute(sql("queries/stored_of_batch"), params).fetchall())
    return [
        ("story", s["story_id"]) not in stored and not any(("article", a) in stored for a in s["article_ids"])
        for s in scripts
    ]


STORY_COLUMNS = ("title", "summary_model_id", "sentiment_model_id", "stance_model_id", "encoder_model_id",
                 "pairs_model_id")  # fmt: skip


def write_stories(con: duckdb.DuckDBPyConnection, loads: Sequence[StoryLoad]) -> list[dict[str, int]]:
    """Write stories' loads in one transaction: each story's articles' and named models' old rows are
    replaced, then every table's rows of all the stories go in with one statement per table (a batch of
    stories costs a few dozen statements, not a few dozen per story). Per load, the rows written per table
    (outlets, which are upserted, not counted)."""
    if not loads:
        return []
    counts: list[dict[str, int]] = [{} for _ in loads]
    loaded_at = datetime.now(UTC).replace(tzinfo=None)  # `stories.updated_at`, UTC
    with transaction(con):
        # a story never loaded before has nothing to replace: its deletes (each a scan of a table that grows
        # with the warehouse) are skipped, so a large first load costs the same per story at its end as at its
        # start
        for load, new in zip(loads, new_stories(con, [load.scripts for load in loads]), strict=True):
            if not new:
                run_script(con, "loads/delete_stale_articles", load.scripts)
                run_script(con, "loads/delete_articles", load.scripts)
                run_script(con, "loads/delete_model_outputs", load.scripts)
        stories = [
            {"story_id": load.story_id, **{c: load.scripts[c] for c in STORY_COLUMNS},
             "load_fingerprint": load.fingerprint, "updated_at": loaded_at}
            for load in loads
        ]  # fmt: skip
        insert_rows(con, "loads/upsert_stories", stories)
        run_script(con, "loads/delete_story_rows", {"story_ids": [load.story_id for load in loads]})
        claims = [{"story_id": load.story_id, "claim_no": k, "claim": claim}
                  for load in loads for k, claim in enumerate(load.scripts["claims"])]  # fmt: skip
        insert_rows(con, "loads/insert_claims", claims)
        names = list(dict.fromkeys(name for load in loads for name in load.tables))
        for name in names:
            rows = [row for load in loads for row in load.tables.get(name, [])]
            if name == "upsert_outlets":  # one row per outlet in one statement: the last story's evidence wins
                rows = list({row["outlet"]: row for row in rows}.values())
            insert_rows(con, f"loads/{name}", rows)
            if name.startswith("insert_"):
                for load, mine in zip(loads, counts, strict=True):
                    if name in load.tables:
                        mine[name.removeprefix("insert_")] = len(load.tables[name])
    return counts


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
    when the story's last load carried exactly the same data, which is then left as it is)."""
    return load_story_batch(con, [(story, articles, summaries, sentiment, stance, model_ids, links, points)])[0]


def write_changed(
    con: duckdb.DuckDBPyConnection, pending: Sequence[tuple[str, str, Callable[[], StoryLoad]]]
) -> list[dict[str, int]]:
    """Per (story id, load fingerprint, how to build its load): `{"unchanged": 1}` when the story's last load
    carried that fingerprint, else the rows written per table; only the changed stories' loads are built, and
    they are written in one transaction (`write_built`)."""
    stored = stored_fingerprints(con, [story_id for story_id, _, _ in pending])
    built = [None if stored.get(story_id) == fingerprint else build() for story_id, fingerprint, build in pending]
    return write_built(con, built)


def write_built(con: duckdb.DuckDBPyConnection, built: Sequence[StoryLoad | None]) -> list[dict[str, int]]:
    """Per story its load, or None when it is unchanged: the changed ones written in one transaction
    (`write_stories`); per story the rows written per table, or `{"unchanged": 1}`."""
    out: list[dict[str, int]] = [{"unchanged": 1} for _ in built]
    changed = [k for k, load in enumerate(built) if load is not None]
    for k, counts in zip(changed, write_stories(con, [load for load in built if load is not None]), strict=True):
        out[k] = counts
    return out


def load_story_batch(
    con: duckdb.DuckDBPyConnection,
    inputs: Sequence[tuple[Any, ...]],
    workers: int | None = 1,
    articles: int = LOAD_ARTICLES,
) -> list[dict[str, int]]:
    """`load_story` for many stories (each one's arguments after the connection), by consecutive chunks of
    about `articles` articles (`LOAD_ARTICLES`): on `workers` processes, each story's load fingerprint (a hash
    of everything its load carries) and, when it differs from its stored one, its load, built in the same
    trip; a chunk's changed stories written in one transaction (`write_built`). Per story the rows written per
    table, or `{"unchanged": 1}`."""
    out: list[dict[str, int]] = []
    for indices in story_batches([story_articles for _, story_articles, *_ in inputs], articles):
        chunk = [inputs[i] for i in indices]
        stored = stored_fingerprints(con, [story["story_id"] for story, *_ in chunk])
        jobs = [(stored.get(story["story_id"]), (story, *rest)) for story, *rest in chunk]
        sizes = sum(len(story_articles) for _, story_articles, *_ in chunk)
        out += write_built(con, list(story_map(_changed_load, jobs, workers, articles=sizes)))
    return out


def _changed_load(job: tuple[str | None, tuple[Any, ...]]) -> StoryLoad | None:
    """The story's load, or None when its fingerprint is `job`'s stored one (a worker's part of a batch)."""
    stored, (story, articles, summaries, sentiment, stance, model_ids, links, points) = job
    fingerprint = load_fingerprint(story, articles, summaries, sentiment, stance, model_ids, links, points)
    if fingerprint == stored:
        return None
    return story_load(story, articles, summaries, sentiment, stance, model_ids, links, points, fingerprint)


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
