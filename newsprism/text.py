"""Sentence splitting and word counting for cleaned news text (rule-based, fast, no model)."""

from __future__ import annotations

import re

# Tokens ending in "." that do not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm gov sen rep rev hon pres vs etc inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec no nos fig approx est dept univ ave blvd mt ft""".split()
)
_BOUNDARY = re.compile(r"""([.!?…]+["'’”)\]]*)\s+(?=["'‘“(\[]?[A-Z0-9])""")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def _ends_with_abbreviation(chunk: str) -> bool:
    tokens = chunk.split()
    last = tokens[-1] if tokens else ""
    if not last.endswith("."):
        return False
    token = last.rstrip(".").lstrip("\"'‘“(").lower()
    if token in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():  # an initial: "J. Smith"
        return True
    return "." in token  # a dotted acronym: "U.S.", "A.Yu."


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; every line (paragraph) is split on its own and never joined to another."""
    sentences: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            end = match.end(1)
            candidate = paragraph[start:end]
            if _ends_with_abbreviation(candidate):
                continue
            sentences.append(candidate.strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences
