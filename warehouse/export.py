"""The warehouse as Parquet files, one dataset per table and view, partitioned by story:

    export_warehouse("warehouse/newsprism.duckdb", "export/")
    -> export/articles/story_id=<id>/data_0.parquet, export/outlet_coverage/story_id=<id>/..., export/runs/data.parquet

A relation with a `story_id` column is partitioned on it; one keyed by `article_id` (sentences, sentiment, ...)
gains its article's `story_id` first; the rest (runs, outlets, schema_version, ...) is one file. Analysts read
them with any Parquet engine, e.g. DuckDB's
`select * from read_parquet('export/sentences/*/*.parquet', hive_partitioning = true)`.
The export reads the warehouse read-only; an existing dataset folder is replaced.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from newsprism.warehouse.db import connect, sql


def export_warehouse(db: str | Path, out_dir: str | Path, views: bool = True) -> dict[str, int]:
    """Write every table (and, with `views`, every view) of the warehouse at `db` under `out_dir`; returns
    the rows written per relation."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = connect(db, read_only=True)
    try:
        written: dict[str, int] = {}
        for name, is_view, story_key in con.execute(sql("queries/export_relations")).fetchall():
            if is_view and not views:
                continue
            relation = con.table(name)  # a name from the catalogue, never user text
            if story_key == "article_id":
                stories = con.table("articles").select("article_id, story_id")
                relation = relation.join(stories, "article_id")
            target = out / name
            if target.exists():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            if story_key is None:
                target.mkdir(parents=True)
                relation.write_parquet(str(target / "data.parquet"))
            else:
                relation.write_parquet(str(target), partition_by=["story_id"])
            # counted from the files written, so a view is computed once
            files = sorted(str(f) for f in target.rglob("*.parquet"))
            written[name] = int(con.execute(sql("queries/parquet_rows"), [files]).fetchall()[0][0]) if files else 0
        return written
    finally:
        con.close()
