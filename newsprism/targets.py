"""Story-level defaults: the named targets sentiment is measured toward, and where they are mentioned."""

from __future__ import annotations

import re
from collections import Counter

_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+|al-|bin\s+)?[A-Z][\w’'-]*)*")
_SKIP = frozenset(
    """The A An In On At For And But Or If As By It Its This That These Those He She They We I You His Her Their
    Our My Mr Mrs Ms Dr Thursday Friday Saturday Sunday Monday Tuesday Wednesday January February March April
    May June July August September October November December Last Since After Before While When During
    Although However Meanwhile According Now Then Also Still Yet""".split()
)


def candidate_names(sentence: str) -> list[str]:
    names = []
    for match in _NAME.finditer(sentence):
        words = match.group(0).split()
        while words and words[0] in _SKIP:
            words = words[1:]
        name = " ".join(words).strip("’'-")
        if len(name) >= 3 and name not in _SKIP:
            names.append(name)
    return names


def default_targets(articles_sentences: list[list[str]], limit: int = 5, min_articles: int = 2) -> list[str]:
    """The names most articles mention (a name must appear in `min_articles` articles); most-shared first."""
    doc_freq: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for sentences in articles_sentences:
        names = [n for s in sentences for n in candidate_names(s)]
        mentions.update(names)
        doc_freq.update(set(names))
    ranked = sorted(
        (n for n, df in doc_freq.items() if df >= min_articles),
        key=lambda n: (-doc_freq[n], -mentions[n], n),
    )
    chosen: list[str] = []
    for name in ranked:
        # skip a name contained in one already chosen ("Taliban" after "Taliban government" is fine, not dupes)
        if any(name == c or f" {name} " in f" {c} " for c in chosen):
            continue
        chosen.append(name)
        if len(chosen) == limit:
            break
    return chosen


def find_mentions(sentence: str, target: str) -> list[tuple[int, int]]:
    """Character spans of whole-word, case-insensitive mentions of `target` in `sentence`."""
    pattern = re.compile(rf"(?<!\w){re.escape(target)}(?!\w)", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(sentence)]
