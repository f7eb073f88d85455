"""The "same point" decision on MSRP-format sentence pairs: accuracy, F1 of the positive class and the
majority baseline, as JSON on stdout.

FILE is tab-separated as MSRP is distributed (UTF-8, a BOM allowed; a header line, then Quality 1/0,
#1 ID, #2 ID, #1 String, #2 String). The pairs model is the profile's (`--profile`, default local: the
shipped `pairs.minilm-msrp.v1`). `--cv K` instead cross-validates the pairs head's training on FILE (K
folds grouped by shared sentences; minutes: every sentence is encoded, K heads per candidate are fit) and
prints the per-fold and mean figures; `--kind cross-encoder` cross-validates the fine-tuned cross-encoder,
`--kind cascade` the cascade (embedding head, then the cross-encoder where it is unsure; trainable, not shipped).

Example:

  newsprism eval pairs ../shared/data/pairs/msrp_train.txt --cv 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsprism.cli import UserError
from newsprism.models.base import ModelUnavailable
from newsprism.models.metrics import classification_report
from newsprism.models.profiles import PROFILE_NAMES

LABELS = ("different", "same")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="MSRP-format pairs (tab-separated)")
    parser.add_argument("--profile", choices=PROFILE_NAMES, default="local",
                        help="whose pairs model decides (default: local)")  # fmt: skip
    parser.add_argument("--cv", type=int, metavar="K", help="cross-validate the head's training on FILE instead")
    parser.add_argument("--kind", choices=("embedding", "cross-encoder", "cascade"), default="embedding",
                        help="with --cv: the head to cross-validate (default: embedding)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"file not found: {args.file}")
    # torch and the models load here, not at import: `newsprism --help` imports this module
    from newsprism.models import datasets, registry

    try:
        rows = datasets.read_msrp(args.file)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not rows:
        raise UserError(f"{args.file} holds no pairs")
    if args.cv is not None:
        if args.cv < 2:
            raise UserError("--cv needs at least 2 folds")
        from newsprism.models import trainers  # training code, only for cross-validation

        out = trainers.cross_validate_pairs_head(args.file, hparams={"folds": args.cv, "kind": args.kind})
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        print(f"{out['folds']}-fold CV accuracy {out['accuracy']:.4f}  f1 {out['f1']:.4f}  majority "
              f"{out['majority_accuracy']:.4f}  n={out['pairs']}", file=sys.stderr)  # fmt: skip
        return 0
    profile = registry.resolve_profile(args.profile)
    try:
        model = registry.get_pairs(profile.pairs, profile.encoder)
    except ModelUnavailable as exc:
        raise UserError(str(exc)) from None
    start = time.perf_counter()
    results = model.predict([item for item, _, _, _ in rows])
    seconds = time.perf_counter() - start
    gold = [LABELS[int(g)] for _, g, _, _ in rows]
    pred = [LABELS[int(r.same_point)] for r in results]
    report = classification_report(gold, pred, LABELS)
    positives = sum(g == "same" for g in gold)
    out = {
        "model_id": model.model_id,
        "dataset": str(args.file),
        "pairs": len(rows),
        "accuracy": report["accuracy"],
        "f1": report["f1"]["same"],
        "majority_accuracy": round(max(positives, len(rows) - positives) / len(rows), 4),
        "confusion": report["confusion"],
        "labels": list(LABELS),
        "pairs_per_s": round(len(rows) / seconds, 1) if seconds else None,
        "seconds": round(seconds, 2),
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    print(f"accuracy {out['accuracy']:.4f}  f1 {out['f1']:.4f}  majority {out['majority_accuracy']:.4f}  "
          f"n={out['pairs']}", file=sys.stderr)  # fmt: skip
    return 0
