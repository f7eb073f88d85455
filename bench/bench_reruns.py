"""Reruns of analyse-coverage, in-process: what an unchanged rerun and one added article cost.

For each corpus (a temp copy, a temp DuckDB file and so a cold cache beside it):
  first run          everything computed (models load here too)
  unchanged rerun    target <= 5 % of the first run
  one added article  a copy of the first story's first article with one sentence added to its body
and Prefect's overhead per run: the flow's wall time / the sum of the stages' own work (both from
`runs.timings`: `flow_wall` and the stages), target <= 1.3. Rerun ratios use the wall time of the call.

  .venv/bin/python bench/bench_reruns.py                          # seeds + allsides, local profile
  .venv/bin/python bench/bench_reruns.py --limit-stories 20 --profile tiny
  .venv/bin/python bench/bench_reruns.py --corpus seeds
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from newsprism.cleaning import clean_text
from newsprism.models.registry import PROFILES
from newsprism.settings import Settings
from newsprism.warehouse.db import connect, sql

# Prefect and what imports it (the flow, newsprism.inprocess) are imported inside the functions, after `main`
# has set Prefect's environment defaults: Prefect reads its settings when first imported.

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = [ROOT / "seeds", ROOT.parent / "shared" / "data" / "corpora" / "allsides_clusters.jsonl"]
ADDED_SENTENCE = "Analysts said the decision could take months to implement, according to people familiar with it."
RERUN_TARGET = 0.05
OVERHEAD_TARGET = 1.3


def copy_corpus(src: Path, dst_dir: Path, limit_stories: int | None) -> Path:
    """A private copy of the corpus (the bench adds an article to it); JSONL stories cut to `limit_stories`."""
    if src.is_dir():
        return Path(shutil.copytree(src, dst_dir / src.name))
    dst = dst_dir / src.name
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as fout:
        for n, line in enumerate(line for line in fin if line.strip()):
            if limit_stories is not None and n >= limit_stories:
                break
            fout.write(line)
    return dst


def with_new_sentence(text: str) -> str:
    """The text with one sentence added to its first body paragraph: the first line of 25+ words that the
    cleaner keeps (a caption or a "Related articles" tail would be cut, and the article would not be new)."""
    kept = {line.strip() for line in clean_text(text).body.split("\n") if len(line.split()) >= 25}
    lines = text.split("\n")
    target = next(
        (i for i, line in enumerate(lines) if line.strip() in kept), max(range(len(lines)), key=lambda i: len(lines[i]))
    )
    lines[target] = f"{lines[target].rstrip()} {ADDED_SENTENCE}"
    return "\n".join(lines)


def add_one_article(corpus: Path) -> None:
    """One new article in the first story: a copy of an existing one with one more sentence (new content)."""
    if corpus.is_dir():
        files = sorted(p for p in corpus.iterdir() if p.suffix in {".txt", ".html", ".htm"})
        first = files[0]
        added = corpus / f"zz_added{first.suffix}"
        added.write_text(with_new_sentence(first.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")
        manifest = corpus / "manifest.csv"
        if manifest.exists():
            with manifest.open(newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            row = next((r for r in rows if r["file"] == first.name), None)
            if row is not None:
                rows.append({**row, "file": added.name, **({"url": ""} if "url" in row else {})})
                with manifest.open("w", newline="", encoding="utf-8") as f:
                    writer = csv.DictWriter(f, fieldnames=list(rows[0]))
                    writer.writeheader()
                    writer.writerows(rows)
        return
    lines = corpus.read_text(encoding="utf-8").splitlines()
    story = json.loads(lines[0])
    if "articles" in story:
        article = dict(story["articles"][0])
        key = "text" if "text" in article else "content_original" if "content_original" in article else "content"
        article[key] = with_new_sentence(article[key])
        for field in ("ID", "url"):
            if field in article:
                article[field] = f"{article[field]}-bench-added"
        story["articles"].append(article)
        lines[0] = json.dumps(story, ensure_ascii=False)
    else:  # one article per line
        lines.append(json.dumps({**story, "text": with_new_sentence(story["text"])}, ensure_ascii=False))
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_once(corpus: Path, db: Path, profile: str) -> dict:
    from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage

    t0 = time.perf_counter()
    result = analyse_coverage(CoverageParams(corpus=str(corpus), profile=profile, db=str(db)))
    wall = time.perf_counter() - t0
    con = connect(str(db), read_only=True)
    try:
        ((timings, computed, cached, articles),) = con.execute(sql("queries/run_by_id"), [result["run_id"]]).fetchall()
    finally:
        con.close()
    timings = json.loads(timings)
    flow_wall = timings.pop("flow_wall", wall)  # the flow's own wall time, as the flow records it
    work = sum(timings.values())  # the stages' own work
    return {
        "wall": wall,
        "flow_wall": flow_wall,
        "work": work,
        "overhead": flow_wall / work if work else float("nan"),
        "timings": timings,
        "computed": json.loads(computed or "{}"),
        "cached": json.loads(cached or "{}"),
        "articles": articles,
        "stories": len(result["stories"]),
    }


def warm_up_prefect() -> float:
    """Start Prefect's API (the ephemeral server, when no PREFECT_API_URL) before anything is timed."""
    from prefect import flow

    @flow(name="bench-warm-up")
    def noop() -> None:
        return None

    t0 = time.perf_counter()
    noop()
    return time.perf_counter() - t0


def bench(src: Path, profile: str, limit_stories: int | None, keep: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="newsprism-bench-"))
    try:
        corpus = copy_corpus(src, tmp, limit_stories)
        db = tmp / "bench.duckdb"
        first = run_once(corpus, db, profile)
        rerun = run_once(corpus, db, profile)
        add_one_article(corpus)
        added = run_once(corpus, db, profile)
        return {"corpus": str(src), "first": first, "rerun": rerun, "added": added}
    finally:
        if keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def report(result: dict) -> None:
    first, rerun, added = result["first"], result["rerun"], result["added"]
    ratio = rerun["wall"] / first["wall"]
    print(
        f"\n{result['corpus']}: {first['stories']} story(ies), {first['articles']} article(s) "
        f"(+1 -> {added['articles']})"
    )
    print(
        f"  {'run':<18}{'call s':>8}{'flow s':>8}{'stages s':>10}{'overhead':>10}   "
        "model work per stage: computed/from cache"
    )
    for name, run in (("first run", first), ("unchanged rerun", rerun), ("one added article", added)):
        work = ", ".join(
            f"{stage} {run['computed'].get(stage, '?')}/{run['cached'].get(stage, '?')}"
            for stage in ("summarise", "sentiment", "stance")
        )
        print(
            f"  {name:<18}{run['wall']:>8.2f}{run['flow_wall']:>8.2f}{run['work']:>10.2f}{run['overhead']:>10.2f}"
            f"   {work}"
        )
    print(
        f"  unchanged rerun = {ratio:.1%} of the first run (target <= {RERUN_TARGET:.0%}): "
        f"{'ok' if ratio <= RERUN_TARGET else 'MISSED'}"
    )
    worst = max(run["overhead"] for run in (first, rerun, added))
    print(
        f"  Prefect overhead, worst of the three = {worst:.2f} (target <= {OVERHEAD_TARGET}): "
        f"{'ok' if worst <= OVERHEAD_TARGET else 'MISSED'}"
    )
    print(
        "  call s: analyse_coverage() as called; flow s: the flow's wall time (runs.timings.flow_wall);"
        " overhead = flow s / stages s"
    )
    print(
        "  stage seconds (first / rerun / added): "
        + ", ".join(
            f"{stage} {first['timings'].get(stage, 0):.2f}/{rerun['timings'].get(stage, 0):.2f}/"
            f"{added['timings'].get(stage, 0):.2f}"
            for stage in first["timings"]
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        help="corpus directory or JSONL file; repeatable (default: seeds/ and allsides_clusters.jsonl)",
    )
    parser.add_argument("--limit-stories", type=int, default=None, help="only the first N stories of a JSONL corpus")
    parser.add_argument("--profile", choices=list(PROFILES), default="local")
    parser.add_argument("--keep", action="store_true", help="keep the temp corpus copies and databases")
    args = parser.parse_args()

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    corpora = args.corpus or DEFAULT_CORPORA
    missing = [str(c) for c in corpora if not c.exists()]
    if missing:
        sys.exit(f"no such corpus: {', '.join(missing)}")
    from newsprism.inprocess import in_process

    settings = Settings.from_env()
    with in_process(settings.heartbeats):  # as `newsprism run` calls the flow (NEWSPRISM_HEARTBEATS=1: heartbeats)
        print(f"profile {args.profile}; Prefect API ready after {warm_up_prefect():.1f}s (not counted below)")
        for src in corpora:
            report(bench(src.resolve(), args.profile, args.limit_stories, args.keep))


if __name__ == "__main__":
    main()
