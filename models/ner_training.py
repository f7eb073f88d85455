"""Training and measuring the entity tagger (`models/ner.py`) on CoNLL-format files (training and evaluation
only; nothing at run time imports this module).

CoNLL format: one `token TAG` a line (IOB tags; other columns between them are ignored), a blank line between
sentences, `-DOCSTART-` lines skipped. Scores are exact-span entity precision, recall and F1 over PER, ORG and
LOC (MISC is left out on both sides: label sets differ between taggers), overall (micro) and per type.

The regularisation (c1, c2) is chosen by cross-validation on the training file (contiguous folds: Reuters
stories stay together), never on the file that is reported.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsprism.models.cards import write_card
from newsprism.models.datasets import conll_file
from newsprism.models.ner import ENTITY_TYPES, MODEL_FILE, NER_CRF, CrfTagger, spans_from_tags, token_features

Sentence = list[tuple[str, str]]  # (token, IOB tag)
Progress = Callable[[str, int, int], None]
# candidates (c1: L1, c2: L2 regularisation), chosen by cross-validated F1 on the training file
GRID: tuple[dict[str, float], ...] = ({"c1": 0.1, "c2": 0.01}, {"c1": 0.05, "c2": 0.05})
MAX_ITERATIONS = 100
FOLDS = 3


def _noop(stage: str, done: int, total: int) -> None:
    pass


def read_conll(path: str | Path) -> list[Sentence]:
    """The sentences of a CoNLL-format file. Raises ValueError naming the first line that is not `token ... TAG`."""
    sentences: list[Sentence] = []
    current: Sentence = []
    for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
                current = []
            continue
        if parts[0] == "-DOCSTART-":
            continue
        tag = parts[-1]
        if len(parts) < 2 or not (tag == "O" or tag[:2] in ("B-", "I-")):
            raise ValueError(f"{path}:{line_no}: not a CoNLL line (token ... IOB-tag): {line[:80]!r}")
        current.append((parts[0], tag))
    if current:
        sentences.append(current)
    return sentences


def entity_scores(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Exact-span precision, recall and F1 over PER/ORG/LOC, overall (micro) and per type."""
    counts = {t: [0, 0, 0] for t in ENTITY_TYPES}  # tp, fp, fn
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(spans_from_tags(g)), set(spans_from_tags(p))
        for span in gs & ps:
            counts[span[2]][0] += 1
        for span in ps - gs:
            counts[span[2]][1] += 1
        for span in gs - ps:
            counts[span[2]][2] += 1

    def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4), "gold": tp + fn}

    total = [sum(c[k] for c in counts.values()) for k in range(3)]
    return {**prf(*total), "per_type": {t: prf(*counts[t]) for t in ENTITY_TYPES}}


def fit_crf(sentences: Sequence[Sentence], out_file: Path, c1: float, c2: float,
            max_iterations: int = MAX_ITERATIONS) -> None:  # fmt: skip
    import pycrfsuite  # training only

    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        trainer.append(token_features([w for w, _ in sentence]), [t for _, t in sentence])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True})
    trainer.train(str(out_file))


def tag_all(tagger: CrfTagger, sentences: Sequence[Sentence]) -> list[list[str]]:
    return [tagger.tag_tokens([w for w, _ in s]) for s in sentences]


def cross_validate(sentences: Sequence[Sentence], work: Path, folds: int = FOLDS,
                   grid: Sequence[dict[str, float]] = GRID, progress: Progress = _noop,
                   ) -> list[dict[str, Any]]:  # fmt: skip
    """Per candidate: the mean F1 over `folds` contiguous folds (trained on the others)."""
    results = []
    n = len(sentences)
    for c_no, cand in enumerate(grid):
        f1s = []
        for k in range(folds):
            lo, hi = k * n // folds, (k + 1) * n // folds
            model = work / f"cv{c_no}_{k}.crfsuite"
            fit_crf([*sentences[:lo], *sentences[hi:]], model, cand["c1"], cand["c2"])
            held = sentences[lo:hi]
            f1s.append(entity_scores([[t for _, t in s] for s in held], tag_all(CrfTagger(model), held))["f1"])
            progress("cross-validate", c_no * folds + k + 1, len(grid) * folds)
        results.append({**cand, "fold_f1": f1s, "f1": round(sum(f1s) / len(f1s), 4)})
    return results


def ner_card(metrics: dict[str, Any]) -> str:
    cv = "\n".join(f"| c1={r['c1']}, c2={r['c2']} | {r['f1']:.4f} ({', '.join(f'{x:.4f}' for x in r['fold_f1'])}) |"
                   for r in metrics["cv"])  # fmt: skip
    return f"""# {NER_CRF}

Named entities (PER, ORG, LOC) by a linear-chain CRF (python-crfsuite) over treebank tokens
(`newsprism.text.treebank_tokens`), features in `models/ner.py` (`token_features`): form, shape, affixes,
capitalisation, two neighbours each side. No gazetteers.

- **Data:** `{metrics["data"]}` (CoNLL-2003 English train, {metrics["sentences"]} sentences; MISC read as no entity).
- **Selection:** {FOLDS}-fold cross-validation on the training file (contiguous folds), F1 over PER/ORG/LOC:

| candidate | mean F1 (folds) |
|---|---|
{cv}

- **Chosen:** c1={metrics["chosen"]["c1"]}, c2={metrics["chosen"]["c2"]}, {MAX_ITERATIONS} L-BFGS iterations, fit on the
  whole training file.
- **Command:** `newsprism train --data ../shared/data --only ner`; measure with
  `newsprism eval ner ../shared/data/ner/conll2003/valid.txt`.
- **Training time:** {metrics["train_seconds"]:.0f} s on this machine (2 shared cores).
"""


def train_ner(data_dir: str | Path, out_dir: str | Path, seed: int = 0, progress: Progress = _noop,
              grid: Sequence[dict[str, float]] = GRID) -> dict[str, Any]:  # fmt: skip
    """Choose c1/c2 by cross-validation on CoNLL train, fit on all of it, write `out_dir/ner.crf-conll.v1/`."""
    t0 = time.time()
    path = conll_file(data_dir)
    sentences = read_conll(path)
    out = Path(out_dir) / NER_CRF
    out.mkdir(parents=True, exist_ok=True)
    work = out / "cv"
    work.mkdir(exist_ok=True)
    try:
        cv = cross_validate(sentences, work, progress=progress, grid=grid) if len(grid) > 1 else []
    finally:
        for f in work.glob("*"):
            f.unlink()
        work.rmdir()
    chosen = max(cv, key=lambda r: r["f1"]) if cv else dict(grid[0])
    fit_crf(sentences, out / MODEL_FILE, chosen["c1"], chosen["c2"])
    metrics = {"model_id": NER_CRF, "data": path.name, "sentences": len(sentences), "cv": cv,
               "chosen": {"c1": chosen["c1"], "c2": chosen["c2"]}, "seed": seed,
               "train_seconds": round(time.time() - t0, 1)}  # fmt: skip
    (out / "config.json").write_text(json.dumps(metrics, indent=2) + "\n")
    write_card(Path(out_dir), NER_CRF, ner_card(metrics))
    return metrics
