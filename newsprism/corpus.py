"""Reading a corpus: a directory of articles (with an optional manifest) or a JSONL file.

Directory: `*.txt`, `*.html`, `*.htm` (optionally `.gz`) files, plus optional `manifest.csv` with a `file`
column and any of `story_id, story_title, title, outlet, url, published_at`, and optional `claims.csv`
(`story_id, claim`). JSONL: one article per line `{text, outlet?, url?, title?, published_at?,
story_id?}`, or one story per line `{cluster_id|story_id, articles: [{text|content_original, source|
outlet, url, title, date}]}`.

Files are decoded by `newsprism.decode` (gzip, BOMs, UTF-8/16/32, declared or detected charsets), as
`newsprism clean` decodes them; a file is HTML by its name or its content. JSON Lines are UTF-8 by
definition: a line that is not is quarantined (`undecodable`, naming its line).

A run scans the corpus a line or a file at a time (`scan_refs`: each article's fields, hashes and place, no
text) and reads each batch's texts again when the batch's turn comes (`read_texts`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, TypeVar, cast

from newsprism.decode import (
    NotUtf8Error,
    decode_detected,
    is_html,
    looks_binary,
    read_text,
    utf8_line_at,
    utf8_lines_at,
)
from newsprism.records import (
    Article,
    ArticleFields,
    ArticleLinkRow,
    ArticleRef,
    IngestedArticle,
    Locator,
    RawArticle,
    RejectedInput,
    SplitArticle,
    content_hash,
)
from newsprism.text import words

T = TypeVar("T")

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".txt.gz", ".html.gz", ".htm.gz")
CORPUS_FILES = {"manifest.csv", "claims.csv"}  # a corpus directory's own files, not inputs
MIN_ARTICLE_WORDS = 10  # an article with fewer words left after cleaning is quarantined as `no_text`
MEGABYTE = 1024 * 1024
MAX_INPUT_BYTES = 20 * MEGABYTE  # default `max_input_mb`: a larger input is quarantined unread
REASONS = {  # `rejected_inputs.reason`
    "empty": "no text at all (an empty or whitespace-only file, a JSONL line without 'text')",
    "no_text": f"fewer than {MIN_ARTICLE_WORDS} words of article text left after cleaning",
    "binary": "binary or undecodable bytes",
    "undecodable": "a JSONL line that is not UTF-8",
    "bad_line": "a JSONL line that is not a JSON object",
    "bad_date": "a JSONL article whose published_at (or date) is not an ISO 8601 date",
    "too_large": "over the size limit (checked before reading)",
    "unsupported_type": "not an article file",
    "unsafe_path": "a symlink, or a path leaving the corpus",
    "duplicate": "the same text as another input of the story (kept_source)",
    "changed": "changed or removed while the run read the corpus (its text is read again for its batch)",
}
NEAR_DUPLICATE_SIMILARITY = 0.9  # word-trigram Jaccard of two articles' clean texts: a near-duplicate
SHINGLE_WORDS = 3
MANIFEST_COLUMNS = {"file", "story_id", "story_title", "title", "outlet", "url", "published_at"}


class CorpusError(ValueError):
    """The corpus cannot be read as given; the message says what to fix."""


class NothingToAnalyse(CorpusError):
    """The corpus was read, but every input in it was quarantined (`newsprism run` exits 1); `rejected`
    holds them, so a run still records each one."""

    def __init__(self, message: str, rejected: list[RejectedInput] | None = None) -> None:
        super().__init__(message)
        self.rejected = list(rejected or [])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "story"


def _kind(name: str, text: str) -> str:
    return "html" if is_html(name, text) else "text"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _is_iso_date(value: str) -> bool:
    """Whether `value` is a real ISO 8601 date or date and time (`2025-13-45` is not)."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _date_problem(value: str) -> str:
    return (
        f"published_at {value!r} is not an ISO 8601 date (YYYY-MM-DD, or a date and time such as 2024-05-01T09:30:00Z)"
    )


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
            rows: dict[str, dict[str, str | None]] = {}
            first_line: dict[str, int] = {}
            for line_no, row in enumerate(reader, start=2):
                name = _clean(row.get("file"))
                if not name:
                    raise CorpusError(f"{path}:{line_no}: empty 'file'")
                if name in rows:
                    raise CorpusError(f"{path}:{line_no}: {name} is listed twice (first on line {first_line[name]})")
                meta = {k: _clean(v) for k, v in row.items() if k != "file"}
                if meta.get("published_at") and not _is_iso_date(meta["published_at"] or ""):
                    raise CorpusError(f"{path}:{line_no}: {_date_problem(meta['published_at'] or '')}")
                rows[name] = meta
                first_line[name] = line_no
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


def _rejected(
    source: str, reason: str, message: str, data: bytes | None = None, size: int | None = None, kept: str | None = None
) -> RejectedInput:
    return RejectedInput(
        source=source,
        content_hash=hashlib.blake2b(data, digest_size=16).hexdigest() if data is not None else None,
        size_bytes=len(data) if data is not None else size,
        reason=reason,
        message=message,
        kept_source=kept,
    )


def _read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes (gzip undone), or None when they (or the decompressed stream) exceed `max_bytes`;
    never more than `max_bytes + 1` bytes are held."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                inflated = stream.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error):
            return data  # not really gzip: read as it is (decode does the same)
        return inflated if len(inflated) <= max_bytes else None
    return data


def _check_file(root: Path, path: Path, max_bytes: int) -> tuple[str, str] | RejectedInput:
    """The text of an article file and the encoding it was decoded from, or why it is quarantined."""
    name = path.name
    if path.is_symlink() or not path.resolve().is_relative_to(root):
        return _rejected(name, "unsafe_path", f"{name}: a symlink or a path leaving the corpus is not read")
    size = path.stat().st_size
    if not name.lower().endswith(ARTICLE_SUFFIXES):
        message = f"{name}: not an article file ({', '.join(ARTICLE_SUFFIXES)})"
        return _rejected(name, "unsupported_type", message, size=size)
    if size > max_bytes:  # checked before reading
        return _rejected(name, "too_large", f"{name}: {size} bytes, over the limit of {max_bytes}", size=size)
    data = _read_bounded(path, max_bytes)
    if data is None:
        return _rejected(name, "too_large", f"{name}: over {max_bytes} bytes once decompressed", size=size)
    text, encoding = decode_detected(data)
    if not text.strip():
        return _rejected(name, "empty", f"{name}: no text", data)
    if looks_binary(text):
        return _rejected(name, "binary", f"{name}: binary or undecodable bytes, not text", data)
    return text, encoding


def scan_directory(
    root: Path, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Iterator[RawArticle | RejectedInput]:
    """The directory's articles and the entries quarantined instead (`REASONS`), one at a time, in file-name
    order; sub-directories and the corpus's own `manifest.csv` / `claims.csv` are not inputs."""
    manifest_path = root / "manifest.csv"
    manifest = read_manifest(manifest_path) if manifest_path.exists() else {}
    entries = sorted(p for p in root.iterdir() if p.name not in CORPUS_FILES and (p.is_symlink() or not p.is_dir()))
    missing = sorted(set(manifest) - {p.name for p in entries})
    if missing:
        raise CorpusError(f"{manifest_path}: lists file(s) not in {root}: {', '.join(missing)}")
    default_story = story_id or slug(root.resolve().name)
    base = root.resolve()
    for path in entries:
        checked = _check_file(base, path, max_bytes)
        if not isinstance(checked, tuple):
            yield checked
            continue
        text, encoding = checked
        meta = manifest.get(path.name, {})
        yield RawArticle(
            story_id=meta.get("story_id") or default_story,
            story_given=bool(story_id or meta.get("story_id")),
            source=path.name,
            text=text,
            kind=_kind(path.name, text),
            outlet=meta.get("outlet"),
            url=meta.get("url"),
            title=meta.get("title"),
            published_at=meta.get("published_at"),
            story_title=meta.get("story_title"),
            encoding=encoding,
            where=Locator(path=str(base / path.name), offset=None, item=None, gzip=False),
        )


def _is_gzip(path: Path) -> bool:
    """Whether the file is a gzip stream that decompresses whole (a corrupt one is read as it is)."""
    with path.open("rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return False
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except (OSError, EOFError, zlib.error):
        return False
    return True


def _open_lines(path: Path, is_gzip: bool) -> BinaryIO:
    return cast(BinaryIO, gzip.open(path, "rb")) if is_gzip else path.open("rb")


def _jsonl_rows(path: Path, is_gzip: bool) -> Iterator[tuple[int, int, dict] | RejectedInput]:
    """(line number, byte offset, JSON object) of each line, read a line at a time; a line that is not UTF-8,
    not JSON or not an object is quarantined (its `RejectedInput` in its place); blank lines are skipped."""
    with _open_lines(path, is_gzip) as stream:
        for line_no, offset, line in utf8_lines_at(stream):
            source = f"{path.name}:{line_no}"
            if isinstance(line, NotUtf8Error):
                message = (
                    f"{path}:{line_no}: not UTF-8 (byte 0x{line.byte:02x} at column {line.column}); "
                    "JSON Lines files must be UTF-8"
                )
                yield _rejected(source, "undecodable", message)
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield _rejected(source, "bad_line", f"{path}:{line_no}: not valid JSON ({exc.msg})", line.encode())
                continue
            if not isinstance(row, dict):
                yield _rejected(source, "bad_line", f"{path}:{line_no}: expected a JSON object", line.encode())
                continue
            yield line_no, offset, row


def _text_of(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _row_text(row: dict, item: int | None) -> str | None:
    """The article text of a JSON Lines row (`item` None), or of its `item`-th article (a story per line)."""
    if item is None:
        return _text_of(row.get("text"))
    found = row["articles"][item] if isinstance(row.get("articles"), list) and item < len(row["articles"]) else {}
    found = found if isinstance(found, dict) else {}
    return _text_of(found.get("text") or found.get("content_original") or found.get("content"))


def _str(value: object) -> str | None:
    return _clean(value) if isinstance(value, str) else None


def scan_jsonl(path: Path, story_id: str | None = None) -> Iterator[RawArticle | RejectedInput]:
    """The articles of a JSON Lines file and the lines (or articles) quarantined instead, one at a time, in
    the file's order; the file is read a line at a time."""
    default_story = story_id or slug(path.stem)
    is_gzip = _is_gzip(path)
    base = str(path.resolve())
    for read in _jsonl_rows(path, is_gzip):
        if not isinstance(read, tuple):
            yield read
            continue
        line_no, offset, row = read
        if isinstance(row.get("articles"), list):  # one story per line
            sid = str(row.get("story_id") or row.get("cluster_id") or f"{default_story}-{line_no}")
            for index, item in enumerate(row["articles"]):
                source = f"{path.name}:{line_no}:{index}"
                item = item if isinstance(item, dict) else {}
                text = _row_text(row, index)
                if text is None:
                    yield _rejected(source, "empty", f"{path}:{line_no}: article {index} has no 'text'")
                    continue
                published_at = _str(item.get("published_at") or item.get("date"))
                if published_at and not _is_iso_date(published_at):
                    message = f"{path}:{line_no}: article {index}: {_date_problem(published_at)}"
                    yield _rejected(source, "bad_date", message, text.encode())
                    continue
                yield RawArticle(
                    story_id=sid,
                    source=source,
                    text=text,
                    kind=_kind(_str(item.get("url")) or "", text) if item.get("html") else "text",
                    outlet=_str(item.get("outlet") or item.get("source")),
                    url=_str(item.get("url")),
                    title=_str(item.get("title")),
                    published_at=published_at,
                    story_title=_str(row.get("title")),
                    where=Locator(path=base, offset=offset, item=index, gzip=is_gzip),
                )
            continue
        text = _row_text(row, None)
        if text is None:
            message = f"{path}:{line_no}: each line needs a non-empty 'text' (or an 'articles' list)"
            yield _rejected(f"{path.name}:{line_no}", "empty", message)
            continue
        published_at = _str(row.get("published_at"))
        if published_at and not _is_iso_date(published_at):
            message = f"{path}:{line_no}: {_date_problem(published_at)}"
            yield _rejected(f"{path.name}:{line_no}", "bad_date", message, text.encode())
            continue
        yield RawArticle(
            story_id=str(row.get("story_id") or default_story),
            story_given=bool(story_id or row.get("story_id")),
            source=f"{path.name}:{line_no}",
            text=text,
            kind="html" if row.get("html") else "text",
            outlet=_str(row.get("outlet")),
            url=_str(row.get("url")),
            title=_str(row.get("title")),
            published_at=published_at,
            story_title=_str(row.get("story_title")),
            where=Locator(path=base, offset=offset, item=None, gzip=is_gzip),
        )


def read_jsonl(path: Path, story_id: str | None = None) -> list[RawArticle]:
    return [raw for raw in scan_jsonl(path, story_id) if isinstance(raw, RawArticle)]


def _duplicate(article: RawArticle, kept_source: str) -> RejectedInput:
    return RejectedInput(
        source=article.source,
        content_hash=article.raw_hash,
        size_bytes=len(article.text.encode("utf-8")),
        reason="duplicate",
        message=f"{article.source}: the same text as {kept_source} in story {article.story_id!r}",
        kept_source=kept_source,
    )


def _scan(
    path: str | Path, story_id: str | None, max_bytes: int, keep: Callable[[RawArticle], T]
) -> tuple[list[T], list[RejectedInput]]:
    """`scan_corpus`, each article kept as `keep` makes it as it is read (so the raw texts need not all be
    held at once)."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"no such corpus: {path}")
    if path.is_dir():
        items = scan_directory(path, story_id, max_bytes)
    elif path.suffix == ".jsonl":
        items = scan_jsonl(path, story_id)
    else:
        raise CorpusError(f"{path}: expected a directory of articles or a .jsonl file")
    articles: list[T] = []
    rejected: list[RejectedInput] = []
    duplicates: list[RejectedInput] = []
    first: dict[str, str] = {}  # article id -> the source of the input kept with that text
    for item in items:
        if not isinstance(item, RawArticle):
            rejected.append(item)
        elif story_id is None or item.story_id == story_id:
            kept = first.setdefault(item.article_id, item.source)
            if kept == item.source:
                articles.append(keep(item))
            else:
                duplicates.append(_duplicate(item, kept))
    rejected += duplicates
    if not articles:
        where = f" for story {story_id!r}" if story_id else ""
        quarantined = f"; {len(rejected)} input(s) quarantined" if rejected else ""
        message = f"{path}: no articles found{where} (looked for {', '.join(ARTICLE_SUFFIXES)} or JSONL lines)"
        if rejected:
            raise NothingToAnalyse(message + quarantined, rejected)
        raise CorpusError(message)
    return articles, rejected


def scan_corpus(
    path: str | Path, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> tuple[list[RawArticle], list[RejectedInput]]:
    """All articles of a corpus and every input quarantined instead (each input ends in exactly one of the
    two lists; an exact duplicate of an earlier article of its story is quarantined as `duplicate`). With
    `story_id`, a corpus that names its stories is filtered to that one; a corpus that does not is analysed
    as that story. A corpus with nothing to analyse is a `CorpusError`."""
    return _scan(path, story_id, max_bytes, lambda raw: raw)


def scan_refs(
    path: str | Path, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> tuple[list[ArticleRef], list[RejectedInput]]:
    """`scan_corpus`, each article without its text (`RawArticle.as_ref`): what a run holds of its corpus
    until `read_texts` reads a batch's texts again."""
    return _scan(path, story_id, max_bytes, RawArticle.as_ref)


def read_texts(
    stories: list[list[ArticleRef]], max_bytes: int = MAX_INPUT_BYTES
) -> tuple[list[list[IngestedArticle]], list[RejectedInput]]:
    """The stories' articles with their texts, read again from the corpus (each file opened once, a JSON Lines
    file's lines read in file order). An input that changed or went since the corpus was scanned (its text no
    longer has the hash the run took) is quarantined as `changed`; a story left with no article is dropped."""
    texts: dict[tuple[str, int | None, int | None], str | None] = {}
    by_path: dict[str, list[Locator]] = {}
    for ref in (ref for articles in stories for ref in articles):
        by_path.setdefault(ref["where"]["path"], []).append(ref["where"])
    for path, places in by_path.items():
        texts.update(_read_places(path, places, max_bytes))
    kept: list[list[IngestedArticle]] = []
    rejected: list[RejectedInput] = []
    for articles in stories:
        story: list[IngestedArticle] = []
        for ref in articles:
            where = ref["where"]
            text = texts[where["path"], where["offset"], where["item"]]
            if text is None or content_hash(text) != ref["raw_hash"]:
                message = f"{ref['source']}: changed or removed after the run read the corpus; run again to analyse it"
                rejected.append(_rejected(ref["source"], "changed", message, size=ref["size_bytes"]))
                continue
            fields = {key: value for key, value in ref.items() if key in ArticleFields.__annotations__}
            story.append(IngestedArticle(**cast(ArticleFields, fields), text=text))
        if story:
            kept.append(story)
    return kept, rejected


def _read_places(
    key: str, places: list[Locator], max_bytes: int
) -> Iterator[tuple[tuple[str, int | None, int | None], str | None]]:
    """The text at each place in the file `key` (None where it can no longer be read)."""
    path = Path(key)
    if places[0]["offset"] is None:  # a file of a directory corpus: read and decoded as the scan did
        try:
            checked = _check_file(path.parent, path, max_bytes)
        except OSError:
            checked = None
        yield (key, None, None), checked[0] if isinstance(checked, tuple) else None
        return
    items: dict[int, set[int | None]] = {}  # line offset -> the articles read from that line
    for place in places:
        items.setdefault(cast(int, place["offset"]), set()).add(place["item"])
    try:
        with _open_lines(path, places[0]["gzip"]) as stream:
            for offset in sorted(items):
                try:
                    row = json.loads(utf8_line_at(stream, offset))
                except (ValueError, OSError, EOFError, zlib.error):  # not UTF-8 or JSON any more, or cut short
                    row = None
                for item in items[offset]:
                    yield (key, offset, item), _row_text(row, item) if isinstance(row, dict) else None
    except OSError:
        for place in places:
            yield (key, place["offset"], place["item"]), None


def screen_articles(stories: list[list[Article]]) -> tuple[list[list[Article]], list[RejectedInput]]:
    """Per story, the cleaned articles with at least `MIN_ARTICLE_WORDS` words of text (a story left with
    none is dropped), and the others quarantined as `no_text`."""
    kept: list[list[Article]] = []
    rejected: list[RejectedInput] = []
    for articles in stories:
        mine = []
        for article in articles:
            if article["words_clean"] >= MIN_ARTICLE_WORDS:
                mine.append(article)
                continue
            message = (
                f"{article['source']}: {article['words_clean']} word(s) of article text after cleaning "
                f"(at least {MIN_ARTICLE_WORDS} needed)"
            )
            rejected.append(
                RejectedInput(
                    source=article["source"],
                    content_hash=article["raw_hash"],
                    size_bytes=len(article["raw_text"].encode("utf-8")),
                    reason="no_text",
                    message=message,
                    kept_source=None,
                )
            )
        if mine:
            kept.append(mine)
    return kept, rejected


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = words(text, lower=True)
    return {tuple(tokens[i : i + SHINGLE_WORDS]) for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))}


def near_duplicates(articles: Sequence[Article | SplitArticle]) -> list[ArticleLinkRow]:
    """The articles of one story that nearly duplicate an earlier one (by source): the Jaccard similarity of
    their clean texts' word trigrams is at least `NEAR_DUPLICATE_SIMILARITY`. Each is linked to the first
    article it repeats that is not itself a near-duplicate (the kept one); both stay analysed."""
    ordered = sorted(articles, key=lambda a: a["source"])
    kept: list[tuple[Article | SplitArticle, set[tuple[str, ...]]]] = []
    links: list[ArticleLinkRow] = []
    for article in ordered:
        mine = _shingles(article["clean_text"])
        for original, theirs in kept:
            similarity = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
            if similarity >= NEAR_DUPLICATE_SIMILARITY:
                links.append(
                    ArticleLinkRow(
                        story_id=article["story_id"],
                        article_id=article["article_id"],
                        kept_article_id=original["article_id"],
                        relation="near_duplicate",
                        similarity=round(similarity, 4),
                    )
                )
                break
        else:
            kept.append((article, mine))
    return links


def read_corpus(path: str | Path, story_id: str | None = None, max_bytes: int = MAX_INPUT_BYTES) -> list[RawArticle]:
    """The articles `scan_corpus` finds (the quarantined inputs left out)."""
    return scan_corpus(path, story_id, max_bytes)[0]


def corpus_claims(path: str | Path) -> dict[str, list[str]]:
    """Claims per story from `claims.csv` beside (or inside) the corpus, if present."""
    path = Path(path)
    candidate = path / "claims.csv" if path.is_dir() else path.with_name("claims.csv")
    return read_claims(candidate) if candidate.exists() else {}
