"""Sentence encoder: a transformer with mean pooling and L2 normalisation.

`encode()` memoises vectors by text (the most recently used `max_memo`), so within one process a sentence is
encoded once and reused by the summariser, the sentiment and stance heads and later analysis. With
`keep_layer` set, the same pass also keeps each text's token states after that many layers (for heads that
share the encoder's bottom layers: `token_states()`), the most recent `max_kept` texts.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class TransformerEncoder:
    """Mean-pooled, normalised sentence embeddings from any `AutoModel`-compatible encoder."""

    model_id: str
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    max_length: int = 256
    batch_size: int = 64
    keep_layer: int | None = None  # also keep token states after this many layers (see token_states)
    max_kept: int = 8192  # texts whose token states are kept (~30 KB each for MiniLM's ~40 tokens)
    max_memo: int = 65536  # texts whose vectors are memoised (1.5 KB each at 384 dimensions): ~100 MB at most
    _memo: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict, repr=False)
    _states: OrderedDict[str, tuple[torch.Tensor, torch.Tensor]] = field(default_factory=OrderedDict, repr=False)

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Return a float32 array (len(texts), dim); rows are unit-length (zero for empty text)."""
        keys = [text_key(t) for t in texts]
        self._run(keys, texts, self._memo, progress)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.stack([self._memo[k] for k in keys])
        for k in keys:  # used now: the last to be dropped
            self._memo.move_to_end(k)
        self._trim_memo()
        return out

    def token_states(self, texts: Sequence[str], layer: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Per text: its hidden states after `layer` transformer layers (fp16, (tokens, dim)) and each
        token's character span in the text ((tokens, 2); (0, 0) for [CLS]/[SEP]), exactly as `encode()`
        tokenises and runs it. Kept from `encode()`'s own pass when `keep_layer == layer`; a text whose
        states are not kept is run again (and its vector memoised on the way)."""
        self.keep_states(layer)
        keys = [text_key(t) for t in texts]
        self._run(keys, texts, self._states)
        self._trim_memo()
        return [self._states[k] for k in keys]

    def _trim_memo(self) -> None:
        while len(self._memo) > self.max_memo:
            self._memo.popitem(last=False)

    def keep_states(self, layer: int | None) -> None:
        """From now on keep token states after `layer` layers from every pass (None: keep none)."""
        if self.keep_layer != layer:
            self.keep_layer = layer
            self._states.clear()

    def _run(self, keys: list[str], texts: Sequence[str], done: Container[str],
             progress: Callable[[int], None] | None = None) -> None:  # fmt: skip
        """Run the texts whose key is not in `done` (once each, in batches of similar length); every pass
        memoises its vectors (and keeps token states when `keep_layer` is set)."""
        todo = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in done}.items(), key=lambda kv: len(kv[1])
        )
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            for (k, _), v in zip(chunk, self._forward([t for _, t in chunk]), strict=True):
                self._memo[k] = v
            if progress is not None:
                progress(len(chunk))

    @torch.inference_mode()
    def _forward(self, texts: list[str]) -> np.ndarray:
        keep = self.keep_layer
        batch = self.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
            return_offsets_mapping=keep is not None,
        )
        offsets = batch.pop("offset_mapping", None)
        batch = {k: v.to(self.model.device) for k, v in batch.items()}
        out = self.model(**batch, output_hidden_states=keep is not None)
        hidden = out.last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        if keep is not None:
            lengths = batch["attention_mask"].sum(1).tolist()
            for row, text in enumerate(texts):
                n, key = int(lengths[row]), text_key(text)
                self._states[key] = (
                    out.hidden_states[keep][row, :n].to("cpu", torch.float16).clone(),
                    offsets[row, :n].clone(),
                )
                self._states.move_to_end(key)
            while len(self._states) > self.max_kept:
                self._states.popitem(last=False)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.float().cpu().numpy()
