"""Print the per-outlet comparison of a story (or of every story) from the warehouse.

Example:
  newsprism show --db warehouse/newsprism.duckdb --story russia-recognises-taliban
"""

from __future__ import annotations

import argparse
from typing import Any

from newsprism.errors import UserError
from newsprism.settings import Settings

# DuckDB and rich are imported in the functions below: `newsprism --help` builds every command's parser and
# stays fast.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults: Settings = parser.get_default("settings") or Settings()
    parser.add_argument("--db", default=defaults.db, metavar="PATH", help=f"DuckDB file (default {defaults.db})")
    parser.add_argument("--story", metavar="ID", help="one story (default: every story)")


def print_comparison(story: dict[str, Any]) -> None:
    from rich.console import Console  # rich
    from rich.table import Table  # rich

    console = Console(width=max(Console().width, 140))
    table = Table(
        title=story["title"] or story["story_id"], caption=f"story {story['story_id']}", show_lines=True, expand=True
    )
    table.add_column("outlet", max_width=20, overflow="fold")
    for name in ("articles", "words", "tone [95 %]"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("neg/neu/pos", no_wrap=True)
    table.add_column("stance", no_wrap=True)
    table.add_column("summary", ratio=1, overflow="fold")
    for o in story["outlets"]:
        shares = "/".join(f"{(o[k] or 0) * 100:.0f}%" for k in ("share_negative", "share_neutral", "share_positive"))
        sentiment = (
            "–"
            if o.get("tone") is None
            else f"{o['tone']:+.2f} [{o['tone_interval'][0]:+.2f}, {o['tone_interval'][1]:+.2f}]"
        )
        table.add_row(
            o["outlet"],
            str(o["articles"]),
            str(o["words"]),
            sentiment,
            shares,
            o["stance_headline"] or "–",
            o["summary"] or "",
        )
    console.print(table)
    if story.get("claims"):
        console.print("stance toward: " + " · ".join(f"[{i + 1}] {c}" for i, c in enumerate(story["claims"])))
    for key, heading in [("exclusive", "only this outlet says"), ("left_out", "leaves out")]:
        for row in story.get(key, []):
            console.print(f"[bold]{row['outlet']}[/bold] {heading} ({row['n']}): {row['examples'][0]}")
    for row in story.get("copied", [])[:3]:
        console.print(f"copied: {row['outlet']} ≈ {row['other_outlet']} ({row['similarity']:.2f}): {row['text']}")
    for quote in story.get("shared_quotes", [])[:3]:
        console.print(f"quoted by {', '.join(quote['quoted_by'])}: “{quote['quote']}”")
    for note in story.get("notable", []):
        console.print(f"• {note}")


def run(args: argparse.Namespace) -> int:
    from newsprism.comparison import compare_stories  # DuckDB
    from newsprism.warehouse.db import connect, sql  # DuckDB

    try:
        con = connect(args.db, read_only=True)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    try:
        story_ids = [args.story] if args.story else [r[0] for r in con.execute(sql("queries/list_stories")).fetchall()]
    finally:
        con.close()
    stories = compare_stories(args.db, story_ids)
    if not stories:
        raise UserError(f"no story {args.story!r} in {args.db}" if args.story else f"no stories in {args.db}")
    for story in stories:
        print_comparison(story)
    return 0
