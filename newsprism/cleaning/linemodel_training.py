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
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from newsprism.cleaning import datasets, linemodel
from newsprism.cleaning.document import ParsedPage, parse_html, prepare
from newsprism.cleaning.html import extract, visible_lines
from newsprism.cleaning.lang import detect_language
from newsprism.cleaning.lines import ABSTAIN_KEEPS, MODEL_MAY_KEEP, Line
from newsprism.decode import read_text
from newsprism.evaluation.cleaning import page_prf

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
    return _language_rows(flat, extracted, layout)[1:]


def _language_rows(
    flat: str, extracted: str | None = None, layout: list[tuple[float, str]] | None = None
) -> tuple[str, list[Line], list[list[float]]]:
    """`feature_rows` with the page's language as the rules detected it."""
    draft = prepare(flat.splitlines(), extracted=extracted)
    reading = draft.reading
    if reading.index:  # the model never sees an index page
        return reading.language, [], []
    return reading.language, *linemodel.features(reading.lines, reading.lo, reading.hi, reading.end, layout)


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


def train(pages: list[Rows], hidden: int = 0, seed: int = 0, weights: list[float] | None = None) -> dict[str, Any]:
    """Fit on pages' (feature rows, labels), each page's rows weighted by `weights` (default 1; the logistic
    regression only); returns the JSON-ready parameters."""
    xs: list[list[float]] = []
    ys: list[int] = []
    ws: list[float] = []
    for k, (rows, labels) in enumerate(pages):
        xs.extend(rows)
        ys.extend(labels)
        ws.extend([weights[k] if weights else 1.0] * len(labels))
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
        logreg.fit(z, y, sample_weight=np.asarray(ws) / np.mean(ws))
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


def _rounded(value: Any) -> Any:
    """Weights rounded to 6 significant digits: the shipped file stays small, the decisions the same."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def main(argv: list[str] | None = None) -> None:
    """Train on a dataset split (flattened pages against gold, plus snippet pages) and write the model JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "dataset",
        type=Path,
        nargs="+",
        help="dataset folder with gold text (l3s or cleaneval layout); with several (any layout), the model is "
        "trained on all of them and its thresholds chosen by leaving one out at a time (--split ignored)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes reading pages (several datasets)")
    parser.add_argument("--split", choices=("all", "a", "b"), default="a")
    parser.add_argument("--snippets", type=Path, help="also a snippets-layout dataset (all of it)")
    parser.add_argument("--snippet-weight", type=int, default=3, help="times each snippet page counts")
    parser.add_argument("--html", action="store_true", help="the HTML model: trafilatura's choice per line")
    parser.add_argument("--hidden", type=int, default=0, help="hidden units (0: logistic regression)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = args.out or (linemodel.HTML_MODEL_PATH if args.html else linemodel.MODEL_PATH)
    if len(args.dataset) > 1:
        mode, prior = ("html", "extracted") if args.html else ("text", "rules")
        groups = lines_for(read_inputs(args.dataset, jobs=max(1, args.jobs)), mode)
        model = fit(groups, prior, page_f1, hidden=args.hidden)
        out.write_text(json.dumps(_rounded(model), separators=(",", ":")) + "\n", encoding="utf-8")
        print(
            f"{model['rows']} lines ({model['positives']} body), also_keep {model['also_keep']}, "
            f"drop_at {model['drop_at']}, keep_at {model['keep_at']} -> {out}"
        )
        return
    args.dataset = args.dataset[0]
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
    out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{model['rows']} lines ({model['positives']} body) -> {out}")


# ---------------------------------------------------------------- leave one dataset out

# the grid the decision thresholds are chosen from (by leave-one-dataset-out over the training sets)
DROP_GRID = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
KEEP_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01: never restore
# whether the model may keep a repeat of an earlier line of the page: with the extracted prior only (a repeat
# trafilatura kept too). With the rules prior a repeated paragraph stays a duplicate: on a flattened page it is
# the second copy of the article under a "Related Articles" tail (issue 12, item 4), a rule no fold may undo
ALSO_KEEP: dict[str, tuple[tuple[str, ...], ...]] = {"extracted": ((), ("duplicate",)), "rules": ((),)}
# the rules prior: how many training pages of a language the model needs to decide on a page in it (with fewer it
# abstains: `lines.ABSTAIN_KEEPS`). Never 0 (deciding on every page): in the training sets' leave-one-out the
# few non-English pages of trafilatura's set favour it, yet on a language nobody trained for the model must
# not do worse than keeping everything, and without evidence abstaining is what comes closest to it
LANGUAGE_PAGES = (1, 3, 10, 30)


@dataclass
class PageLines:
    """One page as the line model sees it: the feature rows of its non-blank lines, their labels (1 body, 0 not,
    -1 unknown) and what deciding and scoring them needs."""

    page: datasets.Page
    fmt: str
    group: str  # the dataset it comes from
    rows: list[list[float]]
    labels: list[int]
    texts: list[str]
    kept: list[bool]  # the rules' decision
    ext: list[bool]  # trafilatura chose the line
    eligible: list[bool]  # the model may keep it (no cue rule named it, not the headline)
    reasons: list[str | None]  # the rules' reason
    language: str = "und"  # the page's language as the rules detected it


def page_lines(
    page: datasets.Page,
    fmt: str,
    group: str,
    flat: list[str],
    extracted: str | None = None,
    layout: list[tuple[float, str]] | None = None,
) -> PageLines:
    """A page's lines, feature rows and labels (gold text or snippets), as the cleaner reads them at run time."""
    language, lines, rows = _language_rows("\n".join(flat), extracted, layout)
    if fmt == "snippets":
        keep = [" ".join(x.split()).lower() for x in page.with_snippets]
        drop = [" ".join(x.split()).lower() for x in page.without_snippets]
    else:
        gold = _gold_string(page.gold)
    labels = []
    for line in lines:
        if line.reason == "title":
            labels.append(-1)
        elif fmt != "snippets":
            labels.append(int(label(line.s, gold)))
        else:
            key = " ".join(line.s.split()).lower()
            if len(key) < 10:
                labels.append(-1)
            elif any(k in key or (len(key) >= 30 and key in k) for k in keep):
                labels.append(1)
            elif any(k in key or (len(key) >= 30 and key in k) for k in drop):
                labels.append(0)
            else:
                labels.append(-1)
    return PageLines(
        page=page,
        fmt=fmt,
        group=group,
        rows=rows,
        labels=labels,
        texts=[line.s for line in lines],
        kept=[line.kept for line in lines],
        ext=[bool(line.ext) for line in lines],
        eligible=[line.kept or line.reason in MODEL_MAY_KEEP for line in lines],
        reasons=[line.reason for line in lines],
        language=language,
    )


def decide(
    pl: PageLines, probs: np.ndarray, prior: str, drop_at: float, keep_at: float, also_keep: tuple[str, ...] = ()
) -> np.ndarray:
    """Which lines the cleaner keeps at these thresholds (as `lines.apply_model` decides, heading rescue aside)."""
    base = np.asarray(pl.ext if prior == "extracted" else pl.kept, dtype=bool)
    keep = np.where(base, probs >= drop_at, probs >= keep_at)
    eligible = [e or r in also_keep for e, r in zip(pl.eligible, pl.reasons, strict=True)]
    return keep & np.asarray(eligible, dtype=bool)


def _labelled(pages: list[PageLines]) -> tuple[list[Rows], list[float]]:
    """Each page's labelled rows, weighted so that every dataset (by page count) weighs the same."""
    counts = Counter(pl.group for pl in pages)
    data, weights = [], []
    for pl in pages:
        pairs = [(r, y) for r, y in zip(pl.rows, pl.labels, strict=True) if y >= 0]
        if pairs:
            data.append(([r for r, _ in pairs], [y for _, y in pairs]))
            weights.append(1.0 / counts[pl.group])
    return data, weights


Grid = tuple[tuple[str, ...], float, float]


def page_grid_scores(
    model: dict[str, Any], pages: list[PageLines], prior: str, score: Callable[[str, PageLines], float]
) -> list[tuple[dict[Grid, float], float]]:
    """Per page: the score of every (also_keep, drop_at, keep_at) of the grid (its lines only, no headline), and
    its score when the model abstains (`lines.ABSTAIN_KEEPS` kept too)."""
    loaded = linemodel.from_dict(model)
    keys = [(c, d, k) for c in ALSO_KEEP[prior] for d in DROP_GRID for k in KEEP_GRID]
    out = []
    for pl in pages:
        probs = np.asarray(linemodel.probabilities(loaded, pl.rows)) if pl.rows else np.zeros(0)
        by_key = {}
        for c, d, k in keys:
            keep = decide(pl, probs, prior, d, k, c)
            by_key[c, d, k] = score("\n".join(t for t, kk in zip(pl.texts, keep, strict=True) if kk), pl)
        kept = [e or r in ABSTAIN_KEEPS for e, r in zip(pl.eligible, pl.reasons, strict=True)]
        out.append((by_key, score("\n".join(t for t, k in zip(pl.texts, kept, strict=True) if k), pl)))
    return out


def grid_scores(
    model: dict[str, Any], pages: list[PageLines], prior: str, score: Callable[[str, PageLines], float]
) -> dict[Grid, float]:
    """Mean page score of every (also_keep, drop_at, keep_at) of the grid on `pages` (their lines only, no
    headline)."""
    totals: dict[Grid, float] = {}
    for by_key, _ in page_grid_scores(model, pages, prior, score):
        for key, v in by_key.items():
            totals[key] = totals.get(key, 0.0) + v
    return {key: v / max(1, len(pages)) for key, v in totals.items()}


def covered(pages: list[PageLines], min_pages: int) -> list[str] | None:
    """The languages with at least `min_pages` of `pages` (sorted); None (every language) when `min_pages` is 0."""
    if not min_pages:
        return None
    counts = Counter(pl.language for pl in pages)
    return sorted(lang for lang, n in counts.items() if n >= min_pages)


def fit(
    groups: dict[str, list[PageLines]], prior: str, score: Callable[[str, PageLines], float], hidden: int = 0
) -> dict[str, Any]:
    """A line model trained on every group (dataset), its thresholds chosen by leaving one group out at a
    time (train on the others, score the grid on it; the best mean over the left-out groups wins)."""
    names = sorted(groups)
    # the rules prior may abstain on pages of languages it saw too few pages of (the extracted prior keeps
    # trafilatura's choice, which is language-independent already)
    language_grid = LANGUAGE_PAGES if prior == "rules" else (0,)
    chosen: tuple[int, tuple[str, ...], float, float] = (language_grid[0], (), 0.5, 0.5)
    if len(names) >= 2:
        means: dict[tuple[int, tuple[str, ...], float, float], float] = {}
        for held in names:
            rest = [pl for g in names if g != held for pl in groups[g]]
            rows, weights = _labelled(rest)
            inner = train(rows, hidden=hidden, weights=weights)
            scored = page_grid_scores(inner, groups[held], prior, score)
            for m in language_grid:
                langs = covered(rest, m)
                abstain = [langs is not None and pl.language not in langs for pl in groups[held]]
                for key in scored[0][0] if scored else ():
                    v = sum(ab if out else by_key[key] for (by_key, ab), out in zip(scored, abstain, strict=True))
                    means[(m, *key)] = means.get((m, *key), 0.0) + v / max(1, len(scored)) / len(names)
        # ties: abstain where the evidence is thinnest (larger m), fewer exceptions, fewer drops, fewer restores
        chosen = max(means, key=lambda key: (round(means[key], 6), key[0], -len(key[1]), -key[2], key[3]))
    everything = [pl for g in names for pl in groups[g]]
    rows, weights = _labelled(everything)
    model = train(rows, hidden=hidden, weights=weights)
    min_pages, also_keep, model["drop_at"], model["keep_at"] = chosen
    model["also_keep"] = list(also_keep)
    model["language_pages"] = min_pages
    model["languages"] = covered(everything, min_pages)
    model["prior"] = prior
    model["id"] = f"lines.{'mlp' if hidden else 'logreg'}.{prior}.{'+'.join(names)}"
    return model


@dataclass
class PageInput:
    """One dataset page, read once: parsed (visible lines, trafilatura's extraction), its detected language and,
    when asked for, trafilatura's default output (the baseline)."""

    page: datasets.Page
    fmt: str
    group: str
    parsed: ParsedPage
    language: str
    baseline: str | None


def _read_input(job: tuple[datasets.Page, str, str, bool]) -> PageInput:
    page, fmt, group, with_baseline = job
    text = read_text(page.path)
    parsed = parse_html(text)
    flat = "\n".join(line.text for line in parsed.visible)
    baseline = None
    if with_baseline:
        import trafilatura  # deferred: only the evaluation's baseline needs trafilatura's own entry point

        try:
            baseline = trafilatura.extract(text) or ""
        except Exception:  # noqa: BLE001 - a baseline failure scores as empty output
            baseline = ""
    return PageInput(page, fmt, group, parsed, detect_language(flat), baseline)


def read_inputs(roots: list[Path], jobs: int = 1, baseline: bool = False) -> dict[str, list[PageInput]]:
    """Every page of each dataset folder (named by the folder), parsed once; `jobs` worker processes."""
    work = []
    for root in roots:
        fmt = datasets.detect_format(root)
        work += [(page, fmt, root.name, baseline) for page in datasets.load_pages(root, fmt)]
    out: dict[str, list[PageInput]] = {root.name: [] for root in roots}
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_read_input, work, chunksize=8))
    else:
        results = [_read_input(job) for job in work]
    for item in results:
        out[item.group].append(item)
    return out


def lines_for(inputs: dict[str, list[PageInput]], mode: str) -> dict[str, list[PageLines]]:
    """The line model's view of every page: HTML mode with trafilatura's choice and the layout (pages where
    trafilatura found nothing left out: the text model cleans those), text mode on the flattened page."""
    out: dict[str, list[PageLines]] = {}
    for group, items in inputs.items():
        out[group] = []
        for item in items:
            flat = [line.text for line in item.parsed.visible]
            if mode == "text":
                out[group].append(page_lines(item.page, item.fmt, group, flat))
            elif item.parsed.extracted.text.strip():
                layout = [(line.link_share, line.block) for line in item.parsed.visible]
                out[group].append(page_lines(item.page, item.fmt, group, flat, item.parsed.extracted.text, layout))
    return out


def page_f1(text: str, pl: PageLines) -> float:
    """The evaluation's page score (token F1 against gold, or the snippets' F1)."""
    return page_prf(text, pl.page, pl.fmt)[2]


if __name__ == "__main__":
    main()
