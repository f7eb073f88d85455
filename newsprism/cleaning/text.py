"""The plain-text cleaner: one decision per line, from cue rules, shallow text features and position.

1. cue rules name the obvious non-body lines (blank, caption, byline, share prompt, tail heading...);
2. a tail heading ("Related Articles", "Comments", "More From X") after enough body text cuts the page;
3. every other line gets jusText's shallow class (length, stopword density, punctuation);
4. the main region is the contiguous run of lines with the best score (good text +, boilerplate -);
5. metadata (title, date, author, outlet, wire, language) comes from the lines the rules recognised.
"""

from __future__ import annotations

import re

from newsprism.cleaning import linemodel
from newsprism.cleaning import rules as R
from newsprism.cleaning.article import CleanedArticle, LineDecision
from newsprism.cleaning.dates import find_date, precision
from newsprism.cleaning.lang import STOPWORDS, detect_language, words

# the shallow thresholds (jusText's defaults, in characters, and a stopword density band)
LENGTH_LOW = 70
STOPWORDS_LOW = 0.30
STOPWORDS_MIN = 0.20
TAIL_MIN_WORDS = 40  # body words needed before a tail heading is trusted to end the article
TAIL_AFTER_RATIO = 0.5  # a tail heading ends the article unless the best run after it is this much bigger
SANDWICH_MAX = 2  # short lines between two body paragraphs that are kept as body
INDEX_MIN_TEASERS = 3  # heading + one short paragraph, this often and nothing longer: an index page
INDEX_MAX_WORDS = 45
EXT_BONUS = 2.0  # html mode: score added to a visible line the extractor kept, plus EXT_WORD per word
EXT_WORD = 1.0
EXT_PENALTY = 20.0  # score taken from a visible line the extractor left out
EXT_MIN_CHARS = 20  # a line this long counts as kept when it is a piece of one of the extractor's lines
TITLE_LOOKBACK = 15  # non-blank lines searched above the body for the headline
TITLE_LEAD_WORDS = 60  # content words of the lead compared with a headline candidate
TITLE_NEAREST = 1  # with no overlap, a headline-shaped line this close above the body is taken
TITLE_MIN_OVERLAP = 0.3  # share of a candidate's content words found in the lead
POST_MAX_CHARS = 280  # an embedded social post's text is at most this long (X/Twitter's limit)

_SPACE = re.compile(r"\s+")
_END_PUNCT = re.compile(r"[.!?…:;\"”’'»)\]]\s*$")
_SENT_END = re.compile(r"(?<!\.\.)(?<!…)[.!?][\"”’'»)\]]*\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# classes of lines the rules did not name
GOOD, NEAR, HEADING, SHORT, BAD = "good", "near", "heading", "short", "bad"
# rule reasons that may sit inside an article (a caption between paragraphs) without ending it
_INLINE_REASONS = frozenset(
    {"photo_caption", "photo_credit", "media_label", "social_embed", "advertisement", "duplicate", "dateline",
     "byline", "share_prompt", "boilerplate_repeated", "newsletter"}
)
# reasons a headline candidate may carry (the rules name none of a headline's usual shapes)
_TITLE_REASONS = frozenset({None, "outside_main", "short", "low_content", "duplicate"})


def normalise(line: str) -> str:
    """The key under which two lines count as the same line (case and spacing ignored)."""
    return _SPACE.sub(" ", line).strip().lower()


def find_repeated_lines(texts_by_outlet: dict[str, list[str]], min_articles: int = 3) -> set[str]:
    """Lines (normalised) that recur in at least `min_articles` articles of one outlet: its boilerplate.

    Media Cloud's per-outlet sentence counts: a line a site prints under every story is not the story.
    Pass the result to `clean_text(..., repeated=frozenset(result))`.
    """
    found: set[str] = set()
    for texts in texts_by_outlet.values():
        counts: dict[str, int] = {}
        for text in texts:
            for key in {normalise(line) for line in text.splitlines()}:
                if key:
                    counts[key] = counts.get(key, 0) + 1
        found.update(key for key, n in counts.items() if n >= min_articles)
    return found


class _Line:
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
        if (short or not _SENT_END.search(s)) and R.NEWSLETTER.search(s):
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
    if len(s) <= 120 and R.BYLINE.match(s) and not _SENT_END.search(s):
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


_CREDIT_HINTS = ("/", "(", "photo", "image", "picture", "credit", "courtesy", "illustration", "getty", "shutterstock",
                 "alamy", "istock")


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
    if len(s) > 90 or not _YEAR.search(s):
        return False
    found = find_date(s)
    if not found:
        return False
    rest = (s[: found[1]] + " " + s[found[2]:]).lower()
    leftover = [w for w in words(rest) if w not in _DATE_WORDS]
    if _SENT_END.search(s) and not re.search(r"[ap]\.?m\.?$", s, re.I):
        return len(leftover) <= 1
    return len(leftover) <= 3


def _shallow_class(line: _Line, stop: frozenset[str] | None) -> str:
    s = line.s
    toks = words(s)
    line.n = len(toks)
    if stop is None:  # a language without a stopword list: length and punctuation only
        cjk = bool(_CJK.search(s))
        if len(s) >= (25 if cjk else LENGTH_LOW):
            return GOOD
        return NEAR if _SENT_END.search(s) and len(s) >= (8 if cjk else 25) else SHORT
    hits = sum(1 for t in toks if t.lower() in stop)
    line.density = hits / line.n if line.n else 0.0
    if len(s) >= LENGTH_LOW:
        if line.density >= STOPWORDS_LOW:
            return GOOD
        if line.density >= STOPWORDS_MIN and _SENT_END.search(s):
            return GOOD if len(s) >= 2 * LENGTH_LOW else NEAR
        if _SENT_END.search(s) and line.n >= 6 and (s[0].isupper() or s[0] in "\"'“‘"):
            return NEAR
        return BAD
    if _SENT_END.search(s) and line.n >= 3 and line.density >= STOPWORDS_MIN:
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


def _score(line: _Line) -> float:
    if line.reason is None:
        sc = {GOOD: float(line.n), NEAR: 0.5 * line.n, HEADING: -1.0, SHORT: -2.0}.get(
            line.cls, -(2.0 + 0.5 * line.n)
        )
        if line.ext is None:
            return sc
        return max(sc, 0.0) + EXT_BONUS + EXT_WORD * line.n if line.ext else sc - EXT_PENALTY
    if line.reason == "blank":
        return 0.0
    if line.reason in _INLINE_REASONS:
        return -1.0
    return -3.0 - 0.25 * line.n


def _mark_extracted(lines: list[_Line], extracted: str) -> None:
    """Flag the lines an extractor kept: the same line, or (long enough) a piece of one of its lines."""
    text = normalise(extracted)
    keys = {normalise(x) for x in extracted.splitlines()}
    for line in lines:
        if line.s:
            key = normalise(line.s)
            line.ext = key in keys or (len(key) >= EXT_MIN_CHARS and key in text)


def _mark_post_above(lines: list[_Line], end: int, post_chars: int) -> None:
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


def _tail_start(lines: list[_Line]) -> int:
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


def _rights_line(lines: list[_Line], line: _Line) -> bool:
    """A page's rights notice ("Copyright © 2008 X", "All rights reserved") with body-like text after it: the
    footer, so that text is no more article than what follows a related box (a bare "© Agency" photo credit
    does not count, nor a notice with nothing to cut after it)."""
    if line.reason != "copyright" or not (_YEAR.search(line.s) or R.RIGHTS_NOTICE.search(line.s)):
        return False
    return any(other.reason is None and other.cls == GOOD for other in lines[line.i + 1 :])


def _best_region(lines: list[_Line], end: int, start: int = 0) -> tuple[int, int, float]:
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


def clean_lines(
    raw_lines: list[str],
    outlet_hint: str | None = None,
    *,
    repeated: frozenset[str] = frozenset(),
    language: str | None = None,
    known_title: str | None = None,
    region: bool = True,
    extracted: str | None = None,
    ext_prior: bool = True,
    layout: list[tuple[float, str]] | None = None,
    _capture: dict | None = None,
) -> CleanedArticle:
    lines = [_Line(i, raw) for i, raw in enumerate(raw_lines)]
    if extracted is not None and ext_prior:
        _mark_extracted(lines, extracted)
    text_for_lang = "\n".join(line.s for line in lines if len(line.s) >= 40) or "\n".join(raw_lines)
    lang = language or detect_language(text_for_lang)
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
        if outside and (region or line.cls != GOOD) and not (line.ext and line.cls in (GOOD, NEAR)):
            line.reason = "outside_main"
        elif line.cls in (GOOD, NEAR) or not region or line.ext:  # an extractor chose the line
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

    # 5. metadata: the headline and the agency sign-offs are named before the model looks at the lines
    title, title_line = (None, None) if index else _find_title(lines, lo, hi, known_title, stop)
    if title_line is not None:
        title_line.reason, title_line.kept = "title", False
    wire = _signoffs(lines, hi, end)

    # 5b. the learned second opinion on every non-blank line, given the rules' decisions
    if region and not index:
        if extracted is not None and not ext_prior:  # the extractor's choice is the model's to weigh
            _mark_extracted(lines, extracted)
        _model_decide(lines, lo, hi, end, _capture, html=extracted is not None, layout=layout)
    if title:
        tkey = normalise(title)
        for line in lines[lo : hi + 1]:
            if line.kept and normalise(line.s) == tkey:
                line.reason, line.kept = "title", False
    body_lines = [line for line in lines if line.kept]
    outlet, evidence, dateline_wire = _find_outlet(lines, body_lines, title, end)
    author = next((_byline_name(line.s) for line in lines[: max(hi, 0) + 1] if line.reason == "byline"), None)
    decisions = tuple(LineDecision(line.i, line.raw, line.kept, line.reason or "body") for line in lines)
    if outlet is None and outlet_hint:
        outlet, evidence = outlet_hint, None
    return CleanedArticle(
        body="\n".join(line.s for line in body_lines),
        decisions=decisions,
        title=title,
        published_at=_published(lines, hi),
        author=author,
        outlet=outlet,
        outlet_evidence=evidence,
        wire=wire or dateline_wire,
        language=lang,
    )


# the model may keep a line the rules dropped only for want of content or place, never one a cue rule named
_MODEL_MAY_KEEP = frozenset({"outside_main", "short", "low_content"})


def _model_decide(
    lines: list[_Line], lo: int, hi: int, end: int, capture: dict | None, html: bool = False,
    layout: list[tuple[float, str]] | None = None,
) -> None:
    """Let the line model keep or drop each non-blank line; `capture` takes its feature rows instead (training).

    `html`: the lines carry an extractor's choice (`ext`), and the model trained with it decides; `layout`
    ((link share, block tag) per line) feeds a model trained with it.
    """
    model = None if capture is not None else linemodel.load(str(linemodel.HTML_MODEL_PATH if html else
                                                                 linemodel.MODEL_PATH))
    if model is None and capture is None:
        return
    if model is not None and not model["layout"]:
        layout = None
    elif layout is not None and len(layout) != len(lines):
        layout = None
    if model is not None and model["layout"] and layout is None:
        return  # a layout model without the layout: the rules' decisions stand
    rows_lines, rows = linemodel.features(lines, lo, hi, end, layout)
    if capture is not None:
        capture["lines"], capture["rows"] = rows_lines, rows
        return
    if not rows:
        return
    keep_at, drop_at = model["keep_at"], model["drop_at"]
    dropped_headings: list[int] = []
    for k, (line, p) in enumerate(zip(rows_lines, linemodel.probabilities(model, rows), strict=True)):
        if p >= keep_at and not line.kept and line.reason in _MODEL_MAY_KEEP:
            line.reason, line.kept = "model_body", True
        elif p < drop_at and line.kept:
            line.reason, line.kept = "model_boilerplate", False
            if line.cls == HEADING:
                dropped_headings.append(k)
    # a heading between two kept paragraphs stays: the article goes on around it
    for k in dropped_headings:
        if 0 < k < len(rows_lines) - 1 and rows_lines[k - 1].kept and rows_lines[k + 1].kept:
            rows_lines[k].reason, rows_lines[k].kept = "subheading", True


def _keep_sandwiched(lines: list[_Line], lo: int, hi: int) -> None:
    """jusText's context step: runs of short/low-content lines with body on both sides take the body's class."""
    run: list[_Line] = []
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


def _index_page(lines: list[_Line], lo: int, hi: int) -> bool:
    """Teasers only: headline-long headings each followed by a single short paragraph, nothing longer."""
    teasers = others = run = 0
    heading: _Line | None = None
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


def _followed_by_body(lines: list[_Line], i: int, hi: int) -> bool:
    for line in lines[i + 1 : hi + 1]:
        if line.reason == "blank" or (line.reason in _INLINE_REASONS):
            continue
        return line.reason is None and line.cls in (GOOD, NEAR)
    return False


def _find_title(
    lines: list[_Line], lo: int, hi: int, known: str | None, stop: frozenset[str] | None = None
) -> tuple[str | None, _Line | None]:
    """The headline: a headline-shaped line just above the body whose words recur in the lead.

    A headline restates the lead, so among the few lines above the body the one sharing the most content
    words with the first body paragraphs wins; with no such overlap, the nearest headline-shaped line does.
    """
    if known:
        kkey = normalise(known)
        for line in lines[: hi + 1]:
            if line.s and normalise(line.s) == kkey:
                return line.s, line
        return None, None
    if hi < lo:
        return None, None
    lead: set[str] = set()
    count = 0
    for line in lines[lo : hi + 1]:
        if line.kept:
            keys = _content_keys(line.s, stop)
            lead.update(keys)
            count += len(keys)
            if count >= TITLE_LEAD_WORDS:
                break
    best: tuple[float, _Line] | None = None
    nearest: _Line | None = None
    seen = 0
    for line in reversed(lines[:lo]):
        if not line.s:
            continue
        seen += 1
        if seen > TITLE_LOOKBACK:
            break
        if line.reason not in _TITLE_REASONS or not _headline(line):
            continue
        keys = _content_keys(line.s, stop)
        if len(keys) < 2:
            continue
        overlap = len(keys & lead) / len(keys)
        if nearest is None and seen <= TITLE_NEAREST:
            nearest = line
        score = overlap - 0.01 * seen
        if overlap >= TITLE_MIN_OVERLAP and (best is None or score > best[0]):
            best = (score, line)
    chosen = best[1] if best else nearest
    return (chosen.s, chosen) if chosen else (None, None)


_KEY_WORD = re.compile(r"[^\W\d_]{3,}")


def _content_keys(s: str, stop: frozenset[str] | None) -> set[str]:
    """Lower-cased content words cut to five letters: 'recognises' and 'recognition' share a key."""
    return {w[:5] for w in _KEY_WORD.findall(s.lower()) if stop is None or w not in stop}


def _headline(line: _Line) -> bool:
    s = line.s
    if not (2 <= line.n <= 30) or len(s) > 250 or s[-1] in ".,;:|" or s.endswith("..."):
        return False
    return s[0].isupper() or s[0].isdigit() or s[0] in "\"'“‘"


def _signoffs(lines: list[_Line], hi: int, end: int) -> str | None:
    """Agency sign-offs ("IBNS", "(AFP)", "With inputs from PTI") after the body; returns the agency."""
    wire = None
    for line in lines[max(hi, 0) : end]:
        if line.kept or line.reason in ("blank",) or not line.s:
            continue
        m = R.AGENCY_LINE.match(line.s)
        if not m or len(line.s) > 60:
            continue
        name = m.group("name").strip(" .")
        if name in R.AGENCIES or (name.isupper() and 2 <= len(name) <= 6 and name.isalpha()):
            line.reason = "agency_signoff"
            wire = wire or name
    for line in lines[: max(hi, 0) + 1]:
        if line.reason == "agency_signoff" and wire is None:
            m = re.search(r"\b(" + "|".join(sorted(R.AGENCIES, key=len, reverse=True)) + r")\b", line.s)
            wire = m.group(1) if m else None
    return wire


def _byline_name(s: str) -> str | None:
    m = R.BYLINE.match(s)
    return m.group("name").strip() if m else None


def _published(lines: list[_Line], hi: int) -> str | None:
    best: str | None = None
    for line in lines[: max(hi, 0) + 1] if hi >= 0 else lines:
        if line.reason != "dateline":
            continue
        found = find_date(line.s)
        if found and (best is None or (found[0][:10] == best[:10] and precision(found[0]) > precision(best))):
            best = found[0]
    return best


def _shingles(tokens: list[str], k: int = 4) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + k]) for i in range(max(0, len(tokens) - k + 1))}


def _find_outlet(
    lines: list[_Line], body: list[_Line], title: str | None, end: int
) -> tuple[str | None, str | None, str | None]:
    """(outlet, evidence, wire from a dateline credit) from generic cues, strongest first."""
    candidates: list[tuple[int, str, str]] = []  # (priority, name, evidence)
    for line in lines:
        s = line.s
        if not s:
            continue
        m = R.MORE_FROM.match(s)
        if m and _plausible_name(m.group("name")):
            candidates.append((0, m.group("name"), s))
        if line.reason == "author_bio":
            m = R.AUTHOR_BIO.search(s)
            if m and _plausible_name(m.group("name")):
                candidates.append((1, m.group("name").strip(" .,"), s[: m.end()].strip()))
        if line.reason == "copyright":
            m = R.COPYRIGHT.search(s)
            if m and m.group("name") and _plausible_name(m.group("name")):
                candidates.append((4, m.group("name").strip(" .,"), s[: m.end()].strip()))
    source = _copy_source(lines, body, title, end)
    if source:
        candidates.append((2, *source))
    wire = None
    for line in body[:3]:
        m = R.DATELINE_CREDIT.match(line.s)
        if m and _plausible_name(m.group("name")):
            name = m.group("name")
            candidates.append((3, name, line.s[m.start("name") - 1 : m.end()].strip()))
            wire = name
            break
        m = R.SLASH_CREDIT.match(line.s)
        if m:
            wire = m.group("name")
            break
    if not candidates:
        return None, None, wire
    _, name, evidence = min(candidates, key=lambda c: c[0])
    return name, evidence, wire


def _plausible_name(name: str | None) -> bool:
    if not name:
        return False
    toks = name.lower().split()
    return 1 <= len(toks) <= 6 and not all(t in R.SECTION_WORDS for t in toks)


def _copy_source(
    lines: list[_Line], body: list[_Line], title: str | None, end: int
) -> tuple[str, str] | None:
    """A near-copy of the body in the tail, credited to a source line above it: the original outlet."""
    body_tokens = [w.lower() for line in body for w in words(line.s)]
    if len(body_tokens) < 30:
        return None
    shingles = _shingles(body_tokens)
    tkey = normalise(title) if title else None
    for line in lines[end:]:
        if len(line.s) < 200:
            continue
        other = _shingles([w.lower() for w in words(line.s)])
        if len(shingles & other) < 0.6 * len(shingles):
            continue
        looked = 0
        for prev in reversed(lines[end : line.i]):
            if not prev.s:
                continue
            looked += 1
            if looked > 5:
                break
            s = prev.s.lstrip("-–—•|· ").strip()
            if (tkey and normalise(s) == tkey) or R.RELATIVE_TIME.match(s) or find_date(s) or len(s) >= 200:
                continue
            name = R.name_at(s)
            if name and name == s.strip(" .") and _plausible_name(name):
                return name, prev.s
        return None
    return None
