"""Model ids, profiles and the names of the trainable heads: data only, no torch, so the CLI's `--help` and
the flows' run forms can read them cheaply.

A profile names one model id per task; ids are versioned and written to every output row. A hub model id is
"<kind>:<Hugging Face id or local directory>", so the checkpoint is part of the id. Which code builds an id
is the registry's table (`newsprism.models.registry`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Literal, get_args

# encoders
ENCODER_MINILM = "encoder.minilm-l6-v2.v1"
ENCODER_TINY = "encoder.tiny-bert.v1"

# summarisers
EXTRACTIVE_SUMMARISER = "summarise.extractive-minilm.v1"
TINY_SUMMARISER = "summarise.tiny-bart.v1"
HUB_SUMMARISER = "summarise.hf-seq2seq.v1"

# sentiment
SENTIMENT_ENSEMBLE = "sentiment.minilm-newsmtsc.v2"  # two MiniLM fine-tunes (seed0/, seed1/), averaged
SENTIMENT_V1 = "sentiment.minilm-newsmtsc.v1"  # top 2 layers fine-tuned, one seed; stays loadable by its id
SHARED_SENTIMENT = "sentiment.minilm-shared.v1"  # one layer over the encoder's own token states
TINY_SENTIMENT = "sentiment.tiny-bert-cls.v1"
HUB_SENTIMENT = "sentiment.hf-classifier.v1"

# stance
FNC1_STANCE = "stance.minilm-fnc1.v2"  # v1 (retired) was trained on the old stance-only splitter and tokeniser
TINY_STANCE = "stance.tiny-bert-nli.v1"
HUB_STANCE = "stance.hf-nli.v1"

HUB_DEFAULTS = {
    "summariser": "sshleifer/distilbart-cnn-12-6",
    "sentiment": "cardiffnlp/twitter-roberta-base-sentiment-latest",
    "stance": "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli",
}

# the heads `newsprism train` and the train-heads flow fit, in the order they train them, and the id each writes
HeadName = Literal["stance", "sentiment", "sentiment-shared"]
HEAD_NAMES: tuple[HeadName, ...] = get_args(HeadName)
HEADS: dict[HeadName, str] = {"stance": FNC1_STANCE, "sentiment": SENTIMENT_ENSEMBLE,
                              "sentiment-shared": SHARED_SENTIMENT}  # fmt: skip


@dataclass(frozen=True)
class Profile:
    name: str
    encoder: str
    summariser: str
    sentiment: str
    stance: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


PROFILES: dict[str, Profile] = {
    "tiny": Profile(
        name="tiny",
        encoder=ENCODER_TINY,
        summariser=TINY_SUMMARISER,
        sentiment=TINY_SENTIMENT,
        stance=TINY_STANCE,
    ),
    "local": Profile(
        name="local",
        encoder=ENCODER_MINILM,
        summariser=EXTRACTIVE_SUMMARISER,
        sentiment=SENTIMENT_ENSEMBLE,
        stance=FNC1_STANCE,
    ),
}
# `local` with the sentiment head that shares the encoder's pass: far faster, less accurate (model cards)
PROFILES["local-fast"] = replace(PROFILES["local"], name="local-fast", sentiment=SHARED_SENTIMENT)
PROFILE_NAMES = [*PROFILES, "hub"]  # every name `resolve_profile` takes (hub: built from the checkpoints)


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}") from None


def hub_profile(summariser: str | None = None, sentiment: str | None = None, stance: str | None = None) -> Profile:
    """The `hub` profile: any Hugging Face id or local directory per task (defaults in HUB_DEFAULTS)."""
    return Profile(
        name="hub",
        encoder=ENCODER_MINILM,
        summariser=f"{HUB_SUMMARISER}:{summariser or HUB_DEFAULTS['summariser']}",
        sentiment=f"{HUB_SENTIMENT}:{sentiment or HUB_DEFAULTS['sentiment']}",
        stance=f"{HUB_STANCE}:{stance or HUB_DEFAULTS['stance']}",
    )


def resolve_profile(name: str, overrides: dict[str, str] | None = None) -> Profile:
    """A profile by name; for `hub`, `overrides` may name the checkpoint per task."""
    if name == "hub":
        return hub_profile(**(overrides or {}))
    if overrides:
        raise ValueError(f"model overrides only apply to the hub profile, not {name!r}")
    return get_profile(name)


def split_id(model_id: str) -> tuple[str, str]:
    """(kind, checkpoint reference) of a model id; the reference is empty except for hub ids."""
    kind, _, ref = model_id.partition(":")
    return kind, ref
