"""MiniLM split in two for fine-tuning on a CPU: the embeddings and the bottom `n_frozen` transformer layers
keep their pretrained weights (`lower()`, whose output training caches once per input), the layers above are
trained (`upper_states()`). A head stores only what it trained: one safetensors file per trained layer plus
`head.safetensors` (fp16). The sentiment heads and the pairs cross-encoder are built on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from transformers import BertModel
from transformers.masking_utils import create_bidirectional_mask

from newsprism.models.base import ModelUnavailable
from newsprism.models.pretrained import TRAIN_HINT


class SplitMiniLM(torch.nn.Module):
    """A MiniLM encoder whose bottom `n_frozen` layers are run by `lower()` and the rest by `upper_states()`;
    subclasses add their head."""

    def __init__(self, encoder: BertModel, n_frozen: int = 0):
        super().__init__()
        self.encoder = encoder
        self.n_frozen = n_frozen

    def run_layers(self, hidden: torch.Tensor, attention_mask: torch.Tensor, layers: Iterable[torch.nn.Module],
                   ) -> torch.Tensor:  # fmt: skip
        """Run `layers` of the encoder over `hidden`, with the attention mask the encoder itself builds."""
        mask = create_bidirectional_mask(config=self.encoder.config, inputs_embeds=hidden,
                                         attention_mask=attention_mask)  # fmt: skip
        for layer in layers:
            out = layer(hidden, mask)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def lower(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor,
              ) -> torch.Tensor:  # fmt: skip
        hidden = self.encoder.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        return self.run_layers(hidden, attention_mask, self.encoder.encoder.layer[: self.n_frozen])

    def upper_states(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.run_layers(hidden, attention_mask, self.encoder.encoder.layer[self.n_frozen :])


def trainable_state(net: SplitMiniLM) -> dict[str, dict[str, torch.Tensor]]:
    """What a head stores, by file: one per trained transformer layer (< 5 MB in fp16) + the head."""
    files: dict[str, dict[str, torch.Tensor]] = {}
    for name, tensor in net.state_dict().items():
        if name.startswith("encoder.encoder.layer."):
            layer = int(name.split(".")[3])
            if layer >= net.n_frozen:
                files.setdefault(f"layer_{layer}", {})[name] = tensor
        elif not name.startswith("encoder."):  # the classifier (and a shared-trunk head's target vector)
            files.setdefault("head", {})[name] = tensor
    return files


def save_trained(net: SplitMiniLM, out: Path, config: dict[str, Any]) -> None:
    """Write the trained layers and head (fp16) and `config.json` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    for fname, tensors in trainable_state(net).items():
        save_file(
            {k: v.detach().to(torch.float16).contiguous() for k, v in tensors.items()},
            str(out / f"{fname}.safetensors"),
        )
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def load_trained(net: SplitMiniLM, head_dir: Path, what: str) -> None:
    """Load a head folder's stored tensors into `net` (float32); `what` names the head in the errors."""
    if not (head_dir / "head.safetensors").is_file():
        raise ModelUnavailable(f"{what} not found in {head_dir} (no head.safetensors): {TRAIN_HINT}")
    state = {}
    for f in sorted(head_dir.glob("*.safetensors")):
        state.update({k: v.float() for k, v in load_file(str(f)).items()})
    missing = [k for f in trainable_state(net).values() for k in f if k not in state]
    if missing:
        raise ModelUnavailable(f"{what} in {head_dir} is incomplete ({missing[0]}): {TRAIN_HINT}")
    net.load_state_dict(state, strict=False)
