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
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
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


class CascadePairs:
    """The embedding head first; where its p(same point) falls inside `band` (lo, hi), the fine-tuned
    cross-encoder is asked too, over both orders of the pair (a cross-encoder is not symmetric: the mean of
    the two), and p = blend * cross-encoder + (1 - blend) * embedding head. Outside the band the embedding
    head decides alone, so the transformer pass is paid only for the pairs it is unsure of."""

    def __init__(self, first: EmbeddingPairs, second: MiniLMPairs, model_id: str, band: tuple[float, float],
                 blend: float, threshold: float):  # fmt: skip
        self.first, self.second = first, second
        self.model_id = model_id
        self.band = band
        self.blend = blend
        self.threshold = threshold

    def predict_proba(self, items: Sequence[PairInput]) -> np.ndarray:
        p = self.first.predict_proba(items)
        ask = [i for i, q in enumerate(p) if self.band[0] <= q <= self.band[1]]
        if ask:
            asked = [items[i] for i in ask]
            features = feature_matrix(asked, pair_cosines(self.first.encoder, asked))  # symmetric in a, b
            forward = self.second.predict_proba(asked, features)
            backward = self.second.predict_proba([PairInput(it.b, it.a) for it in asked], features)
            p[ask] = self.blend * (forward + backward) / 2 + (1 - self.blend) * p[ask]
        return p

    def predict(self, items: Sequence[PairInput]) -> list[PairResult]:
        return [PairResult(bool(p >= self.threshold), round(float(p), 6)) for p in self.predict_proba(items)]


PARAPHRASE_NAMES = ("paraphrase", "equivalent", "duplicate", "same", "entailment", "label_1", "1")


@dataclass(frozen=True)
class PairTemplate:
    """How a tokenizer frames a sentence pair: `prefix a middle b suffix` (special token ids), the token type
    of each of those five parts (None: the tokenizer returns no token_type_ids), and its truncation side."""

    prefix: tuple[int, ...]
    middle: tuple[int, ...]
    suffix: tuple[int, ...]
    types: tuple[int, int, int, int, int] | None
    side: str

    @classmethod
    def of(cls, tokenizer: PreTrainedTokenizerBase) -> PairTemplate:
        """Read the framing off the tokenizer's own encoding of a probe pair."""
        a, b = (list(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in ("a", "b"))
        full = tokenizer("a", "b")
        ids, types = list(full["input_ids"]), full.get("token_type_ids")
        i = next((i for i in range(len(ids)) if ids[i : i + len(a)] == a), -1)
        j = next((j for j in range(i + len(a), len(ids)) if ids[j : j + len(b)] == b), -1) if i >= 0 else -1
        if i < 0 or j < 0 or a == b:
            raise ValueError(f"{type(tokenizer).__name__}: cannot find the pair's parts in {ids}")
        bounds = [0, i, i + len(a), j, j + len(b), len(ids)]
        part_types = None
        if types is not None:
            spans = [list(types[s:e]) for s, e in zip(bounds, bounds[1:], strict=False)]
            part_types = tuple(span[0] if span else 0 for span in spans)
            if any(set(span) - {t} for span, t in zip(spans, part_types, strict=True)):
                raise ValueError(f"{type(tokenizer).__name__}: token types vary within a part: {types}")
        return cls(tuple(ids[:i]), tuple(ids[i + len(a) : j]), tuple(ids[j + len(b) :]), part_types,  # type: ignore[arg-type]
                   str(tokenizer.truncation_side))  # fmt: skip

    @property
    def n_special(self) -> int:
        return len(self.prefix) + len(self.middle) + len(self.suffix)


def truncated_lengths(n_a: int, n_b: int, budget: int) -> tuple[int, int]:
    """How many tokens of each side a pair keeps within `budget` (max_length less the special tokens), as
    the `longest_first` truncation of Hugging Face's fast tokenizers decides: the shorter side stays whole
    if it fits in half, else each side gets half (an odd token to the longer side, to the second on a tie)."""
    if n_a + n_b <= budget:
        return n_a, n_b
    half = budget // 2
    if min(n_a, n_b) <= half:
        return (n_a, budget - n_a) if n_a <= n_b else (budget - n_b, n_b)
    return (half + budget % 2, half) if n_a > n_b else (half, half + budget % 2)


def pair_inputs(
    tokenizer: PreTrainedTokenizerBase,
    template: PairTemplate,
    pairs: Sequence[tuple[Sequence[int], Sequence[int]]],
    max_length: int,
) -> dict[str, torch.Tensor]:
    """The padded model inputs of sentence pairs given as each side's token ids (without special tokens):
    equal to `tokenizer(as, bs, padding=True, truncation=True, max_length=max_length)`, without tokenising
    a sentence again for every pair it is in."""
    budget = max_length - template.n_special
    rows, type_rows = [], []
    for a, b in pairs:
        n_a, n_b = truncated_lengths(len(a), len(b), budget)
        if template.side == "left":
            a, b = a[len(a) - n_a :], b[len(b) - n_b :]
        else:
            a, b = a[:n_a], b[:n_b]
        rows.append([*template.prefix, *a, *template.middle, *b, *template.suffix])
        if template.types is not None:
            parts = (len(template.prefix), n_a, len(template.middle), n_b, len(template.suffix))
            type_rows.append([t for t, n in zip(template.types, parts, strict=True) for _ in range(n)])
    width = max(map(len, rows))
    pad = int(tokenizer.pad_token_id or 0)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    types = torch.full((len(rows), width), int(tokenizer.pad_token_type_id), dtype=torch.long)
    for r, row in enumerate(rows):
        cols = slice(width - len(row), width) if tokenizer.padding_side == "left" else slice(0, len(row))
        ids[r, cols] = torch.tensor(row, dtype=torch.long)
        mask[r, cols] = 1
        if type_rows:
            types[r, cols] = torch.tensor(type_rows[r], dtype=torch.long)
    out = {"input_ids": ids, "attention_mask": mask}
    if template.types is not None:
        out["token_type_ids"] = types
    return out


@dataclass
class CrossEncoderPairs:
    """Any Hugging Face sequence-pair classifier as the same-point decision: one logit (sigmoid) or labels,
    of which the paraphrase-like one (by name, else index 1 of two) is p(same point). Each sentence is
    tokenised once (its ids kept for the most recent `max_kept` sentences) and the pairs are assembled from
    the ids (`pair_inputs`), in batches of similar length."""

    model_id: str
    classifier: Classifier
    threshold: float = 0.5
    max_kept: int = 8192
    _ids: OrderedDict[str, list[int]] = field(default_factory=OrderedDict, repr=False)
    _template: PairTemplate | None = field(default=None, repr=False)

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

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids without special tokens, at most the pair budget (one batch for the new ones)."""
        tokenizer = self.classifier.tokenizer
        if self._template is None:
            self._template = PairTemplate.of(tokenizer)
        new = [t for t in dict.fromkeys(texts) if t not in self._ids]
        if new:
            budget = self.classifier.max_length - self._template.n_special
            encoded = tokenizer(new, add_special_tokens=False, truncation=True, max_length=budget)["input_ids"]
            self._ids.update(zip(new, map(list, encoded), strict=True))
        for t in texts:
            self._ids.move_to_end(t)
        out = [self._ids[t] for t in texts]
        while len(self._ids) > self.max_kept:
            self._ids.popitem(last=False)
        return out

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[PairInput]) -> np.ndarray:
        if not items:
            return np.zeros(0, dtype=np.float32)
        clf = self.classifier
        index = self.positive_index()
        ids_a, ids_b = self.token_ids([it.a for it in items]), self.token_ids([it.b for it in items])
        assert self._template is not None  # set by token_ids
        order = sorted(range(len(items)), key=lambda i: len(ids_a[i]) + len(ids_b[i]))
        out = np.zeros(len(items), dtype=np.float32)
        for start in range(0, len(order), clf.batch_size):
            idx = order[start : start + clf.batch_size]
            batch = pair_inputs(clf.tokenizer, self._template, [(ids_a[i], ids_b[i]) for i in idx], clf.max_length)
            logits = clf.model(**{k: v.to(clf.model.device) for k, v in batch.items()}).logits.float()
            probs = torch.sigmoid(logits[:, 0]) if index is None else torch.softmax(logits, -1)[:, index]
            out[idx] = probs.cpu().numpy()
        return out

    def predict(self, items: Sequence[PairInput]) -> list[PairResult]:
        return [PairResult(bool(p >= self.threshold), round(float(p), 6)) for p in self.predict_proba(items)]


# --- save and load ----------------------------------------------------------------------------------------


def build_pairs_net(n_frozen: int = 4) -> tuple[PairsNet, PreTrainedTokenizerBase]:
    """The untrained network on the pretrained MiniLM (training, and loading before the stored weights)."""
    encoder, tokenizer = load_minilm()
    return PairsNet(encoder, n_frozen=n_frozen), tokenizer


def save_pairs_head(net: PairsNet, out: Path, config: dict[str, Any]) -> None:
    """A cross-encoder head (`config["kind"]` "cross-encoder", or "cascade" with its `first`, `band`, `blend`)."""
    save_trained(net, out, {"kind": "cross-encoder", **config})


def load_pairs_head(head_dir: str | Path, encoder: Encoder) -> MiniLMPairs | EmbeddingPairs | CascadePairs:
    """A trained pairs head folder (`config.json`, `head.safetensors`; a cross-encoder also one file per
    trained layer), of the kind its config names; a cascade's embedding head is the sibling folder its
    config names (`first`)."""
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
    second = MiniLMPairs(net, tokenizer, encoder, model_id=config["model_id"], threshold=float(config["threshold"]),
                         max_length=int(config.get("max_length", 128)))  # fmt: skip
    if config.get("kind") != "cascade":
        return second
    first = load_pairs_head(head_dir.parent / config["first"], encoder)
    if not isinstance(first, EmbeddingPairs):
        raise ModelUnavailable(f"{head_dir}: a cascade's first head must be an embedding head, not {config['first']}")
    band = (float(config["band"][0]), float(config["band"][1]))
    return CascadePairs(first, second, config["model_id"], band, float(config["blend"]), float(config["threshold"]))
