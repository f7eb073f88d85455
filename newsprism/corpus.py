"""Reading a corpus: a directory of articles (with an optional manifest) or a JSONL file.

Directory: `*.txt`, `*.html`, `*.htm` (optionally `.gz`) files, plus optional `manifest.csv` with a `file`
column and any of `story_id, story_title, title, outlet, url, published_at`, and optional `claims.csv`
(`story_id, claim`). JSONL: one article per line `{text, outlet?, url?, title?, published_at?,
story_id?}`, or one story per line `{cluster_id|story_id, articles: [{text|content_original, source|
outlet, url, title, date}]}`.

Files are decoded by `newsprism.decode` (gzip, BOMs, UTF-8/16/32, declared or detected charsets), as
`newsprism clean` decodes them; a file is HTML by its name or its content. JSON Lines are UTF-8 by
definition: a line that is not is a `CorpusError` naming it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

from newsprism.decode import NotUtf8Error, is_html, read_text, utf8_lines
from newsprism.records import RawArticle

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".txt.gz", ".html.gz", ".htm.gz")
MANIFEST_COLUMNS = {"file", "story_id", "story_title", "title", "outlet", "url", "published_at"}


class CorpusError(ValueError):
    """The corpus cannot be read as given; the message says what to fix."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "story"


def _kind(name: str, text: str) -> str:
    return "html" if is_html(name, text) else "text"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_manifest(path: Path) -> dict[str, dict[str, str | None]]:
    try:
        with io.StringIO(read_text(path), newline="") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or [])
            if "file" not in columns:
                has = ", ".join(sorted(columns)) or "none"
                raise CorpusError(f"{path}: manifest needs a 'file' column (has: {has})")
            unknown = columns - MANIFEST_COLUMNS
            if unknown:
                raise CorpusError(
                    f"{path}: unknown manifest column(s) {', '.join(sorted(unknown))}; "
                    f"allowed: {', '.join(sorted(MANIFEST_COLUMNS))}"
                )
            rows = {}
            for line_no, row in enumerate(reader, start=2):
                name = _clean(row.get("file"))
                if not name:
                    raise CorpusError(f"{path}:{line_no}: empty 'file'")
                rows[name] = {k: _clean(v) for k, v in row.items() if k != "file"}
            return rows
    except csv.Error as exc:
        raise CorpusError(f"{path}: not a readable CSV manifest ({exc})") from exc


def read_claims(path: Path) -> dict[str, list[str]]:
    claims: dict[str, list[str]] = {}
    with io.StringIO(read_text(path), newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"story_id", "claim"} <= set(reader.fieldnames or []):
            raise CorpusError(f"{path}: claims file needs columns 'story_id' and 'claim'")
        for row in reader:
            if _clean(row["claim"]):
                claims.setdefault(row["story_id"].strip(), []).append(row["claim"].strip())
    return claims


def read_directory(root: Path, story_id: str | None = None) -> list[RawArticle]:
    manifest_path = root / "manifest.csv"
    manifest = read_manifest(manifest_path) if manifest_path.exists() else {}
    files = sorted(p for p in root.iterdir() if p.is_file() and p.name.lower().endswith(ARTICLE_SUFFIXES))
    names = {p.name for p in files}
    missing = sorted(set(manifest) - names)
    if missing:
        raise CorpusError(f"{manifest_path}: lists file(s) not in {root}: {', '.join(missing)}")
    default_story = story_id or slug(root.resolve().name)
    articles = []
    for path in files:
        meta = manifest.get(path.name, {})
        text = read_text(path)
        articles.append(
            RawArticle(
                story_id=meta.get("story_id") or default_story,
                source=path.name,
                text=text,
                kind=_kind(path.name, text),
                outlet=meta.get("outlet"),
                url=meta.get("url"),
                title=meta.get("title"),
                published_at=meta.get("published_at"),
                story_title=meta.get("story_title"),
            )
        )
    return articles


def _jsonl_rows(path: Path) -> Iterable[tuple[int, dict]]:
    try:
        for line_no, line in utf8_lines(path.read_bytes()):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{line_no}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise CorpusError(f"{path}:{line_no}: expected a JSON object")
            yield line_no, row
    except NotUtf8Error as exc:
        raise CorpusError(
            f"{path}:{exc.line_no}: not UTF-8 (byte 0x{exc.byte:02x} at column {exc.column}); "
            "JSON Lines files must be UTF-8"
        ) from exc


def read_jsonl(path: Path, story_id: str | None = None) -> list[RawArticle]:
    default_story = story_id or slug(path.stem)
    articles: list[RawArticle] = []
    for line_no, row in _jsonl_rows(path):
        if isinstance(row.get("articles"), list):  # one story per line
            sid = str(row.get("story_id") or row.get("cluster_id") or f"{default_story}-{line_no}")
            for index, item in enumerate(row["articles"]):
                text = item.get("text") or item.get("content_original") or item.get("content")
                if not text:
                    raise CorpusError(f"{path}:{line_no}: article {index} has no 'text'")
                articles.append(
                    RawArticle(
                        story_id=sid,
                        source=f"{path.name}:{line_no}:{index}",
                        text=text,
                        kind=_kind(item.get("url") or "", text) if item.get("html") else "text",
                        outlet=_clean(item.get("outlet") or item.get("source")),
                        url=_clean(item.get("url")),
                        title=_clean(item.get("title")),
                        published_at=_clean(item.get("published_at") or item.get("date")),
                        story_title=_clean(row.get("title")),
                    )
                )
            continue
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{path}:{line_no}: each line needs a non-empty 'text' (or an 'articles' list)")
        articles.append(
            RawArticle(
                story_id=str(row.get("story_id") or default_story),
                source=f"{path.name}:{line_no}",
                text=text,
                kind="html" if row.get("html") else "text",
                outlet=_clean(row.get("outlet")),
                url=_clean(row.get("url")),
                title=_clean(row.get("title")),
                published_at=_clean(row.get("published_at")),
                story_title=_clean(row.get("story_title")),
            )
        )
    return articles


def read_corpus(path: str | Path, story_id: str | None = None) -> list[RawArticle]:
    """All articles of a corpus. With `story_id`, a corpus that names its stories is filtered to that one;
    a corpus that does not is analysed as that story."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"no such corpus: {path}")
    if path.is_dir():
        articles = read_directory(path, story_id)
    elif path.suffix == ".jsonl":
        articles = read_jsonl(path, story_id)
    else:
        raise CorpusError(f"{path}: expected a directory of articles or a .jsonl file")
    if story_id is not None:
        named = [a for a in articles if a.story_id == story_id]
        articles = named
    if not articles:
        where = f" for story {story_id!r}" if story_id else ""
        raise CorpusError(f"{path}: no articles found{where} (looked for {', '.join(ARTICLE_SUFFIXES)} or JSONL lines)")
    return articles


def corpus_claims(path: str | Path) -> dict[str, list[str]]:
    """Claims per story from `claims.csv` beside (or inside) the corpus, if present."""
    path = Path(path)
    candidate = path / "claims.csv" if path.is_dir() else path.with_name("claims.csv")
    return read_claims(candidate) if candidate.exists() else {}
