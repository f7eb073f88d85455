"""Feature extraction for the `local` profile's heads: plain numpy, no torch, no Prefect.

Stance (claim vs a document's sentences): embedding similarities between the claim and the body's
sentences, the claim and its nearest sentence combined (difference, product), lexical overlap (words,
n-grams, TF-IDF cosine) and counts of refuting and hedging cues. The nearest sentence is the evidence.

Sentiment: how a target span is marked in the input of the fine-tuned encoder.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from newsprism.text import STOPWORDS, words

# --- text ---------------------------------------------------------------------------------------------
# Sentences come from newsprism.text.split_sentences, the pipeline's splitter (training and evaluation too).

IDF_MEMO = 16384  # texts whose TF-IDF vectors `Idf.vector` keeps, most recently used (~1 KB each): ~20 MB
MAX_SENTENCES = 80  # a body longer than this is cut (FNC-1: 99th percentile ~ 75 sentences)


@lru_cache(maxsize=200_000)
def _lower_words(text: str) -> tuple[str, ...]:
    """newsprism.text's word tokens, lower-cased (memoised: a body is tokenised once for all the claims it is
    paired with)."""
    return tuple(words(text, lower=True))


EN_STOPWORDS = STOPWORDS["en"]  # content words are what remains

REFUTE_CUES = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "not", "despite", "nope", "doubt",
    "doubts", "bogus", "debunk", "debunks", "debunked", "prank", "pranks", "retract", "retracted",
    "untrue", "myth", "rumour", "rumor", "rumors", "rumours", "baseless", "fabricated", "satire", "satirical",
    "misleading", "refute", "refuted", "refutes", "dismissed", "no evidence", "isn't", "wasn't", "didn't",
    "never", "contrary", "unfounded", "made up", "not true",
)  # fmt: skip
HEDGE_CUES = (
    "reportedly", "allegedly", "alleged", "claims", "claimed", "claim", "according to", "may", "might",
    "could", "unconfirmed", "reports", "report", "reported", "appears", "apparently", "purportedly",
    "purported", "suggests", "believed", "possibly", "perhaps", "unclear", "unverified", "rumored",
    "supposedly", "seems", "speculation", "if true", "cannot confirm", "can't confirm", "not confirmed",
)  # fmt: skip
AGREE_CUES = (
    "confirmed", "confirms", "confirm", "announced", "official", "officially", "revealed", "shows",
    "showed", "proved", "proof", "indeed", "verified", "true", "photos", "video",
)  # fmt: skip


def count_cues(text: str, cues: Sequence[str]) -> int:
    padded = " " + " ".join(_lower_words(text)) + " "
    return sum(padded.count(" " + c + " ") for c in cues)


def ngrams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


# --- TF-IDF (stored as plain arrays, not a pickled vectoriser) ----------------------------------------


@dataclass
class Idf:
    vocab: dict[str, int]
    idf: np.ndarray  # float32 (len(vocab),)
    _memo: OrderedDict[str, dict[int, float]] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def fit(cls, documents: Iterable[str], max_features: int = 40000) -> Idf:
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            df.update(set(w for w in _lower_words(doc) if w not in EN_STOPWORDS))
            n += 1
        kept = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:max_features]
        vocab = {w: i for i, (w, _) in enumerate(kept)}
        idf = np.array([math.log((1 + n) / (1 + c)) + 1.0 for _, c in kept], dtype=np.float32)
        return cls(vocab, idf)

    def vector(self, text: str) -> dict[int, float]:
        """Unit-length sparse TF-IDF vector {index: weight} (the most recent `IDF_MEMO` texts' memoised: a
        story's sentences are scored against each of its claims; a corpus's are not all held)."""
        found = self._memo.get(text)
        if found is not None:
            self._memo.move_to_end(text)
            return found
        counts = Counter(self.vocab[w] for w in _lower_words(text) if w in self.vocab)
        vec = {i: c * float(self.idf[i]) for i, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        self._memo[text] = found = {i: v / norm for i, v in vec.items()}
        if len(self._memo) > IDF_MEMO:
            self._memo.popitem(last=False)
        return found

    def save(self) -> dict[str, np.ndarray]:
        return {"idf_words": np.array(list(self.vocab), dtype=object).astype(str), "idf": self.idf}

    @classmethod
    def load(cls, arrays) -> Idf:
        return cls({str(w): i for i, w in enumerate(arrays["idf_words"])}, np.asarray(arrays["idf"]))


def sparse_cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return float(sum(v * b.get(i, 0.0) for i, v in a.items()))


# --- stance ---------------------------------------------------------------------------------------------

TOP_K = 3
LEXICAL_NAMES = (
    "sim_max", "sim_mean", "sim_top3", "sim_std", "sim_body", "sim_first", "evidence_pos", "n_sentences",
    "tfidf_body", "tfidf_best", "tfidf_max", "word_overlap", "word_overlap_claim", "bigram_hits",
    "trigram_hits", "claim_words_in_lead", "claim_len",
    "refute_claim", "refute_body", "refute_best", "refute_top3", "hedge_claim", "hedge_body", "hedge_best",
    "hedge_top3", "agree_body", "agree_top3", "question_body", "quote_best",
)  # fmt: skip
# the scalar block of a stance row is LEXICAL_NAMES then EVIDENCE_NAMES (defined below); the embeddings follow


# Refutation against the evidence: the body's sentences nearest to the claim, and negation next to the claim's
# own words in them ("police said the video was not real"), rather than cue counts over the whole body.
EVIDENCE_K = 5  # the sentences nearest to the claim that the evidence features read
NEGATIONS = frozenset((
    "not", "no", "never", "n't", "isn't", "wasn't", "didn't", "doesn't", "don't", "aren't", "weren't", "won't",
    "cannot", "can't", "nothing", "none", "neither", "nor", "without",
))  # fmt: skip
DENIALS = frozenset((
    "deny", "denies", "denied", "denying", "denial", "false", "fake", "hoax", "hoaxes", "untrue", "debunk",
    "debunked", "debunks", "bogus", "fabricated", "baseless", "unfounded", "rumor", "rumour", "rumors", "rumours",
    "myth", "satire", "satirical", "prank", "refute", "refuted", "refutes", "dismissed", "dismisses", "rejected",
    "rejects", "misleading", "incorrect", "wrong", "retracted", "retract", "spoof", "parody", "joke",
))  # fmt: skip
NEGATION_WINDOW = 4  # tokens between a claim word and a negation or denial for them to count as one
EVIDENCE_NAMES = (
    "negated_claim_words_top", "denial_top_max", "denial_top_sum", "negation_top_sum", "hedge_top_sum",
    "agree_top_sum", "denial_lead", "denial_any", "negation_best_minus_claim", "claim_question", "claim_hedged",
    "sim_best_denial", "sim_best_hedge", "share_top_denial", "denial_claim",
)  # fmt: skip


def _negated(tokens: Sequence[str], claim_words: set[str]) -> bool:
    """Whether a negation or denial stands within NEGATION_WINDOW tokens of one of the claim's words."""
    hits = [j for j, t in enumerate(tokens) if t in claim_words]
    negs = [j for j, t in enumerate(tokens) if t in NEGATIONS or t in DENIALS]
    return bool(hits and negs) and min(abs(a - b) for a in hits for b in negs) <= NEGATION_WINDOW


def evidence_features(claim: str, sentences: Sequence[str], sims: np.ndarray) -> list[float]:
    """EVIDENCE_NAMES of one (claim, body) pair; `sims` are the sentences' cosines to the claim."""
    top = np.argsort(-sims, kind="stable")[:EVIDENCE_K]
    claim_tokens = set(_lower_words(claim))
    claim_words = claim_tokens - EN_STOPWORDS
    negated = 0
    denial_max = denial_sum = negation_sum = hedge_sum = agree_sum = 0.0
    sim_denial = sim_hedge = -1.0
    with_denial = 0
    for i in top:
        tokens = _lower_words(sentences[i])
        w, sim = max(float(sims[i]), 0.0), float(sims[i])
        negated += _negated(tokens, claim_words)
        denials = sum(t in DENIALS for t in tokens)
        hedges = count_cues(sentences[i], HEDGE_CUES)
        if denials:
            with_denial += 1
            sim_denial = max(sim_denial, sim)
        if hedges:
            sim_hedge = max(sim_hedge, sim)
        denial_max = max(denial_max, w * denials)
        denial_sum += w * denials
        negation_sum += w * sum(t in NEGATIONS for t in tokens)
        hedge_sum += w * hedges
        agree_sum += w * count_cues(sentences[i], AGREE_CUES)
    lead = set(_lower_words(" ".join(sentences[:3])))
    body = set(_lower_words(" ".join(sentences)))
    best = _lower_words(sentences[int(top[0])])
    return [
        float(negated), denial_max, denial_sum, negation_sum, hedge_sum, agree_sum, float(len(lead & DENIALS)),
        float(len(body & DENIALS)),
        float(sum(t in NEGATIONS for t in best) - sum(t in NEGATIONS for t in claim_tokens)),
        float("?" in claim), float(count_cues(claim, HEDGE_CUES) > 0), sim_denial, sim_hedge,
        with_denial / len(top), float(len(claim_tokens & DENIALS)),
    ]  # fmt: skip


SCALAR_NAMES = LEXICAL_NAMES + EVIDENCE_NAMES  # the first columns of a stance row (all the related stage reads)


def supporting_sentences(claim: str, sentences: Sequence[str], sims: np.ndarray) -> dict[str, int]:
    """The evidence for each label: of the EVIDENCE_K sentences nearest to the claim, the nearest that carries
    the label's sign (disagree: a denial, or a negation next to the claim's words; discuss: a hedge; agree:
    neither), else the nearest sentence. Unrelated: the nearest sentence."""
    top = [int(i) for i in np.argsort(-sims, kind="stable")[:EVIDENCE_K]]
    claim_words = set(_lower_words(claim)) - EN_STOPWORDS
    refutes, hedges = set(), set()
    for i in top:
        tokens = _lower_words(sentences[i])
        if any(t in DENIALS for t in tokens) or _negated(tokens, claim_words):
            refutes.add(i)
        if count_cues(sentences[i], HEDGE_CUES):
            hedges.add(i)

    def first(keep: Callable[[int], bool]) -> int:
        return next((i for i in top if keep(i)), top[0])

    return {
        "agree": first(lambda i: i not in refutes and i not in hedges),
        "disagree": first(lambda i: i in refutes),
        "discuss": first(lambda i: i in hedges),
        "unrelated": top[0],
    }


def stance_features(
    claim: str,
    sentences: Sequence[str],
    claim_vec: np.ndarray,
    sent_vecs: np.ndarray,
    idf: Idf,
) -> tuple[np.ndarray, int | None]:
    """Features of one (claim, body) pair and the index of the evidence sentence (None for an empty body).

    `claim_vec` (d,) and `sent_vecs` (n, d) are unit-normalised embeddings. The vector is
    [LEXICAL_NAMES, EVIDENCE_NAMES, claim*best, claim-best, claim*body_mean] of length 29 + 15 + 3*d.
    """
    d = claim_vec.shape[0]
    sentences = list(sentences)[:MAX_SENTENCES]
    sent_vecs = sent_vecs[: len(sentences)]
    n = len(sentences)
    if n == 0:
        return np.zeros(len(SCALAR_NAMES) + 3 * d, np.float32), None
    sims = sent_vecs @ claim_vec
    order = np.argsort(-sims, kind="stable")
    best = int(order[0])
    top = order[:TOP_K]
    body_mean = sent_vecs.mean(0)
    body_mean = body_mean / (np.linalg.norm(body_mean) or 1.0)

    body = " ".join(sentences)
    top_text = " ".join(sentences[i] for i in top)
    claim_vec_tfidf = idf.vector(claim)
    sent_tfidf = [sparse_cosine(claim_vec_tfidf, idf.vector(s)) for s in sentences]
    claim_words = [w for w in _lower_words(claim) if w not in EN_STOPWORDS]
    body_words = _lower_words(body)
    body_set = set(body_words)
    claim_set = set(claim_words)
    all_claim = _lower_words(claim)
    lead = set(_lower_words(" ".join(sentences[:2])))

    scalars = [
        float(sims.max()),
        float(sims.mean()),
        float(sims[top].mean()),
        float(sims.std()),
        float(body_mean @ claim_vec),
        float(sims[0]),
        best / n,
        float(min(n, MAX_SENTENCES)),
        sparse_cosine(claim_vec_tfidf, idf.vector(body)),
        sent_tfidf[best],
        max(sent_tfidf),
        len(claim_set & body_set) / (len(claim_set | (body_set - EN_STOPWORDS)) or 1),
        len(claim_set & body_set) / (len(claim_set) or 1),
        float(len(ngrams(all_claim, 2) & ngrams(body_words, 2))),
        float(len(ngrams(all_claim, 3) & ngrams(body_words, 3))),
        len(claim_set & lead) / (len(claim_set) or 1),
        float(len(all_claim)),
        float(count_cues(claim, REFUTE_CUES)),
        count_cues(body, REFUTE_CUES) / n,
        float(count_cues(sentences[best], REFUTE_CUES)),
        float(count_cues(top_text, REFUTE_CUES)),
        float(count_cues(claim, HEDGE_CUES)),
        count_cues(body, HEDGE_CUES) / n,
        float(count_cues(sentences[best], HEDGE_CUES)),
        float(count_cues(top_text, HEDGE_CUES)),
        count_cues(body, AGREE_CUES) / n,
        float(count_cues(top_text, AGREE_CUES)),
        body.count("?") / n,
        float(any(q in sentences[best] for q in '"“”')),
        *evidence_features(claim, sentences, sims),
    ]
    best_vec = sent_vecs[best]
    vec = np.concatenate(
        [np.asarray(scalars, np.float32), claim_vec * best_vec, claim_vec - best_vec, claim_vec * body_mean]
    )
    return vec.astype(np.float32), best


# --- sentiment -------------------------------------------------------------------------------------------

TARGET_OPEN, TARGET_CLOSE = "<", ">"


def mark_target(sentence: str, target: tuple[int, int] | None) -> tuple[str, str]:
    """The (first, second) segments of the sentiment input: ("mention", "sentence with < mention >").

    Without a target the first segment is empty and the sentence is unmarked (whole-sentence sentiment).
    """
    if target is None:
        return "", sentence
    start, end = max(0, target[0]), min(len(sentence), target[1])
    if end <= start:
        return "", sentence
    mention = sentence[start:end]
    marked = f"{sentence[:start]}{TARGET_OPEN} {mention} {TARGET_CLOSE}{sentence[end:]}"
    return mention, marked
