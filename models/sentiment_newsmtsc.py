"""The `local` profile's sentiment head family: MiniLM fine-tuned on NewsMTSC, one fine-tune or an ensemble.

    load_sentiment_head(HEADS_DIR / "sentiment.minilm-newsmtsc.v2").predict(
        [SentimentInput("Critics slammed the mayor.", (20, 25))])

The target is marked in the input ("mention [SEP] ... < mention > ..."); only the trained layers and a linear
head are stored (fp16); the frozen embeddings (and any frozen bottom layers) come from the MiniLM package.
The shipped head (v2) is an ensemble of two such fine-tunes (seeds 0 and 1) that averages their
probabilities; v1 (top two layers fine-tuned, one seed) stays loadable. Inference, save and load only: the
trainers are in `newsprism.models.trainers`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import BertModel, PreTrainedTokenizerBase

from newsprism.models.base import SENTIMENT_LABELS, ModelUnavailable, SentimentInput, SentimentResult
from newsprism.models.features import mark_target
from newsprism.models.pretrained import TRAIN_HINT, load_minilm
from newsprism.models.profiles import SENTIMENT_ENSEMBLE
from newsprism.models.split_minilm import SplitMiniLM, load_trained, save_trained

TokenRows = Sequence[tuple[torch.Tensor, torch.Tensor]]  # per text: (token states (L, d), a mask (L,)), unpadded


class SentimentNet(SplitMiniLM):
    """MiniLM + linear layer over [mean of all tokens, mean of the mention's tokens (first segment)]; the
    bottom `n_frozen` layers stay pretrained (models/split_minilm.py)."""

    def __init__(self, encoder: BertModel, n_frozen: int = 0, dropout: float = 0.1):
        super().__init__(encoder, n_frozen)
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(dropout)
        self.classifier = torch.nn.Linear(2 * hidden, len(SENTIMENT_LABELS))

    def upper(self, hidden: torch.Tensor, attention_mask: torch.Tensor, mention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.upper_states(hidden, attention_mask)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean_all = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        m = mention_mask.unsqueeze(-1).to(hidden.dtype)
        has = (m.sum(1) > 0).to(hidden.dtype)
        mean_mention = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
        mean_mention = has * mean_mention + (1 - has) * mean_all
        return self.classifier(self.dropout(torch.cat([mean_all, mean_mention], dim=-1)))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor,
                mention_mask: torch.Tensor) -> torch.Tensor:  # fmt: skip
        hidden = self.lower(input_ids, attention_mask, token_type_ids)
        return self.upper(hidden, attention_mask, mention_mask)


def sentiment_batch(tokenizer: PreTrainedTokenizerBase, items: Sequence[SentimentInput], max_length: int = 128,
                    ) -> dict[str, torch.Tensor]:  # fmt: skip
    """Tokenised pair input ("mention", "marked sentence") plus the mask of the mention's tokens."""
    pairs = [mark_target(it.sentence, it.target) for it in items]
    batch = tokenizer(
        [a for a, _ in pairs],
        [b for _, b in pairs],
        padding=True,
        truncation="only_second",
        max_length=max_length,
        return_tensors="pt",
        return_special_tokens_mask=True,
    )
    special = batch.pop("special_tokens_mask").bool()
    mention = (batch["token_type_ids"] == 0) & ~special & batch["attention_mask"].bool()
    batch["mention_mask"] = mention
    return dict(batch)


def pad_states(rows: TokenRows) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(hidden (n, L, d) float32, attention mask (n, L), mention mask (n, L)) from unpadded rows."""
    n = max(h.shape[0] for h, _ in rows)
    hidden = torch.zeros(len(rows), n, rows[0][0].shape[1])
    attention = torch.zeros(len(rows), n, dtype=torch.long)
    mention = torch.zeros(len(rows), n, dtype=torch.bool)
    for i, (h, m) in enumerate(rows):
        hidden[i, : h.shape[0]] = h.float()
        attention[i, : h.shape[0]] = 1
        mention[i, : h.shape[0]] = m
    return hidden, attention, mention


def sentiment_results(probs: np.ndarray) -> list[SentimentResult]:
    """Results from (n, 3) probabilities in SENTIMENT_LABELS order: score = p(positive) - p(negative)."""
    neg, pos = SENTIMENT_LABELS.index("negative"), SENTIMENT_LABELS.index("positive")
    return [
        SentimentResult(
            label=SENTIMENT_LABELS[int(p.argmax())],
            score=round(float(p[pos] - p[neg]), 6),
            probs={label: round(float(v), 6) for label, v in zip(SENTIMENT_LABELS, p, strict=True)},
        )
        for p in probs
    ]


class MiniLMSentiment:
    """Target-dependent sentiment of news sentences; `target=None` gives the whole sentence's sentiment.

    With several nets (an ensemble of fine-tunes of one pretrained encoder) the frozen bottom layers they
    share run once per batch and the members' probabilities are averaged.
    """

    def __init__(self, nets: SentimentNet | Sequence[SentimentNet], tokenizer: PreTrainedTokenizerBase,
                 max_length: int = 128, batch_size: int = 64, model_id: str = SENTIMENT_ENSEMBLE):  # fmt: skip
        self.nets = [n.eval() for n in ([nets] if isinstance(nets, SentimentNet) else nets)]
        self.net = min(self.nets, key=lambda n: n.n_frozen)  # runs the frozen layers all members share
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.model_id = model_id

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[SentimentInput]) -> np.ndarray:
        """(len(items), 3) probabilities in SENTIMENT_LABELS order; batches sorted by length."""
        out = np.zeros((len(items), len(SENTIMENT_LABELS)), dtype=np.float32)
        order = sorted(range(len(items)), key=lambda i: len(items[i].sentence))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = sentiment_batch(self.tokenizer, [items[i] for i in idx], self.max_length)
            mask = batch["attention_mask"]
            shared = self.net.lower(batch["input_ids"], mask, batch["token_type_ids"])
            probs = []
            for net in self.nets:  # a member with more frozen layers runs its remaining frozen ones first
                hidden = net.run_layers(shared, mask, net.encoder.encoder.layer[self.net.n_frozen : net.n_frozen])
                probs.append(torch.softmax(net.upper(hidden, mask, batch["mention_mask"]).float(), dim=-1))
            out[idx] = torch.stack(probs).mean(0).numpy()
        return out

    def predict(self, items: list[SentimentInput]) -> list[SentimentResult]:
        return sentiment_results(self.predict_proba(items))


# --- save and load ----------------------------------------------------------------------------------------


def build_sentiment_net(n_frozen: int = 0) -> tuple[SentimentNet, PreTrainedTokenizerBase]:
    """The untrained network on the pretrained MiniLM (used by training and, with weights, by loading)."""
    encoder, tokenizer = load_minilm()
    return SentimentNet(encoder, n_frozen=n_frozen), tokenizer


def save_sentiment_head(net: SentimentNet, out: Path, config: dict[str, Any]) -> None:
    save_trained(net, out, config)


def read_config(head_dir: Path) -> dict[str, Any]:
    """A head folder's `config.json`; a missing one is an error that names the folder."""
    config_file = head_dir / "config.json"
    if not config_file.is_file():
        raise ModelUnavailable(f"sentiment head not found in {head_dir} (no config.json): {TRAIN_HINT}")
    config: dict[str, Any] = json.loads(config_file.read_text())
    return config


def load_trained_state(net: SentimentNet, head_dir: Path) -> None:
    """Load a head folder's stored tensors (its trained layers and head, fp16) into `net`, in float32."""
    load_trained(net, head_dir, "sentiment head")


def load_sentiment_net(head_dir: Path) -> tuple[SentimentNet, PreTrainedTokenizerBase, dict[str, Any]]:
    """One fine-tune's network (its stored layers over the pretrained MiniLM), tokenizer and config."""
    config = read_config(head_dir)
    net, tokenizer = build_sentiment_net(int(config.get("n_frozen", 0)))
    load_trained_state(net, head_dir)
    return net, tokenizer, config


def load_sentiment_head(head_dir: str | Path) -> MiniLMSentiment:
    """A fine-tuned sentiment head folder: one fine-tune (its layer files + `head.safetensors` +
    `config.json`) or an ensemble (a `config.json` whose `members` names fine-tune folders inside it).
    The config's `model_id` is the id written to output rows."""
    head_dir = Path(head_dir)
    config = read_config(head_dir)
    if config.get("kind", "fine-tune") != "fine-tune":
        raise ModelUnavailable(f"{head_dir} holds a {config['kind']!r} sentiment head, not a fine-tune")
    if "members" in config:
        return sentiment_ensemble(head_dir, config["members"], config["model_id"], int(config.get("max_length", 128)))
    net, tokenizer, config = load_sentiment_net(head_dir)
    return MiniLMSentiment(net, tokenizer, max_length=int(config.get("max_length", 128)),
                           model_id=config.get("model_id", SENTIMENT_ENSEMBLE))  # fmt: skip


def sentiment_ensemble(head_dir: Path, members: Sequence[str], model_id: str, max_length: int) -> MiniLMSentiment:
    """The ensemble of the fine-tune folders `members` inside `head_dir`."""
    loaded = [load_sentiment_net(head_dir / m) for m in members]
    return MiniLMSentiment([net for net, _, _ in loaded], loaded[0][1], max_length=max_length, model_id=model_id)
