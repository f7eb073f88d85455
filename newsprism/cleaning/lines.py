"""The line rules: one decision per line of plain text, from cue rules, shallow text features and position.

1. cue rules name the obvious non-body lines (blank, caption, byline, share prompt, tail heading...);
2. a tail heading ("Related Articles", "Comments", "More From X") after enough body text cuts the page;
3. every other line gets jusText's shallow class (length, stopword density, punctuation);
4. the main region is the contiguous run of lines with the best score (good text +, boilerplate -);
5. the line model (`linemodel`) keeps or drops lines given the rules' decisions (`apply_model`).

`read_lines` does steps 1-4 and returns a `Reading`; metadata (title, date, author, outlet) is read from it
by `metadata`, and `document` runs the whole sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.cleaning import linemodel
from newsprism.cleaning import rules as R
from newsprism.cleaning.dates import find_date
from newsprism.cleaning.lang import detect_language
from newsprism.text import SENTENCE_END_NO_ELLIPSIS as SENT_END
from newsprism.text import STOPWORDS
from newsprism.text import letter_words as words

# the shallow thresholds (jusText's defaults, in characters, and a stopword density band)
LENGTH_LOW = 70
STOPWORDS_LOW = 0.30
STOPWORDS_MIN = 0.20
TAIL_MIN_WORDS = 40  # body words needed before a tail heading is trusted to end the article
TAIL_AFTER_RATIO = 0.5  # a tail heading ends the article unless the best run after it is this much bigger
SANDWICH_MAX = 2  # short lines between two body paragraphs that are kept as body
INDEX_MIN_TEASERS = 3  # heading + one short paragraph, this often and nothing longer: an index page
INDEX_MAX_WORDS = 45
EXT_MIN_CHARS = 20  # a line this long counts as kept when it is a piece of one of the extractor's lines
POST_MAX_CHARS = 280  # an embedded social post's text is at most this long (X/Twitter's limit)

_SPACE = re.compile(r"\s+")
YEAR = re.compile(r"(?:19|20)\d\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# classes of lines the rules did not name
GOOD, NEAR, HEADING, SHORT, BAD = "good", "near", "heading", "short", "bad"
# rule reasons that may sit inside an article (a caption between paragraphs) without ending it
INLINE_REASONS = frozenset(
    {
        "photo_caption",
        "photo_credit",
        "media_label",
        "social_embed",
        "advertisement",
        "duplicate",
        "dateline",
        "byline",
        "share_prompt",
        "boilerplate_repeated",
        "newsletter",
    }
)


def normalise(line: str) -> str:
    """The key under which two lines count as the same line (case and spacing ignored)."""
    return _SPACE.sub(" ", line).strip().lower()


class Line:
    """One input line and what the rules (then the model) made of it."""

    __slots__ = ("i", "raw", "s", "n", "density", "cls", "reason", "kept", "ext")

    def __init__(self, i: int, raw: str) -> None:
        self.i = i
        self.raw = raw
        self.s = raw.strip()
        self.n = 0
        self.density = 0.0
        self.cls = ""
        self.reason: str | None = None
        self.kept = False
        self.ext: bool | None = None  # whether an extractor (trafilatura) chose this line; None: no extractor


@dataclass
class Reading:
    """The rules' reading of a page's lines: each line's decision, the main region lines[lo:hi + 1] (hi < lo
    when there is none), where the tail starts (`end`), the language and its stopwords."""

    lines: list[Line]
    lo: int
    hi: int
    end: int
    language: str
    stop: frozenset[str] | None
    index: bool  # an index page (teasers only): no article


def read_lines(raw_lines: list[str], *, repeated: frozenset[str] = frozenset(), region: bool = True) -> Reading:
    """Steps 1-4 over the lines: cue rules, tail cut, main region, a decision on every line.

    `repeated` holds normalised lines known to recur across one outlet's articles; with `region` False every
    line no cue rule names is kept wherever it stands (text an extractor already chose).
    """
    lines = [Line(i, raw) for i, raw in enumerate(raw_lines)]
    text_for_lang = "\n".join(line.s for line in lines if len(line.s) >= 40) or "\n".join(raw_lines)
    lang = detect_language(text_for_lang)
    stop = STOPWORDS.get(lang)

    # 1. cue rules, duplicates
    seen: set[str] = set()
    for line in lines:
        if not line.s:
            line.reason = "blank"
            continue
        key = normalise(line.s)
        line.reason = _rule_reason(line.s, key, repeated)
        line.cls = _shallow_class(line, stop)
        if line.reason is None and key in seen and line.n >= 1:
            line.reason = "duplicate"
        seen.add(key)

    # "— Name (@handle) date" closes an embedded post; its text may stand in the paragraphs just above
    for line in lines:
        if line.reason == "social_embed" and (attribution := R.SOCIAL_ATTRIBUTION.search(line.s)):
            _mark_post_above(lines, line.i, len(R.SOCIAL.sub("", line.s[: attribution.start()]).strip()))

    # 2. a tail heading ends the article when a real article precedes it and no bigger one follows it
    end = _tail_start(lines)
    for line in lines[end:]:
        if line.reason != "blank":
            line.reason = lines[end].reason

    # 3. the main region
    lo, hi = _best_region(lines, end)[:2]

    # 4. decisions inside and outside the region
    for line in lines[:end]:
        if line.reason is not None:
            continue
        outside = not lo <= line.i <= hi
        if outside and (region or line.cls != GOOD):
            line.reason = "outside_main"
        elif line.cls in (GOOD, NEAR) or not region:
            line.reason, line.kept = "body", True
        elif line.cls == HEADING and _followed_by_body(lines, line.i, hi):
            line.reason, line.kept = "subheading", True
        elif line.cls == BAD:
            line.reason = "low_content"
        else:
            line.reason = "short"

    # 4b. context: a short run of short lines between body paragraphs (a list, a quote's attribution) is body
    if region:
        _keep_sandwiched(lines, lo, hi)

    # 4c. an index page (headline + one-line teaser, again and again) has no article
    index = _index_page(lines, lo, hi)
    if index:
        for line in lines:
            if line.kept:
                line.reason, line.kept = "index_page", False
    return Reading(lines, lo, hi, end, lang, stop, index)


def mark_extracted(lines: list[Line], extracted: str) -> None:
    """Flag the lines an extractor kept: the same line, or (long enough) a piece of one of its lines."""
    text = normalise(extracted)
    keys = {normalise(x) for x in extracted.splitlines()}
    for line in lines:
        if line.s:
            key = normalise(line.s)
            line.ext = key in keys or (len(key) >= EXT_MIN_CHARS and key in text)


# the model may keep a line the rules dropped only for want of content or place, never one a cue rule named
MODEL_MAY_KEEP = frozenset({"outside_main", "short", "low_content"})
# what a model that abstains keeps: those, and repeats of an earlier line (which a model may keep, `also_keep`)
ABSTAIN_KEEPS = MODEL_MAY_KEEP | {"duplicate"}


def abstains(model: linemodel.LineModel, language: str) -> bool:
    """Whether the model has too little evidence for a page in `language` (its training data held too few pages
    of it): the rules prior then keeps every line only the main region, length, stopword density or a repeat
    dropped (`ABSTAIN_KEEPS`)."""
    return model.languages is not None and language not in model.languages


def apply_model(reading: Reading, model: linemodel.LineModel, layout: list[tuple[float, str]] | None = None) -> None:
    """Let the line model keep or drop each non-blank line, given the rules' decisions.

    `layout` ((link share, block tag) per line) is what a model trained with it (the HTML one) needs.
    """
    lines = reading.lines
    if model.prior == "rules" and abstains(model, reading.language):
        # no evidence for this language: every line whose drop the model could have revised stays (the cue
        # rules, the tail cut and the headline still decide theirs)
        for line in lines:
            if not line.kept and line.reason in ABSTAIN_KEEPS:
                line.reason, line.kept = "model_abstained", True
        return
    if not model.layout:
        layout = None
    elif layout is None or len(layout) != len(lines):
        raise ValueError("the HTML line model needs the layout (link share, block) of every line")
    rows_lines, rows = linemodel.features(lines, reading.lo, reading.hi, reading.end, layout)
    if not rows:
        return
    probs = linemodel.probabilities(model, rows)
    if model.prior == "extracted":
        _revise_extracted(rows_lines, probs, model)
        return
    dropped_headings: list[int] = []
    for k, (line, p) in enumerate(zip(rows_lines, probs, strict=True)):
        may_keep = line.reason in MODEL_MAY_KEEP or line.reason in model.also_keep
        if p >= model.keep_at and not line.kept and may_keep:
            line.reason, line.kept = "model_body", True
        elif p < model.drop_at and line.kept:
            line.reason, line.kept = "model_boilerplate", False
            if line.cls == HEADING:
                dropped_headings.append(k)
    # a heading between two kept paragraphs stays: the article goes on around it
    for k in dropped_headings:
        if 0 < k < len(rows_lines) - 1 and rows_lines[k - 1].kept and rows_lines[k + 1].kept:
            rows_lines[k].reason, rows_lines[k].kept = "subheading", True


def _revise_extracted(rows_lines: list[Line], probs: list[float], model: linemodel.LineModel) -> None:
    """trafilatura's choice is the prior: a line it chose stays unless P(body) < drop_at, a line it left out
    is restored from P(body) >= keep_at. The headline stays out, and so does a line a cue rule named (unless
    its reason is in the model's `also_keep`). Kept lines read "body" (the rules agreed) or "extracted" /
    "model_body"; dropped ones keep their rule's reason, else "model_boilerplate" (the model overruled
    trafilatura) or "not_extracted"."""
    for line, p in zip(rows_lines, probs, strict=True):
        if not (line.kept or line.reason in MODEL_MAY_KEEP or line.reason in model.also_keep):
            continue
        keep = p >= (model.drop_at if line.ext else model.keep_at)
        if keep and not line.kept:
            line.reason, line.kept = ("extracted" if line.ext else "model_body"), True
        elif not keep and line.kept:
            line.reason, line.kept = ("model_boilerplate" if line.ext else "not_extracted"), False
        elif not keep and line.ext and line.reason in MODEL_MAY_KEEP:
            line.reason = "model_boilerplate"


def _rule_reason(s: str, key: str, repeated: frozenset[str]) -> str | None:
    """The cue-rule reason of one non-blank stripped line, or None when no rule names it."""
    if key in repeated:
        return "boilerplate_repeated"
    low = s.lower()
    if ("(@" in s and R.SOCIAL_ATTRIBUTION.search(s)) or (
        ("pic.twitter" in low or "post" in low or "view" in low or "(@" in s) and R.SOCIAL.search(s)
    ):
        return "social_embed"
    short = len(s) <= 60
    if short and R.SHORT_ANY.match(s):
        cue = R.tail_cue(s)
        if cue:
            return cue
        if R.NAVIGATION.match(s):
            return "navigation"
        if R.ADVERT.match(s):
            return "advertisement"
        if R.MEDIA_LABEL.match(s):
            return "media_label"
        if R.SHARE.match(s):
            return "share_prompt"
        if R.RELATIVE_TIME.match(s):
            return "dateline"
    if short and R.SOCIAL_FIRST.match(s) and R.is_social_list(s):
        return "share_prompt"
    if len(s) <= 250:
        if "cookie" in low and R.COOKIE.search(s):
            return "cookie"
        if (short or not SENT_END.search(s)) and R.NEWSLETTER.search(s):
            return "newsletter"
        if len(s) <= 160 and R.NEWSLETTER_PROMPT.search(s):
            return "newsletter"
        if (("©" in s or "copyright" in low[:12]) and R.COPYRIGHT.match(s)) or (
            R.ALL_RIGHTS.search(s) and len(s) <= 160
        ):
            return "copyright"
    if len(s) <= 400 and ("©" in s or "copyright" in low) and R.RIGHTS_NOTICE.search(s):
        return "copyright"
    if len(s) >= 30 and s[-1] in "eE»>›.…" and R.TEASER_END.search(s) and " " in s[:-5]:
        return "teaser"
    if len(s) <= 120 and R.BYLINE.match(s) and not SENT_END.search(s):
        return "byline"
    if len(s) <= 120 and R.REPORTING_BY.match(s):
        return "agency_signoff"
    if _is_dateline(s):
        return "dateline"
    if len(s) <= 400:
        if R.PHOTO_CREDIT_ONLY.match(s):
            return "photo_credit"
        if _photo_credit_at_end(s):
            return "photo_caption"
    if len(s) <= 300 and R.BIO_START.match(s) and R.AUTHOR_BIO.search(s):
        return "author_bio"
    return None


_CREDIT_HINTS = (
    "/",
    "(",
    "photo",
    "image",
    "picture",
    "credit",
    "courtesy",
    "illustration",
    "getty",
    "shutterstock",
    "alamy",
    "istock",
)


_CREDIT_HINT = re.compile("|".join(re.escape(h) for h in _CREDIT_HINTS))


def _photo_credit_at_end(s: str) -> bool:
    tail = s[-120:]
    low = tail.lower()
    if not _CREDIT_HINT.search(low):
        return False
    cut = tail.rfind(". ", 0, max(0, len(tail) - 8))
    return bool(R.PHOTO_CREDIT_TAIL.search(tail if cut < 0 else tail[cut + 2 :]))


_DATE_WORDS = frozenset(
    "date dated published posted updated last modified on at by am pm a.m. p.m. gmt utc est edt et pt bst cet "
    "ist news world first local time".split()
)


def _is_dateline(s: str) -> bool:
    if len(s) > 90 or not YEAR.search(s):
        return False
    found = find_date(s)
    if not found:
        return False
    rest = (s[: found[1]] + " " + s[found[2] :]).lower()
    leftover = [w for w in words(rest) if w not in _DATE_WORDS]
    if SENT_END.search(s) and not re.search(r"[ap]\.?m\.?$", s, re.I):
        return len(leftover) <= 1
    return len(leftover) <= 3


def _shallow_class(line: Line, stop: frozenset[str] | None) -> str:
    s = line.s
    toks = words(s)
    line.n = len(toks)
    if stop is None:  # a language without a stopword list: length and punctuation only
        cjk = bool(_CJK.search(s))
        if len(s) >= (25 if cjk else LENGTH_LOW):
            return GOOD
        return NEAR if SENT_END.search(s) and len(s) >= (8 if cjk else 25) else SHORT
    hits = sum(1 for t in toks if t.lower() in stop)
    line.density = hits / line.n if line.n else 0.0
    if len(s) >= LENGTH_LOW:
        if line.density >= STOPWORDS_LOW:
            return GOOD
        if line.density >= STOPWORDS_MIN and SENT_END.search(s):
            return GOOD if len(s) >= 2 * LENGTH_LOW else NEAR
        if SENT_END.search(s) and line.n >= 6 and (s[0].isupper() or s[0] in "\"'“‘"):
            return NEAR
        return BAD
    if SENT_END.search(s) and line.n >= 3 and line.density >= STOPWORDS_MIN:
        return NEAR
    if _heading_like(s, line.n):
        return HEADING
    return SHORT


def _heading_like(s: str, n: int) -> bool:
    if not (1 <= n <= 25) or len(s) > 200:
        return False
    if s[-1] in ".,;:|" or s.endswith("..."):
        return False
    first = s[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘"


def _score(line: Line) -> float:
    if line.reason is None:
        by_class = {GOOD: float(line.n), NEAR: 0.5 * line.n, HEADING: -1.0, SHORT: -2.0}
        return by_class.get(line.cls, -(2.0 + 0.5 * line.n))
    if line.reason == "blank":
        return 0.0
    if line.reason in INLINE_REASONS:
        return -1.0
    return -3.0 - 0.25 * line.n


def _mark_post_above(lines: list[Line], end: int, post_chars: int) -> None:
    """An embedded post closed by lines[end] ("… — Name (@handle) date") may hold one more paragraph: the
    unnamed line just above it (a standalone attribution), or, when the closing line carries the post's
    last paragraph (`post_chars` of it), the paragraph above the blanks if the two fit in one post and it
    does not introduce the post (no closing colon)."""
    prev = next((line for line in reversed(lines[:end]) if line.reason != "blank"), None)
    if prev is None or prev.reason is not None:
        return
    if post_chars == 0:
        if prev.i == end - 1:
            prev.reason = "social_embed"
    elif post_chars + len(prev.s) <= POST_MAX_CHARS and not prev.s.endswith(":"):
        prev.reason = "social_embed"


def _tail_start(lines: list[Line]) -> int:
    """Index of the tail heading that ends the article, or len(lines) when none does."""
    cues = [line.i for line in lines if line.reason in ("related_tail", "comments") or _rights_line(lines, line)]
    comments = [c for c in cues if lines[c].reason == "comments"]
    for c in cues:
        before = _best_region(lines, c)[2]
        if before < TAIL_MIN_WORDS:
            continue
        if lines[c].reason == "comments":
            return c
        # a related box can sit inside the article: the text after it (up to a comments heading) is the
        # article's continuation when it outweighs what came before
        stop = next((k for k in comments if k > c), len(lines))
        after = _best_region(lines, stop, c + 1)[2]
        if before >= TAIL_AFTER_RATIO * after:
            return c
    return len(lines)


def _rights_line(lines: list[Line], line: Line) -> bool:
    """A page's rights notice ("Copyright © 2008 X", "All rights reserved") with body-like text after it: the
    footer, so that text is no more article than what follows a related box (a bare "© Agency" photo credit
    does not count, nor a notice with nothing to cut after it)."""
    if line.reason != "copyright" or not (YEAR.search(line.s) or R.RIGHTS_NOTICE.search(line.s)):
        return False
    return any(other.reason is None and other.cls == GOOD for other in lines[line.i + 1 :])


def _best_region(lines: list[Line], end: int, start: int = 0) -> tuple[int, int, float]:
    """Maximum-sum contiguous run of lines[start:end] (Kadane): (lo, hi, score); hi < lo when none > 0."""
    best, best_lo, best_hi = 0.0, start, start - 1
    run, lo = 0.0, start
    for i in range(start, end):
        sc = _score(lines[i])
        if run <= 0:
            run, lo = sc, i
        else:
            run += sc
        if run > best:
            best, best_lo, best_hi = run, lo, i
    return best_lo, best_hi, best


def _keep_sandwiched(lines: list[Line], lo: int, hi: int) -> None:
    """jusText's context step: runs of short/low-content lines with body on both sides take the body's class."""
    run: list[Line] = []
    prev_body = False
    for line in lines[lo : hi + 1]:
        if line.reason == "blank":
            continue
        if line.kept and line.reason == "body":
            if prev_body and run and len(run) <= SANDWICH_MAX:
                for other in run:
                    other.reason, other.kept = "body_context", True
            run, prev_body = [], True
        elif line.reason in ("short", "low_content"):
            run.append(line)
        else:
            run, prev_body = [], False


def _index_page(lines: list[Line], lo: int, hi: int) -> bool:
    """Teasers only: headline-long headings each followed by a single short paragraph, nothing longer."""
    teasers = others = run = 0
    heading: Line | None = None
    for line in lines[lo : hi + 1]:
        if line.reason == "blank":
            continue
        if line.kept and line.reason in ("body", "body_context"):
            run += 1
            if line.n > INDEX_MAX_WORDS or run > 1:
                return False
            if heading is not None and heading.n >= 4:
                teasers += 1
            else:
                others += 1  # a paragraph under a label ("Ball", "Game Speed") is a definition, not a teaser
            heading = None
        else:
            run = 0
            heading = line if line.reason == "subheading" else None
    return teasers >= INDEX_MIN_TEASERS and teasers > others


def _followed_by_body(lines: list[Line], i: int, hi: int) -> bool:
    for line in lines[i + 1 : hi + 1]:
        if line.reason == "blank" or (line.reason in INLINE_REASONS):
            continue
        return line.reason is None and line.cls in (GOOD, NEAR)
    return False
