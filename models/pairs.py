"""The "same point" decision: do two news sentences (of different articles) say the same thing?

    load_pairs_head(HEADS_DIR / "pairs.minilm-msrp.v1", encoder).predict([PairInput("a ...", "b ...")])

The `local` profiles' head (`pairs.minilm-msrp.v1`, kind "embedding") is a small MLP over the shared
encoder's two sentence vectors (which alignment has already computed) and cheap pair features
(`pair_features`: cosine, word, number and capitalised-word overlap, length ratio): no transformer pass of
its own. The other trainable kind, "cross-encoder" (`PairsNet`: MiniLM over "[CLS] a [SEP] b [SEP]" with its
top layers fine-tuned, the pair features joined in the final logistic layer), scored no better in
cross-validation on this machine and ships no head. The threshold on p(same point) is part of a head's
config. Hub and tiny sequence-pair
classifiers (`CrossEncoderPairs`) read p(paraphrase) from the checkpoint's labels. Inference, save and load
only: training is in `newsprism.models.trainers`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import BertModel, PreTrainedTokenizerBase

from newsprism.models.base import Encoder, ModelUnavailable, PairInput, PairResult
from newsprism.models.classifiers import Classifier
from newsprism.models.pretrained import TRAIN_HINT, load_minilm
from newsprism.models.split_minilm import SplitMiniLM, load_trained, save_trained
from newsprism.text import STOPWORDS, words

PAIR_FEATURES = (
    "cosine",  # of the shared sentence encoder's vectors
    "word_jaccard",  # lower-cased word sets
    "content_min",  # shared content words / the smaller sentence's content words
    "content_max",  # shared content words / the larger sentence's content words
    "numbers_jaccard",  # numbers (tokens with a digit); 1 when neither has one
    "numbers_differ",  # 1 when both have numbers and the sets differ
    "capitals_jaccard",  # capitalised words after the first word (names); 1 when neither has one
    "length_ratio",  # shorter / longer, in words
)


def _jaccard(x: set[str], y: set[str], empty: float) -> float:
    union = x | y
    return len(x & y) / len(union) if union else empty


def pair_features(a: str, b: str, cosine: float) -> list[float]:
    """The cheap features of a sentence pair, in PAIR_FEATURES order."""
    wa, wb = words(a, lower=True), words(b, lower=True)
    sa, sb = set(wa), set(wb)
    stop = STOPWORDS["en"]
    ca, cb = sa - stop, sb - stop
    shared = len(ca & cb)
    na = {w for w in sa if any(ch.isdigit() for ch in w)}
    nb = {w for w in sb if any(ch.isdigit() for ch in w)}
    capa = {w.lower() for w in words(a)[1:] if w[:1].isupper()}
    capb = {w.lower() for w in words(b)[1:] if w[:1].isupper()}
    return [
        float(cosine),
        _jaccard(sa, sb, 0.0),
        shared / min(len(ca), len(cb)) if ca and cb else 0.0,
        shared / max(len(ca), len(cb)) if ca and cb else 0.0,
        _jaccard(na, nb, 1.0),
        1.0 if na and nb and na != nb else 0.0,
        _jaccard(capa, capb, 1.0),
        min(len(wa), len(wb)) / max(len(wa), len(wb)) if wa and wb else 0.0,
    ]


def pair_cosines(encoder: Encoder, items: Sequence[PairInput]) -> np.ndarray:
    """The shared encoder's cosine of each pair (its vectors are memoised: alignment's pass is reused)."""
    if not items:
        return np.zeros(0, dtype=np.float32)
    va = encoder.encode([it.a for it in items])
    vb = encoder.encode([it.b for it in items])
    return np.asarray((va * vb).sum(1), dtype=np.float32)


def feature_matrix(items: Sequence[PairInput], cosines: np.ndarray) -> np.ndarray:
    return np.array([pair_features(it.a, it.b, float(c)) for it, c in zip(items, cosines, strict=True)],
                    dtype=np.float32).reshape(len(items), len(PAIR_FEATURES))  # fmt: skip


def embedding_matrix(encoder: Encoder, items: Sequence[PairInput]) -> np.ndarray:
    """The embedding head's input per pair: [u * v, |u - v|, PAIR_FEATURES] of the shared encoder's
    normalised vectors u, v (memoised: alignment's own pass)."""
    u = encoder.encode([it.a for it in items])
    v = encoder.encode([it.b for it in items])
    features = feature_matrix(items, (u * v).sum(1))
    return np.hstack([u * v, np.abs(u - v), features]).astype(np.float32)


class EmbeddingPairs:
    """The same-point head over the shared encoder's vectors (no transformer pass of its own): a small MLP
    (ReLU hidden layers, or none: logistic regression) over the standardised `embedding_matrix`."""

    def __init__(self, encoder: Encoder, model_id: str, mean: np.ndarray, scale: np.ndarray,
                 layers: Sequence[tuple[np.ndarray, np.ndarray]], threshold: float = 0.5):  # fmt: skip
        self.encoder = encoder
        self.model_id = model_id
        self.mean, self.scale = mean, scale
        self.layers = list(layers)  # (weights (in, out), bias (out,)) per layer
        self.threshold = threshold

    def proba_from_matrix(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return (1.0 / (1.0 + np.exp(-h[:, 0]))).astype(np.float32)

    def predict_proba(self, items: Sequence[PairInput]) -> np.ndarray:
        if not items:
            return np.zeros(0, dtype=np.float32)
        return self.proba_from_matrix(embedding_matrix(self.encoder, items))

    def predict(self, items: Sequence[PairInput]) -> list[PairResult]:
        return [PairResult(bool(p >= self.threshold), round(float(p), 6)) for p in self.predict_proba(items)]


def save_embedding_head(out: Path, mean: np.ndarray, scale: np.ndarray,
                        layers: Sequence[tuple[np.ndarray, np.ndarray]], config: dict[str, Any]) -> None:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    tensors = {"mean": mean, "scale": scale}
    for k, (w, b) in enumerate(layers):
        tensors[f"w{k}"], tensors[f"b{k}"] = w, b
    save_file({k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in tensors.items()},
              str(out / "head.safetensors"))  # fmt: skip
    (out / "config.json").write_text(json.dumps({**config, "kind": "embedding", "n_layers": len(layers)}, indent=2)
                                     + "\n")  # fmt: skip


class PairsNet(SplitMiniLM):
    """MiniLM cross-encoder + one logit over [CLS state, mean of all tokens, pair features]; the bottom
    `n_frozen` layers stay pretrained (models/split_minilm.py)."""

    def __init__(self, encoder: BertModel, n_frozen: int = 4, dropout: float = 0.1):
        super().__init__(encoder, n_frozen)
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(dropout)
        self.classifier = torch.nn.Linear(2 * hidden + len(PAIR_FEATURES), 1)

    def upper(self, hidden: torch.Tensor, attention_mask: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """Logits (n,) of p(same point)."""
        hidden = self.upper_states(hidden, attention_mask)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        pooled = torch.cat([hidden[:, 0], mean], dim=-1)
        return self.classifier(torch.cat([self.dropout(pooled), features.to(hidden.dtype)], dim=-1)).squeeze(-1)


def pair_batch(tokenizer: PreTrainedTokenizerBase, items: Sequence[PairInput], max_length: int = 128,
               ) -> dict[str, torch.Tensor]:  # fmt: skip
    """ "[CLS] a [SEP] b [SEP]", both sides truncated evenly to `max_length` tokens."""
    batch = tokenizer([it.a for it in items], [it.b for it in items], padding=True, truncation=True,
                      max_length=max_length, return_tensors="pt")  # fmt: skip
    return dict(batch)


def pad_states(rows: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """(hidden (n, L, d) float32, attention mask (n, L)) from unpadded (L_i, d) rows."""
    n = max(h.shape[0] for h in rows)
    hidden = torch.zeros(len(rows), n, rows[0].shape[1])
    attention = torch.zeros(len(rows), n, dtype=torch.long)
    for i, h in enumerate(rows):
        hidden[i, : h.shape[0]] = h.float()
        attention[i, : h.shape[0]] = 1
    return hidden, attention


class MiniLMPairs:
    """The fine-tuned MiniLM cross-encoder with pair features; `threshold` on p(same point) decides."""

    def __init__(self, net: PairsNet, tokenizer: PreTrainedTokenizerBase, encoder: Encoder, model_id: str,
                 threshold: float = 0.5, max_length: int = 128, batch_size: int = 64):  # fmt: skip
        self.net = net.eval()
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.model_id = model_id
        self.threshold = threshold
        self.max_length = max_length
        self.batch_size = batch_size

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[PairInput], features: np.ndarray | None = None) -> np.ndarray:
        """p(same point) per pair; `features` (PAIR_FEATURES columns) are computed when not given."""
        if features is None:
            features = feature_matrix(items, pair_cosines(self.encoder, items))
        out = np.zeros(len(items), dtype=np.float32)
        order = sorted(range(len(items)), key=lambda i: len(items[i].a) + len(items[i].b))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = pair_batch(self.tokenizer, [items[i] for i in idx], self.max_length)
            mask = batch["attention_mask"]
            hidden = self.net.lower(batch["input_ids"], mask, batch["token_type_ids"])
            logits = self.net.upper(hidden, mask, torch.from_numpy(features[idx]))
            out[idx] = torch.sigmoid(logits.float()).numpy()
        return out

    def predict(self, items: Sequence[PairInput]) -> list[PairResult]:
        return [PairResult(bool(p >= self.threshold), round(float(p), 6)) for p in self.predict_proba(items)]


PARAPHRASE_NAMES = ("paraphrase", "equivalent", "duplicate", "same", "entailment", "label_1", "1")


@dataclass
class CrossEncoderPairs:
    """Any Hugging Face sequence-pair classifier as the same-point decision: one logit (sigmoid) or labels,
    of which the paraphrase-like one (by name, else index 1 of two) is p(same point)."""

    model_id: str
    classifier: Classifier
    threshold: float = 0.5

    def positive_index(self) -> int | None:
        config = self.classifier.model.config
        n_labels, labels = int(config.num_labels or 0), dict(config.id2label or {})
        if n_labels == 1:
            return None
        for index, label in labels.items():
            if str(label).lower().replace(" ", "_") in PARAPHRASE_NAMES:
                return int(index)
        if n_labels == 2:
            return 1
        raise ValueError(f"cannot tell which of {sorted(map(str, labels.values()))} means a paraphrase")

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[PairInput]) -> np.ndarray:
        if not items:
            return np.zeros(0, dtype=np.float32)
        clf = self.classifier
        index = self.positive_index()
        out = []
        for start in range(0, len(items), clf.batch_size):
            chunk = items[start : start + clf.batch_size]
            batch = clf.tokenizer([it.a for it in chunk], [it.b for it in chunk], padding=True, truncation=True,
                                  max_length=clf.max_length, return_tensors="pt").to(clf.model.device)  # fmt: skip
            logits = clf.model(**batch).logits.float()
            probs = torch.sigmoid(logits[:, 0]) if index is None else torch.softmax(logits, -1)[:, index]
            out.append(probs.cpu().numpy())
        return np.concatenate(out).astype(np.float32)

    def predict(self, items: Sequence[PairInput]) -> list[PairResult]:
        return [PairResult(bool(p >= self.threshold), round(float(p), 6)) for p in self.predict_proba(items)]


# --- save and load ----------------------------------------------------------------------------------------


def build_pairs_net(n_frozen: int = 4) -> tuple[PairsNet, PreTrainedTokenizerBase]:
    """The untrained network on the pretrained MiniLM (training, and loading before the stored weights)."""
    encoder, tokenizer = load_minilm()
    return PairsNet(encoder, n_frozen=n_frozen), tokenizer


def save_pairs_head(net: PairsNet, out: Path, config: dict[str, Any]) -> None:
    save_trained(net, out, {**config, "kind": "cross-encoder"})


def load_pairs_head(head_dir: str | Path, encoder: Encoder) -> MiniLMPairs | EmbeddingPairs:
    """A trained pairs head folder (`config.json`, `head.safetensors`; a cross-encoder also one file per
    trained layer), of the kind its config names."""
    head_dir = Path(head_dir)
    config_file = head_dir / "config.json"
    if not config_file.is_file() or not (head_dir / "head.safetensors").is_file():
        raise ModelUnavailable(f"pairs head not found in {head_dir} (config.json, head.safetensors): {TRAIN_HINT}")
    config = json.loads(config_file.read_text())
    if config.get("kind") == "embedding":
        t = {k: v.float().numpy() for k, v in load_file(str(head_dir / "head.safetensors")).items()}
        layers = [(t[f"w{k}"], t[f"b{k}"]) for k in range(int(config["n_layers"]))]
        return EmbeddingPairs(encoder, config["model_id"], t["mean"], t["scale"], layers, float(config["threshold"]))
    net, tokenizer = build_pairs_net(int(config["n_frozen"]))
    load_trained(net, head_dir, "pairs head")
    return MiniLMPairs(net, tokenizer, encoder, model_id=config["model_id"], threshold=float(config["threshold"]),
                       max_length=int(config.get("max_length", 128)))  # fmt: skip
