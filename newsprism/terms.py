"""Terms of an article for the distinctive-wording analysis: words and phrases (2-3 words), counted per article.

    article_terms(["The regime said on Monday it would talk.", "Regime officials declined."])
    -> {("regime", 1): 2, ("officials", 1): 1, ("regime officials", 2): 1, ...}

A term is lower-cased (`newsprism.text.words(lower=True)`, the one tokeniser). A phrase never spans a sentence
or a punctuation break (comma, colon, semicolon, dash, bracket, quotation mark), and neither begins nor ends with
a stopword ("the regime" is counted as "regime"; "prime minister" and "state of emergency" are phrases). Terms
without a letter (numbers) are dropped. The warehouse keeps these counts (`term_counts`); the log-odds scores of
which outlet uses which words are SQL (`warehouse/views/distinctive_terms.sql`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from newsprism.text import STOPWORDS, words

# bump when what counts as a term changes: every story's term counts are then reloaded
VERSION = "terms.v1"
MAX_N = 3
# a phrase does not run across these
_BREAK = re.compile(r"[,;:()\[\]{}\"“”«»—–…!?]|\s[-‘']|[’']\s|[’']$")


def _is_term_word(word: str) -> bool:
    """A term begins and ends with a word of two characters or more that has a letter."""
    return len(word) >= 2 and any(ch.isalpha() for ch in word)


def article_terms(sentences: Iterable[str], language: str = "en") -> Counter[tuple[str, int]]:
    """(term, number of words) -> count over the sentences."""
    stop = STOPWORDS.get(language, STOPWORDS["en"])
    counts: Counter[tuple[str, int]] = Counter()
    for sentence in sentences:
        for chunk in _BREAK.split(sentence):
            tokens = words(chunk, lower=True)
            for i, first in enumerate(tokens):
                if first in stop or not _is_term_word(first):
                    continue
                for n in range(1, MAX_N + 1):
                    if i + n > len(tokens):
                        break
                    last = tokens[i + n - 1]
                    if n > 1 and (last in stop or not _is_term_word(last)):
                        continue
                    counts[(" ".join(tokens[i : i + n]), n)] += 1
    return counts
