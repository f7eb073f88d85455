"""Run a read-only SQL query against the warehouse.

Nothing can be changed: the connection is read-only, one statement per call, and only queries
(SELECT, EXPLAIN, PRAGMA, CALL) are accepted. DuckDB's external access is off and its configuration
locked, so ATTACH, COPY ... TO, read_csv and friends, INSTALL and LOAD fail with a one-line message
(exit 2). --allow-read-files lets a query read local files (read_csv, read_parquet); writing stays
refused. While a run is writing, DuckDB refuses other processes, so this waits briefly and then says so.

Examples:
  newsprism sql "select outlet, count(*) from articles group by 1"
  newsprism sql --format csv "select * from outlet_coverage"
  newsprism sql --format json "select * from stance where label = 'disagree'"
  newsprism sql --allow-read-files "select * from read_csv('outlets.csv')"
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from newsprism.errors import UserError
from newsprism.settings import Settings

# DuckDB and rich are imported in `run`: `newsprism --help` builds every command's parser and stays fast.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults: Settings = parser.get_default("settings") or Settings()
    parser.add_argument("query", metavar="QUERY", help="SQL text, or - to read it from standard input")
    parser.add_argument("--db", default=defaults.db, metavar="PATH", help=f"DuckDB file (default {defaults.db})")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.add_argument(
        "--wait", type=float, default=5.0, metavar="S", help="seconds to wait while a run holds the file (default 5)"
    )
    parser.add_argument(
        "--allow-read-files",
        action="store_true",
        help="let the query read local files (read_csv, read_parquet, ...); writing stays refused",
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def run(args: argparse.Namespace) -> int:
    import duckdb  # DuckDB

    from newsprism.warehouse.db import RefusedStatement, WarehouseBusy, connect_query, one_query_statement  # DuckDB

    query = sys.stdin.read() if args.query == "-" else args.query
    try:
        con = connect_query(args.db, wait_s=args.wait, allow_read_files=args.allow_read_files)
    except (FileNotFoundError, WarehouseBusy) as exc:
        raise UserError(str(exc)) from None
    try:
        cursor = con.execute(one_query_statement(con, query))
        if cursor.description is None:
            return 0
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except RefusedStatement as exc:
        raise UserError(str(exc)) from None
    except duckdb.Error as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    finally:
        con.close()
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        for row in rows:
            writer.writerow([json.dumps(_jsonable(v)) if isinstance(v, (list, dict)) else v for v in row])
    elif args.format == "json":
        for row in rows:
            print(json.dumps({n: _jsonable(v) for n, v in zip(names, row, strict=True)}, ensure_ascii=False))
    else:
        from rich.console import Console  # rich
        from rich.table import Table  # rich

        table = Table(*names, show_lines=False)
        for row in rows:
            table.add_row(*["" if v is None else str(v) for v in row])
        Console().print(table)
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0
