"""HTML input: flatten a page to its visible text (what a naive scraper yields), or extract its main text
and metadata with trafilatura. Bytes are decoded by `newsprism.decode`, like every other input.

trafilatura and lxml are imported inside the functions that parse: they take 1-2 s to import, and cleaning
plain text (the pipeline's usual input) never needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsprism.decode import decode

# elements whose text is never visible
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"})
# when broken markup left the page inside the <head>, the head is walked with these hidden instead
_INVISIBLE_IN_HEAD = (_INVISIBLE - {"head"}) | {"title", "meta", "link", "base"}
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


_TITLE_TAG = re.compile(rb"</?title\b[^>]*>", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*>")
_PAGE_START = re.compile(rb"<!doctype[^>]*>|<html\b[^>]*>", re.I)
_FEW_ELEMENTS = 20  # a parsed page with no more elements than this, from a long source, lost its markup
_LONG_SOURCE = 2000


def _tree(html: str | bytes) -> Any:
    """The page's element tree, or None. Broken markup is repaired: an unclosed <title> that swallowed the
    page (everything after it parsed as title text) is dropped, and lxml's recovering parser is tried where
    trafilatura's loader gives up."""
    from trafilatura.utils import load_html  # heavy (see the module docstring)

    if isinstance(html, bytes):
        html = decode(html)
    try:
        tree = load_html(html)
    except Exception:  # noqa: BLE001 - malformed markup must never raise
        tree = None
    if tree is not None and (len(html) < _LONG_SOURCE or _has_elements(tree)):
        return tree
    repaired = _repair(html)
    return repaired if repaired is not None else tree


def _has_elements(tree: Any) -> bool:
    for n, _ in enumerate(tree.iter()):
        if n >= _FEW_ELEMENTS:
            return True
    return False


def _repair(html: str) -> Any:
    import lxml.html  # heavy (see the module docstring)

    # the text is decoded already: lxml reads it back as UTF-8, whatever charset the page declares
    data = html.encode("utf-8", errors="replace")
    data = _XML_DECL.sub(b"", _TITLE_TAG.sub(b" ", data))
    parser = lxml.html.HTMLParser(recover=True, encoding="utf-8")
    # second try: a damaged <html ...> start tag (an unclosed quote) can swallow the page into its attributes
    for source in (data, _PAGE_START.sub(b"", data, count=2)):
        try:
            tree = lxml.html.document_fromstring(source, parser=parser)
        except Exception:  # noqa: BLE001 - malformed markup must never raise
            continue
        if _has_elements(tree):
            return tree
    return None


@dataclass(frozen=True)
class VisibleLine:
    """One line of the flattened page and where it sat in the layout."""

    text: str
    link_share: float  # share of its characters inside <a> elements
    block: str  # tag of the innermost block element holding it ("p", "li", "td", "h2", "div", ...)


def visible_text(html: str | bytes) -> str:
    """All visible text of a page, one block per line: what a scraper that ignores layout yields."""
    return "\n".join(line.text for line in visible_lines(html))


def page_tree(html: str | bytes) -> Any:
    """The page parsed once (None when nothing can be parsed), for `visible_lines` and `extract` to share:
    parsing is about a tenth of an HTML page's cleaning time."""
    return _tree(html)


def visible_lines(html: str | bytes | Any) -> list[VisibleLine]:
    """The lines of `visible_text`, each with its share of link text and its block element (`html` may be
    a `page_tree` already; it is read, never changed)."""
    tree = _tree(html) if isinstance(html, str | bytes) else html
    if tree is None:
        return []
    lines = _flatten(tree, _INVISIBLE)
    if not lines:  # nothing outside the head: broken markup put the page into it
        lines = _flatten(tree, _INVISIBLE_IN_HEAD)
    return lines


def _flatten(tree: Any, invisible: frozenset[str]) -> list[VisibleLine]:
    lines: list[VisibleLine] = []
    parts: list[str] = []
    linked = [0]  # characters of `parts` inside links
    blocks: list[str] = ["html"]
    depth = [0]  # open <a> elements

    def add(text: str) -> None:
        parts.append(text)
        if depth[0]:
            linked[0] += len(text.strip())

    def flush() -> None:
        if parts:
            raw = "".join(parts)
            line = _SPACE.sub(" ", raw).strip()
            if line:
                total = len(raw.strip()) or 1
                lines.append(VisibleLine(line, min(1.0, linked[0] / total), blocks[-1]))
            parts.clear()
            linked[0] = 0

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in invisible:
            return  # comments, processing instructions and invisible elements (their tail is handled by parent)
        block = tag in _BLOCKS
        if block:
            flush()
            blocks.append(tag)
        link = tag == "a"
        depth[0] += link
        if el.text:
            add(el.text)
        for child in el:
            walk(child)
            if child.tail:
                add(child.tail)
        depth[0] -= link
        if block:
            flush()
            blocks.pop()

    # the recursion depth is bounded by the tree depth, which lxml caps far below Python's limit
    try:
        walk(tree)
    except RecursionError:
        pass
    flush()
    return lines


def extract(html: str | bytes | Any, url: str | None = None) -> Extracted:
    """Main text (one paragraph per line) and metadata, by trafilatura; empty text when it finds none. `html`
    may be a `page_tree`, which trafilatura then prunes: read its visible lines first."""
    import trafilatura  # heavy (see the module docstring)
    from trafilatura.settings import set_date_params  # heavy (see the module docstring)

    tree = _tree(html) if isinstance(html, str | bytes) else html
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
            # dates as the page's markup and text state them: the extensive search parses every date-like
            # string in every locale (dateparser), most of a page's cleaning time, for a date metadata.py
            # reads from the text anyway
            date_extraction_params=set_date_params(extensive=False),
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
