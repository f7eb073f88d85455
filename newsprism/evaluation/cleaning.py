"""Token-level precision/recall/F1 of the cleaner's main text against gold text, averaged over pages.

Prints JSON (precision, recall, f1, pages, the baselines, the worst pages) on stdout and a short table on
stderr. `--mode html` runs trafilatura then the text rules (baseline: trafilatura alone); `--mode text`
flattens each page to all its visible text, one block per line, then runs the plain-text cleaner
(baseline: keep everything); `--baseline` names the baselines to score on the same pages instead. Scores are
bag-of-words over lower-cased word tokens, punctuation stripped, also by detected language (`by_language`:
"en" / "other"). `newsprism eval cleaning-folds` runs the same scores leaving one dataset out.

  newsprism eval cleaning ../shared/data/cleaning/l3s_gn1 --mode text
  newsprism eval cleaning ../shared/data/cleaning/cleanportaleval --mode html --split b
  newsprism eval cleaning ../shared/data/cleaning/readability_testpages --mode text --baseline trafilatura
  newsprism eval cleaning ../shared/data/cleaning/trafilatura_eval_en --format snippets
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.decode import read_text
from newsprism.errors import UserError

if TYPE_CHECKING:
    from newsprism.cleaning.datasets import Page

# The cleaner (numpy, the line models), trafilatura and rich are imported in the functions that use them:
# `newsprism --help` builds this module's parser and stays fast.

FORMATS = ("auto", "l3s", "cleaneval", "snippets")  # "auto", then `datasets.FORMATS` (a test keeps them in step)
MODES = ("html", "text")
BASELINES = ("trafilatura", "keep_everything")
DEFAULT_BASELINES = {"html": ("trafilatura",), "text": ("keep_everything",)}
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, help="dataset folder (l3s, cleaneval or snippets layout)")
    parser.add_argument(
        "--mode", choices=MODES, default="html", help="html: trafilatura + rules; text: flatten + rules"
    )
    parser.add_argument("--format", choices=FORMATS, default="auto", help="dataset layout (default: detect)")
    parser.add_argument(
        "--split",
        choices=("all", "a", "b"),
        default="all",
        help="a / b: a stable half of the pages (by id hash), to tune on one and check on the other",
    )
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages (0 = all)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--worst", type=int, default=10, help="how many worst pages to list (default 10)")
    parser.add_argument(
        "--baseline",
        choices=BASELINES,
        action="append",
        help="score this system on the same pages too (repeatable; default: trafilatura in html mode, "
        "keep_everything in text mode)",
    )


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


def page_prf(predicted: str, page: Page, fmt: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of one page: token scores against its gold text, or (snippets layout) the share
    of must-keep snippets found (recall) and of must-drop snippets left out (precision)."""
    if fmt != "snippets":
        return prf(predicted, page.gold)
    found, n_with, kept, n_without = snippet_scores(predicted, page)
    r = found / n_with if n_with else 1.0
    p = 1.0 - (kept / n_without if n_without else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def english(language: str) -> str:
    """The language group a page is reported under: "en" or "other" (any other language, or none detected)."""
    return "en" if language == "en" else "other"


def snippet_scores(predicted: str, page: Page) -> tuple[int, int, int, int]:
    """(with found, with total, without kept, without total) by whitespace-normalised substring match."""
    out = _norm(predicted)
    found = sum(1 for s in page.with_snippets if _norm(s) in out)
    kept = sum(1 for s in page.without_snippets if _norm(s) in out)
    return found, len(page.with_snippets), kept, len(page.without_snippets)


# ---------------------------------------------------------------- systems


def baseline_text(system: str, html: str, flat: str) -> str:
    """A baseline's main text of one page: trafilatura alone (its defaults), or the flattened page whole."""
    if system == "keep_everything":
        return flat
    import trafilatura  # deferred: see the comment at the top

    try:
        return trafilatura.extract(html) or ""
    except Exception:  # noqa: BLE001 - a baseline failure scores as empty output
        return ""


def run_systems(path: Path, mode: str, baselines: tuple[str, ...] | None = None) -> tuple[str, dict[str, str]]:
    """(the page's detected language, the main text of one page by our cleaner and by each baseline), all
    given the same decoded text; `baselines` default to the mode's own (DEFAULT_BASELINES)."""
    from newsprism.cleaning.document import clean_parsed, clean_text, parse_html  # deferred: see the top
    from newsprism.cleaning.lang import detect_language  # deferred: see the comment at the top

    text = read_text(path)
    parsed = parse_html(text) if mode == "html" else None
    visible = parsed.visible if parsed is not None else _visible(text)
    flat = "\n".join(line.text for line in visible)
    ours = clean_parsed(parsed).main_text if parsed is not None else clean_text(flat).main_text
    outs = {"newsprism": ours}
    for system in DEFAULT_BASELINES[mode] if baselines is None else baselines:
        outs[system] = baseline_text(system, text, flat)
    return detect_language(flat), outs


def _visible(text: str) -> list:  # noqa: ANN401 - html types kept out of module import
    from newsprism.cleaning.html import visible_lines  # deferred: see the comment at the top

    return visible_lines(text)


def _job(args: tuple[Path, str, tuple[str, ...] | None]) -> tuple[str, dict[str, str]]:
    return run_systems(*args)


def _outputs(
    pages: list[Page], mode: str, jobs: int, baselines: tuple[str, ...] | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    from rich.progress import Progress  # deferred: keeps `newsprism --help` fast

    work = [(p.path, mode, baselines) for p in pages]
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
    from rich.console import Console  # deferred: keeps `newsprism --help` fast

    return Console(stderr=True)


def evaluate(
    pages: list[Page],
    fmt: str,
    mode: str,
    jobs: int = 1,
    worst: int = 10,
    baselines: tuple[str, ...] | None = None,
) -> dict:
    """Score our cleaner and the baselines over the pages, overall and by detected language ("en" / "other");
    the result is what `run` prints as JSON."""
    per_system: dict[str, list[tuple[str, float, float, float]]] = {}
    snippet_tot: dict[str, list[int]] = {}
    groups: dict[str, str] = {}
    for page, (language, outs) in zip(pages, _outputs(pages, mode, jobs, baselines), strict=True):
        groups[page.id] = english(language)
        for system, text in outs.items():
            if fmt == "snippets":
                found, n_with, kept, n_without = snippet_scores(text, page)
                tot = snippet_tot.setdefault(system, [0, 0, 0, 0])
                for i, v in enumerate((found, n_with, kept, n_without)):
                    tot[i] += v
            per_system.setdefault(system, []).append((page.id, *page_prf(text, page, fmt)))

    def summary(rows: list[tuple[str, float, float, float]], system: str) -> dict:
        out: dict[str, float | int | None] = {**mean_prf([r[1:] for r in rows])}
        if fmt == "snippets":
            found, n_with, kept, n_without = snippet_tot.get(system, [0, 0, 0, 0])
            out["snippet_recall"] = round(found / n_with, 4) if n_with else None
            out["without_kept"] = round(kept / n_without, 4) if n_without else None
        return out

    ours = per_system.get("newsprism", [])
    result = {"format": fmt, "mode": mode, **summary(ours, "newsprism")}
    result["baselines"] = {s: summary(rows, s) for s, rows in per_system.items() if s != "newsprism"}
    result["by_language"] = {
        group: {s: mean_prf([r[1:] for r in rows if groups[r[0]] == group]) for s, rows in per_system.items()}
        for group in sorted(set(groups.values()))
    }
    result["worst"] = [
        {"id": pid, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
        for pid, p, r, f in sorted(ours, key=lambda row: row[3])[:worst]
    ]
    return result


def mean_prf(rows: list[tuple[float, float, float]]) -> dict[str, float | int]:
    """Pages and the mean precision, recall and F1 over per-page (P, R, F1) rows."""
    n = len(rows) or 1
    return {
        "pages": len(rows),
        "precision": round(sum(r[0] for r in rows) / n, 4),
        "recall": round(sum(r[1] for r in rows) / n, 4),
        "f1": round(sum(r[2] for r in rows) / n, 4),
    }


def _table(result: dict) -> str:
    rows = [("newsprism", result)] + list(result["baselines"].items())
    lines = [f"{'system':<18}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, r in rows:
        lines.append(f"{name:<18}{r['pages']:>6}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}")
        if "snippet_recall" in r:
            lines[-1] += f"   snippets kept {r['snippet_recall']}, boilerplate kept {r['without_kept']}"
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from newsprism.cleaning import datasets  # deferred: see the comment at the top

    root: Path = args.dataset
    if not root.is_dir():
        raise UserError(f"dataset folder not found: {root}")
    try:
        fmt = datasets.detect_format(root) if args.format == "auto" else args.format
        pages = datasets.load_pages(root, fmt)
    except (ValueError, OSError, KeyError, json.JSONDecodeError) as exc:
        raise UserError(str(exc)) from exc
    pages = datasets.split_pages(pages, args.split)
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        raise UserError(f"no pages with gold found in {root} (format {fmt})")
    baselines = tuple(dict.fromkeys(args.baseline)) if args.baseline else None
    result = evaluate(pages, fmt, args.mode, jobs=max(1, args.jobs), worst=args.worst, baselines=baselines)
    result = {"dataset": str(root), "split": args.split, **result}
    print(json.dumps(result, indent=2))
    print(_table(result), file=sys.stderr)
    return 0
