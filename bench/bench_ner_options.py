"""Two ways to find named entities, trained on CoNLL-2003 train and measured on a CoNLL file (exact-span F1
over PER, ORG, LOC, as `newsprism eval ner`): the shipped CRF (`ner.crf-conll.v1`, models/ner.py), and a
token classifier over the frozen shared encoder (all-MiniLM-L6-v2's last hidden state of each word's first
word piece, multinomial logistic regression over IOB tags). Prints JSON: F1, P, R, per type, sentences/s.

.venv/bin/python bench/bench_ner_options.py ../shared/data/ner/conll2003/{train,valid}.txt
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from newsprism.models.ner import load_ner
from newsprism.models.ner_training import entity_scores, read_conll, tag_all
from newsprism.models.pretrained import load_minilm


def minilm_states(sentences: list[list[tuple[str, str]]], batch: int = 64) -> np.ndarray:
    """(tokens, 384): the encoder's last hidden state at each word's first word piece, words in file order."""
    model, tokenizer = load_minilm()
    model.eval()
    out = []
    with torch.inference_mode():
        for start in range(0, len(sentences), batch):
            chunk = [[w for w, _ in s] for s in sentences[start : start + batch]]
            enc = tokenizer(chunk, is_split_into_words=True, truncation=True, max_length=256, padding=True,
                            return_tensors="pt")  # fmt: skip
            hidden = model(**enc).last_hidden_state
            for row, words in enumerate(chunk):
                first: dict[int, int] = {}
                for pos, word in enumerate(enc.word_ids(row)):
                    if word is not None and word not in first:
                        first[word] = pos
                out += [hidden[row, first.get(k, 0)].numpy() for k in range(len(words))]
    return np.array(out, dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("--train-limit", type=int, default=0, help="first N training sentences (0: all)")
    args = parser.parse_args()
    train, test = read_conll(args.train), read_conll(args.test)
    if args.train_limit:
        train = train[: args.train_limit]
    gold = [[t for _, t in s] for s in test]
    results = {}
    t0 = time.time()
    crf = entity_scores(gold, tag_all(load_ner(), test))
    results["crf (shipped ner.crf-conll.v1)"] = {
        **crf,
        "sentences_per_second": round(len(test) / (time.time() - t0), 1),
    }
    t0 = time.time()
    x_train = minilm_states(train)
    y_train = np.array([t for s in train for _, t in s])
    clf = LogisticRegression(max_iter=300, C=1.0).fit(x_train, y_train)
    fit_seconds = time.time() - t0
    t0 = time.time()
    pred_flat = clf.predict(minilm_states(test)).tolist()
    predicted, k = [], 0
    for s in test:
        predicted.append(pred_flat[k : k + len(s)])
        k += len(s)
    results["frozen MiniLM + logistic regression"] = {
        **entity_scores(gold, predicted), "sentences_per_second": round(len(test) / (time.time() - t0), 1),
        "train_sentences": len(train), "fit_seconds": round(fit_seconds, 1),
    }  # fmt: skip
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
