"""Clean: strip boilerplate from raw articles, keep every line's decision, identify outlet and metadata."""

from __future__ import annotations

from collections import defaultdict

from prefect import task
from prefect.cache_policies import NO_CACHE

from newsprism import progress
from newsprism.cleaning import CLEANER_ID, CleanedArticle, clean_html, clean_text, find_repeated_lines
from newsprism.progress import stage_timer
from newsprism.text import word_count

UNKNOWN_OUTLET = "unknown"


def clean_one(raw: dict, repeated: frozenset[str] = frozenset()) -> CleanedArticle:
    if raw["kind"] == "html":
        return clean_html(raw["text"], raw.get("url"), repeated=repeated)
    return clean_text(raw["text"], raw.get("outlet"), repeated=repeated)


def clean_articles(raw_articles: list[dict]) -> list[dict]:
    """Clean a batch of raw articles (one story). Manifest metadata overrides what the text shows."""
    first = [clean_one(r) for r in raw_articles]
    # the same line across several articles of one outlet is that outlet's boilerplate
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for raw, cleaned in zip(raw_articles, first, strict=True):
        outlet = raw.get("outlet") or cleaned.outlet
        if outlet:
            by_outlet[outlet].append("\n".join(d.text for d in cleaned.decisions))
    repeated = find_repeated_lines(by_outlet)
    out = []
    for raw, cleaned in zip(raw_articles, first, strict=True):
        if repeated:
            cleaned = clean_one(raw, frozenset(repeated))
        outlet = raw.get("outlet") or cleaned.outlet or UNKNOWN_OUTLET
        evidence = "manifest" if raw.get("outlet") else cleaned.outlet_evidence
        flattened = "\n".join(d.text for d in cleaned.decisions)
        out.append({
            "article_id": raw["article_id"],
            "story_id": raw["story_id"],
            "story_title": raw.get("story_title"),
            "source": raw["source"],
            "outlet": outlet,
            "outlet_evidence": evidence,
            "wire": cleaned.wire,
            "title": raw.get("title") or cleaned.title,
            "published_at": raw.get("published_at") or cleaned.published_at,
            "author": cleaned.author,
            "url": raw.get("url"),
            "language": cleaned.language,
            "raw_hash": raw["raw_hash"],
            "raw_text": raw["text"],
            "clean_text": cleaned.body,
            "words_raw": word_count(flattened),
            "words_clean": word_count(cleaned.body),
            "cleaner_id": CLEANER_ID,
            "decisions": [(d.line_no, d.text, d.kept, d.reason) for d in cleaned.decisions],
        })
        progress.advance("clean")
    return out


@task(name="clean", cache_policy=NO_CACHE)
def clean(stories: list[list[dict]]) -> list[list[dict]]:
    """Per story (its raw articles): the cleaned articles."""
    with stage_timer("clean"):
        return [clean_articles(raw_articles) for raw_articles in stories]
