"""Article cleaning: main text, per-line decisions with reasons, and metadata, from plain text or HTML.

Pure functions: no Prefect, no I/O beyond the arguments, never raising on odd input, never returning body
text that was not in the input.

    >>> from newsprism.cleaning import clean_text
    >>> clean_text("Some Headline Here\\nThe article's first sentence is long enough to count as body text.").title
    'Some Headline Here'
"""

from __future__ import annotations

import re

from newsprism.cleaning.article import CleanedArticle, LineDecision
from newsprism.cleaning.text import clean_lines, find_repeated_lines, normalise

__all__ = [
    "CLEANER_ID",
    "CleanedArticle",
    "LineDecision",
    "clean_document",
    "clean_html",
    "clean_text",
    "find_repeated_lines",
    "normalise",
]

CLEANER_ID = "clean.rules.v4"  # versioned id written to the warehouse; bump when behaviour changes
HYBRID_MIN_SHARE = 0.6  # html: the flattened page's body must keep this share of the rules-on-trafilatura words
HYBRID_MAX_TABLE = 0.5  # ... unless this share of trafilatura's words sits in table rows ("| cell | cell |")
HYBRID_TABLE_MIN_WORDS = 50  # ... and the flattened page kept at least this many words (an article, not a stub)

_HTML_NAME = re.compile(r"\.(?:html?|xhtml|shtml)(?:\.gz)?$", re.I)
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|article|meta|title)\b", re.I)


def clean_text(
    raw: str, outlet_hint: str | None = None, *, repeated: frozenset[str] = frozenset()
) -> CleanedArticle:
    """Clean plain text as a scraper left it: one decision per line of `raw.splitlines()`.

    `outlet_hint` names the outlet when the text carries no cue of its own; `repeated` holds normalised
    lines known to recur across one outlet's articles (see `find_repeated_lines`).
    """
    return clean_lines(str(raw).splitlines(), outlet_hint, repeated=repeated)


def clean_html(
    html: str | bytes, url: str | None = None, *, repeated: frozenset[str] = frozenset()
) -> CleanedArticle:
    """Main text from the page's visible lines, trafilatura's choice and the plain-text rules together.

    The page is flattened to its visible text (one block per line) and cleaned by the text rules; the line
    model trained for HTML then keeps or drops each line, trafilatura's choice of the line among its
    features. When that keeps much less than the text cleaner keeps of trafilatura's own text (a layout the
    flattening misreads) and the page is no index page, the cue rules on trafilatura's text win, unless that text
    is mostly table rows (a table layout, whose cells trafilatura joins into one line) and the flattened
    reading still holds an article. Decisions
    index the lines of whichever text was cleaned (each carries its text). Title, date, author and site
    name come from the page's metadata when present.
    """
    from newsprism.cleaning import linemodel
    from newsprism.cleaning.dates import find_date, precision
    from newsprism.cleaning.html import extract, visible_lines

    page = extract(html, url)
    visible = visible_lines(html)
    flat = [line.text for line in visible]
    layout = [(line.link_share, line.block) for line in visible]
    if not page.text.strip():
        result = clean_lines(flat, repeated=repeated)
    else:
        # without the HTML line model, trafilatura's lines weigh in the rules' region score instead
        prior = linemodel.load(str(linemodel.HTML_MODEL_PATH)) is None
        result = clean_lines(flat, repeated=repeated, extracted=page.text, ext_prior=prior, layout=layout)
        if not _index_page(result):
            result = _fallback(len(result.body.split()), page.text, repeated) or result
    # an index page has no article, so no headline either (its <title> names the section)
    title = None if _index_page(result) else _one_line(page.title) or result.title
    published = result.published_at
    if page.date:
        found = find_date(page.date)
        meta_date = found[0] if found else None
        if meta_date and (published is None or precision(meta_date) >= precision(published)
                          or meta_date[:10] != published[:10]):
            published = meta_date
    outlet, evidence = result.outlet, result.outlet_evidence
    sitename = _one_line(page.sitename)
    if sitename and not re.match(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$", sitename):
        outlet, evidence = sitename, f"site name: {sitename}"
    body = result.body
    if title and body.startswith(title + "\n"):
        body = body[len(title) + 1 :]
    return CleanedArticle(
        body=body,
        decisions=result.decisions,
        title=title,
        published_at=published,
        author=_one_line(page.author) or result.author,
        outlet=outlet,
        outlet_evidence=evidence,
        wire=result.wire,
        language=result.language,
    )


def _fallback(kept: int, extracted: str, repeated: frozenset[str]) -> CleanedArticle | None:
    """The cue rules on the extractor's text, when they replace a flattened reading that kept `kept` words.

    What the flattening missed is measured against the full text cleaner on that text (main region, tail
    cut, line model), so that related teasers or unheaded comments the extractor kept after the article do
    not count as article; the replacement itself keeps every extracted line no cue rule names.
    """
    lines = extracted.splitlines()
    if not _rules_win(kept, len(clean_lines(lines, repeated=repeated).body.split()), extracted):
        return None
    return clean_lines(lines, repeated=repeated, region=False)


def _rules_win(kept: int, rules_kept: int, extracted: str) -> bool:
    """Whether the rules on the extractor's text replace the flattened page's reading, which kept `kept` words
    where they keep `rules_kept`: when it kept much less, unless the extracted text is mostly table rows and
    the flattened reading is still an article."""
    if kept >= HYBRID_MIN_SHARE * rules_kept:
        return False
    return kept < HYBRID_TABLE_MIN_WORDS or not _table_text(extracted)


def _table_text(text: str) -> bool:
    """Whether most of an extractor's text is table rows ("| cell | cell |"): a page laid out in a table, whose
    rows join navigation, article and sidebar cells into one line the text rules cannot take apart (the
    flattened page keeps one line per cell)."""
    total = in_rows = 0
    for line in text.splitlines():
        n = len(line.split())
        total += n
        if line.lstrip().startswith("|"):
            in_rows += n
    return in_rows > HYBRID_MAX_TABLE * total


def _index_page(result: CleanedArticle) -> bool:
    return any(d.reason == "index_page" for d in result.decisions)


def _one_line(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_SNIFF.search(head)) and head.count("<") >= 3


def clean_document(data: bytes | str, name: str, mode: str = "auto") -> CleanedArticle:
    """Clean one document: `mode` html, text, or auto (HTML by file name or by content); gzip is undone."""
    from newsprism.cleaning.html import maybe_gunzip

    if mode not in ("auto", "text", "html"):
        raise ValueError(f"mode must be auto, text or html, not {mode!r}")
    if isinstance(data, bytes):
        data = maybe_gunzip(data)
    if mode == "auto":
        text = decode(data) if isinstance(data, bytes) else data
        mode = "html" if _HTML_NAME.search(name or "") or looks_like_html(text) else "text"
    if mode == "html":
        return clean_html(data)
    return clean_text(decode(data) if isinstance(data, bytes) else data)
