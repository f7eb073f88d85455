"""Publication dates as news pages print them in plain-text lines, parsed to ISO 8601 (no network, no locale).

An HTML page's own date metadata comes from htmldate (through trafilatura, `html.extract`). For dates inside
text lines htmldate was measured against `find_date` and is not used: on 789 dateline-like lines (the seeds,
the tests, 180 pages of the cleaning sets) its text parser dated 355 lines to our 450, read 14 US-style dates
("Posted at 12:05 AM ET, 11/01/2011", Washington Post) day first, missed the seed's "July 04, 2025 12:22 AM
GMT+03:00", gives neither the time of day nor where the date stands in the line (the dateline rule needs both),
and took 20-100 ms a line against 0.01-0.03 ms; it reads French and Spanish month names, which this does not.
"""

from __future__ import annotations

import re

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = (
    r"(?:\s*(?:[/|,@-]|at)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?:(?:GMT|UTC)\s*(?P<off>[+-]\d{1,2}(?::?\d{2})?)?|(?P<z>GMT|UTC|Z)))?)?"
)
_ISO = re.compile(
    r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.\d+)?(?P<off>Z|[+-]\d{2}:?\d{2})?)?",
)
_MDY = re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I)
_DMY = re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I)
_SLASH = re.compile(r"\b(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b" + _TIME, re.I)
_US = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I)


def _offset(raw: str | None) -> str:
    if not raw:
        return ""
    if raw in ("Z", "GMT", "UTC"):
        return "+00:00"
    sign, digits = raw[0], raw[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = digits, "00"
    else:
        hours, minutes = digits[:-2], digits[-2:]
    return f"{sign}{int(hours):02d}:{minutes}"


def _build(y: int, m: int, d: int, g: dict[str, str | None]) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    out = f"{y:04d}-{m:02d}-{d:02d}"
    if g.get("h") is None:
        return out
    h, mi, s = int(g["h"] or 0), int(g["mi"] or 0), int(g.get("s") or 0)
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    if h > 23 or mi > 59 or s > 59:
        return out
    return f"{out}T{h:02d}:{mi:02d}:{s:02d}" + _offset(g.get("off") or g.get("z"))


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in the text as (ISO string, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in (_ISO, _MDY, _DMY, _SLASH, _US):
        m = pattern.search(text)
        if not m:
            continue
        g = m.groupdict()
        month = _MONTHS[g["mon"].lower()[:3]] if g.get("mon") else int(g["m"])
        iso = _build(int(g["y"]), month, int(g["d"]), g)
        if iso and (best is None or m.start() < best[1]):
            best = (iso, m.start(), m.end())
    return best


def precision(iso: str) -> int:
    """How much of a date is known: 1 day, 2 time, 3 time with offset."""
    if "T" not in iso:
        return 1
    return 3 if re.search(r"[+-]\d{2}:\d{2}$", iso) else 2
