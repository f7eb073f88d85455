"""The public datasets the `local` heads are trained and scored on, read where they lie (never copied):
NewsMTSC (target-dependent sentiment, JSONL) and FNC-1 (stance, CSV), plus FNC-1's topics and the seeded
topic-disjoint split that training and `newsprism eval` share."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from newsprism.corpus import read_jsonl
from newsprism.models.base import PairInput, SentimentInput, StanceInput
from newsprism.targets import candidate_names, find_mentions
from newsprism.text import STOPWORDS, split_sentences, words

POLARITY_TO_LABEL = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
LABEL_TO_POLARITY = {v: k for k, v in POLARITY_TO_LABEL.items()}
NEWSMTSC_DEVS = ("mt_dev", "rw_dev")  # mt_dev chooses (epochs, layers, ensembles); rw_dev is only reported

Labelled = list[tuple[SentimentInput, str]]  # (input with its target span, gold label)
Fnc1Pair = tuple[str, int, str | None]  # (headline, body id, stance or None)


def find_dataset(data_dir: str | Path, *candidates: str, marker: str) -> Path:
    """The dataset folder: `data_dir` itself if it holds `marker`, else the first candidate below it."""
    root = Path(data_dir)
    for d in (root, *(root / c for c in candidates)):
        if list(d.glob(marker)):
            return d
    raise FileNotFoundError(f"no {marker} in {root} or in {', '.join(str(root / c) for c in candidates)}")


def newsmtsc_dir(data_dir: str | Path) -> Path:
    return find_dataset(data_dir, "sentiment/newsmtsc", "newsmtsc", marker="train.jsonl")


def fnc1_dir(data_dir: str | Path) -> Path:
    return find_dataset(data_dir, "stance/fnc1", "fnc1", marker="*bodies*.csv")


# --- NewsMTSC ------------------------------------------------------------------------------------------


def read_newsmtsc(path: str | Path) -> Labelled:
    """(input with the target span, gold label) per target, in file order."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            for t in row["targets"]:
                item = SentimentInput(row["sentence_normalized"], (int(t["from"]), int(t["to"])))
                out.append((item, POLARITY_TO_LABEL[float(t["polarity"])]))
    return out


def newsmtsc_splits(data_dir: str | Path, limit: int | None = None) -> tuple[Path, Labelled, dict[str, Labelled]]:
    """NewsMTSC's folder, train targets and dev sets (mt_dev, rw_dev); `limit` cuts each (smoke runs)."""
    src = newsmtsc_dir(data_dir)
    train = read_newsmtsc(src / "train.jsonl")
    devs = {name: read_newsmtsc(src / f"newsmtsc-{name}.jsonl") for name in NEWSMTSC_DEVS}
    if limit:
        train = train[:limit]
        devs = {name: data[:limit] for name, data in devs.items()}
    return src, train, devs


def single_polarity(data: Labelled) -> tuple[list[str], list[str]]:
    """Sentences whose targets all share one polarity, with it: whole-sentence labels from target labels."""
    by_sentence: dict[str, set[str]] = {}
    for item, label in data:
        by_sentence.setdefault(item.sentence, set()).add(label)
    plain = sorted(s for s, labels in by_sentence.items() if len(labels) == 1)
    return plain, [next(iter(by_sentence[s])) for s in plain]


TRANSFER_WORDS = (8, 60)  # the sentence lengths (words) distillation reads


def corpus_file(data: str | Path, name: str = "allsides_clusters.jsonl") -> Path:
    """A corpus JSONL: `data` itself, or corpora/`name` under a shared-data root."""
    root = Path(data)
    if root.is_file():
        return root
    candidate = root / "corpora" / name
    if candidate.is_file():
        return candidate
    raise FileNotFoundError(f"no corpora/{name} in {root}")


def transfer_mentions(corpus: str | Path, limit: int, seed: int = 0) -> list[SentimentInput]:
    """Unlabelled targets for distilling a sentiment model: in every sentence of 8 to 60 words of the corpus's
    articles, the first mention of each of its first two names (`targets.candidate_names`, without its
    filter of words written in lower case elsewhere: a capitalised first word may count); shuffled with
    `seed`, the first `limit`."""
    items = []
    for article in read_jsonl(Path(corpus)):
        for sentence in split_sentences(article.text):
            if not TRANSFER_WORDS[0] <= len(sentence.split()) <= TRANSFER_WORDS[1]:
                continue
            for name in candidate_names(sentence)[:2]:
                spans = find_mentions(sentence, name)
                if spans:
                    items.append(SentimentInput(sentence, spans[0]))
    random.Random(seed).shuffle(items)
    return items[:limit]


# --- FNC-1 ---------------------------------------------------------------------------------------------


def read_fnc1(directory: str | Path) -> tuple[dict[int, str], list[Fnc1Pair]]:
    """Bodies by id and (headline, body id, stance or None) pairs, from `*bodies*.csv` + `*stances*.csv`."""
    d = Path(directory)
    bodies_files, stances_files = sorted(d.glob("*bodies*.csv")), sorted(d.glob("*stances*.csv"))
    if len(bodies_files) != 1 or len(stances_files) != 1:
        raise FileNotFoundError(f"{d} must hold exactly one *bodies*.csv and one *stances*.csv")
    with open(bodies_files[0], encoding="utf-8", newline="") as fh:
        bodies = {int(r["Body ID"]): r["articleBody"] for r in csv.DictReader(fh)}
    with open(stances_files[0], encoding="utf-8", newline="") as fh:
        pairs = [(r["Headline"], int(r["Body ID"]), r.get("Stance") or None) for r in csv.DictReader(fh)]
    return bodies, pairs


def fnc1_items(bodies: dict[int, str], pairs: Iterable[Fnc1Pair]) -> list[StanceInput]:
    """The stance inputs of FNC-1 pairs: the headline is the claim, the body is split into sentences."""
    split = {bid: tuple(split_sentences(text)) for bid, text in bodies.items()}
    return [StanceInput(headline, split[bid]) for headline, bid, _ in pairs]


T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    """Union-find over hashable items (path halving); an item joins on its first `find`, and iterating
    gives the items in that order. `union(a, b)`: a's set joins b's, b's root stays the root."""

    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, x: T) -> T:
        parent = self.parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        self.parent[self.find(a)] = self.find(b)

    def __iter__(self) -> Iterator[T]:
        return iter(self.parent)


TOPIC_MERGE_AT = 0.3  # TF-IDF cosine of two topics' headline words above which they are one topic
TOPIC_DEV_FRACTION = 0.2  # of FNC-1's related pairs, in the topics held out as dev


def fnc1_topics(pairs: list[Fnc1Pair], merge_at: float = TOPIC_MERGE_AT) -> tuple[dict[str, int], dict[int, int]]:
    """A topic per headline and per body: the headlines and bodies linked by related pairs (agree, disagree,
    discuss: one story), then stories whose headlines share salient content words (TF-IDF cosine of their
    headlines' words >= `merge_at`, single linkage) merged into one topic. Unrelated pairs link nothing.

    Topics are numbered in order of their first pair, so the numbering depends on the data only."""
    stories: DisjointSets[tuple[str, str | int]] = DisjointSets()
    find = stories.find
    for headline, bid, stance in pairs:
        h, b = find(("h", headline)), find(("b", bid))
        if stance is not None and stance != "unrelated":
            stories.union(h, b)
    story: dict[tuple[str, str | int], int] = {}
    for headline, bid, _ in pairs:
        for node in (("h", headline), ("b", bid)):
            story.setdefault(find(node), len(story))
    # each story's headline words: the share of its headlines that hold each content word, weighted by IDF
    shares: list[dict[str, float]] = [{} for _ in story]
    headlines_of: dict[int, set[str]] = {}
    for headline, _, _ in pairs:
        headlines_of.setdefault(story[find(("h", headline))], set()).add(headline)
    for s, heads in headlines_of.items():
        counts: dict[str, int] = {}
        for headline in heads:
            for w in {w for w in words(headline, lower=True) if w not in STOPWORDS["en"] and len(w) > 2}:
                counts[w] = counts.get(w, 0) + 1
        shares[s] = {w: c / len(heads) for w, c in counts.items()}
    df: dict[str, int] = {}
    for share in shares:
        for w in share:
            df[w] = df.get(w, 0) + 1
    vecs = []
    for share in shares:
        v = {w: x * math.log(len(shares) / df[w]) for w, x in share.items()}
        norm = math.sqrt(sum(a * a for a in v.values())) or 1.0
        vecs.append({w: a / norm for w, a in v.items()})
    merged: DisjointSets[int] = DisjointSets()
    root = merged.find
    for i in range(len(vecs)):
        for j in range(i + 1, len(vecs)):
            if sum(a * vecs[j].get(w, 0.0) for w, a in vecs[i].items()) >= merge_at:
                merged.union(max(root(i), root(j)), min(root(i), root(j)))
    number: dict[int, int] = {}
    topic_of = {node: number.setdefault(root(s), len(number)) for node, s in ((n, story[find(n)]) for n in stories)}
    heads_topic = {str(k[1]): t for k, t in topic_of.items() if k[0] == "h"}
    bodies_topic = {int(k[1]): t for k, t in topic_of.items() if k[0] == "b"}
    return heads_topic, bodies_topic


def topic_split(pairs: list[Fnc1Pair], seed: int = 0, fraction: float = TOPIC_DEV_FRACTION,
                ) -> tuple[list[int], list[int], list[int]]:  # fmt: skip
    """(train pair indices, dev pair indices, topic of every pair (-1: dropped)): whole topics, drawn in a
    seeded order until the dev side holds `fraction` of the related pairs, so that no topic, headline or body
    is on both sides. An unrelated pair whose headline and body fall on different sides is in neither."""
    heads, bodies = fnc1_topics(pairs)
    related: dict[int, int] = {}
    for headline, _, stance in pairs:
        if stance is not None and stance != "unrelated":
            related[heads[headline]] = related.get(heads[headline], 0) + 1
    topics = sorted(set(heads.values()) | set(bodies.values()))
    rng = np.random.RandomState(seed)
    rng.shuffle(topics)
    goal, dev, total = fraction * sum(related.values()), set(), 0
    for t in topics:
        if total >= goal:
            break
        dev.add(t)
        total += related.get(t, 0)
    train_idx: list[int] = []
    dev_idx: list[int] = []
    topic: list[int] = []
    for i, (headline, bid, _) in enumerate(pairs):
        th, tb = heads[headline], bodies[bid]
        if (th in dev) != (tb in dev):
            topic.append(-1)
            continue
        (dev_idx if th in dev else train_idx).append(i)
        topic.append(tb)
    return train_idx, dev_idx, topic


def fnc1_fingerprint(bodies: dict[int, str], pairs: list[Fnc1Pair]) -> str:
    """Identifies an FNC-1 training set (body ids + pair count); stored in the head so eval can tell."""
    text = ",".join(map(str, sorted(bodies))) + f"|{len(pairs)}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


# --- MSRP (paraphrase pairs) ----------------------------------------------------------------------------

MsrpPair = tuple[PairInput, bool, str, str]  # (the two sentences, same point, #1 ID, #2 ID)


def msrp_file(data: str | Path) -> Path:
    """The MSRP training file: `data` itself, or msrp_train.txt in it or in its pairs/ folder."""
    root = Path(data)
    if root.is_file():
        return root
    for candidate in (root / "msrp_train.txt", root / "pairs" / "msrp_train.txt"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no msrp_train.txt in {root} or {root / 'pairs'}")


def conll_file(data: str | Path) -> Path:
    """The CoNLL-2003 training file: `data` itself, or ner/conll2003/train.txt under a shared-data root."""
    root = Path(data)
    if root.is_file():
        return root
    candidate = root / "ner" / "conll2003" / "train.txt"
    if candidate.is_file():
        return candidate
    raise FileNotFoundError(f"no ner/conll2003/train.txt in {root}")


def read_msrp(path: str | Path) -> list[MsrpPair]:
    """MSRP as distributed: UTF-8 with a BOM, tab-separated (Quality, #1 ID, #2 ID, #1 String, #2 String),
    quotes inside fields taken literally."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if [h.strip() for h in header[:3]] != ["Quality", "#1 ID", "#2 ID"]:
            raise ValueError(f"{path} is not an MSRP file (header {header})")
        for row in reader:
            if not row:
                continue
            if len(row) != 5:
                raise ValueError(f"{path}: expected 5 tab-separated fields, got {len(row)}: {row[:3]}")
            out.append((PairInput(row[3], row[4]), row[0].strip() == "1", row[1].strip(), row[2].strip()))
    return out


def msrp_groups(pairs: list[MsrpPair]) -> list[int]:
    """A group per pair: pairs that share a sentence (by id) are one group, so no sentence is on both sides
    of a cross-validation split."""
    sentences: DisjointSets[str] = DisjointSets()
    for _, _, a, b in pairs:
        sentences.union(a, b)
    roots: dict[str, int] = {}
    return [roots.setdefault(sentences.find(a), len(roots)) for _, _, a, _ in pairs]
