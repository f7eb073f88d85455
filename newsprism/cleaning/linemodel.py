"""A learned second opinion on each line, at run time: feature rows, the shipped models, P(body).

The rules decide first (cue reasons, shallow class, main region, tail cut); the model then sees each non-blank
line with those decisions as features, plus shape, position and its neighbours', and keeps or drops it.
Its weights are small JSON files beside this module (`line_model.json` for text, `line_model_html.json` for
HTML, where trafilatura's choice of each line and the page layout are features too), loaded once. They ship
with the package: a missing or stale file is a `LineModelError` naming it, never a quiet fallback to the
rules alone. `files_digest()` (a hash of both files) is part of the cleaner's id, so every cleaned row
records which models cleaned it. Training lives in `newsprism.cleaning.linemodel_training`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.text import SENTENCE_END

MODEL_PATH = Path(__file__).with_name("line_model.json")
HTML_MODEL_PATH = Path(__file__).with_name("line_model_html.json")  # trained with trafilatura's choice per line

_KEPT_REASONS = frozenset({"body", "body_context", "subheading"})
_INLINE = frozenset(
    {
        "photo_caption",
        "photo_credit",
        "media_label",
        "social_embed",
        "advertisement",
        "dateline",
        "byline",
        "share_prompt",
        "boilerplate_repeated",
        "newsletter",
    }
)
_TAIL = frozenset({"related_tail", "comments"})
_SEPARATORS = re.compile(r"[|»«•·›>]")
_DIGIT = re.compile(r"\d")

# one name per feature, in order: the JSON file names them so a stale file is never misread
BASE = (
    "kept",
    "good",
    "near",
    "heading",
    "short",
    "bad",
    "kept_context",
    "outside_main",
    "short_reason",
    "inline",
    "tail",
    "other_rule",
    "duplicate",
    "log_words",
    "density",
    "sent_end",
    "in_region",
    "after_end",
    "position",
    "log_distance",
    "caps",
    "digits",
    "separators",
    "ext_yes",
    "ext_no",
    "body_before",
    "body_after",
    "log_chars_per_word",
    "starts_lower",
    "ends_colon",
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
LAYOUT = (
    "link_share",
    "block_p",
    "block_li",
    "block_heading",
    "block_table",
    "block_title",
    "block_form",
    "prev_link_share",
    "next_link_share",
    "window_link_share",
    "prev_ext",
    "next_ext",
    "window_ext",
)
HTML_NAMES = NAMES + LAYOUT
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLE = frozenset({"td", "th", "tr", "table", "tbody", "thead", "tfoot", "caption"})
_FORM = frozenset({"form", "label", "button", "option", "legend", "fieldset"})


PRIORS = ("rules", "extracted")


class LineModelError(RuntimeError):
    """A shipped line-model file is missing, unreadable, or was written for other features."""


@dataclass(frozen=True)
class LineModel:
    """A loaded line model: standardisation, layers (ReLU between, logistic at the end) and thresholds."""

    id: str  # the name training gave it ("lines.logreg.rules.cleanportaleval+l3s_gn1+...")
    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    keep_at: float  # a line the rules dropped is kept from this P(body)
    drop_at: float  # a line the rules kept is dropped below this P(body)
    layout: bool  # the rows need the page layout of each line (HTML_NAMES)
    # what the probabilities revise: "rules" (the rules' decisions) or "extracted" (trafilatura's choice of
    # each line: a chosen line is dropped below drop_at, a line it left out is restored from keep_at)
    prior: str = "rules"
    # rule reasons besides want of content or place ("duplicate") whose lines the model may still keep (from
    # keep_at; with the "extracted" prior, from drop_at when trafilatura chose them): for the others, the rule wins
    also_keep: frozenset[str] = frozenset()
    # the page languages its training data holds enough pages of (the rules prior only): on a page in any other
    # language the model abstains (`lines.apply_model`); None: it decides on every page
    languages: frozenset[str] | None = None


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
        1.0
        if reason not in _KEPT_REASONS
        and reason not in _INLINE
        and reason not in _TAIL
        and reason not in ("outside_main", "short", "low_content", "duplicate")
        else 0.0,
        1.0 if reason == "duplicate" else 0.0,
        math.log1p(n),
        line.density,
        1.0 if SENTENCE_END.search(s) else 0.0,
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
        ext = [1.0 if line.ext else 0.0 for line in rows_lines]
        for j, (row, line) in enumerate(zip(rows, rows_lines, strict=True)):
            block = layout[line.i][1]
            link_window = links[max(0, j - _WINDOW) : j + _WINDOW + 1]
            ext_window = ext[max(0, j - _WINDOW) : j + _WINDOW + 1]
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
                sum(link_window) / len(link_window),
                ext[j - 1] if j else 0.0,
                ext[j + 1] if j + 1 < m else 0.0,
                sum(ext_window) / len(ext_window),
            ]
    return rows_lines, rows


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH) -> LineModel:
    """The model in a JSON file written by training; a `LineModelError` naming the file when it is missing,
    unreadable or written for other features."""
    return from_dict(_read_json(path), path)


def from_dict(data: dict[str, Any], source: Path | str = "<dict>") -> LineModel:
    """The model in the JSON object training writes (`source` names it in errors)."""
    path = source
    names = tuple(data.get("features", ()))
    if names not in (NAMES, HTML_NAMES):
        raise LineModelError(
            f"line model {path} was written for other features than this version computes: "
            "retrain it (python -m newsprism.cleaning.linemodel_training)"
        )
    prior = _prior(data.get("prior", "rules"), path)
    try:
        layers = tuple((np.asarray(w, dtype=float), np.asarray(b, dtype=float)) for w, b in data["layers"])
        return LineModel(
            id=str(data.get("id", "")),
            mean=np.asarray(data["mean"], dtype=float),
            scale=np.asarray(data["scale"], dtype=float),
            layers=layers,
            keep_at=float(data.get("keep_at", 0.5)),
            drop_at=float(data.get("drop_at", 0.5)),
            layout=names == HTML_NAMES,
            prior=prior,
            also_keep=frozenset(data.get("also_keep", ())),
            languages=None if data.get("languages") is None else frozenset(data["languages"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LineModelError(f"line model {path} is not a valid model file ({exc})") from exc


def _prior(value: Any, path: Path | str) -> str:
    if value not in PRIORS:
        raise LineModelError(f"line model {path} names an unknown prior {value!r} (expected one of {PRIORS})")
    return str(value)


def text_model() -> LineModel:
    """The model for plain text (`line_model.json`)."""
    return load(MODEL_PATH)


def html_model() -> LineModel:
    """The model for HTML pages, with trafilatura's choice and the layout of each line (`line_model_html.json`)."""
    return load(HTML_MODEL_PATH)


def files_digest(paths: tuple[Path, ...] = (MODEL_PATH, HTML_MODEL_PATH)) -> str:
    """8 hex digits of SHA-256 over the model files' bytes: changes whenever a shipped model does."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(_read_bytes(path))
        digest.update(b"\x00")
    return digest.hexdigest()[:8]


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LineModelError(
            f"line model file missing or unreadable: {path} ({exc.strerror or exc}); it ships "
            "with newsprism: reinstall the package, or retrain it "
            "(python -m newsprism.cleaning.linemodel_training)"
        ) from exc


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LineModelError(f"line model {path} is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise LineModelError(f"line model {path} is not a JSON object")
    return data


def probabilities(model: LineModel, rows: list[list[float]]) -> list[float]:
    """P(body) of each feature row: standardised, then the layers (ReLU between, logistic at the end)."""
    x = (np.asarray(rows, dtype=float) - model.mean) / model.scale
    for w, b in model.layers[:-1]:
        x = np.maximum(x @ w + b, 0.0)
    w, b = model.layers[-1]
    z = (x @ w + b).reshape(-1)
    return [float(p) for p in 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))]
