"""ROUGE-1/2/L F1 of our summariser beside Lead-3 and random-3, on the same items.

DATASET is a JSONL file of {article, highlights} (CNN/DailyMail style: one document per item) or a
directory holding `<split>.source` / `<split>.target` line-aligned files (NeuS style: several outlets'
"TITLE=> ... ARTICLE=> ..." joined by [SEP] per line, the target a neutral multi-outlet summary).

`--cv K` chooses the extractive summariser's settings (lead weight and decay, redundancy weight, sentence
length bounds; `GRID`) in K folds grouped by topic (items whose sentence vectors' mean is within a cosine
`--topic-threshold` of each other, linked transitively, stay in one fold): each fold's held-out items are
summarised with the settings that scored best (mean of ROUGE-1/2/L F1) on the other folds, beside Lead-3; the
setting chosen on all items is what a new summariser id ships with (run it on a train split, never on the data
you report).

Example:
  newsprism eval summaries ../shared/data/summaries/cnndm_train_sample100.jsonl --profile local
  newsprism eval summaries ../shared/data/summaries/neus --split val --limit 100
  newsprism eval summaries ../shared/data/summaries/neus --split train --cv 5 --limit 700
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from newsprism.errors import UserError
from newsprism.models.profiles import PROFILE_NAMES, resolve_profile
from newsprism.text import split_sentences

MARKERS = re.compile(r"\s*(TITLE=>|ARTICLE=>)\s*")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", metavar="DATASET", help="JSONL {article, highlights} or a dir of *.source/*.target")
    parser.add_argument("--split", default=None, help="for a directory: which <split>.source to read (default: first)")
    parser.add_argument("--profile", choices=PROFILE_NAMES, default="local")
    parser.add_argument("--sentences", type=int, default=3, help="summary length in sentences (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N items")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random-3 baseline, --sample and --cv's folds")
    parser.add_argument(
        "--cv", type=int, metavar="K", help="choose the extractive settings in K folds grouped by topic"
    )
    parser.add_argument("--topic-threshold", type=float, default=0.8, help="--cv: cosine linking two items' topics")
    parser.add_argument("--sample", type=int, default=None, help="only N items drawn at random (seeded)")
    parser.add_argument(
        "--objective",
        choices=("worst-gain", "mean"),
        default="worst-gain",
        help="--cv: maximise the smallest ROUGE-1/2/L gain over Lead-3 (default), or their mean",
    )


def _neus_documents(source_line: str) -> list[str]:
    """One text per outlet: its title and lead, markers removed."""
    docs = []
    for part in source_line.split("[SEP]"):
        text = MARKERS.sub(" ", part).strip()
        if text:
            docs.append(text)
    return docs


def read_items(path: Path, split: str | None, limit: int | None) -> list[dict]:
    """Items as {documents: [text, ...], reference: str}."""
    if not path.exists():
        raise UserError(f"no such dataset: {path}")
    items: list[dict] = []
    if path.is_dir():
        sources = sorted(path.glob(f"{split}.source" if split else "*.source"))
        if not sources:
            raise UserError(f"{path}: no {split + '.source' if split else '*.source'} file")
        source = sources[0]
        target = source.with_suffix(".target")
        if not target.exists():
            raise UserError(f"{source}: no matching {target.name}")
        src_lines = source.read_text(encoding="utf-8").splitlines()
        tgt_lines = target.read_text(encoding="utf-8").splitlines()
        if len(src_lines) != len(tgt_lines):
            raise UserError(f"{source.name} has {len(src_lines)} lines but {target.name} has {len(tgt_lines)}")
        for src, tgt in zip(src_lines, tgt_lines, strict=True):
            items.append({"documents": _neus_documents(src), "reference": MARKERS.sub(" ", tgt).strip()})
    else:
        with path.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if "article" not in row or "highlights" not in row:
                    raise UserError(f"{path}:{line_no}: expected keys 'article' and 'highlights'")
                items.append({"documents": [row["article"]], "reference": row["highlights"]})
    return items[:limit] if limit else items


def rouge_table(scorer, predictions: list[str], references: list[str]) -> dict[str, float]:
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for prediction, reference in zip(predictions, references, strict=True):
        scores = scorer.score(reference, prediction)
        for key in totals:
            totals[key] += scores[key].fmeasure
    n = max(len(predictions), 1)
    return {key: round(value / n, 4) for key, value in totals.items()}


def run(args: argparse.Namespace) -> int:
    # deferred, as `newsprism --help` imports this module: rich's progress bar, ROUGE, and the summariser (torch)
    from rich.progress import track  # (see above)
    from rouge_score import rouge_scorer  # (see above)

    from newsprism.models.registry import get_summariser  # (see above)

    items = read_items(Path(args.dataset), args.split, args.limit)
    if args.sample is not None:
        items = [
            items[i] for i in sorted(random.Random(args.seed).sample(range(len(items)), min(args.sample, len(items))))
        ]
    if args.cv is not None:
        from newsprism.evaluation.summaries_cv import run_cv  # deferred, as above: numpy and the encoder (torch)

        return run_cv(args, items)
    profile = resolve_profile(args.profile)
    summariser = get_summariser(profile.summariser, profile.encoder)
    rng = random.Random(args.seed)
    k = args.sentences
    ours, lead, rand, refs = [], [], [], []
    started = time.perf_counter()
    for item in track(items, description="summarising", console=None, transient=True):
        sentences = [s for doc in item["documents"] for s in split_sentences(doc)]
        (summary,) = summariser.summarise([sentences], max_sentences=k)
        ours.append(summary.text)
        lead.append(" ".join(sentences[:k]))
        rand.append(" ".join(sentences[i] for i in sorted(rng.sample(range(len(sentences)), min(k, len(sentences))))))
        refs.append(item["reference"])
    elapsed = time.perf_counter() - started
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    result = {
        "dataset": str(args.dataset),
        "items": len(items),
        "model_id": profile.summariser,
        "sentences": k,
        "ours": rouge_table(scorer, ours, refs),
        "lead3": rouge_table(scorer, lead, refs),
        "random3": rouge_table(scorer, rand, refs),
        "items_per_s": round(len(items) / elapsed, 2) if elapsed else None,
    }
    print(json.dumps(result, indent=2))
    rows = [("ours", result["ours"]), ("lead-3", result["lead3"]), ("random-3", result["random3"])]
    print(f"{'system':<10} {'R-1':>7} {'R-2':>7} {'R-L':>7}", file=sys.stderr)
    for name, scores in rows:
        print(f"{name:<10} {scores['rouge1']:>7.4f} {scores['rouge2']:>7.4f} {scores['rougeL']:>7.4f}", file=sys.stderr)
    return 0
