"""Clean raw articles (plain text or HTML, gzip too) into main text plus every line's decision.

Writes one `<input name>.txt` per input into --out (the title on the first line when found) and
`decisions.jsonl` (one JSON object per input: metadata plus each line's decision and reason). Files are
decoded as `newsprism run` decodes them (gzip, BOMs, UTF-8/16/32, declared or detected charsets).

  newsprism clean seeds --out /tmp/clean
  newsprism clean page.html.gz story.txt --mode auto --out /tmp/clean
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsprism.errors import UserError

# the cleaner (numpy, the line models) and rich are imported in `run`: `newsprism --help` builds every
# command's parser and stays fast

_SKIP_SUFFIXES = (".jsonl", ".json", ".csv", ".md")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="files or folders of files")
    parser.add_argument(
        "--mode",
        choices=("auto", "text", "html"),
        default="auto",
        help="auto: HTML for .html/.htm(.gz) names or HTML-looking content (default)",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the .txt files and decisions.jsonl")


def _files(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not p.name.startswith(".") and not p.name.endswith(_SKIP_SUFFIXES)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"input not found: {path}")
    if not files:
        raise UserError("no input files found")
    return files


def _out_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".html", ".htm", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return (name or "article") + ".txt"


def run(args: argparse.Namespace) -> int:
    from rich.progress import Progress  # deferred: see the comment at the top

    from newsprism.cleaning import CLEANER_ID, clean_document  # deferred: see the comment at the top

    files = _files(args.inputs)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {args.out}: {exc}") from exc
    used: set[str] = set()
    with open(args.out / "decisions.jsonl", "w", encoding="utf-8") as log, Progress(transient=True) as progress:
        bar = progress.add_task("cleaning", total=len(files))
        for path in files:
            result = clean_document(path.read_bytes(), path.name, args.mode)
            name = _out_name(path)
            stem, n = name[:-4], 1
            while name in used:  # two inputs with the same name in different folders
                n += 1
                name = f"{stem}.{n}.txt"
            used.add(name)
            (args.out / name).write_text(result.main_text + "\n", encoding="utf-8")
            record = {"input": str(path), "output": name, "cleaner_id": CLEANER_ID, **result.to_dict()}
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            progress.advance(bar)
    print(f"cleaned {len(files)} file(s) into {args.out}", file=sys.stderr)
    return 0
