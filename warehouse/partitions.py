"""Story partitions: a story's load as Parquet files, written by any worker and merged by the one writer.

DuckDB allows one writer per file, so on a cluster the workers do not write the warehouse: each writes its
stories' loads (`warehouse/load.py`'s `StoryLoad`, every table's rows computed on the worker) under a
partitions folder on shared storage, and the flow's load step merges them into DuckDB with the same
`write_stories` a direct load uses:

    write_partition(story_load(...), "partitions/")   # on a worker
    -> partitions/story_id=<id>/articles.parquet, sentences.parquet, ..., load.json
    merge_partitions(con, ["partitions/story_id=<id>"])  # in the flow's process, the only writer

A partition holds one Parquet file per table the load inserts into, with exactly the columns its
`loads/insert_*.sql` binds, and `load.json` (the story's fingerprint, the delete/upsert scripts' parameters,
the run that wrote it). Writing replaces the story's folder as a whole (a retried or later load of the story
overwrites it), so the folder is also an always-current copy of every loaded story that analysts can query
with any Parquet engine, without the writer's lock:

    select outlet, count(*) from read_parquet('partitions/*/sentences.parquet', hive_partitioning = true)
    join read_parquet('partitions/*/articles.parquet', hive_partitioning = true) using (article_id, story_id)
    group by outlet
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb

from newsprism.warehouse.db import connect_memory, insert_target, sql
from newsprism.warehouse.load import StoryLoad, batch_select, registered_batch, write_changed

MANIFEST = "load.json"
_scratch = threading.local()


def _scratch_warehouse() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory warehouse (full schema) in which a partition's rows are checked against their
    table before they are exported; every partition's rows are rolled back, so it stays empty."""
    con = getattr(_scratch, "con", None)
    if con is None:
        con = _scratch.con = connect_memory()
    return con


def default_root(db: str | Path) -> str:
    """`partitions/` beside the warehouse file."""
    return str(Path(db).resolve().parent / "partitions")


def partition_dir(root: str | Path, story_id: str) -> Path:
    """`root/story_id=<id>` (the id percent-encoded where a path or Hive partition could misread it)."""
    return Path(root) / f"story_id={quote(story_id, safe='')}"


def write_partition(load: StoryLoad, root: str | Path, run_id: str | None = None) -> Path:
    """Write `load` as its story's partition under `root`, replacing any earlier one; returns its folder.
    The files are written beside it and renamed into place, so a reader never sees half a partition."""
    target = partition_dir(root, load.story_id)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    staging.mkdir(parents=True)
    con = _scratch_warehouse()
    files: dict[str, str] = {}
    con.execute("begin transaction")
    try:
        for name, rows in load.tables.items():
            table, _ = insert_target(f"loads/{name}")
            files[name] = f"{table}.parquet"
            with registered_batch(con, f"loads/{name}", rows):
                con.execute(sql(f"loads/{name}"))  # the table's keys and types checked here, as the merge will
                # the file's own select: exactly its columns, cast to the table's types, in the rows' order
                con.sql(batch_select(f"loads/{name}")).write_parquet(str(staging / files[name]))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # nothing half-written is left beside the partitions
        raise
    finally:
        con.execute("rollback")
    manifest = {"story_id": load.story_id, "fingerprint": load.fingerprint, "run_id": run_id,
                "scripts": load.scripts, "files": files}  # fmt: skip
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, default=str) + "\n", encoding="utf-8")
    old = target.with_name(f".{target.name}.old.{uuid.uuid4().hex}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def read_manifest(folder: str | Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{folder}: not a story partition (no {MANIFEST})")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def read_partition(folder: str | Path) -> StoryLoad:
    """The `StoryLoad` a partition holds (rows as the insert files bind them, in the order they are written)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    con = _scratch_warehouse()
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, file in manifest["files"].items():
        relation = con.read_parquet(str(folder / file))
        tables[name] = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    return StoryLoad(manifest["story_id"], manifest["fingerprint"], manifest["scripts"], tables)


def merge_partitions(con: duckdb.DuckDBPyConnection, folders: Sequence[str | Path]) -> list[dict[str, int]]:
    """Merge story partitions into the warehouse, the changed ones in one transaction (`write_changed`, as a
    direct load writes a batch); per partition the rows written per table, or `{"unchanged": 1}` when the
    story's last load carried the same data."""
    pending = []
    for folder in folders:
        manifest = read_manifest(folder)
        pending.append((manifest["story_id"], manifest["fingerprint"], partial(read_partition, folder)))
    return write_changed(con, pending)
