"""Metadata of an article, read from the rules' reading of its lines: headline, publication date, author,
outlet and news agency (wire); and, for HTML, merged with what the page's own metadata says.

Generic cues only (a headline restates the lead, "More From X", "Reporter at X", "(Reuters) -", a near-copy of
the body credited to its source), never a list of sites. An outlet the text does not name stays None.
"""

from __future__ import annotations

import re

from newsprism.cleaning import rules as R
from newsprism.cleaning.dates import find_date, precision
from newsprism.cleaning.html import Extracted
from newsprism.cleaning.lines import Line, Reading, normalise
from newsprism.text import letter_runs, split_dateline
from newsprism.text import letter_words as words

TITLE_LOOKBACK = 15  # non-blank lines searched above the body for the headline
TITLE_LEAD_WORDS = 60  # content words of the lead compared with a headline candidate
TITLE_NEAREST = 1  # with no overlap, a headline-shaped line this close above the body is taken
TITLE_MIN_OVERLAP = 0.3  # share of a candidate's content words found in the lead
DATELINE_LINES = 3  # a wire dateline opens one of the body's first lines (a caption or standfirst may precede it)

# reasons a headline candidate may carry (the rules name none of a headline's usual shapes)
_TITLE_REASONS = frozenset({None, "outside_main", "short", "low_content", "duplicate"})
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")


def find_title(reading: Reading) -> str | None:
    """The headline (None on an index page); its line's decision becomes "title"."""
    if reading.index:
        return None
    title, line = _find_title(reading.lines, reading.lo, reading.hi, reading.stop)
    if line is not None:
        line.reason, line.kept = "title", False
    return title


def drop_title_repeats(reading: Reading, title: str | None) -> None:
    """A kept line of the main region that repeats the headline is the headline, not body."""
    if not title:
        return
    tkey = normalise(title)
    for line in reading.lines[reading.lo : reading.hi + 1]:
        if line.kept and normalise(line.s) == tkey:
            line.reason, line.kept = "title", False


def signoffs(reading: Reading) -> str | None:
    """The agency of the sign-offs ("IBNS", "(AFP)", "With inputs from PTI") after the body; their lines'
    decisions become "agency_signoff"."""
    return _signoffs(reading.lines, reading.hi, reading.end)


def author(reading: Reading) -> str | None:
    """The name in the first byline at or above the end of the main region."""
    hi = reading.hi
    return next((_byline_name(line.s) for line in reading.lines[: max(hi, 0) + 1] if line.reason == "byline"), None)


def published(reading: Reading) -> str | None:
    """The publication date (ISO 8601) of the datelines at or above the main region's end: the most precise of
    those naming the same day as the first."""
    return _published(reading.lines, reading.hi)


def outlet(reading: Reading, title: str | None) -> tuple[str | None, str | None, str | None]:
    """(outlet, evidence, wire from a dateline credit) from generic cues, strongest first."""
    body = [line for line in reading.lines if line.kept]
    return _find_outlet(reading.lines, body, title, reading.end)


def lift_dateline(body: list[str]) -> tuple[str | None, list[str]]:
    """(the wire dateline, the body's lines without it): a dateline opening one of the body's first lines
    ("July 4 (UPI) --", "KABUL, Afghanistan —") is metadata, not a sentence's start."""
    for k, s in enumerate(body[:DATELINE_LINES]):
        dateline, _, rest = split_dateline(s)
        if dateline:
            return dateline, [*body[:k], rest, *body[k + 1 :]]
    return None, body


def page_date(page_date: str | None, published_at: str | None) -> str | None:
    """The page metadata's date when it is at least as precise as the text's, or names another day."""
    if not page_date:
        return published_at
    found = find_date(page_date)
    meta_date = found[0] if found else None
    if meta_date and (
        published_at is None or precision(meta_date) >= precision(published_at) or meta_date[:10] != published_at[:10]
    ):
        return meta_date
    return published_at


def page_outlet(page: Extracted, outlet: str | None, evidence: str | None) -> tuple[str | None, str | None]:
    """The page's site name when it is a name (not a bare domain), else the outlet the text named."""
    sitename = one_line(page.sitename)
    if sitename and not _DOMAIN.match(sitename):
        return sitename, f"site name: {sitename}"
    return outlet, evidence


def one_line(value: str | None) -> str | None:
    """A metadata value on one line (runs of whitespace made one space); None when empty."""
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def _find_title(
    lines: list[Line], lo: int, hi: int, stop: frozenset[str] | None = None
) -> tuple[str | None, Line | None]:
    """The headline: a headline-shaped line just above the body whose words recur in the lead.

    A headline restates the lead, so among the few lines above the body the one sharing the most content
    words with the first body paragraphs wins; with no such overlap, the nearest headline-shaped line does.
    """
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
    best: tuple[float, Line] | None = None
    nearest: Line | None = None
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


def _content_keys(s: str, stop: frozenset[str] | None) -> set[str]:
    """Lower-cased content words cut to five letters: 'recognises' and 'recognition' share a key."""
    return {w[:5] for w in letter_runs(s.lower()) if len(w) >= 3 and (stop is None or w not in stop)}


def _headline(line: Line) -> bool:
    s = line.s
    if not (2 <= line.n <= 30) or len(s) > 250 or s[-1] in ".,;:|" or s.endswith("..."):
        return False
    return s[0].isupper() or s[0].isdigit() or s[0] in "\"'“‘"


def _signoffs(lines: list[Line], hi: int, end: int) -> str | None:
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


def _published(lines: list[Line], hi: int) -> str | None:
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
    lines: list[Line], body: list[Line], title: str | None, end: int
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
    for line in body[:DATELINE_LINES]:
        dateline, credit, _ = split_dateline(line.s)
        if dateline and credit:
            if "(" in dateline and _plausible_name(credit):  # "(UPI) --" names the outlet; "Busan/IBNS:" a wire
                candidates.append((3, credit, dateline[dateline.index("(") :]))
            wire = credit
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


def _copy_source(lines: list[Line], body: list[Line], title: str | None, end: int) -> tuple[str, str] | None:
    """A near-copy of the body in the tail, credited to a source line above it: the original outlet."""
    if not any(len(line.s) >= 200 for line in lines[end:]):  # no tail line long enough to be a copy
        return None
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
