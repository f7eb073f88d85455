"""The models: each knows nothing of Prefect. This package's own module imports nothing heavy (no torch): the
CRF entity tagger, which needs no torch, finds its weights here in worker processes that never import torch."""

from pathlib import Path

HEADS_DIR = Path(__file__).resolve().parent / "heads"  # the shipped heads, one folder per model id
