"""How quotable the summaries are on a multi-outlet corpus in BASIL's format (one article per line, stories by
`triplet_uuid`, outlet in `source`): the pipeline's clean -> split -> align -> summarise, then counts of

- article summaries that open on a sentence leaning on a missing one ("But…", "He added…"), that hold such a
  sentence anywhere without the sentence it leans on, and that hold a dateline;
- story summaries whose sentences all come from one outlet, story points carried by two outlets or more and by
  most of the story's outlets (more than half), and the share of the story summary's sentences (its points)
  that most outlets report (`share_widely_reported`).

Two steps, so that an older checkout can produce summaries that this one scores:
.venv/bin/python bench/bench_story_summaries.py run ../shared/data/corpora/basil_dev.jsonl /tmp/after.json
.venv/bin/python bench/bench_story_summaries.py score /tmp/after.json
"""

from __future__ import annotations

import argparse
import inspect
import json
from collections import defaultdict
from pathlib import Path


def run(corpus: Path, out: Path, profile_name: str) -> None:
    # deferred: `score` needs none of the pipeline (and runs against summaries an older checkout wrote)
    from newsprism.cleaning.story import clean_story  # (see above)
    from newsprism.models.profiles import resolve_profile  # (see above)
    from newsprism.records import RawArticle  # (see above)
    from newsprism.stories import define_story, split_articles  # (see above)
    from newsprism.tasks.align import align_stories  # (see above)
    from newsprism.tasks.summarise import summarise_story  # (see above)

    profile = resolve_profile(profile_name)
    by_story: dict[str, list] = defaultdict(list)
    with corpus.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            row = json.loads(line)
            raw = RawArticle(
                story_id=row["triplet_uuid"],
                source=f"{corpus.name}:{line_no}",
                text=row["text"],
                outlet=row["source"],
                title=row.get("title"),
            )
            by_story[raw.story_id].append(raw.as_record())
    stories = [split_articles(clean_story(raws)) for raws in by_story.values()]
    links = align_stories(stories, profile.encoder, profile.pairs)
    takes_links = "links" in inspect.signature(summarise_story).parameters
    results = []
    for articles, story_links in zip(stories, links, strict=True):
        story = define_story(articles[0]["story_id"], articles, [], [])
        args = (story, articles, story_links["rows"]) if takes_links else (story, articles)
        output = summarise_story(*args, profile.summariser, profile.encoder)
        results.append(
            {
                "story_id": story["story_id"],
                "articles": [
                    {"article_id": a["article_id"], "outlet": a["outlet"], "sentences": a["sentences"]}
                    for a in articles
                ],
                "summaries": output["rows"],
                "points": output.get("points", []),
            }
        )
        print(f"{len(results)}/{len(stories)}", end="\r", flush=True)
    out.write_text(json.dumps({"profile": profile_name, "stories": results}), encoding="utf-8")
    print(f"wrote {out}")


def score(path: Path) -> dict:
    # deferred, as in `run` (see there)
    from newsprism.models.summarise import leans_back, strip_dateline  # (see above)

    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {
        "articles": 0,
        "opens_leaning_back": 0,
        "holds_unresolved_sentence": 0,
        "holds_dateline": 0,
        "stories": 0,
        "story_from_one_outlet": 0,
        "points": 0,
        "points_from_2_outlets_or_more": 0,
        "points_from_most_outlets": 0,
    }
    for story in data["stories"]:
        articles = {a["article_id"]: a for a in story["articles"]}
        for row in story["summaries"]:
            if row["scope"] == "article":
                counts["articles"] += 1
                sentences = articles[row["article_id"]]["sentences"]
                ids = row["sentence_ids"]
                if ids and leans_back(sentences[ids[0]]):
                    counts["opens_leaning_back"] += 1
                if any(leans_back(sentences[i]) and (k == 0 or ids[k - 1] != i - 1) for k, i in enumerate(ids)):
                    counts["holds_unresolved_sentence"] += 1
                if strip_dateline(row["summary"]) != row["summary"]:
                    counts["holds_dateline"] += 1
            else:
                counts["stories"] += 1
                text = row["summary"]
                outlets = {
                    a["outlet"]
                    for a in story["articles"]
                    for s in a["sentences"]
                    if len(s.split()) >= 4 and (s in text or strip_dateline(s) in text)
                }
                if len(outlets) == 1:
                    counts["story_from_one_outlet"] += 1
        story_outlets = {a["outlet"] for a in story["articles"]}
        for point in story["points"]:
            counts["points"] += 1
            counts["points_from_2_outlets_or_more"] += len(point["outlets"]) >= 2
            counts["points_from_most_outlets"] += len(point["outlets"]) > len(story_outlets) / 2
    # the story summary is its points, one sentence each: the share of its sentences that most outlets report
    counts["share_widely_reported"] = round(counts["points_from_most_outlets"] / max(counts["points"], 1), 4)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="summarise a BASIL-format corpus; write the summaries as JSON")
    run_parser.add_argument("corpus", type=Path)
    run_parser.add_argument("out", type=Path)
    run_parser.add_argument("--profile", default="local")
    score_parser = sub.add_parser("score", help="count the summaries' problems")
    score_parser.add_argument("summaries", type=Path)
    args = parser.parse_args()
    if args.command == "run":
        run(args.corpus, args.out, args.profile)
    else:
        print(json.dumps(score(args.summaries)))


if __name__ == "__main__":
    main()
