"""Write the warehouse as Parquet files, one dataset per table and view, partitioned by story.

A relation with a story (its own `story_id`, or its article's) is written as DIR/<name>/story_id=<id>/*.parquet;
the rest (runs, outlets, ...) as DIR/<name>/data.parquet. Existing datasets of the same names are replaced.

Examples:
  newsprism export export/ --db warehouse/newsprism.duckdb
  newsprism sql --allow-read-files \
    "select count(*) from read_parquet('export/sentences/*/*.parquet', hive_partitioning = true)"
"""

from __future__ import annotations

import argparse
import json

from newsprism.errors import UserError
from newsprism.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults: Settings = parser.get_default("settings") or Settings()
    parser.add_argument("out", metavar="DIR", help="folder to write the Parquet datasets into")
    parser.add_argument("--db", default=defaults.db, metavar="PATH", help=f"DuckDB file (default {defaults.db})")
    parser.add_argument("--tables-only", action="store_true", help="write the tables only, not the views")


def run(args: argparse.Namespace) -> int:
    from newsprism.warehouse.export import export_warehouse  # DuckDB

    try:
        written = export_warehouse(args.db, args.out, views=not args.tables_only)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    print(json.dumps({"out": args.out, "rows": written}, indent=2))
    return 0
