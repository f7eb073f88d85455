"""Boundary precision/recall/F1 of the sentence splitter (newsprism/text.py) on NewsMTSC's news sentences.

NewsMTSC gives each sentence on its own with an id naming its article and its position there
(`allsides_<article>_<group>_<sentence>_<target>_<from>_<to>`). The sentences of one article are put back in
order, each run of consecutive positions joined by single spaces into one paragraph, and split again: a gold
boundary is the end of every sentence but a paragraph's last. NewsMTSC's own segmentation has errors (a few
gold "sentences" end in "Sen." or "Gov."), so 1.0 is not reachable; the number is for before/after
comparisons of the splitter. Also prints the paragraphs' sentences the splitter gets wrong (`--show N`).

.venv/bin/python bench/bench_splitter.py ../shared/data/sentiment/newsmtsc/train.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from newsprism.text import split_sentences

_GID = re.compile(r"^(?P<source>[a-z]+)_(?P<article>\d+)_(?P<group>\d+)_(?P<sentence>\d+)_")


def paragraphs(path: Path) -> list[list[str]]:
    """Gold sentences in runs of consecutive positions of one article: each run is one paragraph."""
    by_article: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            match = _GID.match(row["primary_gid"])
            if not match:
                continue
            text = " ".join(row["sentence_normalized"].split())
            if text:
                by_article[(match["source"], match["article"])][int(match["sentence"])] = text
    runs: list[list[str]] = []
    for _, sentences in sorted(by_article.items()):
        run: list[str] = []
        previous = None
        for position in sorted(sentences):
            if run and previous is not None and position != previous + 1:
                runs.append(run)
                run = []
            run.append(sentences[position])
            previous = position
        if run:
            runs.append(run)
    return runs


def boundaries(sentences: list[str]) -> set[int]:
    """Character offsets (in the sentences joined by single spaces) where a sentence ends, the last one not."""
    ends, offset = set(), 0
    for sentence in sentences[:-1]:
        offset += len(sentence)
        ends.add(offset)
        offset += 1
    return ends


def predicted_boundaries(paragraph: str, sentences: list[str]) -> set[int]:
    ends, cursor = set(), 0
    for sentence in sentences[:-1]:
        start = paragraph.index(sentence, cursor)
        cursor = start + len(sentence)
        ends.add(cursor)
    return ends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jsonl", type=Path, help="a NewsMTSC file (train.jsonl, newsmtsc-rw_dev.jsonl, ...)")
    parser.add_argument("--show", type=int, default=0, help="print up to N wrongly split paragraphs")
    args = parser.parse_args()
    tp = fp = fn = 0
    shown = 0
    runs = paragraphs(args.jsonl)
    for gold in runs:
        paragraph = " ".join(gold)
        predicted = split_sentences(paragraph)
        want, got = boundaries(gold), predicted_boundaries(paragraph, predicted)
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        if want != got and shown < args.show:
            shown += 1
            print("gold:", gold, "\n got:", predicted, "\n")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        json.dumps(
            {
                "paragraphs": len(runs),
                "gold_boundaries": tp + fn,
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
