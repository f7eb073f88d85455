"""Write the comparison as one self-contained HTML page (no network, no script): per story the cross-outlet
summary and its points, notable differences with their uncertainty, charts (sentence sentiment per outlet, the
sentence x outlet coverage heatmap, sentiment toward the most mentioned names), and per outlet its summary,
stance per claim, quotation share, the names it mentions most, whom it quotes, distinctive wording, what only it
says and what it leaves out; shared quotes and copied text.

Examples:
  newsprism report --db warehouse/newsprism.duckdb --out report.html
  newsprism report --db warehouse/newsprism.duckdb --story russia-recognises-taliban --out taliban.html
"""

from __future__ import annotations

import argparse

from newsprism.errors import UserError
from newsprism.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults: Settings = parser.get_default("settings") or Settings()
    parser.add_argument("--db", default=defaults.db, metavar="PATH", help=f"DuckDB file (default {defaults.db})")
    parser.add_argument("--story", metavar="ID", action="append", help="a story (repeatable; default: every story)")
    parser.add_argument("--out", default="report.html", metavar="FILE", help="the HTML file (default report.html)")


def run(args: argparse.Namespace) -> int:
    from newsprism.report_html import write_report  # DuckDB, matplotlib

    try:
        n = write_report(args.db, args.out, args.story)
    except (FileNotFoundError, LookupError) as exc:
        raise UserError(str(exc).strip("'\"")) from None
    print(f"wrote {args.out}: {n} stor{'y' if n == 1 else 'ies'}")
    return 0
