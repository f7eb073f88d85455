"""Token-level precision/recall/F1 of the cleaner's main text against gold text, averaged over pages.

Prints JSON (precision, recall, f1, pages, the baselines, the worst pages) on stdout and a short table on
stderr. `--mode html` runs trafilatura then the text rules (baseline: trafilatura alone); `--mode text`
flattens each page to all its visible text, one block per line, then runs the plain-text cleaner
(baseline: keep everything). Scores are bag-of-words over lower-cased word tokens, punctuation stripped.

  newsprism eval cleaning ../shared/data/cleaning/l3s_gn1 --mode text
  newsprism eval cleaning ../shared/data/cleaning/cleanportaleval --mode html --split b
  newsprism eval cleaning ../shared/data/cleaning/trafilatura_eval_en --format snippets
"""

from __future__ import annotations

import argparse
import gzip
import html as htmlmod
import json
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("auto", "l3s", "cleaneval", "snippets")
MODES = ("html", "text")
_TOKEN = re.compile(r"\w+")
_CLEANEVAL_TAG = re.compile(r"^\s*<(?:p|h|l)>", re.MULTILINE | re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SUFFIX = re.compile(r"\.(?:html?|txt)(?:\.gz)?$|\.gz$", re.I)


@dataclass
class Page:
    id: str
    path: Path
    gold: str = ""
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, help="dataset folder (l3s, cleaneval or snippets layout)")
    parser.add_argument(
        "--mode", choices=MODES, default="html", help="html: trafilatura + rules; text: flatten + rules"
    )
    parser.add_argument("--format", choices=FORMATS, default="auto", help="dataset layout (default: detect)")
    parser.add_argument(
        "--split", choices=("all", "a", "b"), default="all",
        help="a / b: a stable half of the pages (by id hash), to tune on one and check on the other",
    )
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages (0 = all)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--worst", type=int, default=10, help="how many worst pages to list (default 10)")


# ---------------------------------------------------------------- scoring


def tokens(text: str) -> Counter[str]:
    """Bag of lower-cased word tokens, punctuation stripped (the extraction benchmarks' convention)."""
    return Counter(_TOKEN.findall(text.lower()))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 of one page; an empty side scores 0 unless both are empty (1)."""
    p_tok, g_tok = tokens(predicted), tokens(gold)
    n_p, n_g = sum(p_tok.values()), sum(g_tok.values())
    if n_p == 0 and n_g == 0:
        return 1.0, 1.0, 1.0
    overlap = sum((p_tok & g_tok).values())
    precision = overlap / n_p if n_p else 0.0
    recall = overlap / n_g if n_g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def snippet_scores(predicted: str, page: Page) -> tuple[int, int, int, int]:
    """(with found, with total, without kept, without total) by whitespace-normalised substring match."""
    out = _norm(predicted)
    found = sum(1 for s in page.with_snippets if _norm(s) in out)
    kept = sum(1 for s in page.without_snippets if _norm(s) in out)
    return found, len(page.with_snippets), kept, len(page.without_snippets)


# ---------------------------------------------------------------- datasets


def detect_format(root: Path) -> str:
    if (root / "gold.jsonl").is_file() and (root / "original").is_dir():
        return "l3s"
    if (root / "input").is_dir() and (root / "gold").is_dir():
        return "cleaneval"
    if (root / "html").is_dir() and any(root.glob("*.json")):
        return "snippets"
    raise ValueError(f"cannot tell the layout of {root}: expected l3s, cleaneval or snippets")


def _read_gz_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def cleaneval_gold(text: str) -> str:
    """CleanEval gold: drop the `URL:` line (after any blank lines), comments and the <p>/<h>/<l> marks."""
    lines = text.lstrip().splitlines()
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    text = _COMMENT.sub("", "\n".join(lines))  # "<!-- this page contains no article -->"
    return htmlmod.unescape(_CLEANEVAL_TAG.sub("", text)).strip()


def load_pages(root: Path, fmt: str) -> list[Page]:
    if fmt == "l3s":
        pages = []
        with open(root / "gold.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                path = root / "original" / f"{row['id']}.html.gz"
                if path.is_file():
                    gold = "\n".join(x for x in (row.get("headline"), row.get("fulltext")) if x)
                    pages.append(Page(id=row["id"], path=path, gold=gold))
        return pages
    if fmt == "cleaneval":
        pages = []
        for path in sorted((root / "input").iterdir()):
            stem = _SUFFIX.sub("", path.name)
            gold = next((g for g in (root / "gold").iterdir() if _SUFFIX.sub("", g.name) == stem), None)
            if gold is not None:
                pages.append(Page(id=stem, path=path, gold=cleaneval_gold(_read_gz_text(gold))))
        return pages
    if fmt == "snippets":
        names = sorted(root.glob("*.json"))
        data = json.loads(names[0].read_text(encoding="utf-8"))
        pages = []
        for entry in data.values():
            candidates = [root / "html" / (entry["file"] + ".gz"), root / "html" / entry["file"]]
            path = next((c for c in candidates if c.is_file()), None)
            if path is not None:
                pages.append(
                    Page(id=entry["file"], path=path, with_snippets=list(entry.get("with", [])),
                         without_snippets=list(entry.get("without", [])))
                )
        return pages
    raise ValueError(f"unknown format {fmt!r}")


def split_pages(pages: list[Page], split: str) -> list[Page]:
    if split == "all":
        return pages
    want = 0 if split == "a" else 1
    return [p for p in pages if zlib.crc32(p.id.encode()) % 2 == want]


# ---------------------------------------------------------------- systems


def run_systems(path: Path, mode: str) -> dict[str, str]:
    """The main text of one page by our cleaner and by the mode's baseline."""
    from newsprism.cleaning import clean_html, clean_text
    from newsprism.cleaning.html import maybe_gunzip, visible_text

    data = maybe_gunzip(path.read_bytes())
    if mode == "html":
        import trafilatura

        ours = clean_html(data).main_text
        try:
            base = trafilatura.extract(data) or ""
        except Exception:  # noqa: BLE001 - a baseline failure scores as empty output
            base = ""
        return {"newsprism": ours, "trafilatura": base}
    flat = visible_text(data)
    return {"newsprism": clean_text(flat).main_text, "keep_everything": flat}


def _job(args: tuple[Path, str]) -> dict[str, str]:
    return run_systems(*args)


def _outputs(pages: list[Page], mode: str, jobs: int) -> Iterator[dict[str, str]]:
    from rich.progress import Progress

    work = [(p.path, mode) for p in pages]
    with Progress(transient=True, console=_stderr_console()) as progress:
        bar = progress.add_task(f"cleaning ({mode})", total=len(work))
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for out in pool.map(_job, work, chunksize=4):
                    progress.advance(bar)
                    yield out
        else:
            for item in work:
                out = _job(item)
                progress.advance(bar)
                yield out


def _stderr_console():  # noqa: ANN202 - rich type kept out of module import
    from rich.console import Console

    return Console(stderr=True)


def evaluate(
    pages: list[Page], fmt: str, mode: str, jobs: int = 1, worst: int = 10,
    progress: Callable[[list[Page], str, int], Iterator[dict[str, str]]] = _outputs,
) -> dict:
    """Score every system of the mode over the pages; the result is what `run` prints as JSON."""
    per_system: dict[str, list[tuple[str, float, float, float]]] = {}
    snippet_tot: dict[str, list[int]] = {}
    for page, outs in zip(pages, progress(pages, mode, jobs), strict=True):
        for system, text in outs.items():
            if fmt == "snippets":
                found, n_with, kept, n_without = snippet_scores(text, page)
                tot = snippet_tot.setdefault(system, [0, 0, 0, 0])
                for i, v in enumerate((found, n_with, kept, n_without)):
                    tot[i] += v
                r = found / n_with if n_with else 1.0
                p = 1.0 - (kept / n_without if n_without else 0.0)
                f = 2 * p * r / (p + r) if p + r else 0.0
                per_system.setdefault(system, []).append((page.id, p, r, f))
            else:
                per_system.setdefault(system, []).append((page.id, *prf(text, page.gold)))

    def summary(rows: list[tuple[str, float, float, float]], system: str) -> dict:
        n = len(rows) or 1
        out = {
            "pages": len(rows),
            "precision": round(sum(r[1] for r in rows) / n, 4),
            "recall": round(sum(r[2] for r in rows) / n, 4),
            "f1": round(sum(r[3] for r in rows) / n, 4),
        }
        if fmt == "snippets":
            found, n_with, kept, n_without = snippet_tot.get(system, [0, 0, 0, 0])
            out["snippet_recall"] = round(found / n_with, 4) if n_with else None
            out["without_kept"] = round(kept / n_without, 4) if n_without else None
        return out

    ours = per_system.get("newsprism", [])
    result = {"format": fmt, "mode": mode, **summary(ours, "newsprism")}
    result["baselines"] = {s: summary(rows, s) for s, rows in per_system.items() if s != "newsprism"}
    result["worst"] = [
        {"id": pid, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
        for pid, p, r, f in sorted(ours, key=lambda row: row[3])[:worst]
    ]
    return result


def _table(result: dict) -> str:
    rows = [("newsprism", result)] + list(result["baselines"].items())
    lines = [f"{'system':<18}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, r in rows:
        lines.append(f"{name:<18}{r['pages']:>6}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}")
        if "snippet_recall" in r:
            lines[-1] += f"   snippets kept {r['snippet_recall']}, boilerplate kept {r['without_kept']}"
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from newsprism.cli import UserError

    root: Path = args.dataset
    if not root.is_dir():
        raise UserError(f"dataset folder not found: {root}")
    try:
        fmt = detect_format(root) if args.format == "auto" else args.format
        pages = load_pages(root, fmt)
    except (ValueError, OSError, KeyError, json.JSONDecodeError) as exc:
        raise UserError(str(exc)) from exc
    pages = split_pages(pages, args.split)
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        raise UserError(f"no pages with gold found in {root} (format {fmt})")
    result = evaluate(pages, fmt, args.mode, jobs=max(1, args.jobs), worst=args.worst)
    result = {"dataset": str(root), "split": args.split, **result}
    print(json.dumps(result, indent=2))
    print(_table(result), file=sys.stderr)
    return 0
