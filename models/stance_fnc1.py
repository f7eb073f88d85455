"""The `local` profile's stance head: FNC-1 features on the shared MiniLM encoder, classified by LightGBM.

    load_stance_head(HEADS_DIR / "stance.minilm-fnc1.v3", encoder).predict(
        [StanceInput("Apple buys Tesla", ("Apple denied the report.",))])

Features of the claim vs the body's sentences on the shared (memoised) encoder, two LightGBM stages
(related vs unrelated, then agree / disagree / discuss, class-weighted), the four probabilities rescaled by
per-class factors chosen by cross-validation; the evidence is the sentence near the claim that carries the
predicted label's sign (`features.supporting_sentences`). Inference, save and load only: the trainer is in
`newsprism.models.trainers`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from newsprism.models.base import STANCE_LABELS, Encoder, ModelUnavailable, StanceInput, StanceResult
from newsprism.models.features import MAX_SENTENCES, Idf, stance_features, supporting_sentences
from newsprism.models.pretrained import TRAIN_HINT
from newsprism.models.profiles import ENCODER_MINILM, FNC1_STANCE, RETIRED

STAGES = ("related", "related_class")  # the two boosters, by file name


def stance_matrix(items: Sequence[StanceInput], encode: Callable[[list[str]], np.ndarray], idf: Idf,
                  ) -> tuple[np.ndarray, list[dict[str, int] | None]]:  # fmt: skip
    """Feature matrix of `items` and each one's evidence sentence per label (None for an empty body);
    `encode(texts)` returns unit-normalised rows.

    All claims and sentences are encoded in one call (batched, memoised by the shared encoder).
    """
    texts: list[str] = []
    for it in items:
        texts.append(it.claim)
        texts.extend(list(it.sentences)[:MAX_SENTENCES])
    vecs = encode(texts) if texts else np.zeros((0, 1), np.float32)
    rows, evidence, pos = [], [], 0
    for it in items:
        n = min(len(it.sentences), MAX_SENTENCES)
        claim_vec, sent_vecs = vecs[pos], vecs[pos + 1 : pos + 1 + n]
        pos += 1 + n
        row, best = stance_features(it.claim, it.sentences, claim_vec, sent_vecs, idf)
        rows.append(row)
        sentences = list(it.sentences)[:MAX_SENTENCES]
        evidence.append(None if best is None else supporting_sentences(it.claim, sentences, sent_vecs @ claim_vec))
    return (np.stack(rows) if rows else np.zeros((0, 0), np.float32)), evidence


def stance_probs(boosters: dict[str, lgb.Booster], X: np.ndarray, scale: Sequence[float] | None = None) -> np.ndarray:
    """(n, 4) probabilities in STANCE_LABELS order from the two stages.

    `related`: p(related); `related_class`: p(agree|disagree|discuss given related); each booster reads the
    first columns of X, as many as it was trained on (the scalars come first). `scale` multiplies the four
    probabilities (per class, in STANCE_LABELS order) before they are normalised again.
    """
    if len(X) == 0:
        return np.zeros((0, len(STANCE_LABELS)))
    p_rel = np.asarray(boosters["related"].predict(X[:, : boosters["related"].num_feature()]))
    p_cls = np.asarray(boosters["related_class"].predict(X[:, : boosters["related_class"].num_feature()]))
    probs = np.column_stack([p_cls * p_rel[:, None], 1.0 - p_rel])
    return probs if scale is None else rescale(probs, scale)


def rescale(probs: np.ndarray, scale: Sequence[float]) -> np.ndarray:
    """`probs` (n, 4) multiplied by the per-class factors `scale`, normalised to sum to 1 again."""
    scaled = probs * np.asarray(scale, dtype=np.float64)
    return scaled / scaled.sum(1, keepdims=True)


class MiniLMStance:
    """Stance of a document toward a claim (FNC-1 labels), with the index of the evidence sentence."""

    def __init__(self, boosters: dict[str, lgb.Booster], idf: Idf, encoder: Encoder, model_id: str = FNC1_STANCE,
                 scale: Sequence[float] | None = None):  # fmt: skip
        self.boosters = boosters
        self.idf = idf
        self.encoder = encoder
        self.model_id = model_id
        self.scale = None if scale is None else tuple(float(v) for v in scale)

    def predict_proba(self, items: Sequence[StanceInput]) -> tuple[np.ndarray, list[dict[str, int] | None]]:
        X, evidence = stance_matrix(items, self.encoder.encode, self.idf)
        return stance_probs(self.boosters, X, self.scale), evidence

    def predict(self, items: list[StanceInput]) -> list[StanceResult]:
        return stance_results(*self.predict_proba(items))


def stance_results(probs: np.ndarray, evidence: Sequence[dict[str, int] | None]) -> list[StanceResult]:
    """Per row of `probs` (STANCE_LABELS order), the most probable label, its probability, all four, and that
    label's evidence sentence (None for an empty body)."""
    out = []
    for p, ev in zip(probs, evidence, strict=True):
        k = int(np.argmax(p))
        out.append(
            StanceResult(
                label=STANCE_LABELS[k],
                score=round(float(p[k]), 6),
                probs={label: round(float(v), 6) for label, v in zip(STANCE_LABELS, p, strict=True)},
                evidence=None if ev is None else ev[STANCE_LABELS[k]],
            )
        )
    return out


def save_stance_head(boosters: dict[str, lgb.Booster], idf: Idf, out: Path, config: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, booster in boosters.items():
        with gzip.open(out / f"{name}.lgb.txt.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write(booster.model_to_string())
    arrays: dict[str, Any] = idf.save()  # (numpy's stub would read an ndarray value as `allow_pickle`)
    np.savez_compressed(out / "idf.npz", **arrays)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def load_stance_head(head_dir: str | Path, encoder: Encoder) -> MiniLMStance:
    """A stance head folder (its boosters, IDF and config) over `encoder`, which must be the encoder its
    features were computed with (the config's `encoder`)."""
    head_dir = Path(head_dir)
    files = [head_dir / "config.json", head_dir / "idf.npz"] + [head_dir / f"{n}.lgb.txt.gz" for n in STAGES]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        raise ModelUnavailable(f"stance head {FNC1_STANCE} not found in {head_dir} ({missing[0]}): {TRAIN_HINT}")
    config = json.loads((head_dir / "config.json").read_text())
    if config.get("model_id") in RETIRED:
        raise ModelUnavailable(f"the stance head in {head_dir} is {config['model_id']}, which is retired: "
                               f"use its successor {RETIRED[config['model_id']]}")  # fmt: skip
    if config.get("encoder", ENCODER_MINILM) != encoder.model_id:
        raise ModelUnavailable(f"the stance head in {head_dir} needs the encoder {config.get('encoder')}, "
                               f"not {encoder.model_id}")  # fmt: skip
    boosters = {}
    for n in STAGES:
        with gzip.open(head_dir / f"{n}.lgb.txt.gz", "rt", encoding="utf-8") as fh:
            boosters[n] = lgb.Booster(model_str=fh.read())
    with np.load(head_dir / "idf.npz", allow_pickle=False) as arrays:
        idf = Idf.load(arrays)
    return MiniLMStance(boosters, idf, encoder, model_id=config.get("model_id", FNC1_STANCE), scale=config.get("scale"))
