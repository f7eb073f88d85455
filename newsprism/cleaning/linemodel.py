"""A learned second opinion on each line: a small classifier over the rules' decisions and line features.

The rules decide first (cue reasons, shallow class, main region, tail cut); the model then sees each non-blank
line with those decisions as features, plus shape, position and its neighbours', and keeps or drops it.
Its weights are small JSON files beside this module (`line_model.json` for text, `line_model_html.json` for
HTML, where trafilatura's choice of each line is a feature too), loaded once; without them the rules'
decisions stand. `train` (scikit-learn, dev only) fits one on pages with gold text or snippets.

    python -m newsprism.cleaning.linemodel ../shared/data/cleaning/l3s_gn1 --split a
    python -m newsprism.cleaning.linemodel ../shared/data/cleaning/l3s_gn1 --split a --html \
        --snippets ../shared/data/cleaning/trafilatura_eval_en
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("line_model.json")
HTML_MODEL_PATH = Path(__file__).with_name("line_model_html.json")  # trained with trafilatura's choice per line

_KEPT_REASONS = frozenset({"body", "body_context", "subheading"})
_INLINE = frozenset(
    {"photo_caption", "photo_credit", "media_label", "social_embed", "advertisement", "dateline", "byline",
     "share_prompt", "boilerplate_repeated", "newsletter"}
)
_TAIL = frozenset({"related_tail", "comments"})
_SENT_END = re.compile(r"[.!?][\"”’'»)\]]*\s*$")
_SEPARATORS = re.compile(r"[|»«•·›>]")
_DIGIT = re.compile(r"\d")

# one name per feature, in order: the JSON file names them so a stale file is never misread
BASE = (
    "kept", "good", "near", "heading", "short", "bad", "kept_context", "outside_main", "short_reason",
    "inline", "tail", "other_rule", "duplicate", "log_words", "density", "sent_end", "in_region", "after_end",
    "position", "log_distance", "caps", "digits", "separators", "ext_yes", "ext_no", "body_before",
    "body_after", "log_chars_per_word", "starts_lower", "ends_colon",
)
NEIGHBOUR = ("kept", "good", "log_words", "sent_end", "other_rule")
WINDOW = ("window_kept", "window_log_words", "window_good")
NAMES = (
    BASE
    + tuple(f"prev_{n}" for n in NEIGHBOUR)
    + tuple(f"next_{n}" for n in NEIGHBOUR)
    + tuple(f"prev2_{n}" for n in NEIGHBOUR)
    + tuple(f"next2_{n}" for n in NEIGHBOUR)
    + WINDOW
)
_WINDOW = 3
# HTML only: where each line sat in the page (see html.visible_lines)
LAYOUT = ("link_share", "block_p", "block_li", "block_heading", "block_table", "block_title", "block_form",
          "prev_link_share", "next_link_share", "window_link_share")
HTML_NAMES = NAMES + LAYOUT
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLE = frozenset({"td", "th", "tr", "table", "tbody", "thead", "tfoot", "caption"})
_FORM = frozenset({"form", "label", "button", "option", "legend", "fieldset"})


def _base(line: Any, i: int, total: int, lo: int, hi: int, end: int, before: float, body_words: float) -> list[float]:
    s = line.s
    reason = line.reason
    cls = line.cls
    n = line.n
    toks = s.split()
    caps = sum(1 for t in toks if t[:1].isupper()) / len(toks) if toks else 0.0
    distance = 0 if lo <= i <= hi else (lo - i if i < lo else i - hi)
    kept = 1.0 if line.kept else 0.0
    return [
        kept,
        1.0 if cls == "good" else 0.0,
        1.0 if cls == "near" else 0.0,
        1.0 if cls == "heading" else 0.0,
        1.0 if cls == "short" else 0.0,
        1.0 if cls == "bad" else 0.0,
        1.0 if reason in ("body_context", "subheading") else 0.0,
        1.0 if reason == "outside_main" else 0.0,
        1.0 if reason in ("short", "low_content") else 0.0,
        1.0 if reason in _INLINE else 0.0,
        1.0 if reason in _TAIL else 0.0,
        1.0 if reason not in _KEPT_REASONS and reason not in _INLINE and reason not in _TAIL and reason not in (
            "outside_main", "short", "low_content", "duplicate") else 0.0,
        1.0 if reason == "duplicate" else 0.0,
        math.log1p(n),
        line.density,
        1.0 if _SENT_END.search(s) else 0.0,
        1.0 if lo <= i <= hi else 0.0,
        1.0 if i >= end else 0.0,
        i / total,
        math.log1p(distance),
        caps,
        len(_DIGIT.findall(s)) / len(s),
        1.0 if _SEPARATORS.search(s) else 0.0,
        1.0 if line.ext is True else 0.0,
        1.0 if line.ext is False else 0.0,
        before / body_words,
        1.0 - (before + (n if line.kept else 0)) / body_words,
        math.log(len(s) / (n + 1)),
        1.0 if s[0].islower() else 0.0,
        1.0 if s.endswith(":") else 0.0,
    ]


def features(
    lines: list[Any], lo: int, hi: int, end: int, layout: list[tuple[float, str]] | None = None
) -> tuple[list[Any], list[list[float]]]:
    """(the non-blank lines, one feature row each in NAMES order) from the rules' state of `lines`.

    With `layout` ((link share, block tag) per line of `lines`) the rows run on in HTML_NAMES order.
    """
    rows_lines = [line for line in lines if line.s]
    if not rows_lines:
        return [], []
    total = max(1, len(lines))
    body_words = float(sum(line.n for line in rows_lines if line.kept)) or 1.0
    base: list[list[float]] = []
    before = 0.0
    for line in rows_lines:
        base.append(_base(line, line.i, total, lo, hi, end, before, body_words))
        if line.kept:
            before += line.n
    k = len(NEIGHBOUR)
    # neighbour slices of the base row: kept, good, log_words, sent_end, other_rule
    idx = (0, 1, 13, 15, 11)
    pad = [0.0] * k
    neigh = [[row[j] for j in idx] for row in base]
    rows = []
    m = len(base)
    for j, row in enumerate(base):
        lo_w, hi_w = max(0, j - _WINDOW), min(m, j + _WINDOW + 1)
        window = base[lo_w:hi_w]
        w = len(window)
        rows.append(
            row
            + (neigh[j - 1] if j >= 1 else pad)
            + (neigh[j + 1] if j + 1 < m else pad)
            + (neigh[j - 2] if j >= 2 else pad)
            + (neigh[j + 2] if j + 2 < m else pad)
            + [sum(r[0] for r in window) / w, sum(r[13] for r in window) / w, sum(r[1] for r in window) / w]
        )
    if layout is not None:
        links = [layout[line.i][0] for line in rows_lines]
        for j, (row, line) in enumerate(zip(rows, rows_lines, strict=True)):
            block = layout[line.i][1]
            window = links[max(0, j - _WINDOW) : j + _WINDOW + 1]
            row += [
                links[j],
                1.0 if block == "p" else 0.0,
                1.0 if block == "li" else 0.0,
                1.0 if block in _HEADINGS else 0.0,
                1.0 if block in _TABLE else 0.0,
                1.0 if block == "title" else 0.0,
                1.0 if block in _FORM else 0.0,
                links[j - 1] if j else 0.0,
                links[j + 1] if j + 1 < m else 0.0,
                sum(window) / len(window),
            ]
    return rows_lines, rows


@lru_cache(maxsize=4)
def load(path: str = str(MODEL_PATH)) -> dict[str, Any] | None:
    """The model's parameters, or None when the file is missing or was written for other features."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    names = tuple(data.get("features", ()))
    if names not in (NAMES, HTML_NAMES):
        return None
    import numpy as np

    layers = [(np.asarray(w, dtype=float), np.asarray(b, dtype=float)) for w, b in data["layers"]]
    return {
        "mean": np.asarray(data["mean"], dtype=float),
        "scale": np.asarray(data["scale"], dtype=float),
        "layers": layers,
        "keep_at": float(data.get("keep_at", 0.5)),  # a line the rules dropped is kept from this P(body)
        "drop_at": float(data.get("drop_at", 0.5)),  # a line the rules kept is dropped below this P(body)
        "id": data.get("id", ""),
        "layout": names == HTML_NAMES,  # the rows need the page layout of each line
    }


def probabilities(model: dict[str, Any], rows: list[list[float]]) -> list[float]:
    """P(body) of each feature row: standardised, then the layers (ReLU between, logistic at the end)."""
    import numpy as np

    x = (np.asarray(rows, dtype=float) - model["mean"]) / model["scale"]
    layers = model["layers"]
    for w, b in layers[:-1]:
        x = np.maximum(x @ w + b, 0.0)
    w, b = layers[-1]
    z = (x @ w + b).reshape(-1)
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).tolist()


# ---------------------------------------------------------------- training (dev only: scikit-learn)


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


def _capture(
    flat: str, extracted: str | None = None, layout: list[tuple[float, str]] | None = None
) -> tuple[list[Any], list[list[float]]]:
    from newsprism.cleaning.text import clean_lines

    captured: dict[str, Any] = {}
    clean_lines(flat.splitlines(), extracted=extracted, ext_prior=False, layout=layout, _capture=captured)
    return captured.get("lines", []), captured.get("rows", [])


def page_rows(
    flat: str, gold: str, extracted: str | None = None, layout: list[tuple[float, str]] | None = None
) -> tuple[list[list[float]], list[int]]:
    """Feature rows and labels of one page's flattened text against its gold text (the headline left out)."""
    lines, rows = _capture(flat, extracted, layout)
    g = _gold_string(gold)
    pairs = [(row, int(label(line.s, g))) for line, row in zip(lines, rows, strict=True) if line.reason != "title"]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def snippet_rows(
    flat: str, with_: list[str], without: list[str], extracted: str | None = None,
    layout: list[tuple[float, str]] | None = None,
) -> tuple[list[list[float]], list[int]]:
    """Rows of the lines that hold a snippet of the main text (1) or of the boilerplate (0); others left out."""
    lines, rows = _capture(flat, extracted, layout)
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


def train(pages: list[tuple[list[list[float]], list[int]]], hidden: int = 0, seed: int = 0) -> dict[str, Any]:
    """Fit on pages' (feature rows, labels); returns the JSON-ready parameters."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

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
        clf = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, max_iter=400, random_state=seed,
                            early_stopping=True)
        clf.fit(z, y)
        layers = [(w.tolist(), b.tolist()) for w, b in zip(clf.coefs_, clf.intercepts_, strict=True)]
    else:
        clf = LogisticRegression(C=1.0, max_iter=2000)
        clf.fit(z, y)
        layers = [(clf.coef_.T.tolist(), clf.intercept_.tolist())]
    return {
        "features": list(HTML_NAMES if x.shape[1] == len(HTML_NAMES) else NAMES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "layers": layers,
        "keep_at": 0.5,
        "drop_at": 0.5,
        "rows": int(len(y)),
        "positives": int(y.sum()),
    }


def main(argv: list[str] | None = None) -> None:
    """Train on a dataset split (flattened pages against gold, plus snippet pages) and write the model JSON."""
    import argparse

    from newsprism.cleaning.html import extract, maybe_gunzip, visible_lines
    from newsprism.evaluation import cleaning as ev

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path, help="dataset folder with gold text (l3s or cleaneval layout)")
    parser.add_argument("--split", choices=("all", "a", "b"), default="a")
    parser.add_argument("--snippets", type=Path, help="also a snippets-layout dataset (all of it)")
    parser.add_argument("--snippet-weight", type=int, default=3, help="times each snippet page counts")
    parser.add_argument("--html", action="store_true", help="the HTML model: trafilatura's choice per line")
    parser.add_argument("--hidden", type=int, default=0, help="hidden units (0: logistic regression)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    def texts(page: Any) -> tuple[str, str | None, list[tuple[float, str]] | None]:
        data = maybe_gunzip(page.path.read_bytes())
        lines = visible_lines(data)
        flat = "\n".join(line.text for line in lines)
        if not args.html:
            return flat, None, None
        extracted = extract(data).text
        return flat, (extracted if extracted.strip() else None), [(x.link_share, x.block) for x in lines]

    pages = ev.split_pages(ev.load_pages(args.dataset, ev.detect_format(args.dataset)), args.split)
    data = []
    for page in pages:
        flat, extracted, layout = texts(page)
        if extracted is not None or not args.html:
            data.append(page_rows(flat, page.gold, extracted, layout))
    name = f"{args.dataset.name}.{args.split}"
    if args.snippets:
        for page in ev.load_pages(args.snippets, "snippets"):
            flat, extracted, layout = texts(page)
            if extracted is not None or not args.html:
                data.extend([snippet_rows(flat, page.with_snippets, page.without_snippets, extracted, layout)]
                            * args.snippet_weight)
        name += f"+snippets{args.snippet_weight}"
    model = train(data, hidden=args.hidden)
    model["id"] = f"lines.{'mlp' if args.hidden else 'logreg'}{'.html' if args.html else ''}.{name}"
    out = args.out or (HTML_MODEL_PATH if args.html else MODEL_PATH)
    out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{model['rows']} lines ({model['positives']} body) -> {out}")


if __name__ == "__main__":
    main()
