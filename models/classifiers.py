"""Adapters over Hugging Face sequence classifiers: sentiment, and stance as zero-shot NLI.

preprocess -> _forward -> postprocess, batched; labels are read from the checkpoint's config.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from newsprism.models.base import (
    SENTIMENT_LABELS,
    Encoder,
    SentimentInput,
    SentimentResult,
    StanceInput,
    StanceResult,
)


def _label_index(
    id2label: Mapping[int, str] | Mapping[str, str] | None, names: tuple[str, ...], fallback: tuple[str, ...]
) -> dict[str, int]:
    """Map our label names onto a checkpoint's output indices, by name prefix or by position."""
    by_index: dict[int | str, str] = {k: v for k, v in (id2label or {}).items()}
    found: dict[str, int] = {}
    for index, raw in by_index.items():
        label = str(raw).lower()
        for name in names:
            if label.startswith(name[:3]):
                found[name] = int(index)
    if len(found) >= min(len(by_index), len(names)) and found:
        return found
    if len(by_index) == len(fallback):  # LABEL_0.. checkpoints: the conventional order
        return {name: i for i, name in enumerate(fallback)}
    raise ValueError(f"cannot map labels {sorted(by_index.values())} onto {names}")


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class Classifier:
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    max_length: int = 256
    batch_size: int = 32

    def probabilities(self, texts: list[str], pairs: list[str] | None = None) -> np.ndarray:
        rows: list[np.ndarray] = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                stop = start + self.batch_size
                batch = self.tokenizer(
                    texts[start:stop],
                    pairs[start:stop] if pairs is not None else None,
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.model.device)
                logits = self.model(**batch).logits.float().cpu().numpy()
                rows.append(_softmax(logits))
        n_labels = int(self.model.config.num_labels or 0)
        return np.concatenate(rows) if rows else np.zeros((0, n_labels))


@dataclass
class SequenceClassifierSentiment:
    """Sentence sentiment from any sequence classifier with negative/neutral/positive-like labels.

    With a target, the sentence is paired with the target mention (text pair), so target-aware
    checkpoints see both; a 2-label checkpoint gets p(neutral) = 0.
    """

    model_id: str
    classifier: Classifier
    labels: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        config = self.classifier.model.config
        if not self.labels:
            self.labels = _label_index(config.id2label, SENTIMENT_LABELS, SENTIMENT_LABELS)

    def predict(self, items: list[SentimentInput]) -> list[SentimentResult]:
        texts = [item.sentence for item in items]
        has_target = any(item.target for item in items)
        pairs = [item.sentence[item.target[0] : item.target[1]] if item.target else "" for item in items]
        probs = self.classifier.probabilities(texts, pairs if has_target else None)
        results = []
        for row in probs:
            p = {name: float(row[self.labels[name]]) if name in self.labels else 0.0 for name in SENTIMENT_LABELS}
            label = max(p, key=p.__getitem__)
            results.append(SentimentResult(label=label, score=p["positive"] - p["negative"], probs=p))
        return results


@dataclass
class NLIStance:
    """Stance of an article toward a claim as zero-shot NLI over the article's sentences.

    The sentences most similar to the claim (by the shared encoder) are premises, the claim the
    hypothesis. Below `related_threshold` similarity the article is `unrelated`; otherwise entailment
    supports `agree`, contradiction `disagree`, and neither `discuss`. Thresholds are calibration
    parameters (set from a few dev examples).
    """

    model_id: str
    classifier: Classifier
    encoder: Encoder
    top_k: int = 3
    related_threshold: float = 0.35
    decision_threshold: float = 0.5
    labels: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = _label_index(
                self.classifier.model.config.id2label,
                ("entailment", "neutral", "contradiction"),
                ("entailment", "neutral", "contradiction"),
            )

    def calibrate(self, items: list[StanceInput], gold: list[str], score: Callable[[list[str], list[str]], float],
                  ) -> dict[str, float]:  # fmt: skip
        """Set the two thresholds from a few labelled dev examples (FNC-1 labels): a grid search for the best
        `score(gold, predicted)` (e.g. the FNC-1 relative score, `newsprism.models.metrics.fnc_score`) over the
        model's own outputs, computed once. Returns the chosen thresholds and their score."""
        evidence = self._evidence(items)
        best = (-1.0, self.related_threshold, self.decision_threshold)
        for related in np.linspace(0.0, 0.8, 17):
            for decision in np.linspace(0.3, 0.9, 13):
                pred = [self._decide(e, float(related), float(decision))[0] if e else "unrelated" for e in evidence]
                value = score(gold, pred)
                if value > best[0]:
                    best = (value, float(related), float(decision))
        _, self.related_threshold, self.decision_threshold = best
        return {
            "related_threshold": self.related_threshold,
            "decision_threshold": self.decision_threshold,
            "score": best[0],
        }

    def predict(self, items: list[StanceInput]) -> list[StanceResult]:
        results = []
        for e in self._evidence(items):
            if e is None:
                results.append(StanceResult(label="unrelated", score=1.0, probs={"unrelated": 1.0}))
                continue
            label, p = self._decide(e, self.related_threshold, self.decision_threshold)
            results.append(StanceResult(label=label, score=p[label], probs=p, evidence=e[0]))
        return results

    @staticmethod
    def _decide(
        evidence: tuple[int, float, float, float], related_threshold: float, decision_threshold: float
    ) -> tuple[str, dict[str, float]]:
        _, relatedness, p_agree, p_disagree = evidence
        p_related = float(np.clip((relatedness - related_threshold) * 4 + 0.5, 0.0, 1.0))
        p = {
            "agree": p_related * p_agree,
            "disagree": p_related * p_disagree,
            "discuss": p_related * max(0.0, 1.0 - p_agree - p_disagree),
            "unrelated": 1.0 - p_related,
        }
        if relatedness < related_threshold:
            return "unrelated", p
        if max(p_agree, p_disagree) >= decision_threshold:
            return ("agree" if p_agree >= p_disagree else "disagree"), p
        return "discuss", p

    def _evidence(self, items: list[StanceInput]) -> list[tuple[int, float, float, float] | None]:
        """Per item: (evidence sentence, relatedness, p(entailment), p(contradiction)), or None if empty."""
        premises: list[str] = []
        hypotheses: list[str] = []
        spans: list[tuple[list[int], float]] = []
        for item in items:
            if not item.sentences:
                spans.append(([], 0.0))
                continue
            claim_vec = self.encoder.encode([item.claim])[0]
            sims = self.encoder.encode(list(item.sentences)) @ claim_vec
            top = [int(i) for i in np.argsort(-sims)[: self.top_k]]
            spans.append((top, float(sims[top[0]])))
            premises.extend(item.sentences[i] for i in top)
            hypotheses.extend(item.claim for _ in top)
        probs = self.classifier.probabilities(premises, hypotheses)
        out: list[tuple[int, float, float, float] | None] = []
        offset = 0
        ent, con = self.labels["entailment"], self.labels["contradiction"]
        for top, relatedness in spans:
            rows = probs[offset : offset + len(top)]
            offset += len(top)
            if not top:
                out.append(None)
                continue
            best = int(np.argmax(np.maximum(rows[:, ent], rows[:, con])))
            out.append((top[best], relatedness, float(rows[best, ent]), float(rows[best, con])))
        return out
