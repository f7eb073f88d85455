"""Sentence splitting and word tokenising for news text: the one implementation that the pipeline, the cleaner,
model training and evaluation all use (rule-based, fast, no model).

The splitter was compared with pysbd 0.3.4 on NewsMTSC (news sentences with gold boundaries): boundary F1 0.96
against 0.88, and hundreds of times faster; pysbd splits inside quotations (`." "`) and after "Jr." in "Jr.’s".
It never splits inside a quotation (a sentence starting in the middle of a quote misleads every model that reads
it alone); NewsMTSC's gold does, so `bench/bench_splitter.py` on its train.jsonl went from F1 0.872 (P 0.869,
R 0.876) to 0.862 (P 0.891, R 0.835) with that rule.

A wire dateline ("WASHINGTON (Reuters) -", "July 4 (UPI) --") opens a news text: `split_dateline` is the one rule
that finds it (the cleaner moves it into the article's metadata; the summariser strips it from texts that did not
come through the cleaner).
"""

from __future__ import annotations

import re
from itertools import groupby

# Tokens ending in "." that do not end a sentence: titles and ranks before a name ("Sen.", "U.S. Reps.",
# "Lt. Gen.", "Atty. Gen."), months, and the like.
TITLES = frozenset(
    """mr mrs ms messrs mmes dr prof sr jr st gen gens col lt maj brig sgt sgts capt cmdr adm cpl pvt det supt
    insp gov govs sen sens rep reps cong rev msgr fr hon pres amb atty""".split()
)
ABBREVIATIONS = TITLES | frozenset(
    """vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec fig approx est dept univ ave blvd mt
    ft""".split()
)
# ... tokens that are abbreviations only before a number: "No. 10", but "he said no. Then he left."
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "art"})
# ... and U.S. states as news style abbreviates them, which end a sentence after a place ("in Tempe, Ariz.") but
# not before a title that they qualify ("calling for Ariz. Gov. Jan Brewer to veto").
STATE_ABBREVIATIONS = frozenset(
    """ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla ore
    pa tenn tex vt va wash wis wyo""".split()
)
_BOUNDARY = re.compile(r"""([.!?…]+["'’”)\]]*)\s+(?=["'‘“(\[]?[A-Z0-9])""")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
# A line that ends like a sentence: final punctuation, then closing quotes or brackets. The line rules also
# rule out a trailing ellipsis (`SENTENCE_END_NO_ELLIPSIS`); the line model's feature was trained on this one.
SENTENCE_END = re.compile(r"[.!?][\"”’'»)\]]*\s*$")
SENTENCE_END_NO_ELLIPSIS = re.compile(r"(?<!\.\.)(?<!…)" + SENTENCE_END.pattern)
_QUOTE_MARKS = "\"'“„«‘"


def words(text: str, *, lower: bool = False) -> list[str]:
    """Word tokens: runs of letters and digits, apostrophes and hyphens inside kept ("Russia’s", "Taliban-run").

    `lower=True` gives the folded form the stance features compare: lower-cased, with ’ written as ', so that
    "Isn’t" and "isn't" are one token.
    """
    if lower:
        return [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return _WORD.findall(text)


# Tokens as news treebanks write them (CoNLL-2003): a word with its inner hyphens, an abbreviation with its
# periods ("U.S."), a clitic on its own ("’s", "n’t"), every other mark alone. The named-entity tagger's view.
_TB_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?=n[’']t\b)|n[’']t\b|\w+(?:-\w+)*|[’']\w+|\S")


def treebank_tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of each token of `text`, treebank style (see `_TB_TOKEN`): "Trump’s U.S. visit"
    -> Trump, ’s, U.S., visit."""
    return [(m.group(0), m.start(), m.end()) for m in _TB_TOKEN.finditer(text)]


def letter_words(text: str) -> list[str]:
    """The tokens of `words` from their first letter on, as written; a token without a letter is dropped.

    The cleaner's line rules count these and look them up in stopword lists: "10am" counts as "am", "1st" as
    "st", "2021" not at all.
    """
    found = _WORD.findall(text)
    out = [word for word in found if word[0].isalpha()]
    if len(out) == len(found):
        return out
    out = []
    for word in found:
        if word[0].isalpha():
            out.append(word)
        elif (first := next((i for i, ch in enumerate(word) if ch.isalpha()), None)) is not None:
            out.append(word[first:])
    return out


def letter_runs(text: str) -> list[str]:
    """The runs of letters inside the tokens of `words`, split at digits, apostrophes, hyphens and underscores:
    "Taliban-run 3rd don't" gives "Taliban", "run", "rd", "don", "t" (the cleaner's headline keys)."""
    runs = []
    for word in _WORD.findall(text):
        if word.isalpha():
            runs.append(word)
        else:
            runs.extend("".join(run) for alpha, run in groupby(word, str.isalpha) if alpha)
    return runs


def word_count(text: str) -> int:
    return len(words(text))


def _token(word: str) -> str:
    """A word as the abbreviation lists hold it: opening quotes and brackets and the final dots removed, lower."""
    return word.rstrip(".").lstrip("\"'‘“([").lower()


def _is_abbreviation(chunk: str, following: str) -> bool:
    """Whether the last token of `chunk` (ending in ".") is an abbreviation rather than a sentence's end."""
    tokens = chunk.split()
    last = tokens[-1] if tokens else ""
    if not last.endswith("."):
        return False
    token = _token(last)
    if token in ABBREVIATIONS:
        return True
    if token in NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    if token in STATE_ABBREVIATIONS:  # "for Ariz. Gov. Jan Brewer", not "in Tempe, Ariz. Sen. Kyl said"
        after = following.split(maxsplit=1)
        before = tokens[-2] if len(tokens) > 1 else ""
        return bool(after) and after[0].endswith(".") and _token(after[0]) in TITLES and not before.endswith(",")
    if len(token) == 1 and token.isalpha():  # an initial: "J. Smith"
        return True
    # a dotted acronym, "U.S.", "A.Yu.", "a.m.", "then-U.N.", but not "40.6%." or "(R-Ariz.)."
    acronym = token.rsplit("-", 1)[-1]
    return "." in acronym and all(part.isalpha() for part in acronym.split("."))


# Quotation marks: each opening mark and the marks that close it. A straight double quote opens after a space,
# an opening bracket or a dash and closes after anything else; a single quote (‘ or ') opens the same way and
# closes before a space, punctuation or the end, and only counts when it is closed in the same paragraph (’ is
# also the apostrophe: "’90s", "the countries’ leaders").
_DOUBLE_CLOSERS = {"“": "”", "„": "“”", "«": "»", '"': '"'}
_SINGLE_CLOSERS = {"‘": "’", "'": "'"}
_OPENS_AFTER = " \t([{—–-/"


def _opens(paragraph: str, i: int) -> bool:
    """Whether the quote mark at `i` can open a quotation: at the start or after a space, bracket or dash, and
    before a non-space."""
    before = paragraph[i - 1] if i else " "
    after = paragraph[i + 1 : i + 2]
    return before in _OPENS_AFTER and bool(after) and not after.isspace()


def quoted_ranges(paragraph: str) -> list[tuple[int, int]]:
    """The outermost quotations of one paragraph as [start, end) spans, quote marks included. A double
    quotation left open runs to the paragraph's end (news style leaves a quotation that goes on in the next
    paragraph unclosed); an unclosed single quote is taken for an apostrophe."""
    ranges: list[tuple[int, int]] = []
    i, n = 0, len(paragraph)
    while i < n:
        ch = paragraph[i]
        closers = _DOUBLE_CLOSERS.get(ch) or _SINGLE_CLOSERS.get(ch)
        if closers is None or not _opens(paragraph, i):
            i += 1
            continue
        single = ch in _SINGLE_CLOSERS
        end = None
        for j in range(i + 1, n):
            c = paragraph[j]
            if c in closers and not paragraph[j - 1].isspace():
                following = paragraph[j + 1 : j + 2]
                if not single or not following or not following.isalnum():
                    end = j + 1
                    break
        if end is None:
            if single:
                i += 1
                continue
            end = n
        ranges.append((i, end))
        i = end
    return ranges


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; every line (paragraph) is split on its own and never joined to another.

    No sentence starts inside a quotation: a quotation of several sentences stays in one sentence, which ends at
    the quotation's end or later ("“We will help. We will stay,” he said." is one sentence).
    """
    sentences: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        quoted = quoted_ranges(paragraph) if any(ch in paragraph for ch in _QUOTE_MARKS) else []
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            end = match.end(1)
            if any(q_start < end < q_end for q_start, q_end in quoted):
                continue
            candidate = paragraph[start:end]
            if _is_abbreviation(candidate, paragraph[match.end() :]):
                continue
            sentences.append(candidate.strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


# Stopwords by language, the one list of each: the line rules' stopword density (jusText's feature) and the
# stance features' content words (English).
_EN = frozenset(
    """a about above after again against all almost also although always am among an and another any
    are aren't around as at away back be became because been before being below between both but by can
    cannot could couldn't did didn't do does doesn't doing don't down during each either else even ever
    every few for from further had hadn't has hasn't have haven't having he her here hers herself him
    himself his how however i if in into is isn't it it's its itself just last least less like made make
    many may me might more most much must my myself neither never no nor not now of off often on once
    one only or other others our ours ourselves out over own per perhaps rather said same says she
    should shouldn't since so some still such than that that's the their theirs them themselves then
    there there's these they this those though through thus to too under until up upon us very was
    wasn't we were weren't what when where whether which while who whom whose why will with within
    without won't would wouldn't yet you your yours yourself also new two three told according""".split()
)
_OTHER: dict[str, frozenset[str]] = {
    "de": frozenset(
        "der die das und ist nicht ein eine zu den mit von sich auf für im dem des auch es ich sie er wir "
        "wird werden bei nach aus wie oder aber noch nur hat haben sind war einer einem über".split()
    ),
    "fr": frozenset(
        "le la les et est une des du dans que qui pour pas sur au avec ce il elle ne se plus par "
        "sont aux ont été cette mais ou son leurs nous vous leur comme".split()
    ),
    "es": frozenset(
        "el la los las y es un una de del que en por con para se no su al lo como más pero sus "
        "le ya o fue este ha sí porque esta entre cuando muy sin sobre".split()
    ),
    "it": frozenset(
        "il lo la gli le e è un una di del della che in per con non si al sono ha anche come "
        "più ma nel alla dei delle degli questo".split()
    ),
    "pt": frozenset(
        "o a os as e é um uma de do da dos das que em para com não se por mais ao como mas "
        "foi na no ele ela seu sua são".split()
    ),
    "nl": frozenset(
        "de het een en van is dat in op te zijn niet met voor er aan ook als bij door maar "
        "om nog wordt worden dit die".split()
    ),
    "ru": frozenset(
        "и в не на я что он с как а то все она так его но да ты к у же вы за бы по только "
        "ее мне было вот от меня еще нет о из ему это".split()
    ),
}
STOPWORDS: dict[str, frozenset[str]] = {"en": _EN, **_OTHER}


# Quotations: the same patterns as warehouse/views/quotes.sql (“…” or "…"; ‘…’ or '…' of 8 characters or more
# after a space or "(" and before a space or punctuation), three words or more. Python's one implementation.
_QUOTE_DOUBLE = re.compile(r"[“\"]([^”\"]+)[”\"]")
_QUOTE_SINGLE = re.compile(r"(?:^|[\s(])[‘']([^’']{8,})[’'](?:[\s,.;:!?)]|$)")


def quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans [start, end) of the quotations inside `sentence` (without their quote marks), in order."""
    spans = [
        m.span(1)
        for pattern in (_QUOTE_DOUBLE, _QUOTE_SINGLE)
        for m in pattern.finditer(sentence)
        if len(m.group(1).strip().split(" ")) >= 3
    ]
    return sorted(spans)


# A wire dateline opening a text: an upper-case place ("WASHINGTON", "AMHERST, N.H.", "KABUL, Afghanistan"),
# maybe a date and an agency in parentheses, then a dash; or capitalised words or a date ("Kabul, Afghanistan",
# "July 4") before an agency in parentheses and a dash, a colon, or directly the text ("(CNN)The"); or a place
# and an upper-case agency after a slash ("Busan/IBNS:"). On basil_dev the first two find 41 of 180 article
# openings, on cnndm_train_sample100 24 of 100 (the "(CNN) --" ones).
_DASH = r"(?:--|[—–]|-(?=\s))"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CREDIT = r"\((?P<credit>[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+){0,2})\)"
_DATELINES = (
    re.compile(
        rf"""^\s*(?P<dateline>
            [A-Z][A-Z.'’&-]+(?:\s+[A-Z][A-Z.'’&-]+)*            # WASHINGTON, NEW YORK, ST. LOUIS
            (?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)?       # , N.H. / , Afghanistan
            (?:,\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?          # , July 3
            (?:\s*{_CREDIT})?                                  # (AP)
            \s*{_DASH})\s*(?=\S)""",
        re.VERBOSE,
    ),
    re.compile(
        rf"""^\s*(?P<dateline>
            (?:[A-Z][\w.'’-]*(?:,?\s+(?:[A-Z][\w.'’-]*|\d{{1,4}})){{0,4}}\s*)?  # Kabul, Afghanistan / July 4
            {_CREDIT}                                           # (CNN)
            (?:\s*(?:{_DASH}|:)|(?=[A-Z“"‘'])))\s*(?=\S)""",
        re.VERBOSE,
    ),
    # ... any short opening before an agency and a dash or colon ("SAN JOSÉ, 5 de julio (EFE) -")
    re.compile(rf"^\s*(?P<dateline>[A-Z\d][^()\n]{{0,60}}?\s*{_CREDIT}\s*(?:{_DASH}|:))\s*(?=\S)"),
    re.compile(r"^\s*(?P<dateline>[A-Z][\w .'’-]{1,30}/(?P<credit>[A-Z]{2,6}|[A-Z][a-z]+)\s*:)\s+(?=\S)"),
)


def split_dateline(text: str) -> tuple[str | None, str | None, str]:
    """(the dateline as printed, the agency it credits, the rest of the text) when `text` opens with a wire
    dateline ("KABUL, Afghanistan (Reuters) -", "July 4 (UPI) --", "(CNN)"); (None, None, text) otherwise."""
    for pattern in _DATELINES:
        match = pattern.match(text)
        if match:
            return match["dateline"].strip(), match["credit"], text[match.end() :]
    return None, None, text
