"""Entity attitude on BASIL-format JSONL: the `sentiment` table's level 'target' label against the human label
of the author's attitude, as JSON on stdout.

FILE has one article a line: {text, triplet_uuid, author_feelings {Entity_Name: neg/neu/pos}} (`id`,
`source` and the rest are not used). Every labelled entity but `main_event` is a user-given target (underscores
read as spaces), matched as the pipeline matches targets (titles, possessives, a person's surname). Prints
`pairs` (labelled article x entity pairs), `coverage` (the share whose entity the article mentions: only they
get a prediction), and over the covered pairs `accuracy`, `macro_f1` and `majority_accuracy` (always the most
frequent gold label), with `model_id` (the attitude rule) and `sentiment_model`.

On the file the calibration was fitted on these figures are in-sample: `--cv K` adds `cv`, the rule refitted
in K folds grouped by event (`triplet_uuid`) and scored on the held-out folds. Sentence sentiment is cached
under --cache (default: the temp dir), so a second run is quick.

Example:

  newsprism eval targets ../shared/data/corpora/basil_dev.jsonl --cv 5
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsprism.cli import UserError
from newsprism.models.profiles import PROFILES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="BASIL-format JSONL, one article a line")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="local", help="models to use (default: local)")
    parser.add_argument("--cv", type=int, metavar="K", help="also refit the rule in K folds grouped by event")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="sentence sentiment cache (default: temp dir)")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"file not found: {args.file}")
    if args.cv is not None and args.cv < 2:
        raise UserError("--cv needs at least 2 folds")
    # torch and the models load here, not at import: `newsprism --help` imports this module
    from newsprism.models import attitude_training as at
    from newsprism.models.attitude import attitude_for  # (see above)

    profile = PROFILES[args.profile]
    try:
        pairs = at.read_pairs(args.file)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    cache = args.cache or at.default_cache_dir()
    results = at.mention_results(pairs, profile.sentiment, profile.encoder, cache_dir=cache)
    rule = attitude_for(profile.sentiment)
    out: dict[str, Any] = {"model_id": rule.model_id, "sentiment_model": profile.sentiment, "dataset": str(args.file)}
    out.update(at.scores(pairs, at.predict(rule, pairs, results)))
    if args.cv:
        if len({p.event for p in pairs}) < args.cv:
            raise UserError(f"--cv {args.cv}: the file has fewer events than folds")
        out["cv"] = at.cross_validate(pairs, results, args.cv)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if "macro_f1" in out:
        line = (
            f"macro-F1 {out['macro_f1']:.4f}  accuracy {out['accuracy']:.4f}  majority {out['majority_accuracy']:.4f}"
        )
        if "cv" in out and "macro_f1" in out["cv"]:
            line += f"  (cv: macro-F1 {out['cv']['macro_f1']:.4f}, accuracy {out['cv']['accuracy']:.4f})"
        print(f"{line}  coverage {out['coverage']:.4f} of {out['pairs']} pairs", file=sys.stderr)
    return 0
