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
import time
from pathlib import Path

from newsprism.cli import UserError
from newsprism.models.base import SENTIMENT_LABELS, ModelUnavailable, SentimentInput
from newsprism.models.metrics import classification_report
from newsprism.models.profiles import ENCODER_MINILM, SENTIMENT_ENSEMBLE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="NewsMTSC JSONL file")
    parser.add_argument(
        "--predictions",
        type=Path,
        metavar="FILE",
        help="write the input lines as JSONL with a `predicted` polarity on each target",
    )
    parser.add_argument("--head", type=Path, metavar="DIR", help="sentiment head folder (default: the shipped one)")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"file not found: {args.file}")
    # torch, numpy and the heads load here, not at import: `newsprism --help` imports this module
    from newsprism.models import HEADS_DIR, datasets, registry, sentiment_newsmtsc, sentiment_shared

    try:
        rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
        items = [SentimentInput(r["sentence_normalized"], (int(t["from"]), int(t["to"])))
                 for r in rows for t in r["targets"]]  # fmt: skip
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{args.file} is not NewsMTSC JSONL: {exc}") from None
    head_dir = args.head or HEADS_DIR / SENTIMENT_ENSEMBLE
    head: sentiment_newsmtsc.MiniLMSentiment | sentiment_shared.SharedTrunkSentiment
    try:  # either family of sentiment head, by its folder's config
        if sentiment_shared.is_shared_trunk(head_dir):
            head = sentiment_shared.load_shared_sentiment(head_dir, registry.get_encoder(ENCODER_MINILM))
        else:
            head = sentiment_newsmtsc.load_sentiment_head(head_dir)
    except ModelUnavailable as exc:
        raise UserError(str(exc)) from None
    start = time.perf_counter()
    results = head.predict(items)
    seconds = time.perf_counter() - start
    pred = [r.label for r in results]
    gold = [datasets.POLARITY_TO_LABEL.get(float(t.get("polarity", 0))) for r in rows for t in r["targets"]]
    out = {"model_id": head.model_id, "dataset": str(args.file), "n": len(items)}
    labelled = [g for g in gold if g is not None]
    if len(labelled) == len(gold):  # every target has a gold polarity: score them
        out.update(classification_report(labelled, pred, SENTIMENT_LABELS))
    out["examples_per_s"] = round(len(items) / seconds, 1) if seconds else None
    out["seconds"] = round(seconds, 2)
    if args.predictions:
        labels = iter(pred)
        with open(args.predictions, "w", encoding="utf-8") as fh:
            for r in rows:
                for t in r["targets"]:
                    t["predicted"] = datasets.LABEL_TO_POLARITY[next(labels)]
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if "macro_f1" in out:
        print(f"macro-F1 {out['macro_f1']:.4f}  accuracy {out['accuracy']:.4f}  n={out['n']}", file=sys.stderr)
    return 0
