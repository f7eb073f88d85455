"""Throughput of the cleaner on one core: plain text in articles per second (target >= 200), HTML pages in
pages per second (target >= 50).

.venv/bin/python bench/bench_clean.py                       # the seeds, repeated
.venv/bin/python bench/bench_clean.py ../shared/data/cleaning/l3s_gn1/original --html-flatten
.venv/bin/python bench/bench_clean.py ../shared/data/cleaning/l3s_gn1/original --html --min-articles 200
"""

from __future__ import annotations

import argparse
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

    paths = sorted(p for p in args.folder.iterdir() if p.is_file())
    texts = [read_text(p) for p in paths]  # decoded as every input is (not timed)
    if args.html_flatten and not args.html:
        texts = [visible_text(t) for t in texts]
    clean = clean_html if args.html else clean_text
    unit = "pages" if args.html else "articles"
    batch = (texts * (args.min_articles // max(1, len(texts)) + 1))[: max(args.min_articles, len(texts))]
    chars = sum(len(t) for t in batch) / len(batch)
    rates = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in batch:
            clean(text)
        rates.append(len(batch) / (time.perf_counter() - start))
    print(
        f"{len(batch)} {unit}/round (mean {chars:,.0f} chars), {args.rounds} rounds: "
        f"median {statistics.median(rates):,.0f} {unit}/s (min {min(rates):,.0f}) on one core"
    )


if __name__ == "__main__":
    main()
