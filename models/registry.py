"""The one cached factory every model instance comes from: a table of model id -> builder.

A builder gets (model id, checkpoint reference, encoder): the encoder the caller pairs the model with is
passed in, no builder fetches one itself. `get_*` are memoised on the ids, so a process loads each model
once. Ids and profiles are data (`newsprism.models.profiles`, re-exported here).

Token states: a head that reads the shared encoder's token states (local-fast's `sentiment.minilm-shared.v2`
reads MiniLM's after layer 5) needs them from the encoder's first pass over a sentence (alignment's), so
that it runs no pass of its own. An encoder therefore keeps, from when it is built, the states that a head
paired with it in `PROFILES` reads (`kept_layer`): it follows from the profiles' model ids, whichever task,
process or order builds the models, and nothing changes it at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from transformers import AutoModelForSeq2SeqLM, AutoModelForSequenceClassification, AutoTokenizer

from newsprism.models import HEADS_DIR, tiny
from newsprism.models.base import ModelUnavailable, PairsModel, SentimentModel, StanceModel, Summariser
from newsprism.models.classifiers import Classifier, NLIStance, SequenceClassifierSentiment
from newsprism.models.encoder import TransformerEncoder
from newsprism.models.pairs import CrossEncoderPairs, load_pairs_head
from newsprism.models.pretrained import device, load_minilm
from newsprism.models.profiles import (
    ENCODER_MINILM,
    ENCODER_TINY,
    EXTRACTIVE_SUMMARISER,
    EXTRACTIVE_SUMMARISER_V2,
    FNC1_STANCE,
    FNC1_STANCE_CROSS,
    HUB_PAIRS,
    HUB_SENTIMENT,
    HUB_STANCE,
    HUB_SUMMARISER,
    PAIRS_CASCADE,
    PAIRS_HEAD,
    PROFILE_NAMES,
    PROFILES,
    RETIRED,
    SENTIMENT_ENSEMBLE,
    SENTIMENT_V1,
    SHARED_SENTIMENT,
    TINY_PAIRS,
    TINY_SENTIMENT,
    TINY_STANCE,
    TINY_SUMMARISER,
    Profile,
    get_profile,
    hub_profile,
    resolve_profile,
    split_id,
)
from newsprism.models.sentiment_newsmtsc import load_sentiment_head
from newsprism.models.sentiment_shared import SHARED_LAYER, load_shared_sentiment
from newsprism.models.stance_cross import load_cross_stance
from newsprism.models.stance_fnc1 import load_stance_head
from newsprism.models.summarise import EXTRACTIVE_V3, ExtractiveSummariser, Seq2SeqSummariser

__all__ = [
    "ENCODERS", "PAIRS", "PROFILES", "PROFILE_NAMES", "SENTIMENT", "STANCE", "SUMMARISERS", "ModelUnavailable",
    "Profile", "build_encoder", "get_encoder", "get_pairs", "get_profile", "get_sentiment", "get_stance",
    "get_summariser", "hub_profile", "kept_layer", "resolve_profile",
]  # fmt: skip

M = TypeVar("M")


@dataclass(frozen=True)
class Entry(Generic[M]):
    """How to build one kind of model: `build(model id, checkpoint reference, encoder)`."""

    build: Callable[[str, str, TransformerEncoder], M]
    reads_states: int | None = None  # the encoder's token states after this many layers, which the model reads


# --- encoders ----------------------------------------------------------------------------------------------


def _minilm_encoder(encoder_id: str, keep_layer: int | None) -> TransformerEncoder:
    model, tokenizer = load_minilm()
    model.to(device())  # type: ignore[arg-type]  # transformers wraps `to` in functools.wraps: mypy binds no self
    return TransformerEncoder(encoder_id, model, tokenizer, max_length=256, keep_layer=keep_layer)


def _tiny_encoder(encoder_id: str, keep_layer: int | None) -> TransformerEncoder:
    return TransformerEncoder(encoder_id, tiny.build_encoder(), tiny.build_tokenizer(), max_length=128,
                              keep_layer=keep_layer)  # fmt: skip


ENCODERS: dict[str, Callable[[str, int | None], TransformerEncoder]] = {
    ENCODER_MINILM: _minilm_encoder,
    ENCODER_TINY: _tiny_encoder,
}


def _tiny_classifier(*labels: str) -> Classifier:
    return Classifier(tiny.build_classifier(list(labels)), tiny.build_tokenizer(), max_length=128)


def _tiny_seq2seq(model_id: str, ref: str, encoder: TransformerEncoder) -> Seq2SeqSummariser:
    return Seq2SeqSummariser(model_id, tiny.build_seq2seq(), tiny.build_tokenizer(), max_input_tokens=128,
                             max_new_tokens=16, max_chunks=1)  # fmt: skip


# --- hub checkpoints ---------------------------------------------------------------------------------------


def _from_pretrained(loader: Any, ref: str) -> Any:
    """Load a checkpoint by hub id or local path; a missing one is a clear, actionable error."""
    try:
        return loader.from_pretrained(ref)
    except OSError as exc:
        raise ModelUnavailable(
            f"cannot load {ref!r}: {exc.__class__.__name__}. Without model-hub access, download it where "
            f"the hub is reachable (`hf download {ref} --local-dir DIR`) and pass DIR instead of the id."
        ) from exc


def _hub_classifier(ref: str) -> Classifier:
    model = _from_pretrained(AutoModelForSequenceClassification, ref).to(device()).eval()
    return Classifier(model, _from_pretrained(AutoTokenizer, ref))


def _hub_seq2seq(model_id: str, ref: str, encoder: TransformerEncoder) -> Seq2SeqSummariser:
    model = _from_pretrained(AutoModelForSeq2SeqLM, ref).to(device()).eval()
    tokenizer = _from_pretrained(AutoTokenizer, ref)
    limit = min(int(getattr(tokenizer, "model_max_length", 1024) or 1024), 1024)
    return Seq2SeqSummariser(model_id, model, tokenizer, max_input_tokens=limit)


# --- the table: model kind (the id before any ":<checkpoint>") -> builder -----------------------------------

SUMMARISERS: dict[str, Entry[Summariser]] = {
    EXTRACTIVE_SUMMARISER: Entry(lambda model_id, ref, enc: ExtractiveSummariser(model_id, enc, **EXTRACTIVE_V3)),
    EXTRACTIVE_SUMMARISER_V2: Entry(lambda model_id, ref, encoder: ExtractiveSummariser(model_id, encoder)),
    TINY_SUMMARISER: Entry(_tiny_seq2seq),
    HUB_SUMMARISER: Entry(_hub_seq2seq),
}  # fmt: skip

SENTIMENT: dict[str, Entry[SentimentModel]] = {
    SENTIMENT_ENSEMBLE: Entry(lambda model_id, ref, encoder: load_sentiment_head(HEADS_DIR / model_id)),
    SENTIMENT_V1: Entry(lambda model_id, ref, encoder: load_sentiment_head(HEADS_DIR / model_id)),
    SHARED_SENTIMENT: Entry(lambda model_id, ref, encoder: load_shared_sentiment(HEADS_DIR / model_id, encoder),
                            reads_states=SHARED_LAYER),
    TINY_SENTIMENT: Entry(lambda model_id, ref, encoder: SequenceClassifierSentiment(
        model_id, _tiny_classifier("negative", "neutral", "positive"))),
    HUB_SENTIMENT: Entry(lambda model_id, ref, encoder: SequenceClassifierSentiment(model_id, _hub_classifier(ref))),
}  # fmt: skip

STANCE: dict[str, Entry[StanceModel]] = {
    FNC1_STANCE: Entry(lambda model_id, ref, encoder: load_stance_head(HEADS_DIR / model_id, encoder)),
    FNC1_STANCE_CROSS: Entry(lambda model_id, ref, encoder: load_cross_stance(HEADS_DIR / model_id, encoder)),
    TINY_STANCE: Entry(lambda model_id, ref, encoder: NLIStance(
        model_id, _tiny_classifier("entailment", "neutral", "contradiction"), encoder, related_threshold=0.0)),
    HUB_STANCE: Entry(lambda model_id, ref, encoder: NLIStance(model_id, _hub_classifier(ref), encoder)),
}  # fmt: skip


PAIRS: dict[str, Entry[PairsModel]] = {
    PAIRS_HEAD: Entry(lambda model_id, ref, encoder: load_pairs_head(HEADS_DIR / model_id, encoder)),
    PAIRS_CASCADE: Entry(lambda model_id, ref, encoder: load_pairs_head(HEADS_DIR / model_id, encoder)),
    TINY_PAIRS: Entry(lambda model_id, ref, encoder: CrossEncoderPairs(
        model_id, Classifier(tiny.build_cross_encoder(), tiny.build_tokenizer(), max_length=128))),
    HUB_PAIRS: Entry(lambda model_id, ref, encoder: CrossEncoderPairs(model_id, _hub_classifier(ref))),
}  # fmt: skip


def kept_layer(encoder_id: str) -> int | None:
    """After how many layers `encoder_id` keeps token states: the layer a model paired with it in a profile
    reads (None: it keeps none)."""
    layers = set()
    for profile in PROFILES.values():
        if profile.encoder != encoder_id:
            continue
        for model_id in (profile.summariser, profile.sentiment, profile.stance, profile.pairs):
            kind = split_id(model_id)[0]
            entry = SUMMARISERS.get(kind) or SENTIMENT.get(kind) or STANCE.get(kind) or PAIRS.get(kind)
            if entry is not None and entry.reads_states is not None:
                layers.add(entry.reads_states)
    if len(layers) > 1:
        raise ValueError(f"models paired with {encoder_id} read its token states after different layers: {layers}")
    return layers.pop() if layers else None


def build_encoder(encoder_id: str) -> TransformerEncoder:
    """A new instance of the encoder `encoder_id` (keeping the token states of `kept_layer`)."""
    try:
        build = ENCODERS[encoder_id]
    except KeyError:
        raise ModelUnavailable(f"unknown encoder id {encoder_id!r}") from None
    return build(encoder_id, kept_layer(encoder_id))


@cache
def get_encoder(encoder_id: str) -> TransformerEncoder:
    """The sentence encoder for `encoder_id`, loaded once per process."""
    return build_encoder(encoder_id)


def _build(table: dict[str, Entry[M]], task: str, model_id: str, encoder_id: str) -> M:
    kind, ref = split_id(model_id)
    if kind in RETIRED:
        raise ModelUnavailable(f"the {task} id {model_id!r} is retired: use its successor {RETIRED[kind]!r}")
    entry = table.get(kind)
    if entry is None:
        raise ModelUnavailable(f"unknown {task} id {model_id!r}")
    return entry.build(model_id, ref, get_encoder(encoder_id))


@cache
def get_summariser(model_id: str, encoder_id: str) -> Summariser:
    return _build(SUMMARISERS, "summariser", model_id, encoder_id)


@cache
def get_sentiment(model_id: str, encoder_id: str) -> SentimentModel:
    return _build(SENTIMENT, "sentiment", model_id, encoder_id)


@cache
def get_stance(model_id: str, encoder_id: str) -> StanceModel:
    return _build(STANCE, "stance", model_id, encoder_id)


@cache
def get_pairs(model_id: str, encoder_id: str) -> PairsModel:
    """The "same point" decision `model_id` (paired with the encoder `encoder_id`), loaded once per process."""
    return _build(PAIRS, "pairs", model_id, encoder_id)
