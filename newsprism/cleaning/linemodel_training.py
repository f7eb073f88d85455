"""Training the line models (dev only, scikit-learn): label each line of a dataset's pages, fit, write the JSON.

A page is read exactly as at run time (`document.prepare`: the rules' decisions, headline, sign-offs and, for
HTML, trafilatura's choice of each line), its feature rows taken from `linemodel.features`, and each line
labelled by the gold text (body when its words occur there) or by the snippets it holds.

    python -m newsprism.cleaning.linemodel_training ../shared/data/cleaning/l3s_gn1 --split a
    python -m newsprism.cleaning.linemodel_training ../shared/data/cleaning/l3s_gn1 --split a --html \\
        --snippets ../shared/data/cleaning/trafilatura_eval_en

Retraining changes the shipped file, so the cleaner's id (`CLEANER_ID`, which carries a digest of the files)
changes with it.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from newsprism.cleaning import datasets, linemodel
from newsprism.cleaning.document import prepare
from newsprism.cleaning.html import extract, visible_lines
from newsprism.cleaning.lines import Line
from newsprism.decode import read_text

Rows = tuple[list[list[float]], list[int]]


def _gold_string(gold: str) -> str:
    return " " + " ".join(re.findall(r"\w+", gold.lower())) + " "


def label(line: str, gold: str) -> bool:
    """A line is body when its word sequence occurs in the gold text (whole words); long lines may differ a bit."""
    toks = re.findall(r"\w+", line.lower())
    if not toks:
        return False
    if " " + " ".join(toks) + " " in gold:
        return True
    if len(toks) < 8:
        return False
    grams = {" ".join(toks[i : i + 4]) for i in range(len(toks) - 3)}
    return sum(1 for g in grams if " " + g + " " in gold) >= 0.6 * len(grams)


def feature_rows(
    flat: str, extracted: str | None = None, layout: list[tuple[float, str]] | None = None
) -> tuple[list[Line], list[list[float]]]:
    """(the non-blank lines, their feature rows) of a flattened page, as the model sees them at run time."""
    draft = prepare(flat.splitlines(), extracted=extracted)
    reading = draft.reading
    if reading.index:  # the model never sees an index page
        return [], []
    return linemodel.features(reading.lines, reading.lo, reading.hi, reading.end, layout)


def page_rows(
    flat: str, gold: str, extracted: str | None = None, layout: list[tuple[float, str]] | None = None
) -> Rows:
    """Feature rows and labels of one page's flattened text against its gold text (the headline left out)."""
    lines, rows = feature_rows(flat, extracted, layout)
    g = _gold_string(gold)
    pairs = [(row, int(label(line.s, g))) for line, row in zip(lines, rows, strict=True) if line.reason != "title"]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def snippet_rows(
    flat: str,
    with_: list[str],
    without: list[str],
    extracted: str | None = None,
    layout: list[tuple[float, str]] | None = None,
) -> Rows:
    """Rows of the lines that hold a snippet of the main text (1) or of the boilerplate (0); others left out."""
    lines, rows = feature_rows(flat, extracted, layout)
    keep = [" ".join(x.split()).lower() for x in with_]
    drop = [" ".join(x.split()).lower() for x in without]
    out_rows, labels = [], []
    for line, row in zip(lines, rows, strict=True):
        key = " ".join(line.s.split()).lower()
        if len(key) < 10 or line.reason == "title":
            continue
        if any(k in key or (len(key) >= 30 and key in k) for k in keep):
            out_rows.append(row)
            labels.append(1)
        elif any(k in key or (len(key) >= 30 and key in k) for k in drop):
            out_rows.append(row)
            labels.append(0)
    return out_rows, labels


def train(pages: list[Rows], hidden: int = 0, seed: int = 0) -> dict[str, Any]:
    """Fit on pages' (feature rows, labels); returns the JSON-ready parameters."""
    xs: list[list[float]] = []
    ys: list[int] = []
    for rows, labels in pages:
        xs.extend(rows)
        ys.extend(labels)
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    if hidden:
        mlp = MLPClassifier(
            hidden_layer_sizes=(hidden,), alpha=1e-3, max_iter=400, random_state=seed, early_stopping=True
        )
        mlp.fit(z, y)
        layers = [(w.tolist(), b.tolist()) for w, b in zip(mlp.coefs_, mlp.intercepts_, strict=True)]
    else:
        logreg = LogisticRegression(C=1.0, max_iter=2000)
        logreg.fit(z, y)
        layers = [(logreg.coef_.T.tolist(), logreg.intercept_.tolist())]
    return {
        "features": list(linemodel.HTML_NAMES if x.shape[1] == len(linemodel.HTML_NAMES) else linemodel.NAMES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "layers": layers,
        "keep_at": 0.5,
        "drop_at": 0.5,
        "rows": int(len(y)),
        "positives": int(y.sum()),
    }


def _texts(path: Path, html: bool) -> tuple[str, str | None, list[tuple[float, str]] | None]:
    """(flattened page, trafilatura's text or None, layout per line or None) of one HTML file."""
    text = read_text(path)
    lines = visible_lines(text)
    flat = "\n".join(line.text for line in lines)
    if not html:
        return flat, None, None
    extracted = extract(text).text
    return flat, (extracted if extracted.strip() else None), [(x.link_share, x.block) for x in lines]


def main(argv: list[str] | None = None) -> None:
    """Train on a dataset split (flattened pages against gold, plus snippet pages) and write the model JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path, help="dataset folder with gold text (l3s or cleaneval layout)")
    parser.add_argument("--split", choices=("all", "a", "b"), default="a")
    parser.add_argument("--snippets", type=Path, help="also a snippets-layout dataset (all of it)")
    parser.add_argument("--snippet-weight", type=int, default=3, help="times each snippet page counts")
    parser.add_argument("--html", action="store_true", help="the HTML model: trafilatura's choice per line")
    parser.add_argument("--hidden", type=int, default=0, help="hidden units (0: logistic regression)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    pages = datasets.split_pages(datasets.load_pages(args.dataset, datasets.detect_format(args.dataset)), args.split)
    data = []
    for page in pages:
        flat, extracted, layout = _texts(page.path, args.html)
        if extracted is not None or not args.html:
            data.append(page_rows(flat, page.gold, extracted, layout))
    name = f"{args.dataset.name}.{args.split}"
    if args.snippets:
        for page in datasets.load_pages(args.snippets, "snippets"):
            flat, extracted, layout = _texts(page.path, args.html)
            if extracted is not None or not args.html:
                data.extend(
                    [snippet_rows(flat, page.with_snippets, page.without_snippets, extracted, layout)]
                    * args.snippet_weight
                )
        name += f"+snippets{args.snippet_weight}"
    model = train(data, hidden=args.hidden)
    model["id"] = f"lines.{'mlp' if args.hidden else 'logreg'}{'.html' if args.html else ''}.{name}"
    out = args.out or (linemodel.HTML_MODEL_PATH if args.html else linemodel.MODEL_PATH)
    out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{model['rows']} lines ({model['positives']} body) -> {out}")


if __name__ == "__main__":
    main()
