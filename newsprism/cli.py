"""The `newsprism` command line: one module per command under `newsprism.commands`.

Commands are imported lazily so `newsprism --help` stays fast (no torch, no Prefect import).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from newsprism.errors import UserError
from newsprism.settings import Settings

__all__ = ["COMMANDS", "UserError", "build_parser", "main"]

# command name -> (module under newsprism.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "analyse a corpus: clean, summarise, tag, load into DuckDB, compare outlets"),
    "show": ("show", "print the per-outlet comparison of a story as a table"),
    "sql": ("sql", "run a read-only SQL query against the warehouse"),
    "report": ("report", "write a self-contained HTML report of the comparison (charts, per-outlet findings)"),
    "export": ("export", "write the warehouse as Parquet files partitioned by story"),
    "outlets": ("outlets", "describe outlets from your CSV (domain, lean, country, ownership) for SQL joins"),
    "clean": ("clean", "clean raw articles (text or HTML) into main text plus per-line decisions"),
    "train": ("train", "train the offline heads (stance, sentiment, same point, entity attitude) on public data"),
    "eval": (
        "eval",
        "measure cleaning, stance, sentiment, summaries, same point, attitude, stories or entities on a dataset",
    ),
}


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The parser of every command; each command's arguments get `settings` (default: read from the
    environment, here, once) as `args.settings`, and their defaults from it."""
    settings = Settings.from_env() if settings is None else settings
    parser = argparse.ArgumentParser(
        prog="newsprism",
        description="Compare how news outlets cover the same story.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, help_text) in COMMANDS.items():
        mod = importlib.import_module(f"newsprism.commands.{module}")
        cmd = sub.add_parser(
            name,
            help=help_text,
            description=(mod.__doc__ or help_text).strip(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        cmd.set_defaults(_handler=mod.run, settings=settings)
        mod.add_arguments(cmd)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except UserError as exc:  # a bad setting in the environment
        print(f"newsprism: error: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        result = args._handler(args)
    except UserError as exc:
        print(f"newsprism {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
