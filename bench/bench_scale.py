"""Per-stage throughput, peak memory and total time of `newsprism run` over whole corpora (prints JSON).

Each corpus runs as `newsprism run` in its own process and folder (a temp DuckDB file and an empty cache, so
every model unit is computed: a corpus never reuses an earlier one's outputs). Per stage: its seconds (the
run's `runs.timings`, each task's own work), articles/s and sentences/s (the counts loaded into the
warehouse); peak resident memory of that process; total wall time including Prefect's start. With
`--task-runner dask` the stages run in worker processes: their time is then inside `flow_wall`, not per
stage, and their memory is not in `peak_mb`.

  .venv/bin/python bench/bench_scale.py                                   # seeds, tiny profile
  .venv/bin/python bench/bench_scale.py ../shared/data/corpora/allsides_clusters.jsonl --profile tiny

With `--articles N [N ...]` the corpora are the sources of assembled corpora of N articles each (one run
per N), streamed line by line into a temp JSONL: story-per-line files (`{story_id|cluster_id, articles}`)
as they are, article-per-line files grouped into stories by `--story-field`; the sources are read again
from the start until N articles are written, each pass under its own story ids (so a repeat pass holds the
same texts as the first: the encoder's and the pairs model's in-process memos then make it cheaper).

  .venv/bin/python bench/bench_scale.py ../shared/data/corpora/allsides_clusters.jsonl \
      ../shared/data/corpora/basil_dev.jsonl --story-field triplet_uuid --articles 1000 3000 10000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench_memory import measured_run  # the sibling benchmark's child-process runner (bench/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("ingest", "clean", "group", "split", "align", "summarise", "sentiment", "stance", "load", "compare", "report")


def run_corpus(corpus: Path, profile: str, task_runner: str, workdir: Path) -> dict[str, object]:
    """One `newsprism run` over `corpus` in a child process: its per-stage numbers, peak RSS and wall time."""
    _, wall, peak_mb, db = measured_run(corpus, profile, workdir, "--task-runner", task_runner)
    from newsprism.warehouse.db import connect  # DuckDB: only to read the finished run's warehouse back

    con = connect(str(db), read_only=True)
    try:
        articles, sentences = con.execute(
            "select (select count(*) from articles), (select count(*) from sentences)"
        ).fetchone()
        stories = con.execute("select count(*) from stories").fetchone()[0]
        timings = json.loads(con.execute("select timings from runs order by started_at desc limit 1").fetchone()[0])
    finally:
        con.close()
    stages = {
        stage: {
            "seconds": round(timings[stage], 2),
            "articles_per_s": round(articles / timings[stage], 1) if timings[stage] else None,
            "sentences_per_s": round(sentences / timings[stage], 1) if timings[stage] else None,
        }
        for stage in STAGES
        if stage in timings
    }
    return {
        "corpus": str(corpus),
        "stories": stories,
        "articles": articles,
        "sentences": sentences,
        "stages": stages,
        "flow_wall_s": round(timings.get("flow_wall", 0.0), 1),
        "total_wall_s": round(wall, 1),
        "articles_per_s_total": round(articles / wall, 2),
        "peak_mb": round(peak_mb, 1),
    }


def assemble(sources: list[Path], articles: int, story_field: str, out: Path) -> Path:
    """A JSONL corpus of `articles` articles from `sources` (see the module's docstring), written line by line."""
    written, passes = 0, 0
    with out.open("w", encoding="utf-8") as sink:
        while written < articles:
            passes += 1
            before = written
            for source in sources:
                with source.open(encoding="utf-8") as lines:
                    for line in lines:
                        if written >= articles:
                            break
                        row = json.loads(line)
                        if isinstance(row.get("articles"), list):
                            story = row.get("story_id") or row.get("cluster_id")
                            row["articles"] = row["articles"][: articles - written]
                            row = {**row, "story_id": f"p{passes}-{story}"}
                            written += len(row["articles"])
                        else:
                            row = {**row, "story_id": f"p{passes}-{row.get(story_field)}"}
                            written += 1
                        sink.write(json.dumps(row) + "\n")
            if written == before:
                raise SystemExit(f"no articles in {', '.join(map(str, sources))}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", nargs="*", default=[str(ROOT / "seeds")], help="directories or .jsonl files")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--task-runner", default="default", choices=("default", "dask"))
    parser.add_argument("--articles", type=int, nargs="+", help="assemble corpora of these sizes from the corpora")
    parser.add_argument("--story-field", default="story_id", help="the story of an article-per-line source's row")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpora = [Path(corpus).resolve() for corpus in args.corpora]
        if args.articles:
            corpora = [
                assemble(corpora, n, args.story_field, Path(tmp) / f"assembled-{n}.jsonl") for n in args.articles
            ]
        for k, corpus in enumerate(corpora):  # one JSON object per corpus, printed as soon as its run ends
            print(f"running {corpus} ...", file=sys.stderr, flush=True)
            # its own folder: an empty model cache (beside its warehouse), so no run reuses another's outputs
            workdir = Path(tmp) / f"run-{k}"
            workdir.mkdir()
            result = run_corpus(corpus, args.profile, args.task_runner, workdir)
            print(json.dumps({"profile": args.profile, "task_runner": args.task_runner, **result}), flush=True)


if __name__ == "__main__":
    main()
