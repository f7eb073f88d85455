"""Sentences per second: the bare encoder vs the full model stages on the same sentences.

Every sentence should be encoded once per run and reused by alignment, summaries, sentiment and stance,
so the full stages should cost little more than the bare encoder (target: ratio <= 1.3). The `local`
profile's sentiment ensemble runs two fine-tuned MiniLMs of its own per sentence and per target mention;
`local-fast`'s head runs one layer over the encoder's own states.

  .venv/bin/python bench/bench_tagging.py --corpus ../shared/data/corpora/allsides_clusters.jsonl --stories 20
  .venv/bin/python bench/bench_tagging.py --profile local-fast
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict

import torch

from newsprism.cleaning import clean_story
from newsprism.corpus import read_corpus
from newsprism.models.registry import (
    PROFILES,
    get_encoder,
    get_pairs,
    get_profile,
    get_sentiment,
    get_stance,
    get_summariser,
)
from newsprism.records import SplitArticle, Story
from newsprism.stories import define_story, group_by_story, split_articles
from newsprism.tasks.align import align_stories
from newsprism.tasks.summarise import summarise_story
from newsprism.tasks.tag import tag_sentiment_cached, tag_stance_cached


def prepare(corpus: str, stories: int) -> list[tuple[Story, list[SplitArticle]]]:
    out = []
    for story_id, raw in list(group_by_story([a.as_record() for a in read_corpus(corpus)]).items())[:stories]:
        articles = split_articles(clean_story(raw))
        out.append((define_story(story_id, articles, [], []), articles))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="seeds")
    parser.add_argument("--stories", type=int, default=20)
    parser.add_argument("--profile", default="local", choices=list(PROFILES))
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    profile = get_profile(args.profile)
    data = prepare(args.corpus, args.stories)
    sentences = [s for _, articles in data for a in articles for s in a["sentences"]]
    encoder = get_encoder(profile.encoder)
    # load every model first: loading is not part of the per-sentence cost
    get_summariser(profile.summariser, profile.encoder)
    get_sentiment(profile.sentiment, profile.encoder)
    get_stance(profile.stance, profile.encoder)
    get_pairs(profile.pairs, profile.encoder)
    encoder.encode(["warm up the encoder"])

    kept = encoder.keep_layer  # as a run has it (local-fast: the states its sentiment head reuses)
    encoder.keep_states(None)  # the bare encoder keeps nothing but its vectors
    encoder._memo.clear()
    t0 = time.perf_counter()
    encoder.encode(sentences)
    bare = time.perf_counter() - t0

    encoder.keep_states(kept)  # as a run starts
    encoder._memo.clear()
    stages: dict[str, float] = defaultdict(float)
    t0 = time.perf_counter()
    links = align_stories(
        [articles for _, articles in data], profile.encoder, profile.pairs
    )  # as the flow's task: all at once
    stages["align"] = time.perf_counter() - t0
    for (story, articles), story_links in zip(data, links, strict=True):
        for name, fn, args_ in [
            ("summarise", summarise_story, (story, articles, story_links["rows"], profile.summariser, profile.encoder)),
            ("sentiment", tag_sentiment_cached, (story, articles, profile.sentiment, profile.encoder)),
            ("stance", tag_stance_cached, (story, articles, profile.stance, profile.encoder)),
        ]:
            t0 = time.perf_counter()
            fn(*args_)
            stages[name] += time.perf_counter() - t0
    full = sum(stages.values())
    print(
        json.dumps(
            {
                "corpus": args.corpus,
                "stories": len(data),
                "articles": sum(len(a) for _, a in data),
                "sentences": len(sentences),
                "profile": args.profile,
                "bare_encoder_sentences_per_s": round(len(sentences) / bare, 1),
                "full_stages_sentences_per_s": round(len(sentences) / full, 1),
                "ratio_full_to_bare": round(full / bare, 3),
                "stage_seconds": {k: round(v, 3) for k, v in stages.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
