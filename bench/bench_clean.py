"""Throughput of the cleaner on one core: plain text in articles per second (target >= 200), HTML pages in
pages per second (target >= 50). Prints JSON: the rate by wall clock and by the process's CPU time (the same
single-threaded loop; on a machine shared with other jobs the CPU-time rate is the one-core figure, the wall-clock
rate drops with the load).

.venv/bin/python bench/bench_clean.py                       # the seeds, repeated
.venv/bin/python bench/bench_clean.py ../shared/data/cleaning/l3s_gn1/original --html-flatten
.venv/bin/python bench/bench_clean.py ../shared/data/cleaning/l3s_gn1/original --html --min-articles 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from newsprism.cleaning import clean_html, clean_text
from newsprism.cleaning.html import visible_text
from newsprism.decode import read_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "seeds")
    parser.add_argument(
        "--html-flatten",
        action="store_true",
        help="inputs are HTML: flatten to visible text first (not timed), then clean the text",
    )
    parser.add_argument(
        "--html",
        action="store_true",
        help="inputs are HTML: time the whole HTML cleaner (parse, trafilatura, rules, line model) per page",
    )
    parser.add_argument("--min-articles", type=int, default=2000, help="articles per timed round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    paths = sorted(p for p in args.folder.iterdir() if p.is_file() and p.suffix != ".csv")  # not a manifest
    texts = [read_text(p) for p in paths]  # decoded as every input is (not timed)
    if args.html_flatten and not args.html:
        texts = [visible_text(t) for t in texts]
    clean = clean_html if args.html else clean_text
    unit = "pages" if args.html else "articles"
    batch = (texts * (args.min_articles // max(1, len(texts)) + 1))[: max(args.min_articles, len(texts))]
    chars = sum(len(t) for t in batch) / len(batch)
    clean(batch[0])  # warm up: the line models and trafilatura's imports load once per process
    rates, cpu_rates = [], []
    for _ in range(args.rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        for text in batch:
            clean(text)
        rates.append(len(batch) / (time.perf_counter() - start))
        cpu_rates.append(len(batch) / (time.process_time() - cpu_start))
    print(
        json.dumps(
            {
                "mode": "html" if args.html else "text (flattened HTML)" if args.html_flatten else "text",
                "folder": str(args.folder),
                "unit": unit,
                "per_round": len(batch),
                "mean_chars": round(chars),
                "rounds": args.rounds,
                "per_s_wall_median": round(statistics.median(rates), 1),
                "per_s_cpu_median": round(statistics.median(cpu_rates), 1),
                "ms_cpu_each": round(1000 / statistics.median(cpu_rates), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
