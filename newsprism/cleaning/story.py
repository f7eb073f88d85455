"""Cleaning a story: every article of it, with what one article alone cannot know.

A line an outlet prints under several of its articles is that outlet's boilerplate (Media Cloud's per-outlet
sentence counts), so the story's articles are cleaned once, their repeated lines found, and the articles
that have any cleaned again with those lines named. Metadata the corpus gives (a manifest's outlet, title,
date) overrides what the text shows; an outlet neither names is "unknown".
"""

from __future__ import annotations

from collections import defaultdict

from newsprism.cleaning.article import CleanedArticle
from newsprism.cleaning.document import CLEANER_ID, clean_html, clean_text
from newsprism.cleaning.lines import normalise
from newsprism.records import Article, IngestedArticle
from newsprism.text import word_count

UNKNOWN_OUTLET = "unknown"
REPEATED_MIN_ARTICLES = 3  # a line in this many articles of one outlet is its boilerplate


def find_repeated_lines(texts_by_outlet: dict[str, list[str]], min_articles: int = REPEATED_MIN_ARTICLES) -> set[str]:
    """Lines (normalised) that recur in at least `min_articles` articles of one outlet: its boilerplate.

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


def clean_article(raw: IngestedArticle, repeated: frozenset[str] = frozenset()) -> CleanedArticle:
    """One article of the corpus, HTML or text as the corpus reader classed it."""
    if raw["kind"] == "html":
        return clean_html(raw["text"], raw.get("url"), repeated=repeated)
    return clean_text(raw["text"], raw.get("outlet"), repeated=repeated)


def clean_story(raw_articles: list[IngestedArticle]) -> list[Article]:
    """The articles of one story, cleaned: each article's `articles` row and line decisions."""
    first = [clean_article(raw) for raw in raw_articles]
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for raw, cleaned in zip(raw_articles, first, strict=True):
        outlet = raw.get("outlet") or cleaned.outlet
        if outlet:
            by_outlet[outlet].append("\n".join(d.text for d in cleaned.decisions))
    repeated = frozenset(find_repeated_lines(by_outlet))
    out = []
    for raw, cleaned in zip(raw_articles, first, strict=True):
        if repeated:
            cleaned = clean_article(raw, repeated)
        out.append(_row(raw, cleaned))
    return out


def _row(raw: IngestedArticle, cleaned: CleanedArticle) -> Article:
    flattened = "\n".join(d.text for d in cleaned.decisions)
    return Article(
        article_id=raw["article_id"],
        story_id=raw["story_id"],
        story_title=raw.get("story_title"),
        source=raw["source"],
        outlet=raw.get("outlet") or cleaned.outlet or UNKNOWN_OUTLET,
        outlet_evidence="manifest" if raw.get("outlet") else cleaned.outlet_evidence,
        wire=cleaned.wire,
        dateline=cleaned.dateline,
        title=raw.get("title") or cleaned.title,
        published_at=raw.get("published_at") or cleaned.published_at,
        author=cleaned.author,
        url=raw.get("url"),
        language=cleaned.language,
        encoding=raw["encoding"],
        raw_hash=raw["raw_hash"],
        raw_text=raw["text"],
        clean_text=cleaned.body,
        words_raw=word_count(flattened),
        words_clean=word_count(cleaned.body),
        cleaner_id=CLEANER_ID,
        decisions=[(d.line_no, d.text, d.kept, d.reason) for d in cleaned.decisions],
    )
