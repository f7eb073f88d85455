"""Cleaning datasets: pages with gold main text or snippets, in the layouts of the public sets.

Used by the cleaning evaluation and by line-model training (never at run time). Layouts:

- `l3s`: `gold.jsonl` ({id, headline, fulltext}) and `original/<id>.html.gz` (L3S-GN1, readability's pages);
- `cleaneval`: `input/<name>.html(.gz)` and `gold/<name>.txt(.gz)` in CleanEval's markup (a `URL:` line, then
  `<h>`/`<p>`/`<l>` marked paragraphs);
- `snippets`: `html/<file>(.gz)` and a JSON file {url: {file, with: [...], without: [...]}} (trafilatura's set).
"""

from __future__ import annotations

import html as htmlmod
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.decode import read_text

FORMATS = ("l3s", "cleaneval", "snippets")
_CLEANEVAL_TAG = re.compile(r"^\s*<(?:p|h|l)>", re.MULTILINE | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SUFFIX = re.compile(r"\.(?:html?|txt)(?:\.gz)?$|\.gz$", re.I)


@dataclass
class Page:
    """One page of a dataset: its file, and its gold main text or its must-keep / must-drop snippets."""

    id: str
    path: Path
    gold: str = ""
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)


def detect_format(root: Path) -> str:
    """The layout of a dataset folder (one of FORMATS); ValueError when it is none of them."""
    if (root / "gold.jsonl").is_file() and (root / "original").is_dir():
        return "l3s"
    if (root / "input").is_dir() and (root / "gold").is_dir():
        return "cleaneval"
    if (root / "html").is_dir() and any(root.glob("*.json")):
        return "snippets"
    raise ValueError(f"cannot tell the layout of {root}: expected l3s, cleaneval or snippets")


def cleaneval_gold(text: str) -> str:
    """CleanEval gold: drop the `URL:` line (after any blank lines), comments and the <p>/<h>/<l> marks."""
    lines = text.lstrip().splitlines()
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    text = _COMMENT.sub("", "\n".join(lines))  # "<!-- this page contains no article -->"
    return htmlmod.unescape(_CLEANEVAL_TAG.sub("", text)).strip()


def load_pages(root: Path, fmt: str) -> list[Page]:
    """Every page of the dataset that has its file and its gold (or snippets), in the layout's order."""
    readers = {"l3s": _l3s_pages, "cleaneval": _cleaneval_pages, "snippets": _snippet_pages}
    if fmt not in readers:
        raise ValueError(f"unknown format {fmt!r}")
    return readers[fmt](root)


def _l3s_pages(root: Path) -> list[Page]:
    pages = []
    with open(root / "gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            path = root / "original" / f"{row['id']}.html.gz"
            if path.is_file():
                gold = "\n".join(x for x in (row.get("headline"), row.get("fulltext")) if x)
                pages.append(Page(id=row["id"], path=path, gold=gold))
    return pages


def _cleaneval_pages(root: Path) -> list[Page]:
    golds: dict[str, Path] = {}
    for gold_path in sorted((root / "gold").iterdir()):
        golds.setdefault(_SUFFIX.sub("", gold_path.name), gold_path)
    pages = []
    for path in sorted((root / "input").iterdir()):
        stem = _SUFFIX.sub("", path.name)
        if stem in golds:
            pages.append(Page(id=stem, path=path, gold=cleaneval_gold(read_text(golds[stem]))))
    return pages


def _snippet_pages(root: Path) -> list[Page]:
    names = sorted(root.glob("*.json"))
    data = json.loads(names[0].read_text(encoding="utf-8"))
    pages = []
    for entry in data.values():
        candidates = [root / "html" / (entry["file"] + ".gz"), root / "html" / entry["file"]]
        path = next((c for c in candidates if c.is_file()), None)
        if path is not None:
            with_, without = list(entry.get("with", [])), list(entry.get("without", []))
            pages.append(Page(id=entry["file"], path=path, with_snippets=with_, without_snippets=without))
    return pages


def split_pages(pages: list[Page], split: str) -> list[Page]:
    """`all` pages, or the stable half `a` or `b` (by a hash of the id): tune on one, check on the other."""
    if split == "all":
        return pages
    want = 0 if split == "a" else 1
    return [p for p in pages if zlib.crc32(p.id.encode()) % 2 == want]
