"""The cleaner's result types: plain, frozen, JSON-serialisable values."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class LineDecision:
    """What the cleaner did with one input line, and why."""

    line_no: int  # 0-based index into raw_text.splitlines() (HTML: the visible or the extracted text's)
    text: str  # the line as in the input (stripped of its trailing newline only)
    kept: bool  # True = part of the article body
    reason: str  # short snake_case reason: 'body', 'blank', 'title', 'related_tail', ...


@dataclass(frozen=True)
class CleanedArticle:
    """The main text of one article plus the per-line decisions that produced it."""

    body: str  # kept body paragraphs joined by "\n" (title not included)
    decisions: tuple[LineDecision, ...]  # one per input line, in order
    title: str | None = None
    published_at: str | None = None  # ISO 8601
    author: str | None = None
    outlet: str | None = None  # None means unknown: never guessed
    outlet_evidence: str | None = None  # the text that identified the outlet
    wire: str | None = None  # news agency credited in the text
    dateline: str | None = None  # the wire dateline moved out of the body, as printed ("KABUL, Afghanistan (AP) —")
    language: str = "en"  # ISO 639-1 code, or "und"

    @property
    def main_text(self) -> str:
        """Title and wire dateline (when found), each on its own line, then body: the article's whole text, what
        `newsprism clean` writes and what evaluation scores."""
        return "\n".join(part for part in (self.title, self.dateline, self.body) if part)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decisions"] = [asdict(d) for d in self.decisions]
        return data
