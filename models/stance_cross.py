"""Stance v4, trainable and in no profile (it scored below v3 on the topic-disjoint dev; README): v3's LightGBM
stages decide related vs unrelated, and a fine-tuned MiniLM cross-encoder reads the claim beside its evidence
to tell agree / disagree / discuss.

    load_cross_stance(HEADS_DIR / "stance.minilm-fnc1-cross.v4", encoder).predict(
        [StanceInput("Apple buys Tesla", ("Apple denied the report.",))])

The cross-encoder's input is "[CLS] claim [SEP] evidence [SEP]", the evidence being the EVIDENCE_SENTENCES
body sentences nearest to the claim (the shared encoder's cosine, which the LightGBM features computed
already), in body order. Its three probabilities are blended with the LightGBM second stage's
(`blend`: the cross-encoder's weight), multiplied by p(related), and rescaled per class; `blend`, the
factors and the epoch are chosen on held-out training topics (the model card). Only the trained layers
and the classifier are stored (fp16; models/split_minilm.py). Inference, save and load only: the trainer
is in `newsprism.models.trainers`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import BertModel, PreTrainedTokenizerBase

from newsprism.models.base import STANCE_LABELS, Encoder, ModelUnavailable, StanceInput, StanceResult
from newsprism.models.features import MAX_SENTENCES
from newsprism.models.pretrained import TRAIN_HINT, load_minilm
from newsprism.models.split_minilm import SplitMiniLM, load_trained
from newsprism.models.stance_fnc1 import MiniLMStance, load_stance_head, rescale, stance_matrix, stance_results

RELATED = STANCE_LABELS[:3]  # the cross-encoder's classes, in STANCE_LABELS order (agree, disagree, discuss)
EVIDENCE_SENTENCES = 4  # body sentences nearest to the claim that the cross-encoder reads


class StanceNet(SplitMiniLM):
    """MiniLM over "[CLS] claim [SEP] evidence [SEP]" + one linear layer over [CLS state, mean of all tokens]
    to agree / disagree / discuss; the bottom `n_frozen` layers stay pretrained."""

    def __init__(self, encoder: BertModel, n_frozen: int = 3, dropout: float = 0.1):
        super().__init__(encoder, n_frozen)
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(dropout)
        self.classifier = torch.nn.Linear(2 * hidden, len(RELATED))

    def upper(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits (n, 3)."""
        hidden = self.upper_states(hidden, attention_mask)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.classifier(self.dropout(torch.cat([hidden[:, 0], mean], dim=-1)))


def evidence_text(sentences: Sequence[str], sims: np.ndarray, k: int = EVIDENCE_SENTENCES) -> str:
    """The `k` sentences with the highest cosine to the claim (`sims`, one per sentence), in body order."""
    top = sorted(int(i) for i in np.argsort(-np.asarray(sims), kind="stable")[:k])
    return " ".join(sentences[i] for i in top)


def claim_sims(items: Sequence[StanceInput], encoder: Encoder) -> list[np.ndarray]:
    """Per item, the cosine of each of its first MAX_SENTENCES sentences to its claim (memoised vectors)."""
    out = []
    for it in items:
        sentences = list(it.sentences)[:MAX_SENTENCES]
        if not sentences:
            out.append(np.zeros(0, dtype=np.float32))
            continue
        vecs = encoder.encode([it.claim, *sentences])
        out.append(vecs[1:] @ vecs[0])
    return out


def stance_pair_batch(tokenizer: PreTrainedTokenizerBase, claims: Sequence[str], evidence: Sequence[str],
                      max_length: int) -> dict[str, torch.Tensor]:  # fmt: skip
    """Claim and evidence as one pair; only the evidence is cut when the pair is longer than `max_length`."""
    return dict(tokenizer(list(claims), list(evidence), padding=True, truncation="only_second",
                          max_length=max_length, return_tensors="pt"))  # fmt: skip


@torch.inference_mode()
def cross_probs(net: StanceNet, tokenizer: PreTrainedTokenizerBase, claims: Sequence[str], evidence: Sequence[str],
                max_length: int, batch_size: int = 32) -> np.ndarray:  # fmt: skip
    """(n, 3) probabilities of agree / disagree / discuss, batches of similar length."""
    out = np.zeros((len(claims), len(RELATED)), dtype=np.float64)
    order = sorted(range(len(claims)), key=lambda i: len(claims[i]) + len(evidence[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch = stance_pair_batch(tokenizer, [claims[i] for i in idx], [evidence[i] for i in idx], max_length)
        hidden = net.lower(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
        out[idx] = torch.softmax(net.upper(hidden, batch["attention_mask"]).float(), dim=-1).numpy()
    return out


def combine(p_related: np.ndarray, p_lgb: np.ndarray, p_cross: np.ndarray, blend: float,
            scale: Sequence[float] | None) -> np.ndarray:  # fmt: skip
    """(n, 4) in STANCE_LABELS order: p(related) x the blended class probabilities, then unrelated; rescaled
    per class by `scale` when given."""
    p_cls = blend * p_cross + (1.0 - blend) * p_lgb
    probs = np.column_stack([p_cls * p_related[:, None], 1.0 - p_related])
    return probs if scale is None else rescale(probs, scale)


class CrossStance:
    """Stance of a document toward a claim (FNC-1 labels), with the index of the evidence sentence: v3's
    LightGBM head for related vs unrelated and its evidence sentence per label, the cross-encoder for which
    of the related labels. The cross-encoder runs only on pairs whose p(related) reaches `min_related`."""

    def __init__(self, first: MiniLMStance, net: StanceNet, tokenizer: PreTrainedTokenizerBase, model_id: str,
                 blend: float, scale: Sequence[float], max_length: int = 160, min_related: float = 0.05):  # fmt: skip
        self.first = first
        self.net = net.eval()
        self.tokenizer = tokenizer
        self.encoder = first.encoder
        self.model_id = model_id
        self.blend = blend
        self.scale = tuple(float(v) for v in scale)
        self.max_length = max_length
        self.min_related = min_related

    def predict_proba(self, items: Sequence[StanceInput]) -> tuple[np.ndarray, list[dict[str, int] | None]]:
        X, evidence = stance_matrix(items, self.encoder.encode, self.first.idf)
        if not len(items):
            return np.zeros((0, len(STANCE_LABELS))), evidence
        boosters = self.first.boosters
        p_related = np.asarray(boosters["related"].predict(X[:, : boosters["related"].num_feature()]))
        p_lgb = np.asarray(boosters["related_class"].predict(X[:, : boosters["related_class"].num_feature()]))
        p_cross = p_lgb.copy()
        ask = [i for i, p in enumerate(p_related) if p >= self.min_related and items[i].sentences]
        if ask:
            sims = claim_sims([items[i] for i in ask], self.encoder)
            texts = [evidence_text(items[i].sentences[:MAX_SENTENCES], s) for i, s in zip(ask, sims, strict=True)]
            p_cross[ask] = cross_probs(self.net, self.tokenizer, [items[i].claim for i in ask], texts,
                                       self.max_length)  # fmt: skip
        return combine(p_related, p_lgb, p_cross, self.blend, self.scale), evidence

    def predict(self, items: list[StanceInput]) -> list[StanceResult]:
        return stance_results(*self.predict_proba(items))


def build_stance_net(n_frozen: int = 3) -> tuple[StanceNet, PreTrainedTokenizerBase]:
    """The untrained network on the pretrained MiniLM (training, and loading before the stored weights)."""
    encoder, tokenizer = load_minilm()
    return StanceNet(encoder, n_frozen=n_frozen), tokenizer


def load_cross_stance(head_dir: str | Path, encoder: Encoder) -> CrossStance:
    """A v4 head folder (trained layers, classifier, config); its LightGBM first stage is the sibling folder
    its config names (`first`)."""
    head_dir = Path(head_dir)
    config_file = head_dir / "config.json"
    if not config_file.is_file():
        raise ModelUnavailable(f"stance head not found in {head_dir} (config.json): {TRAIN_HINT}")
    config = json.loads(config_file.read_text())
    first = load_stance_head(head_dir.parent / config["first"], encoder)
    net, tokenizer = build_stance_net(int(config["n_frozen"]))
    load_trained(net, head_dir, "stance head")
    return CrossStance(first, net, tokenizer, config["model_id"], float(config["blend"]), config["scale"],
                       int(config["max_length"]), float(config.get("min_related", 0.05)))  # fmt: skip


def load_stance(head_dir: str | Path, encoder: Encoder) -> MiniLMStance | CrossStance:
    """Any stance head folder, by the kind its config names (v4's "cross", else v3's LightGBM head)."""
    config_file = Path(head_dir) / "config.json"
    kind = json.loads(config_file.read_text()).get("kind") if config_file.is_file() else None
    return load_cross_stance(head_dir, encoder) if kind == "cross" else load_stance_head(head_dir, encoder)
