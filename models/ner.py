"""Named entities (PER, ORG, LOC) in news sentences: a linear-chain CRF over treebank tokens.

    tagger = load_ner()                       # ner.crf-conll.v1, shipped in models/heads/
    tagger.entities(["Donald Trump met NATO leaders in Brussels."])
    -> [[Entity(0, 12, "Donald Trump", "PER"), Entity(18, 22, "NATO", "ORG"), Entity(34, 42, "Brussels", "LOC")]]

`ner.crf-conll.v1` is trained on CoNLL-2003 English train (Reuters news; MISC is read as no entity) with the
features below — the token's form, shape, affixes, capitalisation and its neighbours' (two each side): no
gazetteer, no word lists, nothing from a particular outlet. It is small (a few MB), needs no torch, tags
thousands of sentences a second, and so serves every profile. Why a CRF and not a fine-tuned MiniLM: see the
README's entity section (both measured on CoNLL valid). Training: `newsprism.models.ner_training`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from newsprism.models import HEADS_DIR
from newsprism.models.base import ModelUnavailable
from newsprism.models.profiles import NER_CRF
from newsprism.text import treebank_tokens

ENTITY_TYPES = ("PER", "ORG", "LOC")  # what is scored (CoNLL's MISC differs between label sets)
TAGGED_TYPES = (*ENTITY_TYPES, "MISC")  # what the tagger reports: MISC is groups, events, nationalities
MODEL_FILE = "model.crfsuite"


@dataclass(frozen=True)
class Entity:
    start: int  # character offsets in the sentence
    end: int
    text: str
    type: str  # one of TAGGED_TYPES


_UPPER, _LOWER, _DIGIT, _RUN = re.compile("[A-Z]"), re.compile("[a-z]"), re.compile("[0-9]"), re.compile(r"(.)\1{2,}")


@lru_cache(maxsize=1 << 16)
def _shape(word: str) -> str:
    """The word's shape: "Trump's" -> "Xxx'x" (runs of 3+ cut to 2). Memoised: a word recurs in a token's
    features and its four neighbours', and across sentences."""
    s = _DIGIT.sub("d", _LOWER.sub("x", _UPPER.sub("X", word)))
    return _RUN.sub(r"\1\1", s)


def token_features(tokens: Sequence[str]) -> list[list[str]]:
    """The CRF's features of each token of one sentence (training and tagging use this one function)."""
    shouting = all(not w[:1].isalpha() or w.isupper() for w in tokens)  # a headline in capitals
    n = len(tokens)
    lows = [w.lower() for w in tokens]
    # what a token contributes as a neighbour at offset k (-2, -1, +1, +2): its form, shape and title case
    seen = [(lw, _shape(w), int(w.istitle())) for w, lw in zip(tokens, lows, strict=True)]
    out = []
    for i, w in enumerate(tokens):
        lw = lows[i]
        f = ["bias", "w=" + lw, "s=" + seen[i][1], "p2=" + lw[:2], "p3=" + lw[:3], "x2=" + lw[-2:], "x3=" + lw[-3:],
             "x4=" + lw[-4:], f"t={seen[i][2]}", f"u={w.isupper():d}", f"d={any(map(str.isdigit, w)):d}",
             f"h={'-' in w:d}", f"first={i == 0:d}", f"caps={shouting:d}"]  # fmt: skip
        for k in (-2, -1, 1, 2):
            j = i + k
            if 0 <= j < n:
                v_low, v_shape, v_title = seen[j]
                f += [f"{k}w={v_low}", f"{k}s={v_shape}", f"{k}t={v_title}"]
            else:
                f.append(f"{k}pad")
        if i > 0:
            f.append(f"bg-={lows[i - 1]}|{lw}")
        if i + 1 < n:
            f.append(f"bg+={lw}|{lows[i + 1]}")
        out.append(f)
    return out


def spans_from_tags(tags: Sequence[str], types: Sequence[str] = ENTITY_TYPES) -> list[tuple[int, int, str]]:
    """(first token, end token, type) of each entity in IOB tags (IOB1 or IOB2) whose type is one of `types`
    (by default PER, ORG, LOC: MISC is no entity when scoring)."""
    out: list[tuple[int, int, str]] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        t = tag if tag[2:] in types else "O"
        if start is not None and (t == "O" or t.startswith("B-") or t[2:] != kind):
            out.append((start, i, kind))
            start = None
        if t != "O" and start is None:
            start, kind = i, t[2:]
    return out


class CrfTagger:
    """The trained CRF (python-crfsuite) as an entity tagger: PER, ORG, LOC and MISC mentions."""

    def __init__(self, model_file: Path, model_id: str = NER_CRF):
        import pycrfsuite  # the tagger's only dependency; imported where a tagger is built

        self.model_id = model_id
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_file))

    def tag_tokens(self, tokens: Sequence[str]) -> list[str]:
        return list(self._tagger.tag(token_features(tokens))) if tokens else []

    def entities(self, sentences: Sequence[str]) -> list[list[Entity]]:
        """The entities of each sentence, in order."""
        out = []
        for sentence in sentences:
            toks = treebank_tokens(sentence)
            tags = self.tag_tokens([t for t, _, _ in toks])
            found = []
            for a, b, kind in spans_from_tags(tags, TAGGED_TYPES):
                start, end = toks[a][1], toks[b - 1][2]
                found.append(Entity(start, end, sentence[start:end], kind))
            out.append(found)
        return out


@cache
def load_ner(model_id: str = NER_CRF, heads_dir: Path | None = None) -> CrfTagger:
    """The tagger `model_id` names (one per process)."""
    if model_id != NER_CRF:
        raise ModelUnavailable(f"unknown entity tagger {model_id!r}; known: {NER_CRF}")
    path = (HEADS_DIR if heads_dir is None else heads_dir) / model_id / MODEL_FILE
    if not path.is_file():
        raise ModelUnavailable(
            f"entity tagger not found at {path}: run `newsprism train --data ../shared/data --only ner`"
        )
    return CrfTagger(path, model_id)
