"""Describe outlets from your own CSV: name (as newsprism names the outlet), and any of domain, lean, country,
ownership. The rows go into the warehouse's `outlet_metadata` table (a row for the same outlet is replaced), to
join in SQL; newsprism ships no ratings of its own.

Examples:
  newsprism outlets my_outlets.csv --db warehouse/newsprism.duckdb
  newsprism sql "select c.outlet, m.lean, c.words from outlet_coverage c left join outlet_metadata m using (outlet)"
"""

from __future__ import annotations

import argparse

from newsprism.errors import UserError
from newsprism.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults: Settings = parser.get_default("settings") or Settings()
    parser.add_argument("csv", metavar="FILE.csv", help="columns: name, and any of domain, lean, country, ownership")
    parser.add_argument("--db", default=defaults.db, metavar="PATH", help=f"DuckDB file (default {defaults.db})")
    parser.add_argument(
        "--wait", type=float, default=30.0, metavar="S", help="seconds to wait while a run holds the file (default 30)"
    )


def run(args: argparse.Namespace) -> int:
    from newsprism.warehouse.db import WarehouseBusy, connect, sql  # DuckDB
    from newsprism.warehouse.load import load_outlet_metadata, read_outlet_metadata  # DuckDB

    try:
        rows = read_outlet_metadata(args.csv)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(str(exc)) from None
    try:
        con = connect(args.db, read_only=False, wait_s=args.wait)
    except WarehouseBusy as exc:
        raise UserError(str(exc)) from None
    try:
        n = load_outlet_metadata(con, rows)
        known = {r[0] for r in con.execute(sql("queries/known_outlets")).fetchall()}
    finally:
        con.close()
    unmatched = sorted(str(r["outlet"]) for r in rows if r["outlet"] not in known)
    print(f"outlet_metadata: {n} outlet(s) from {args.csv} in {args.db}")
    if unmatched:
        print(f"not (yet) in the warehouse's outlets: {', '.join(unmatched)}")
    return 0
