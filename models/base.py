"""Plain, JSON-serialisable inputs and outputs shared by every model adapter (no Prefect, no SQL), the
protocols the adapters meet, and the one error a model that cannot be loaded raises. Light: no torch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: this module stays importable without numpy
    import numpy as np

SENTIMENT_LABELS = ("negative", "neutral", "positive")
STANCE_LABELS = ("agree", "disagree", "discuss", "unrelated")


@dataclass(frozen=True)
class SentimentInput:
    """A sentence, optionally with the character span [start, end) of the target it is about."""

    sentence: str
    target: tuple[int, int] | None = None


@dataclass(frozen=True)
class SentimentResult:
    label: str  # one of SENTIMENT_LABELS
    score: float  # p(positive) - p(negative), in [-1, 1]
    probs: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class StanceInput:
    """Stance of a document (given as its sentences) toward a claim (FNC-1: headline vs body)."""

    claim: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class StanceResult:
    label: str  # one of STANCE_LABELS
    score: float  # probability of `label`
    probs: dict[str, float] = field(default_factory=dict)
    evidence: int | None = None  # index into StanceInput.sentences of the best supporting sentence


@dataclass(frozen=True)
class Summary:
    text: str
    sentence_ids: tuple[int, ...] = ()  # indices of the input sentences used (extractive); empty if abstractive


class ModelUnavailable(RuntimeError):
    """A model cannot be loaded here; the message says how to get it."""


class Encoder(Protocol):
    model_id: str

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


class SentimentModel(Protocol):
    model_id: str

    def predict(self, items: list[SentimentInput]) -> list[SentimentResult]: ...


class StanceModel(Protocol):
    model_id: str

    def predict(self, items: list[StanceInput]) -> list[StanceResult]: ...


class Summariser(Protocol):
    model_id: str

    def summarise(self, documents: list[list[str]], max_sentences: int = 3) -> list[Summary]: ...


@dataclass(frozen=True)
class PairInput:
    """Two sentences (of different articles) that may make the same point."""

    a: str
    b: str


@dataclass(frozen=True)
class PairResult:
    same_point: bool
    score: float  # p(same point)


class PairsModel(Protocol):
    model_id: str

    def predict(self, items: Sequence[PairInput]) -> list[PairResult]: ...
