"""Sentiment head on NewsMTSC JSONL: macro-F1 (NewsMTSC's metric) and accuracy, as JSON on stdout.

FILE has one sentence a line: {sentence_normalized, targets: [{from, to, mention, polarity}]} with
polarity 2.0 negative / 4.0 neutral / 6.0 positive. Every target is scored. Prints macro_f1, accuracy,
per-class F1, the confusion matrix (rows gold) and examples/s.

Example:

  newsprism eval sentiment ../shared/data/sentiment/newsmtsc/newsmtsc-rw_dev.jsonl --predictions /tmp/rw.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsprism.cli import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="NewsMTSC JSONL file")
    parser.add_argument("--predictions", type=Path, metavar="FILE",
                        help="write the input lines as JSONL with a `predicted` polarity on each target")
    parser.add_argument("--head", type=Path, metavar="DIR", help="sentiment head folder (default: the shipped one)")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"file not found: {args.file}")
    import time

    from newsprism.models.base import SENTIMENT_LABELS, SentimentInput
    from newsprism.models.local_heads import load_sentiment_head
    from newsprism.models.registry import ModelUnavailable
    from newsprism.models.training import LABEL_TO_POLARITY, POLARITY_TO_LABEL, classification_report

    try:
        rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
        items = [SentimentInput(r["sentence_normalized"], (int(t["from"]), int(t["to"])))
                 for r in rows for t in r["targets"]]  # fmt: skip
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{args.file} is not NewsMTSC JSONL: {exc}") from None
    try:
        head = load_sentiment_head(args.head)
    except ModelUnavailable as exc:
        raise UserError(str(exc)) from None
    start = time.perf_counter()
    results = head.predict(items)
    seconds = time.perf_counter() - start
    pred = [r.label for r in results]
    gold = [POLARITY_TO_LABEL.get(float(t.get("polarity", 0))) for r in rows for t in r["targets"]]
    out = {"model_id": head.model_id, "dataset": str(args.file), "n": len(items)}
    if all(g is not None for g in gold):
        out.update(classification_report(gold, pred, SENTIMENT_LABELS))
    out["examples_per_s"] = round(len(items) / seconds, 1) if seconds else None
    out["seconds"] = round(seconds, 2)
    if args.predictions:
        labels = iter(pred)
        with open(args.predictions, "w", encoding="utf-8") as fh:
            for r in rows:
                for t in r["targets"]:
                    t["predicted"] = LABEL_TO_POLARITY[next(labels)]
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if "macro_f1" in out:
        print(f"macro-F1 {out['macro_f1']:.4f}  accuracy {out['accuracy']:.4f}  n={out['n']}", file=sys.stderr)
    return 0
