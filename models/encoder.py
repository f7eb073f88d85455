"""Sentence encoder: a transformer with mean pooling and L2 normalisation.

`encode()` memoises vectors by text, so within one process every sentence is encoded once and reused by
the summariser, the sentiment and stance heads and later analysis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class TransformerEncoder:
    """Mean-pooled, normalised sentence embeddings from any `AutoModel`-compatible encoder."""

    model_id: str
    model: torch.nn.Module
    tokenizer: object
    max_length: int = 256
    batch_size: int = 64
    _memo: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Return a float32 array (len(texts), dim); rows are unit-length (zero for empty text)."""
        keys = [text_key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._memo}.items(),
                      key=lambda kv: len(kv[1]))
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            vectors = self._forward([t for _, t in chunk])
            for (k, _), v in zip(chunk, vectors, strict=True):
                self._memo[k] = v
            if progress is not None:
                progress(len(chunk))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[k] for k in keys])

    @torch.inference_mode()
    def _forward(self, texts: list[str]) -> np.ndarray:
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        batch = {k: v.to(self.model.device) for k, v in batch.items()}
        hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.float().cpu().numpy()
