"""Measure a stage on a public dataset and print JSON (plus a short table on stderr).

newsprism eval cleaning DATASET   token P/R/F1 of extracted main text vs gold
newsprism eval cleaning-folds D1 D2 ...   the same, each dataset held out from the line model's training
newsprism eval stance DIR         FNC-1 relative score and macro-F1
newsprism eval sentiment FILE     NewsMTSC macro-F1 and accuracy
newsprism eval summaries DATASET  ROUGE-1/2/L F1 vs Lead-3 and random-3
newsprism eval pairs FILE         "same point" accuracy and F1 on MSRP-format pairs (--cv K: cross-validated)
newsprism eval targets FILE       entity attitude vs BASIL's labels: accuracy, macro-F1, coverage
newsprism eval ner FILE           named entities (PER/ORG/LOC) on CoNLL-format text: exact-span F1, P, R, per type
newsprism eval stories DATASET    story grouping vs gold stories: pairwise F1, ARI, NMI, purity, articles/s
"""

from __future__ import annotations

import argparse
import importlib

# eval target -> module under newsprism.evaluation with add_arguments(parser) and run(args) -> int
TARGETS = {
    "cleaning": "token-level precision/recall/F1 of the cleaner against gold main text",
    "cleaning-folds": "the cleaner on each dataset with the line model trained on the others (leave one out)",
    "stance": "stance of an article toward a claim (FNC-1 layout)",
    "sentiment": "target-dependent sentiment (NewsMTSC JSONL)",
    "summaries": "ROUGE of our summariser vs Lead-3 and random-3",
    "pairs": "whether two sentences make the same point (MSRP layout)",
    "targets": "attitude toward named entities vs BASIL's author attitudes (BASIL JSONL)",
    "ner": "named entities PER/ORG/LOC: exact-span F1 on a CoNLL-format file",
    "stories": "grouping articles into stories vs gold stories (triplet_uuid / cluster_id JSONL)",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="target", metavar="TARGET", required=True)
    for name, help_text in TARGETS.items():
        mod = importlib.import_module(f"newsprism.evaluation.{name.replace('-', '_')}")
        p = sub.add_parser(name, help=help_text, description=(mod.__doc__ or help_text).strip())
        mod.add_arguments(p)
        p.set_defaults(_eval=mod.run)


def run(args: argparse.Namespace) -> int:
    return args._eval(args)
