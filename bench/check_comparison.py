"""The comparison read on real multi-outlet stories: BASIL (the same event told by three outlets).

Converts a BASIL file (one article per line: triplet_uuid, source, title, date, url, text) into a newsprism
corpus (one story per line), runs `newsprism run` on it, then prints what a journalist checks first:
  - the share of sentences marked "only this outlet says" (exclusive_sentences / sentences with other articles),
  - left_out rows per story (and how many stories have any),
  - how many story summaries draw on one outlet only (when the summaries table records outlets per point),
  - a seeded random sample of exclusive and left_out rows, each shown with the nearest sentence of the other
    outlets, for a person to mark right or wrong.

  .venv/bin/python bench/check_comparison.py ../shared/data/corpora/basil_dev.jsonl --db /tmp/basil.duckdb
  .venv/bin/python bench/check_comparison.py BASIL.jsonl --db /tmp/basil.duckdb --skip-run --sample 30
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from newsprism.warehouse.db import connect, records


def basil_corpus(basil: Path, out: Path, limit: int | None) -> int:
    """Group BASIL's articles into one JSON story per line; returns the number of stories written."""
    stories: dict[str, list[dict]] = defaultdict(list)
    for line in basil.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            stories[row["triplet_uuid"]].append(row)
    keys = sorted(stories)[:limit] if limit else sorted(stories)
    with out.open("w", encoding="utf-8") as f:
        for key in keys:
            articles = [
                {
                    "outlet": a["source"],
                    "title": a["title"],
                    "url": a["url"],
                    "published_at": a["date"],
                    "text": a["text"],
                }
                for a in stories[key]
            ]
            f.write(json.dumps({"story_id": key, "articles": articles}) + "\n")
    return len(keys)


def rows(con, query: str, params: list | None = None) -> list[dict]:
    return records(con.execute(query, params or []))


def nearest(con, article_id: str, sentence_no: int) -> list[dict]:
    """The sentence's best link into each other article, with that sentence's text (current encoder)."""
    return rows(
        con,
        """
        select o.outlet, l.similarity, so.text
        from sentence_links as l
        join articles as a on a.article_id = l.article_id
        join stories as s on s.story_id = a.story_id and l.model_id = s.encoder_model_id
        join articles as o on o.article_id = l.other_article_id
        join sentences as so on so.article_id = l.other_article_id and so.sentence_no = l.other_sentence_no
        where l.article_id = ? and l.sentence_no = ?
        order by o.outlet
        """,
        [article_id, sentence_no],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("basil", type=Path, help="BASIL JSONL (e.g. ../shared/data/corpora/basil_dev.jsonl)")
    parser.add_argument("--db", required=True, help="DuckDB file to write (reused with --skip-run)")
    parser.add_argument("--profile", default="local")
    parser.add_argument("--limit", type=int, help="first N events only")
    parser.add_argument("--sample", type=int, default=30, help="exclusive and left_out rows to print")
    parser.add_argument("--skip-run", action="store_true", help="read an existing --db")
    args = parser.parse_args()

    if not args.skip_run:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "basil_stories.jsonl"
            n = basil_corpus(args.basil, corpus, args.limit)
            print(f"{n} stories -> {corpus}", file=sys.stderr)
            cmd = [sys.executable, "-m", "newsprism", "run", str(corpus), "--db", args.db, "--profile", args.profile]
            subprocess.run(cmd, check=True)

    con = connect(args.db, read_only=True)
    try:
        totals = rows(
            con,
            "select count(*) as sentences, count(*) filter (where shared_with = 0) as exclusive "
            "from sentence_coverage where other_articles > 0",
        )[0]
        per_story = rows(
            con,
            "select s.story_id, count(l.point) as n from stories as s left join left_out as l using (story_id) "
            "group by s.story_id",
        )
        stats = {
            "stories": len(per_story),
            "sentences": totals["sentences"],
            "share_exclusive": round(totals["exclusive"] / max(totals["sentences"], 1), 4),
            "left_out_rows": sum(r["n"] for r in per_story),
            "left_out_per_story": round(sum(r["n"] for r in per_story) / max(len(per_story), 1), 2),
            "stories_with_left_out": sum(1 for r in per_story if r["n"]),
        }
        print(json.dumps(stats, indent=2))

        rng = random.Random(0)
        exclusive = rows(con, "select * from exclusive_sentences order by story_id, article_id, sentence_no")
        print(f"\n## {min(args.sample, len(exclusive))} of {len(exclusive)} 'only this outlet says' rows")
        for i, r in enumerate(rng.sample(exclusive, min(args.sample, len(exclusive))), 1):
            print(f"\nE{i}. [{r['outlet']}] {r['text']}")
            for n in nearest(con, r["article_id"], r["sentence_no"]):
                print(f"    nearest in {n['outlet']} ({n['similarity']:.2f}): {n['text']}")
        left_out = rows(con, "select * from left_out order by story_id, outlet, point_article_id, point_sentence_no")
        print(f"\n## {min(args.sample, len(left_out))} of {len(left_out)} 'left out' rows")
        for i, r in enumerate(rng.sample(left_out, min(args.sample, len(left_out))), 1):
            print(f"\nL{i}. {r['outlet']} leaves out (told by {', '.join(r['reported_by_outlets'])}): {r['point']}")
            for n in nearest(con, r["point_article_id"], r["point_sentence_no"]):
                if n["outlet"] == r["outlet"]:
                    print(f"    closest in {n['outlet']} ({n['similarity']:.2f}): {n['text']}")
    finally:
        con.close()


if __name__ == "__main__":
    main()
