"""Named entities on a CoNLL-format file: exact-span entity F1, precision and recall over PER, ORG and LOC
(MISC left out on both sides: label sets differ between taggers), overall and per type, as JSON on stdout.

FILE: one `token TAG` a line (IOB tags; columns between them ignored), a blank line between sentences. The
file's own tokens are tagged (no re-tokenisation). The tagger is the shipped `ner.crf-conll.v1`, or `--model
DIR` (a folder with model.crfsuite, e.g. one `newsprism train --only ner --out DIR` wrote).

Example:

  newsprism eval ner ../shared/data/ner/conll2003/valid.txt
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsprism.cli import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="CoNLL-format file (token TAG a line)")
    parser.add_argument("--model", type=Path, metavar="DIR", help="a trained tagger's folder (default: shipped)")


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"file not found: {args.file}")
    # the tagger loads here, not at import: `newsprism --help` imports this module
    from newsprism.models.base import ModelUnavailable  # (see above)
    from newsprism.models.ner import MODEL_FILE, CrfTagger, load_ner  # (see above)
    from newsprism.models.ner_training import entity_scores, read_conll, tag_all  # (see above)

    try:
        sentences = read_conll(args.file)
        tagger = CrfTagger(args.model / MODEL_FILE) if args.model else load_ner()
    except (ValueError, ModelUnavailable, OSError) as exc:
        raise UserError(str(exc)) from None
    t0 = time.time()
    predicted = tag_all(tagger, sentences)
    seconds = time.time() - t0
    scores = entity_scores([[t for _, t in s] for s in sentences], predicted)
    tokens = sum(len(s) for s in sentences)
    out = {"file": str(args.file), "model_id": tagger.model_id, "sentences": len(sentences), "tokens": tokens,
           **scores, "sentences_per_second": round(len(sentences) / max(seconds, 1e-9), 1)}  # fmt: skip
    print(json.dumps(out, indent=2))
    return 0
