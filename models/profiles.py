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
# v3: lead prior and redundancy chosen by grouped cross-validation on NeuS train (models/heads/ card)
EXTRACTIVE_SUMMARISER = "summarise.extractive-minilm.v3"
EXTRACTIVE_SUMMARISER_V2 = "summarise.extractive-minilm.v2"  # stays loadable; v1 could open on a dangling sentence
TINY_SUMMARISER = "summarise.tiny-bart.v1"
HUB_SUMMARISER = "summarise.hf-seq2seq.v1"

# sentiment
SENTIMENT_ENSEMBLE = "sentiment.minilm-newsmtsc.v2"  # two MiniLM fine-tunes (seed0/, seed1/), averaged
SENTIMENT_V1 = "sentiment.minilm-newsmtsc.v1"  # top 2 layers fine-tuned, one seed; stays loadable by its id
# one layer over the encoder's own token states; v2: distilled from the ensemble (v1: gold labels only, retired)
SHARED_SENTIMENT = "sentiment.minilm-shared.v2"
TINY_SENTIMENT = "sentiment.tiny-bert-cls.v1"
HUB_SENTIMENT = "sentiment.hf-classifier.v1"

# stance
FNC1_STANCE = "stance.minilm-fnc1.v3"  # selected on topic-disjoint cross-validation (model card)
# v3's LightGBM stages + a MiniLM cross-encoder over claim and evidence for agree / disagree / discuss: trainable
# (`newsprism train --only stance-cross`), not shipped and in no profile: better than v3's recipe on held-out
# training topics (macro-F1 0.664 vs 0.650), worse on the topic-disjoint dev (0.618 vs 0.628; README)
FNC1_STANCE_CROSS = "stance.minilm-fnc1-cross.v4"
TINY_STANCE = "stance.tiny-bert-nli.v1"
HUB_STANCE = "stance.hf-nli.v1"

# retired ids -> their successor: building one is an error that names the successor
RETIRED = {
    "stance.minilm-fnc1.v1": FNC1_STANCE,  # trained on the old stance-only splitter and tokeniser
    "stance.minilm-fnc1.v2": FNC1_STANCE,  # chosen on a dev split that shared topics with training
    "sentiment.minilm-shared.v1": SHARED_SENTIMENT,  # gold labels only; v2 is distilled from the ensemble
}

# pairs: do two sentences of different articles make the same point
PAIRS_HEAD = "pairs.minilm-msrp.v1"  # MLP over the encoder's sentence vectors + pair features (MSRP)
# PAIRS_HEAD first, a fine-tuned MiniLM cross-encoder where it is unsure (models/pairs.py, CascadePairs): trainable
# (`newsprism train --only pairs-cascade`), not shipped and in no profile: more accurate on MSRP (CV 0.793 vs 0.721)
# but, MSRP's paraphrase being stricter than "carries the same point", it marked 93 % of BASIL's sentences
# exclusive (the embedding head: 68 %)
PAIRS_CASCADE = "pairs.minilm-msrp-cascade.v1"
TINY_PAIRS = "pairs.tiny-bert-cross.v1"
HUB_PAIRS = "pairs.hf-cross-encoder.v1"

# entity attitude: an article's attitude toward a target, from its mentioning sentences' sentiment (attitude.py)
ATTITUDE_CALIBRATED = "attitude.basil-calibrated.v1"  # rule fitted on BASIL for the ensemble's sentiment
ATTITUDE_RULE = "attitude.rule.v1"  # the same rule, documented defaults: every other sentiment model
ATTITUDE_CALIBRATIONS = {SENTIMENT_ENSEMBLE: ATTITUDE_CALIBRATED}  # sentiment id -> its calibration

# named entities: every profile's tagger (a CRF: small, fast, no torch; models/ner.py)
NER_CRF = "ner.crf-conll.v1"

HUB_DEFAULTS = {
    "summariser": "sshleifer/distilbart-cnn-12-6",
    "sentiment": "cardiffnlp/twitter-roberta-base-sentiment-latest",
    "stance": "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli",
    "pairs": "textattack/bert-base-uncased-MRPC",  # BERT-base fine-tuned on MRPC (MSRP's train split)
}

# the heads `newsprism train` and the train-heads flow fit, in the order they train them, and the id each writes
HeadName = Literal[
    "stance", "stance-cross", "sentiment", "sentiment-shared", "pairs", "pairs-cascade", "attitude", "ner"
]
HEAD_NAMES: tuple[HeadName, ...] = get_args(HeadName)
HEADS: dict[HeadName, str] = {"stance": FNC1_STANCE, "stance-cross": FNC1_STANCE_CROSS,
                              "sentiment": SENTIMENT_ENSEMBLE,
                              "sentiment-shared": SHARED_SENTIMENT, "pairs": PAIRS_HEAD,
                              "pairs-cascade": PAIRS_CASCADE, "attitude": ATTITUDE_CALIBRATED,
                              "ner": NER_CRF}  # fmt: skip


@dataclass(frozen=True)
class Profile:
    name: str
    encoder: str
    summariser: str
    sentiment: str
    stance: str
    pairs: str  # the "same point" decision of alignment

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


PROFILES: dict[str, Profile] = {
    "tiny": Profile(
        name="tiny",
        encoder=ENCODER_TINY,
        summariser=TINY_SUMMARISER,
        sentiment=TINY_SENTIMENT,
        stance=TINY_STANCE,
        pairs=TINY_PAIRS,
    ),
    "local": Profile(
        name="local",
        encoder=ENCODER_MINILM,
        summariser=EXTRACTIVE_SUMMARISER,
        sentiment=SENTIMENT_ENSEMBLE,
        stance=FNC1_STANCE,
        pairs=PAIRS_HEAD,
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


def hub_profile(summariser: str | None = None, sentiment: str | None = None, stance: str | None = None,
                pairs: str | None = None) -> Profile:  # fmt: skip
    """The `hub` profile: any Hugging Face id or local directory per task (defaults in HUB_DEFAULTS)."""
    return Profile(
        name="hub",
        encoder=ENCODER_MINILM,
        summariser=f"{HUB_SUMMARISER}:{summariser or HUB_DEFAULTS['summariser']}",
        sentiment=f"{HUB_SENTIMENT}:{sentiment or HUB_DEFAULTS['sentiment']}",
        stance=f"{HUB_STANCE}:{stance or HUB_DEFAULTS['stance']}",
        pairs=f"{HUB_PAIRS}:{pairs or HUB_DEFAULTS['pairs']}",
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
