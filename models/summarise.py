"""Summarisers: extractive (sentence-embedding centrality with redundancy control) and seq2seq.

Both take documents as lists of sentences and return `Summary` records; neither knows about Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from newsprism.models.base import Encoder, Summary
from newsprism.text import word_count


@dataclass
class ExtractiveSummariser:
    """Pick central, non-redundant sentences (MMR over embedding centrality, with a mild lead prior).

    A sentence's centrality is its mean cosine similarity to the document's other sentences: what many
    sentences (or, for a story, many outlets) say. Each pick maximises
    `relevance - redundancy_weight * max similarity to sentences already picked`.
    """

    model_id: str
    encoder: Encoder
    redundancy_weight: float = 0.6
    lead_weight: float = 0.15
    min_words: int = 6
    max_words: int = 60

    def summarise(self, documents: list[list[str]], max_sentences: int = 3) -> list[Summary]:
        return [self._one(sentences, max_sentences) for sentences in documents]

    def scores(self, sentences: list[str]) -> np.ndarray:
        """Relevance of each sentence: centrality plus a lead prior; ineligible sentences get -inf."""
        vectors = self.encoder.encode(sentences)
        n = len(sentences)
        sims = vectors @ vectors.T
        centrality = (sims.sum(1) - 1.0) / max(n - 1, 1) if n > 1 else np.ones(n)
        position = np.arange(n)
        lead = self.lead_weight / (1.0 + position / 3.0)
        relevance = centrality + lead
        lengths = np.array([word_count(s) for s in sentences])
        eligible = (lengths >= self.min_words) & (lengths <= self.max_words)
        if not eligible.any():
            eligible = lengths > 0
        return np.where(eligible, relevance, -np.inf)

    def _one(self, sentences: list[str], k: int) -> Summary:
        if not sentences:
            return Summary(text="", sentence_ids=())
        relevance = self.scores(sentences)
        vectors = self.encoder.encode(sentences)
        sims = vectors @ vectors.T
        chosen: list[int] = []
        candidates = [i for i in range(len(sentences)) if np.isfinite(relevance[i])]
        while candidates and len(chosen) < k:

            def mmr(i: int) -> float:
                redundancy = max((sims[i, j] for j in chosen), default=0.0)
                return relevance[i] - self.redundancy_weight * redundancy

            best = max(candidates, key=mmr)
            chosen.append(best)
            candidates.remove(best)
        ordered = tuple(sorted(chosen))
        return Summary(text=" ".join(sentences[i] for i in ordered), sentence_ids=ordered)


@dataclass
class Seq2SeqSummariser:
    """Abstractive summaries with `AutoModelForSeq2SeqLM.generate()` (transformers 5 has no pipeline).

    Long documents are split into token-bounded chunks of whole sentences; each chunk is summarised and
    the chunk summaries are joined. Batched; runs on the model's device.
    """

    model_id: str
    model: Any  # a seq2seq PreTrainedModel; its `generate()` comes from transformers' GenerationMixin
    tokenizer: PreTrainedTokenizerBase
    max_input_tokens: int = 1024
    max_new_tokens: int = 142
    batch_size: int = 8
    max_chunks: int = 4  # per document: the lead of a very long article carries its summary

    def summarise(self, documents: list[list[str]], max_sentences: int = 3) -> list[Summary]:
        chunks: list[str] = []
        owner: list[int] = []
        for doc_index, sentences in enumerate(documents):
            for chunk in self._chunks(sentences)[: self.max_chunks]:
                chunks.append(chunk)
                owner.append(doc_index)
        outputs = self._generate(chunks)
        joined: list[list[str]] = [[] for _ in documents]
        for doc_index, text in zip(owner, outputs, strict=True):
            joined[doc_index].append(text.strip())
        return [Summary(text=" ".join(t for t in parts if t)) for parts in joined]

    def _chunks(self, sentences: list[str]) -> list[str]:
        budget = max(self.max_input_tokens - 2, 16)
        chunks: list[str] = []
        current: list[str] = []
        used = 0
        for sentence in sentences:
            n = len(self.tokenizer.tokenize(sentence))
            if current and used + n > budget:
                chunks.append(" ".join(current))
                current, used = [], 0
            current.append(sentence)
            used += n
        if current:
            chunks.append(" ".join(current))
        return chunks

    def _generate(self, texts: list[str]) -> list[str]:
        out: list[str] = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = self.tokenizer(
                    texts[start : start + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=self.max_input_tokens,
                    return_tensors="pt",
                ).to(self.model.device)
                batch.pop("token_type_ids", None)
                ids = self.model.generate(**batch, max_new_tokens=self.max_new_tokens)
                out.extend(self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out
