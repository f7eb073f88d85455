"""Train the offline heads on public data: stance, sentiment (`local` profile), shared-trunk sentiment
(`local-fast` profile), and the "same point" pairs head alignment uses (both profiles).

Reads NewsMTSC (sentiment/newsmtsc), FNC-1 (stance/fnc1) and MSRP (pairs/msrp_train.txt) under --data, never
copies them, and writes each head plus its model card (`<model_id>.md`, with the dev scores) into --out. Seeded
and reproducible; on 2 shared CPU cores the stance head took ~13 minutes, each of the two sentiment fine-tunes
~12, the shared-trunk sentiment head 20 (distilled from the ensemble, in --out or shipped, on NewsMTSC and
30,000 name mentions of corpora/allsides_clusters.jsonl) and the stance cross-encoder 28 (see the model cards).
The entity-attitude calibration (`--only attitude`) reads BASIL (corpora/basil_dev.jsonl, or the file
given) and prints its cross-validated figures (folds grouped by event).

Example:

  newsprism train --data ../shared/data --only stance
  newsprism train --data ../shared/data --only stance-cross   # v4 (in no profile): needs v3 in --out, ~28 min
  newsprism train --data ../shared/data/corpora/basil_dev.jsonl --only attitude   # entity attitude, CV figures
  newsprism train --data ../shared/data --only pairs   # prints its 5-fold cross-validated accuracy
  newsprism train --data ../shared/data --only pairs-cascade   # the same-point cross-encoder (in no profile), ~41 min
  newsprism train --data ../shared/data --only ner     # the entity tagger (CoNLL-2003 train), minutes
  newsprism train --data ../shared/data            # every head into models/heads
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsprism.cli import UserError
from newsprism.models.profiles import HEAD_NAMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        required=True,
        type=Path,
        metavar="DIR",
        help="root of the shared data (holds sentiment/newsmtsc, stance/fnc1, corpora/basil_dev.jsonl and, for"
        " sentiment-shared's distillation, corpora/allsides_clusters.jsonl), or a dataset's folder or file"
        " (attitude: a BASIL-format JSONL file)",
    )
    parser.add_argument(
        "--only", choices=HEAD_NAMES, help="train one head only (sentiment-shared: the local-fast profile's head)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where heads and model cards go (default: the shipped heads' folder, models/heads)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="random seed (default 0); the sentiment ensemble's members use SEED and SEED+1",
    )


def run(args: argparse.Namespace) -> int:
    if not args.data.exists():  # a folder (the shared data's root, a dataset) or a file (attitude: BASIL JSONL)
        raise UserError(f"data not found: {args.data}")
    # deferred, as `newsprism --help` imports this module: rich's progress bars and the trainers (torch, LightGBM)
    from rich.console import Console  # (see above)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn  # (see above)

    from newsprism.models import HEADS_DIR, attitude_training, datasets, trainers  # (see above)

    wanted = [args.only] if args.only else list(HEAD_NAMES)
    for name in wanted:
        try:
            if name == "attitude":  # a clear error first
                attitude_training.basil_file(args.data)
            else:
                finder = {"stance": datasets.fnc1_dir, "stance-cross": datasets.fnc1_dir, "pairs": datasets.msrp_file,
                          "ner": datasets.conll_file}.get(name, datasets.newsmtsc_dir)  # fmt: skip
                finder(args.data)
            if name == "sentiment-shared":  # distilled on a news corpus's name mentions too
                datasets.corpus_file(args.data)
        except FileNotFoundError as exc:
            raise UserError(str(exc)) from None
    out = args.out or HEADS_DIR
    results = {}
    console = Console(stderr=True)
    for name in wanted:
        with Progress(
            TextColumn(f"{name} [bold]{{task.description}}"), BarColumn(),
            TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), TimeRemainingColumn(),
            console=console,
        ) as bar:  # fmt: skip
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int, bar=bar, tasks=tasks) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            results[name] = trainers.TRAINERS[name](args.data, out, seed=args.seed, progress=progress)
        summary = results[name]
        if name == "stance":
            chosen = summary["cv"]["candidates"][summary["cv"]["chosen"]]["scaled"]
            console.print(f"stance: topic-grouped CV macro-F1 {chosen['macro_f1']:.4f}; topic-disjoint dev: FNC score "
                          f"{summary['fnc_score']:.2f} %, macro-F1 {summary['macro_f1']:.4f}, disagree F1 "
                          f"{summary['f1']['disagree']:.3f} ({summary['train_seconds']:.0f} s)")  # fmt: skip
        elif name == "stance-cross":
            sel = summary["selection"]
            console.print(f"stance-cross: held-out training topics macro-F1 {sel['chosen']['macro_f1']:.4f} (LightGBM "
                          f"alone {sel['lgb_only']['macro_f1']:.4f}); topic-disjoint dev: FNC score "
                          f"{summary['fnc_score']:.2f} %, macro-F1 {summary['macro_f1']:.4f}, disagree F1 "
                          f"{summary['f1']['disagree']:.3f} ({summary['train_seconds']:.0f} s)")  # fmt: skip
        elif name in ("pairs", "pairs-cascade"):
            cv = summary["cv"]
            console.print(f"{name}: {cv['folds']}-fold CV accuracy {cv['accuracy']:.4f} (per fold "
                          f"{[f['accuracy'] for f in cv['per_fold']]}), F1 {cv['f1']:.4f}, majority "
                          f"{cv['majority_accuracy']:.4f}; threshold {cv['threshold']}")  # fmt: skip
        elif name == "attitude":
            cv = summary["cv"]
            console.print(f"attitude: {cv['folds']}-fold CV grouped by event: macro-F1 {cv['macro_f1']:.4f},"
                          f" accuracy {cv['accuracy']:.4f} (majority {cv['majority_accuracy']:.4f}),"
                          f" coverage {cv['coverage']:.4f} ({summary['train_seconds']:.0f} s)")  # fmt: skip
        elif name == "ner":
            best = max([r["f1"] for r in summary["cv"]], default=0.0)
            console.print(f"ner: chosen {summary['chosen']} by cross-validated F1 {best:.4f} "
                          f"({summary['train_seconds']:.0f} s)")  # fmt: skip
        else:
            rw, mt = summary["rw_dev"]["macro_f1"], summary["mt_dev"]["macro_f1"]
            console.print(f"{name}: rw_dev macro-F1 {rw:.4f}, mt_dev macro-F1 {mt:.4f}"
                          f" ({summary['train_seconds']:.0f} s)")  # fmt: skip
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
