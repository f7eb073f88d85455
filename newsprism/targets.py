"""Story-level defaults: the named targets sentiment is measured toward, and where they are mentioned.

A target is an entity: a run of capitalised words, with pronouns, contractions and function words left out
(`newsprism.text`'s English stopwords), possessives folded ("Trump’s" -> "Trump") and titles and honorifics
dropped ("Sen. Arlen Specter" -> "Arlen Specter"). A person's full name is also mentioned by its surname
("Mr. Trump", "Trump" for "Donald Trump"), and a surname alone among the defaults merges into the full name.
User-given targets are matched the same way. English only, as the stopwords and titles are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from newsprism.text import STOPWORDS, quote_spans, words

_TOKEN = r"[A-Z][\w’'-]*"
# capitalised words, joined by spaces, a middle initial ("George W. Bush") or a connector ("Bank of England")
_NAME = re.compile(rf"{_TOKEN}(?:(?:\s+[A-Z]\.)?\s+(?:of\s+|the\s+|al-|bin\s+|bin-)?{_TOKEN})*")
_CONNECTORS = frozenset({"of", "the", "bin"})
_STOP = STOPWORDS["en"]
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)
# titles and honorifics before a name (compared lower-cased, without a final "."): dropped from a target
TITLES = frozenset(
    """mr mrs ms miss mx dr prof sir dame sen sens senator senators rep reps representative congressman
    congresswoman gov governor lt gen col sgt capt cmdr adm rev pres president presidents vice former
    chairman chairwoman chair speaker secretary minister prime premier chancellor mayor judge justice attorney
    ambassador leader king queen prince princess pope lord sheikh ayatollah candidate nominee""".split()
)
# last words of organisation names: a name ending in one is not a person's, so it has no surname
ORG_HEADS = frozenset(
    """administration agency alliance army association authority bank board bureau campaign center centre
    church city coalition college commission committee company congress corp corporation council county court
    department embassy federation force forces foundation fund government group guard house inc institute
    league ltd ministry movement network news office organization organisation party police post press
    republic school senate service society state states street times tribune union university""".split()
)
_CONTRACTION = re.compile(r"[’'](?:m|re|ve|ll|d)$|n[’']t$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’'](?:s)?$")
_OPENERS = "\"'‘“([—–-:"


def _is_title(token: str) -> bool:
    return token.rstrip(".").lower() in TITLES


def _clean_tokens(tokens: list[str], initial: bool, common: Collection[str]) -> list[list[str]]:
    """The entity names in one run of capitalised tokens: split at a possessive or a contraction, titles and
    function words dropped from the front (a sentence-initial common word too)."""
    names: list[list[str]] = []
    current: list[str] = []
    for i, token in enumerate(tokens):
        stem = token
        end_here = False
        if _CONTRACTION.search(token):
            stem, end_here = "", True
        elif (folded := _POSSESSIVE.sub("", token)) != token:
            stem, end_here = folded, True
            if stem.lower() in _STOP:  # "He’s", "It’s", "That’s"
                stem = ""
        if stem:
            current.append(stem)
            if i == 0 and initial and stem.lower() in common:  # "Critics said ...": a common word, capitalised
                current.pop()
        if end_here or i == len(tokens) - 1:
            if current:
                names.append(current)
            current = []
    out = []
    for name in names:
        name = _strip_front(name)
        while name and name[-1].lower() in _CONNECTORS:
            name = name[:-1]
        if name:
            out.append(name)
    return out


def _strip_front(name: list[str]) -> list[str]:
    """Drop titles before the name they precede ("Vice President Joe Biden" -> "Joe Biden", "Secretary of State
    Hillary Clinton" -> "Hillary Clinton", but "Justice Department" stays) and leading function words."""
    cut = 0
    for i, token in enumerate(name):
        if _is_title(token):
            j = i + 1
            if name[j : j + 1] and name[j].lower() == "general":  # "Attorney General ..."
                j += 1
            if name[j : j + 1] == ["of"] and len(name) > j + 2:  # "Secretary of State ..."
                j += 2
            if j < len(name) and name[j].lower() not in ORG_HEADS:
                cut = max(cut, j)
    name = name[cut:]
    while name and name[0].rstrip(".").lower() in _STOP | _CALENDAR | _CONNECTORS:
        name = name[1:]
    return [] if all(_is_title(t) for t in name) else name


def _keep(name: str) -> bool:
    if name.lower() in _STOP or name.lower() in _CALENDAR or _is_title(name):
        return False
    return len(name) >= 3 or (len(name) == 2 and name.isupper())


def candidate_names(sentence: str, common: Collection[str] = ()) -> list[str]:
    """Entity names in a sentence, in order. `common`: lower-case words that are ordinary words in their
    context (written in lower case there): such a word opening a sentence or a quote is not a name."""
    names = []
    for match in _NAME.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        initial = not before or before[-1] in _OPENERS
        for tokens in _clean_tokens(match.group(0).split(), initial, common):
            name = " ".join(tokens).strip("’'-")
            if _keep(name):
                names.append(name)
    return names


def lowercase_words(texts: Iterable[str]) -> set[str]:
    """The words written in lower case somewhere in `texts` (for `candidate_names`' `common`)."""
    return {w for text in texts for w in words(text) if w.islower()}


def canonical(target: str) -> str:
    """A target as an entity name: possessive folded, titles and honorifics dropped ("Mr. Trump’s" -> "Trump");
    the target as given when nothing would be left."""
    tokens = target.split()
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1])
    kept = _strip_front([t for t in tokens if t])
    return " ".join(kept) if kept else target.strip()


def surname(name: str) -> str | None:
    """The surname a person's full name is also mentioned by; None when `name` does not look like a person's
    (one word, a connector, an initialism, or an organisation's last word such as "Committee")."""
    tokens = name.split()
    if len(tokens) < 2 or any(t.lower() in _CONNECTORS for t in tokens):
        return None
    last = tokens[-1]
    if not all(t[:1].isupper() for t in tokens) or last.isupper() or last.lower() in ORG_HEADS:
        return None
    if not re.fullmatch(r"[A-Z][a-z][\w’'-]*", last):
        return None
    return last


def default_targets(articles_sentences: list[list[str]], limit: int = 5, min_articles: int = 2) -> list[str]:
    """The names most articles mention (a name must appear in `min_articles` articles); most-shared first. A
    surname alone counts as a mention of the full name it belongs to (the most mentioned one)."""
    common = lowercase_words(s for sentences in articles_sentences for s in sentences)
    per_article = [[n for s in sentences for n in candidate_names(s, common)] for sentences in articles_sentences]
    totals = Counter(n for names in per_article for n in names)
    by_surname: dict[str, str] = {}
    for name in sorted(totals, key=lambda n: (-totals[n], n)):
        last = surname(name)
        if last and last not in by_surname:
            by_surname[last] = name
    doc_freq: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for names in per_article:
        merged = [by_surname.get(n, n) for n in names]
        mentions.update(merged)
        doc_freq.update(set(merged))
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


_BEFORE = re.compile(r"([A-Z][\w’'-]*\.?)\s+$")


def find_mentions(sentence: str, target: str) -> list[tuple[int, int]]:
    """Character spans of the mentions of `target` in `sentence`: the name itself (whole words, any case,
    titles and a possessive around it allowed), and for a person's full name its surname as written,
    unless another given name precedes it ("Hillary Clinton" is no mention of "Bill Clinton")."""
    name = canonical(target)
    spans = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.IGNORECASE)]
    last = surname(name)
    if last and last != name:
        given = {t.rstrip(".") for t in name.split()[:-1]}
        for m in re.finditer(rf"(?<!\w){re.escape(last)}(?!\w)", sentence):
            if any(s <= m.start() < e for s, e in spans):
                continue
            before = _BEFORE.search(sentence[: m.start()])
            if before and not _is_title(before.group(1)) and before.group(1).rstrip(".") not in given:
                continue
            spans.append(m.span())
    return sorted(spans)


@dataclass(frozen=True)
class Mention:
    """A sentence that mentions a target: its first mention's span, and how much of it is quoted speech
    (`newsprism.text.quote_spans`; a sentence with an unpaired quote mark is inside a longer quotation)."""

    sentence_no: int
    span: tuple[int, int]
    in_quote: bool  # the mention is inside a quotation
    quote_share: float  # the share of the sentence's characters inside quotations (1.0: unpaired quote mark)


def target_mentions(sentences: list[str], target: str) -> list[Mention]:
    """The sentences that mention `target` (`find_mentions`), in order, with their quotation measures."""
    out = []
    for s_no, sentence in enumerate(sentences):
        spans = find_mentions(sentence, target)
        if not spans:
            continue
        quotes = quote_spans(sentence)
        inside = sum(e - s for s, e in quotes)
        unpaired = not quotes and (sentence.count("“") != sentence.count("”") or sentence.count('"') % 2 == 1)
        share = 1.0 if unpaired else inside / max(1, len(sentence))
        start, end = spans[0]
        in_quote = unpaired or any(s <= start and end <= e for s, e in quotes)
        out.append(Mention(s_no, spans[0], in_quote, round(share, 4)))
    return out
