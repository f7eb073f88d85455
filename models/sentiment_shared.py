"""The `local-fast` profile's sentiment head family: one layer over the shared encoder's own pass.

Toward a target: a trained copy of MiniLM's top layer over the token states the shared encoder kept after
its bottom `SHARED_LAYER` layers, run for the target's tokens only. Whole sentence (`target=None`): a linear
layer over the encoder's sentence vector, which alignment and summaries have already computed. Inference,
save and load only: the trainer is in `newsprism.models.trainers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import BertModel, PreTrainedTokenizerBase
from transformers.models.bert.modeling_bert import BertLayer

from newsprism.models.base import SENTIMENT_LABELS, ModelUnavailable, SentimentInput, SentimentResult
from newsprism.models.encoder import TransformerEncoder
from newsprism.models.pretrained import TRAIN_HINT, load_minilm
from newsprism.models.profiles import ENCODER_MINILM, SHARED_SENTIMENT
from newsprism.models.sentiment_newsmtsc import (
    SentimentNet,
    load_trained_state,
    pad_states,
    read_config,
    save_sentiment_head,
    sentiment_results,
)

SHARED_LAYER = 5  # the head reads the encoder's token states after this many of MiniLM's 6 layers
KIND = "shared-trunk"  # the `kind` in a shared-trunk head's config.json


class SharedTrunkNet(SentimentNet):
    """MiniLM's top layer (a trained copy) over the shared encoder's token states after its other layers,
    run for the target's tokens only; a linear layer over [the encoder's sentence vector, mean of the
    target's outputs].

    The input is the plain sentence, exactly as the encoder ran it: the target is marked by a learned vector
    added to its tokens' states. Keys and values come from every token, queries (and the feed-forward part)
    only from the target's tokens, so a target costs about a sixth of one layer, and the target's outputs
    are exactly what the full layer would give them.
    """

    def __init__(self, encoder: BertModel, n_frozen: int, dropout: float = 0.1):
        super().__init__(encoder, n_frozen=n_frozen, dropout=dropout)
        if n_frozen != len(encoder.encoder.layer) - 1:
            raise ValueError("a shared-trunk head trains exactly the top layer")
        self.target = torch.nn.Parameter(torch.zeros(int(encoder.config.hidden_size)))

    def over_states(self, hidden: torch.Tensor, attention_mask: torch.Tensor, mention_mask: torch.Tensor,
                    sentence: torch.Tensor) -> torch.Tensor:  # fmt: skip
        """Logits from padded states (n, L, d), their attention and mention masks (n, L) and the encoder's
        unit-length sentence vectors (n, d). A row with no mention token (cut by truncation) uses [CLS]."""
        x = hidden + mention_mask.unsqueeze(-1).to(hidden.dtype) * self.target
        queries = mention_mask.clone()
        queries[~queries.any(1), 0] = True
        m = int(queries.sum(1).max())
        positions = torch.argsort((~queries).to(torch.int8), dim=1, stable=True)[:, :m]  # query tokens first
        valid = torch.gather(queries, 1, positions)
        xq = torch.gather(x, 1, positions.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        layer = cast(BertLayer, self.encoder.encoder.layer[-1])
        att = layer.attention.self
        n, length, d = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(n, -1, att.num_attention_heads, att.attention_head_size).transpose(1, 2)

        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        weights = torch.softmax(heads(att.query(xq)) @ heads(att.key(x)).transpose(-1, -2) * att.scaling + bias, -1)
        weights = torch.nn.functional.dropout(weights, att.dropout.p, self.training)
        context = (weights @ heads(att.value(x))).transpose(1, 2).reshape(n, m, d)
        attended = layer.attention.output(context, xq)
        out = layer.output(layer.intermediate(attended), attended)
        w = valid.unsqueeze(-1).to(out.dtype)
        target = (out * w).sum(1) / w.sum(1)
        scale = float(d) ** 0.5  # the sentence vector is unit-length, the layer's outputs are not
        logits: torch.Tensor = self.classifier(self.dropout(torch.cat([sentence * scale, target], dim=-1)))
        return logits


def build_shared_net(n_frozen: int = SHARED_LAYER) -> tuple[SharedTrunkNet, PreTrainedTokenizerBase]:
    """The untrained network on the pretrained MiniLM (used by training and, with weights, by loading)."""
    encoder, tokenizer = load_minilm()
    return SharedTrunkNet(encoder, n_frozen=n_frozen), tokenizer


def mention_tokens(offsets: torch.Tensor, span: tuple[int, int]) -> torch.Tensor:
    """Which tokens (by their character spans; special tokens are (0, 0)) overlap the character span."""
    start, end = offsets[:, 0], offsets[:, 1]
    return (end > start) & (start < span[1]) & (end > span[0])


class SharedTrunkSentiment:
    """Sentiment that reuses the shared encoder's pass instead of running a model of its own.

    Toward a target: the trained top layer over the encoder's kept token states, for the target's tokens
    only (`SharedTrunkNet`). Whole sentence (`target=None`): a linear layer over the encoder's sentence vector,
    which alignment and summaries have already computed.
    """

    def __init__(self, net: SharedTrunkNet, sentence_weight: torch.Tensor, sentence_bias: torch.Tensor,
                 encoder: TransformerEncoder, batch_size: int = 64, model_id: str = SHARED_SENTIMENT):  # fmt: skip
        self.net = net.eval()
        self.sentence_weight = sentence_weight.float()
        self.sentence_bias = sentence_bias.float()
        self.encoder = encoder
        self.batch_size = batch_size
        self.model_id = model_id

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[SentimentInput]) -> np.ndarray:
        out = np.zeros((len(items), len(SENTIMENT_LABELS)), dtype=np.float32)
        whole = [i for i, it in enumerate(items) if it.target is None]
        if whole:
            vectors = torch.from_numpy(self.encoder.encode([items[i].sentence for i in whole]))
            out[whole] = torch.softmax(vectors @ self.sentence_weight.T + self.sentence_bias, dim=-1).numpy()
        spans = {i: it.target for i, it in enumerate(items) if it.target is not None}
        targeted = list(spans)
        sentences = [items[i].sentence for i in targeted]
        states = self.encoder.token_states(sentences, self.net.n_frozen)
        by_item = dict(zip(targeted, torch.from_numpy(self.encoder.encode(sentences)), strict=True))
        rows = {i: (h, mention_tokens(off, spans[i])) for i, (h, off) in zip(targeted, states, strict=True)}
        order = sorted(targeted, key=lambda i: rows[i][0].shape[0])
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            logits = self.net.over_states(*pad_states([rows[i] for i in idx]), torch.stack([by_item[i] for i in idx]))
            out[idx] = torch.softmax(logits.float(), dim=-1).numpy()
        return out

    def predict(self, items: list[SentimentInput]) -> list[SentimentResult]:
        return sentiment_results(self.predict_proba(items))


def save_shared_sentiment(net: SharedTrunkNet, sentence_weight: torch.Tensor, sentence_bias: torch.Tensor,
                          out: Path, config: dict[str, Any]) -> None:  # fmt: skip
    """The trained layers and head (as `save_sentiment_head`) + `sentence.safetensors` + config."""
    save_sentiment_head(net, out, {**config, "kind": KIND, "n_frozen": net.n_frozen})
    save_file(
        {"weight": sentence_weight.float().contiguous(), "bias": sentence_bias.float().contiguous()},
        str(out / "sentence.safetensors"),
    )


def is_shared_trunk(head_dir: Path) -> bool:
    """Whether a sentiment head folder holds a shared-trunk head (else a fine-tune or an ensemble)."""
    return read_config(head_dir).get("kind") == KIND


def load_shared_sentiment(head_dir: str | Path, encoder: TransformerEncoder) -> SharedTrunkSentiment:
    """A shared-trunk head folder over `encoder`, which must be the MiniLM encoder it was trained on."""
    head_dir = Path(head_dir)
    if encoder.model_id != ENCODER_MINILM:
        raise ModelUnavailable(f"the shared-trunk head in {head_dir} runs over {ENCODER_MINILM}, "
                               f"not {encoder.model_id}")  # fmt: skip
    if not is_shared_trunk(head_dir):
        raise ModelUnavailable(f"{head_dir} does not hold a {KIND} sentiment head: {TRAIN_HINT}")
    config = read_config(head_dir)
    if not (head_dir / "sentence.safetensors").is_file():
        raise ModelUnavailable(f"sentiment head in {head_dir} lacks sentence.safetensors: {TRAIN_HINT}")
    net, _ = build_shared_net(int(config.get("n_frozen", SHARED_LAYER)))
    load_trained_state(net, head_dir)
    sentence = load_file(str(head_dir / "sentence.safetensors"))
    return SharedTrunkSentiment(net, sentence["weight"], sentence["bias"], encoder,
                                model_id=config.get("model_id", head_dir.name))  # fmt: skip
