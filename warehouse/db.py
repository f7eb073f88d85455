"""Connecting to the DuckDB warehouse and reading SQL by name.

Every statement lives in a .sql file under this package; values are always bound parameters.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

HERE = Path(__file__).resolve().parent
DEFAULT_DB = "warehouse/newsprism.duckdb"
SCHEMA_VERSION = 1


_INSERT = re.compile(r"\binsert\s+(?:or\s+\w+\s+)?into\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file."""


class InsertTarget(NamedTuple):
    table: str
    columns: tuple[str, ...]


@cache
def sql(name: str) -> str:
    """The text of `warehouse/<name>.sql`, e.g. sql("loads/delete_articles")."""
    path = HERE / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file {path}")
    return path.read_text(encoding="utf-8")


def records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed query as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def insert_targets(text: str) -> list[InsertTarget]:
    """The table and the column list of every insert statement in SQL text (comments skipped)."""
    body = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return [InsertTarget(m.group(1), tuple(c.strip() for c in m.group(2).split(","))) for m in _INSERT.finditer(body)]


@cache
def insert_target(name: str) -> InsertTarget:
    """The table and columns the one insert of `<name>.sql` names: the column list every row is bound by."""
    targets = insert_targets(sql(name))
    if len(targets) != 1:
        raise ValueError(f"{name}.sql: expected one insert with a column list, found {len(targets)}")
    return targets[0]


@cache
def schema_fingerprint() -> str:
    """A hash of every schema and view file: the schema is re-applied only when this changes."""
    digest = hashlib.sha256()
    for path in sorted((HERE / "schema").glob("*.sql")) + sorted((HERE / "views").glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return bool(con.execute(sql("queries/schema_is_current"), [SCHEMA_VERSION, schema_fingerprint()]).fetchall())
    except duckdb.CatalogException:  # a new file: no schema_version table yet
        return False


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (schema/*.sql, in order) and view (views/*.sql); safe to repeat."""
    for path in sorted((HERE / "schema").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    # one view per file, named after it; a view that reads another is created once that one exists
    pending = sorted((HERE / "views").glob("*.sql"))
    while pending:
        failed = []
        for path in pending:
            try:
                con.execute(path.read_text(encoding="utf-8"))
            except duckdb.CatalogException:
                failed.append(path)
        if len(failed) == len(pending):
            con.execute(failed[0].read_text(encoding="utf-8"))  # raises the real error
        pending = failed
    con.execute(sql("loads/record_schema_version"), {"version": SCHEMA_VERSION, "fingerprint": schema_fingerprint()})


def connect(path: str | Path, read_only: bool = True, wait_s: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writers apply the schema; readers need an existing file.

    A file held by a writer in another process cannot be opened at all: with `wait_s` > 0 we retry until
    that bound, then raise WarehouseBusy with a clear message. DuckDB's memory is capped and its progress bar
    off (session/settings.sql).
    """
    path = Path(path)
    if read_only and str(path) != ":memory:" and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `newsprism run CORPUS --db {path}` first")
    if not read_only and str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{path} is locked by another process (a run still writing?); "
                    f"waited {wait_s:.0f}s. Try again when it finishes."
                ) from exc
            time.sleep(0.5)
    if str(path) != ":memory:":
        con.execute(sql("session/settings"))
    if not read_only and not schema_is_current(con):
        apply_schema(con)
    return con


# What `newsprism sql` runs: queries, their plans, PRAGMA/CALL introspection. Every other statement type
# (DML, DDL, ATTACH, COPY, EXPORT, LOAD/INSTALL, SET, ...) is refused before it reaches DuckDB.
QUERY_STATEMENT_TYPES = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})


class RefusedStatement(ValueError):
    """A `newsprism sql` text that is not exactly one read-only statement."""


def connect_query(path: str | Path, wait_s: float = 0.0, allow_read_files: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot reach anything but the warehouse (`newsprism sql`).

    External access is off and the configuration locked (warehouse/session/lock_down.sql), so ATTACH,
    COPY ... TO, read_csv, INSTALL and LOAD fail; `allow_read_files` first allows reading local files.
    """
    con = connect(path, read_only=True, wait_s=wait_s)
    if allow_read_files:
        con.execute(sql("session/allow_read_files"))
    con.execute(sql("session/lock_down"))
    return con


def one_query_statement(con: duckdb.DuckDBPyConnection, text: str) -> duckdb.Statement:
    """The single statement in `text`, if it is a query; RefusedStatement otherwise."""
    statements = con.extract_statements(text)
    if len(statements) != 1:
        raise RefusedStatement(f"one statement per call, got {len(statements)}")
    kind = statements[0].type.name
    if kind not in QUERY_STATEMENT_TYPES:
        raise RefusedStatement(f"newsprism sql is read-only: {kind} statements are refused")
    return statements[0]


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the full schema (tests, scratch work)."""
    con = duckdb.connect(":memory:")
    apply_schema(con)
    return con
