"""Plain records passed between stages (JSON-serialisable, so Prefect can cache and persist them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class RawArticle:
    """One input document as read from the corpus, before cleaning."""

    story_id: str
    source: str  # path relative to the corpus, or "file.jsonl:LINE"
    text: str  # raw text (or raw HTML when kind == 'html')
    kind: str = "text"  # 'text' | 'html'
    outlet: str | None = None  # from a manifest / JSONL: overrides what the cleaner finds
    url: str | None = None
    title: str | None = None
    published_at: str | None = None
    story_title: str | None = None

    @property
    def raw_hash(self) -> str:
        return content_hash(self.text)

    @property
    def article_id(self) -> str:
        return content_hash(f"{self.story_id}\x00{self.raw_hash}")


@dataclass
class Article:
    """A cleaned article: metadata, kept body, every line decision, and its sentences."""

    article_id: str
    story_id: str
    source: str
    outlet: str
    outlet_evidence: str | None
    wire: str | None
    title: str | None
    published_at: str | None
    author: str | None
    url: str | None
    language: str
    raw_hash: str
    raw_text: str
    clean_text: str
    words_raw: int
    words_clean: int
    cleaner_id: str
    decisions: list[tuple[int, str, bool, str]] = field(default_factory=list)  # line_no, text, kept, reason
    sentences: list[str] = field(default_factory=list)


@dataclass
class Story:
    story_id: str
    title: str | None
    claims: list[str]
    targets: list[str]
