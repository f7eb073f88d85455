"""Stance head on FNC-1-layout data: relative score (FNC-1's metric) and macro-F1, as JSON on stdout.

DIR holds one `*bodies*.csv` (Body ID, articleBody) and one `*stances*.csv` (Headline, Body ID, Stance).
When DIR is the data the head was trained on, only its topic-disjoint dev pairs are scored (the same
seeded split as training: no topic, headline or body of them was trained on); `--split all` scores every
pair (an external test set). Prints fnc_score (percent), macro_f1,
accuracy, per-class F1, the confusion matrix (rows gold) and examples/s.

Example:

  newsprism eval stance ../shared/data/stance/fnc1 --predictions /tmp/fnc_pred.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from newsprism.cli import UserError
from newsprism.models.base import STANCE_LABELS, ModelUnavailable
from newsprism.models.metrics import classification_report, fnc_score
from newsprism.models.profiles import ENCODER_MINILM, PROFILES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="folder with *bodies*.csv and *stances*.csv")
    parser.add_argument("--split", choices=("auto", "heldout", "all"), default="auto",
                        help="heldout: the topics held out of training (dev); all: every pair; auto (default): "
                             "heldout if DIR is the training data, else all")  # fmt: skip
    parser.add_argument(
        "--predictions",
        type=Path,
        metavar="FILE",
        help="write CSV Headline,Body ID,Stance for the scored pairs, in input order",
    )
    parser.add_argument(
        "--head", type=Path, metavar="DIR", help="stance head folder, v3 or v4 (default: the shipped one)"
    )


def run(args: argparse.Namespace) -> int:
    if not args.dir.is_dir():
        raise UserError(f"not a directory: {args.dir}")
    # torch, numpy, LightGBM and the head load here, not at import: `newsprism --help` imports this module
    from newsprism.models import HEADS_DIR, datasets, registry, stance_cross

    try:
        bodies, pairs = datasets.read_fnc1(args.dir)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    missing = sorted({bid for _, bid, _ in pairs if bid not in bodies})
    if missing:
        raise UserError(f"{len(missing)} Body IDs in the stances file have no body (first: {missing[0]})")
    head_dir = args.head or HEADS_DIR / PROFILES["local"].stance  # the shipped profile's head
    try:
        head = stance_cross.load_stance(head_dir, registry.get_encoder(ENCODER_MINILM))
    except ModelUnavailable as exc:
        raise UserError(str(exc)) from None
    config = json.loads((head_dir / "config.json").read_text())
    split = args.split
    if split == "auto":
        split = "heldout" if config.get("train_fingerprint") == datasets.fnc1_fingerprint(bodies, pairs) else "all"
    if split == "heldout":
        _, dev, _ = datasets.topic_split(pairs, config.get("seed", 0), config.get("dev_fraction", 0.2))
        pairs = [pairs[i] for i in dev]
    items = datasets.fnc1_items({bid: bodies[bid] for bid in {p[1] for p in pairs}}, pairs)

    start = time.perf_counter()
    results = head.predict(items)
    seconds = time.perf_counter() - start
    pred = [r.label for r in results]
    gold = [p[2] for p in pairs]
    out = {"model_id": head.model_id, "dataset": str(args.dir), "split": split, "n": len(pairs)}
    labelled = [g for g in gold if g is not None and g in STANCE_LABELS]
    if len(labelled) == len(gold):  # every pair has a gold stance: score them
        out["fnc_score"] = round(fnc_score(labelled, pred), 2)
        out.update(classification_report(labelled, pred, STANCE_LABELS))
    out["examples_per_s"] = round(len(pairs) / seconds, 1) if seconds else None
    out["seconds"] = round(seconds, 1)
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["Headline", "Body ID", "Stance"])
            w.writerows([(h, bid, label) for (h, bid, _), label in zip(pairs, pred, strict=True)])
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if "fnc_score" in out:
        print(
            f"FNC score {out['fnc_score']:.2f} %  macro-F1 {out['macro_f1']:.4f}  n={out['n']} ({split})",
            file=sys.stderr,
        )
    return 0
