"""Entity candidates (`newsprism.targets.candidate_names`) against CoNLL-2003's gold entity spans.

Each sentence's tokens are joined with spaces; `common` is the file's own lower-case words. Prints, as JSON:
precision of the candidates against any gold entity (PER, ORG, LOC, MISC; exact span, after the same
possessive folding), and recall of the PER and ORG spans (exact, and by the last word for PER: a surname is
matched to its full name at run time). All-caps sentences (headlines, datelines) are skipped.

.venv/bin/python bench/bench_targets_conll.py ../shared/data/ner/conll2003/valid.txt
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsprism.models.ner_training import read_conll
from newsprism.targets import candidate_names, lowercase_words


def gold_spans(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    spans, words, kind = [], [], None
    for token, tag in [*sentence, ("", "O")]:
        if tag.startswith("I-") and kind == tag[2:]:
            words.append(token)
            continue
        if words:
            spans.append((kind, " ".join(words)))
        words, kind = ([token], tag[2:]) if tag != "O" else ([], None)
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    sentences = [s for s in read_conll(args.file) if any(t[0].islower() for t, _ in s)]
    texts = [" ".join(t for t, _ in s) for s in sentences]
    common = lowercase_words(texts)
    found = correct = 0
    recall = {"PER": [0, 0], "ORG": [0, 0], "PER_surname": [0, 0]}
    for sentence, text in zip(sentences, texts, strict=True):
        gold = gold_spans(sentence)
        # CoNLL writes "Clinton 's": fold the possessive as the extractor does
        folded = [(k, g.replace(" 's", "")) for k, g in gold]
        predicted = candidate_names(text.replace(" 's", "'s"), common)
        found += len(predicted)
        correct += sum(1 for p in predicted if p in {g for _, g in folded})
        for kind, g in folded:
            if kind in ("PER", "ORG"):
                recall[kind][1] += 1
                recall[kind][0] += g in predicted
            if kind == "PER":
                recall["PER_surname"][1] += 1
                recall["PER_surname"][0] += any(p.split()[-1] == g.split()[-1] for p in predicted)
    out = {
        "sentences": len(sentences),
        "candidates": found,
        "precision_any_entity": round(correct / found, 4),
        **{f"recall_{k}": round(a / b, 4) for k, (a, b) in recall.items()},
        "gold": {k: b for k, (_, b) in recall.items() if k != "PER_surname"},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
