"""Tiny, randomly initialised transformers for tests and CPU smoke runs.

Built from a config and a locally built character-level WordPiece tokenizer: deterministic (fixed seed),
a fraction of a second to build, nothing downloaded and nothing committed. They exercise the same code
paths as real checkpoints: encoder forward, sequence classification, and seq2seq `generate()`.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    BertConfig,
    BertForSequenceClassification,
    BertModel,
    DebertaV2Config,
    DebertaV2ForSequenceClassification,
    PreTrainedModel,
    PreTrainedTokenizerFast,
    RobertaConfig,
    RobertaForSequenceClassification,
)

SEED = 1234
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _vocab() -> list[str]:
    chars = [c for c in string.ascii_lowercase + string.digits + string.punctuation]
    return SPECIALS + chars + ["##" + c for c in chars]


@lru_cache(maxsize=1)
def build_tokenizer() -> PreTrainedTokenizerFast:
    """Character-level WordPiece with BERT-style [CLS] ... [SEP] framing, built from the tokenizers library."""
    vocab = {tok: i for i, tok in enumerate(_vocab())}
    backend = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.decoder = decoders.WordPiece()
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_input_names=["input_ids", "attention_mask"],
        model_max_length=512,
    )


def _bert_config(**extra) -> BertConfig:
    return BertConfig(
        vocab_size=len(_vocab()),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        **extra,
    )


def build_encoder() -> BertModel:
    torch.manual_seed(SEED)
    return BertModel(_bert_config()).eval()


def build_classifier(labels: list[str]) -> BertForSequenceClassification:
    torch.manual_seed(SEED)
    config = _bert_config(
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    return BertForSequenceClassification(config).eval()


def build_cross_encoder() -> BertForSequenceClassification:
    """A sequence-pair classifier of the hub default's architecture (BERT, labels LABEL_0 / LABEL_1 where
    LABEL_1 means a paraphrase): the `tiny` profile's same-point decision."""
    return build_classifier(["LABEL_0", "LABEL_1"])


def build_seq2seq() -> BartForConditionalGeneration:
    torch.manual_seed(SEED)
    tok = build_tokenizer()
    config = BartConfig(
        vocab_size=len(_vocab()),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=512,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        decoder_start_token_id=tok.cls_token_id,
        forced_eos_token_id=tok.sep_token_id,
    )
    model = BartForConditionalGeneration(config).eval()
    model.generation_config.min_length = 5
    model.generation_config.num_beams = 1
    # A random decoder would otherwise emit [CLS]/[PAD] forever: keep it on real characters.
    model.generation_config.suppress_tokens = [tok.pad_token_id, tok.unk_token_id, tok.cls_token_id, tok.mask_token_id]
    model.generation_config.no_repeat_ngram_size = 2
    return model


def build_hub_like(kind: str) -> PreTrainedModel:
    """Tiny random checkpoints of the hub defaults' architectures: BART (summaries), RoBERTa (sentiment),
    DeBERTa-v2 (NLI stance), BERT (pair classifier)."""
    torch.manual_seed(SEED)
    size: dict[str, Any] = {
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
    }
    if kind == "seq2seq":
        return build_seq2seq()
    if kind == "sentiment":
        labels = {0: "negative", 1: "neutral", 2: "positive"}
        roberta = RobertaConfig(
            vocab_size=len(_vocab()),
            max_position_embeddings=514,
            pad_token_id=0,
            id2label=labels,
            label2id={v: k for k, v in labels.items()},
            **size,
        )
        return RobertaForSequenceClassification(roberta).eval()
    if kind == "pairs":
        return build_cross_encoder()
    if kind == "nli":
        labels = {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}
        deberta = DebertaV2Config(
            vocab_size=len(_vocab()),
            max_position_embeddings=512,
            pad_token_id=0,
            id2label=labels,
            label2id={v: k for k, v in labels.items()},
            **size,
        )
        return DebertaV2ForSequenceClassification(deberta).eval()
    raise ValueError(f"unknown kind {kind!r}")


def save_hub_like(target: Path) -> dict[str, Path]:
    """Save the tiny hub-like checkpoints in Hugging Face layout (tests the `hub` path offline)."""
    paths = {}
    for kind in ("seq2seq", "sentiment", "nli", "pairs"):
        path = target / kind
        build_hub_like(kind).save_pretrained(path)
        build_tokenizer().save_pretrained(path)
        paths[kind] = path
    return paths
