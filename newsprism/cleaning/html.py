"""HTML input: decode, flatten to visible text (what a naive scraper yields), or extract with trafilatura.

trafilatura and lxml are imported inside the functions so importing the package stays cheap.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from typing import Any

# elements whose text is never visible
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"})
# elements that start a new block (a new line in the flattened text)
_BLOCKS = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol
    option p pre section summary table tbody td tfoot th thead title tr ul legend label button""".split()
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Extracted:
    """trafilatura's main text plus the page metadata it found."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    language: str | None = None


def maybe_gunzip(data: bytes) -> bytes:
    """Gzip bytes are decompressed; anything else (or a corrupt stream) is returned as is."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, ValueError):
            return data
    return data


def _tree(html: str | bytes) -> Any:
    from trafilatura.utils import load_html

    if isinstance(html, bytes):
        html = maybe_gunzip(html)
    try:
        return load_html(html)
    except Exception:  # noqa: BLE001 - malformed markup must never raise
        return None


def visible_text(html: str | bytes) -> str:
    """All visible text of a page, one block per line: what a scraper that ignores layout yields."""
    tree = _tree(html)
    if tree is None:
        return ""
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if parts:
            line = _SPACE.sub(" ", "".join(parts)).strip()
            if line:
                lines.append(line)
            parts.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in _INVISIBLE:
            return  # comments, processing instructions and invisible elements (their tail is handled by parent)
        block = tag in _BLOCKS
        if block:
            flush()
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            flush()

    # the recursion depth is bounded by the tree depth, which lxml caps far below Python's limit
    try:
        walk(tree)
    except RecursionError:
        pass
    flush()
    return "\n".join(lines)


def extract(html: str | bytes, url: str | None = None) -> Extracted:
    """Main text (one paragraph per line) and metadata, by trafilatura; empty text when it finds none."""
    import trafilatura

    tree = _tree(html)
    if tree is None:
        return Extracted(text="")
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception:  # noqa: BLE001 - trafilatura must not take the pipeline down on one bad page
        doc = None
    if doc is None:
        return Extracted(text="")

    def get(name: str) -> Any:
        return getattr(doc, name, None)

    return Extracted(
        text=get("text") or "",
        title=get("title") or None,
        author=get("author") or None,
        date=get("date") or None,
        sitename=get("sitename") or None,
        language=get("language") or None,
    )
