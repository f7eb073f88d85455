"""Summarisers: extractive (sentence-embedding centrality with redundancy control) and seq2seq, and the story's
points (what most outlets say, and which outlets say it).

Both summarisers take documents as lists of sentences and return `Summary` records; neither knows about Prefect.
A summary is meant to be quoted: a document's dateline ("WASHINGTON (Reuters) —") is removed, and the extractive
summary never starts a sentence that leans on one before it ("But…", "He added…") without that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from newsprism.models.base import Encoder, Summary
from newsprism.text import split_dateline, word_count, words

# A sentence that continues the one before it: a discourse connective, or a pronoun or demonstrative whose
# antecedent is in an earlier sentence ("He added", "This comes after", "Their plan").
DISCOURSE_OPENERS = frozenset(
    """but and or so yet however also still meanwhile moreover furthermore nevertheless nonetheless instead then
    thus therefore hence besides additionally likewise similarly otherwise indeed plus consequently regardless
    nor""".split()
)
DISCOURSE_PHRASES = (
    "in addition",
    "on the other hand",
    "at the same time",
    "even so",
    "as a result",
    "by contrast",
    "in contrast",
    "that said",
    "for his part",
    "for her part",
    "for their part",
    "in turn",
    "after that",
    "in other words",
    "in that case",
    "in any case",
    "if so",
    "if not",
    "by then",
    "for that reason",
)
ANAPHORS = frozenset("he she they it this these those that his her their its him them such there".split())
# ... "It is …" / "There are …" without a referent: an expletive subject, not an anaphor
_EXPLETIVE = re.compile(
    r"^(?:it(?:\s+|[’']s\s+)(?:(?:is|was|seems|seemed|remains|remained|has been)\s+)?(?:\w+\s+){0,3}?"
    r"(?:that|to|whether|if|unclear|clear|likely|unlikely|possible|impossible|time)\b"
    r"|there\s+(?:is|are|was|were|has been|have been|will be|would be)\b)"
)
_OPENING_QUOTES = "\"'‘“«([ "


def strip_dateline(text: str) -> str:
    """`text` without an opening dateline ("WASHINGTON — ", "Kabul, Afghanistan (CNN) -- ", "(CNN)"): the cleaner
    has moved it into the article's metadata already; this is for documents that did not come through it."""
    return split_dateline(text)[2]


def leans_back(sentence: str) -> bool:
    """Whether a sentence only makes sense after the one before it: it opens (past any opening quote) with a
    discourse connective ("But", "However,", "In addition") or an anaphoric pronoun or demonstrative ("He
    added", "This", "Their") — "It is …"/"There are …" as an expletive subject do not count."""
    opening = sentence.lstrip(_OPENING_QUOTES).lower()
    tokens = words(opening, lower=True)
    if not tokens:
        return False
    first = tokens[0]
    if first in DISCOURSE_OPENERS:
        return True
    if any(
        opening.startswith(phrase) and not opening[len(phrase) : len(phrase) + 1].isalnum()
        for phrase in DISCOURSE_PHRASES
    ):
        return True
    return first in ANAPHORS and not _EXPLETIVE.match(opening)


def without_dateline(documents: list[list[str]]) -> list[list[str]]:
    """The documents with their first sentence's dateline removed (a dateline opens a document, nowhere else)."""
    return [[strip_dateline(s[0]), *s[1:]] if s else s for s in documents]


def relevance_scores(
    vectors: np.ndarray,
    sentences: Sequence[str],
    lead_weight: float,
    min_words: int,
    max_words: int,
    lead_decay: float = 3.0,
    lead_span: int = 0,
) -> np.ndarray:
    """Relevance of each sentence of one document: its centrality (mean cosine similarity to the others) plus a
    lead prior: `lead_weight / (1 + position / lead_decay)`, or with `lead_span` a step, `lead_weight` on the
    first `lead_span` sentences and nothing after (the lead kept unless a later sentence is that much more
    central); sentences outside [min_words, max_words] get -inf (unless none is inside)."""
    n = len(sentences)
    sims = vectors @ vectors.T
    centrality = (sims.sum(1) - 1.0) / max(n - 1, 1) if n > 1 else np.ones(n)
    position = np.arange(n)
    lead = lead_weight * (position < lead_span) if lead_span else lead_weight / (1.0 + position / lead_decay)
    relevance = centrality + lead
    lengths = np.array([word_count(s) for s in sentences])
    eligible = (lengths >= min_words) & (lengths <= max_words)
    if not eligible.any():
        eligible = lengths > 0
    return np.where(eligible, relevance, -np.inf)


# summarise.extractive-minilm.v3's settings (the class defaults are v2's): the best smallest gain over Lead-3 in
# ROUGE-1/2/L on 700 NeuS train items, chosen by `newsprism eval summaries ../shared/data/summaries/neus --split
# train --sample 700 --seed 13 --cv 5` (folds grouped by topic); see models/heads/summarise.extractive-minilm.v3.md
EXTRACTIVE_V3: dict[str, Any] = {
    "lead_weight": 0.1,
    "lead_decay": 1.0,
    "lead_span": 0,
    "redundancy_weight": 0.0,
    "min_words": 6,
    "max_words": 60,
}


@dataclass
class ExtractiveSummariser:
    """Pick central, non-redundant sentences (MMR over embedding centrality, with a lead prior).

    A sentence's centrality is its mean cosine similarity to the document's other sentences: what many
    sentences (or, for a story, many outlets) say. Each pick maximises
    `relevance - redundancy_weight * max similarity to sentences already picked`. The defaults are v2's; the
    registry gives each versioned id its own settings (v3: `EXTRACTIVE_V3`).
    """

    model_id: str
    encoder: Encoder
    redundancy_weight: float = 0.6
    lead_weight: float = 0.15
    min_words: int = 6
    max_words: int = 60
    lead_decay: float = 3.0
    lead_span: int = 0  # > 0: a step lead prior over that many sentences instead of the decaying one

    def summarise(self, documents: list[list[str]], max_sentences: int = 3) -> list[Summary]:
        return [self._one(sentences, max_sentences) for sentences in without_dateline(documents)]

    def scores(self, sentences: list[str]) -> np.ndarray:
        """Relevance of each sentence: centrality plus a lead prior; ineligible sentences get -inf."""
        return self.relevance(self.encoder.encode(sentences), sentences)

    def relevance(self, vectors: np.ndarray, sentences: Sequence[str]) -> np.ndarray:
        return relevance_scores(
            vectors, sentences, self.lead_weight, self.min_words, self.max_words, self.lead_decay, self.lead_span
        )

    def pick(self, vectors: np.ndarray, sentences: Sequence[str], k: int) -> tuple[int, ...]:
        """The summary's sentence ids, in document order, from the sentences' vectors (no encoder needed)."""
        return select_sentences(
            self.relevance(vectors, sentences), vectors @ vectors.T, [leans_back(s) for s in sentences], k,
            self.redundancy_weight,
        )  # fmt: skip

    def _one(self, sentences: list[str], k: int) -> Summary:
        if not sentences:
            return Summary(text="", sentence_ids=())
        ordered = self.pick(self.encoder.encode(sentences), sentences, k)
        return Summary(text=" ".join(sentences[i] for i in ordered), sentence_ids=ordered)


def select_sentences(
    relevance: np.ndarray, sims: np.ndarray, dangling: Sequence[bool], k: int, redundancy_weight: float
) -> tuple[int, ...]:
    """Up to `k` sentence ids, sorted: MMR over `relevance` (-inf: never a pick) and the pairwise similarities
    `sims`; a sentence that leans on the one before (`dangling`) comes with it, and that one's own antecedents,
    or not at all."""
    chosen: list[int] = []
    candidates = [i for i in range(len(relevance)) if np.isfinite(relevance[i])]
    while candidates and len(chosen) < k:

        def mmr(i: int) -> float:
            redundancy = max((sims[i, j] for j in chosen), default=0.0)
            return relevance[i] - redundancy_weight * redundancy

        picks = {i: with_antecedents(i, dangling, chosen) for i in candidates}
        fitting = [i for i in candidates if picks[i] and len(picks[i]) <= k - len(chosen)]
        if not fitting:
            break
        best = max(fitting, key=mmr)
        chosen.extend(picks[best])
        candidates = [i for i in candidates if i not in chosen]
    return tuple(sorted(chosen))


def with_antecedents(i: int, dangling: Sequence[bool], chosen: Sequence[int]) -> list[int]:
    """Sentence `i` and the sentences before it that a summary must also hold for `i` to read right: none when
    `i` stands alone or follows a chosen sentence; else back to the nearest that stands alone. Empty when no
    sentence before `i` stands alone (the document opens leaning on something it does not say)."""
    run = [i]
    j = i
    while dangling[j] and j - 1 not in chosen:
        j -= 1
        if j < 0:
            return []
        run.append(j)
    return sorted(run)


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
        for doc_index, sentences in enumerate(without_dateline(documents)):
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
        # token counts in one batch call; verbose=False: a sentence longer than the model's input is fine here
        # (it becomes a chunk of its own, truncated when encoded), not the "indexing errors" warning
        counts = self.tokenizer(sentences, add_special_tokens=False, verbose=False)["input_ids"] if sentences else []
        for sentence, ids in zip(sentences, counts, strict=True):
            n = len(ids)
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


SentenceRef = tuple[int, int]  # (document index, sentence index)


@dataclass(frozen=True)
class StoryPoint:
    """A point of the story: its representative sentence and the documents that make it (indices, sorted)."""

    text: str
    document: int
    sentence_no: int
    documents: tuple[int, ...]


def rank_points(
    documents: Sequence[Sequence[str]],
    relevance: Sequence[np.ndarray],
    same_point: Sequence[tuple[int, int, int, int]],
    outlets: Sequence[str],
    max_points: int,
) -> list[StoryPoint]:
    """The story's points, most widely carried first: for each pick, among the sentences not yet covered, the one
    whose point the most outlets carry, then (single-outlet points) from the outlet with the fewest picks so far,
    then the most relevant. A sentence that leans on the one before it, or has -inf relevance, is never a pick.

    `same_point` holds (document, sentence, other document, other sentence) for each pair the alignment
    judged to make the same point; a sentence's point is carried by its own document and every document a
    same-point pair joins it to (in either direction). A pick covers the sentences it is paired with.
    """
    carriers: dict[SentenceRef, set[int]] = {}
    partners: dict[SentenceRef, set[SentenceRef]] = {}
    for a, i, b, j in same_point:
        carriers.setdefault((a, i), set()).add(b)
        carriers.setdefault((b, j), set()).add(a)
        partners.setdefault((a, i), set()).add((b, j))
        partners.setdefault((b, j), set()).add((a, i))
    candidates = [
        (d, i)
        for d, sentences in enumerate(documents)
        for i, sentence in enumerate(sentences)
        if np.isfinite(relevance[d][i]) and not leans_back(sentence)
    ]
    covered: set[SentenceRef] = set()
    picked: list[StoryPoint] = []
    picks_per_outlet: dict[str, int] = {}
    while candidates and len(picked) < max_points:

        def key(ref: SentenceRef) -> tuple[int, int, float, int, int]:
            d, i = ref
            n_outlets = len({outlets[d], *(outlets[o] for o in carriers.get(ref, ()))})
            spread = -picks_per_outlet.get(outlets[d], 0) if n_outlets == 1 else 0
            return (n_outlets, spread, float(relevance[d][i]), -i, -d)

        best = max(candidates, key=key)
        d, i = best
        documents_carrying = tuple(sorted({d, *carriers.get(best, ())}))
        picked.append(StoryPoint(documents[d][i], d, i, documents_carrying))
        picks_per_outlet[outlets[d]] = picks_per_outlet.get(outlets[d], 0) + 1
        covered |= {best, *partners.get(best, ())}
        candidates = [ref for ref in candidates if ref not in covered]
    return picked


def story_points(
    encoder: Encoder,
    documents: list[list[str]],
    same_point: Sequence[tuple[int, int, int, int]],
    outlets: Sequence[str],
    max_points: int,
    lead_weight: float = ExtractiveSummariser.lead_weight,
    min_words: int = ExtractiveSummariser.min_words,
    max_words: int = ExtractiveSummariser.max_words,
) -> list[StoryPoint]:
    """`rank_points` over the documents (datelines removed), each sentence's relevance taken within its own
    document as the extractive summariser takes it."""
    documents = without_dateline(documents)
    relevance = [
        relevance_scores(encoder.encode(sentences), sentences, lead_weight, min_words, max_words)
        if sentences
        else np.zeros(0)
        for sentences in documents
    ]
    return rank_points(documents, relevance, same_point, outlets, max_points)
