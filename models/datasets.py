"""The public datasets the `local` heads are trained and scored on, read where they lie (never copied):
NewsMTSC (target-dependent sentiment, JSONL) and FNC-1 (stance, CSV), plus the seeded held-out splits that
training and `newsprism eval` share."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from newsprism.models.base import PairInput, SentimentInput, StanceInput
from newsprism.text import split_sentences

POLARITY_TO_LABEL = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
LABEL_TO_POLARITY = {v: k for k, v in POLARITY_TO_LABEL.items()}
HELDOUT_FRACTION = 0.2  # of FNC-1's bodies, held out of training
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


def heldout_bodies(body_ids: Iterable[int], seed: int = 0, fraction: float = HELDOUT_FRACTION) -> set[int]:
    """The seeded held-out body ids (FNC-1 rule: no body in both training and held-out pairs)."""
    ids = sorted(set(body_ids))
    rng = np.random.RandomState(seed)
    rng.shuffle(ids)
    return set(ids[: int(round(fraction * len(ids)))])


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
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, _, a, b in pairs:
        parent[find(a)] = find(b)
    roots: dict[str, int] = {}
    return [roots.setdefault(find(a), len(roots)) for _, _, a, _ in pairs]
