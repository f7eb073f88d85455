"""The comparison's charts (matplotlib, drawn off-screen): as inline SVG for the HTML report and as PNG for the
Prefect artifacts. Each function takes plain rows (the warehouse queries' dicts) and returns a Figure; `svg()`
and `png()` render one and close it; `chart_markdown()` is a story's charts as the artifact's Markdown.

    svg(sentiment_chart(story["outlets"]))      # '<svg ...>...</svg>'
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # off-screen: no display here, in workers or in CI

import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

NEGATIVE, NEUTRAL, POSITIVE = "#c0392b", "#bdc3c7", "#27ae60"
INK = "#2c3e50"
plt.rcParams.update({"font.size": 9, "axes.edgecolor": "#95a5a6", "axes.titlesize": 10, "svg.fonttype": "none"})


def svg(fig: Figure) -> str:
    """The figure as an <svg> element (text kept as text), and the figure closed."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def png(fig: Figure, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def sentiment_chart(outlets: Sequence[dict[str, Any]]) -> Figure:
    """Per outlet, the shares of negative / neutral / positive sentences (stacked bars) and the mean tone
    with its 95 % interval (right panel)."""
    names = [o["outlet"] for o in outlets]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(8.5, 0.5 * len(names) + 1.2), sharey=True, gridspec_kw={"width_ratios": [3, 2]}
    )
    y = list(range(len(names)))
    start = [0.0] * len(names)
    for key, colour, label in (
        ("share_negative", NEGATIVE, "negative"),
        ("share_neutral", NEUTRAL, "neutral"),
        ("share_positive", POSITIVE, "positive"),
    ):
        values = [float(o.get(key) or 0.0) for o in outlets]
        left.barh(y, values, left=start, color=colour, label=label, height=0.6)
        start = [s + v for s, v in zip(start, values, strict=True)]
    left.set_yticks(y, names)
    left.invert_yaxis()
    left.set_xlim(0, 1)
    left.set_xlabel("share of sentences")
    left.set_title("Sentence sentiment")
    left.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncol=3, frameon=False)
    for i, o in enumerate(outlets):
        if o.get("tone") is None:
            continue
        low, high = o.get("tone_interval") or (o["tone"], o["tone"])
        right.errorbar([o["tone"]], [i], xerr=[[o["tone"] - low], [high - o["tone"]]], fmt="o", color=INK, capsize=3)
    right.axvline(0.0, color="#95a5a6", linewidth=0.8)
    reach = max([0.25] + [abs(v) for o in outlets for v in (o.get("tone_interval") or [])])
    right.set_xlim(-1.1 * reach, 1.1 * reach)
    right.set_xlabel("mean tone, 95 % interval")
    right.set_title("Tone (p(pos) − p(neg))")
    return fig


def coverage_heatmap(cells: Sequence[dict[str, Any]], outlets: Sequence[str], max_rows: int = 80) -> Figure:
    """The sentence x outlet coverage matrix (queries/coverage_matrix_rows.sql rows): a row per sentence, a
    column per outlet; dark where it is the sentence's own outlet, mid where another outlet carries the point.
    The `max_rows` most widely carried sentences are drawn, in the articles' order."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for c in cells:
        row = rows.setdefault((c["article_id"], c["sentence_no"]), {"source": c["source_outlet"],
                              "carried_by": c["carried_by"], "cells": {}})  # fmt: skip
        row["cells"][c["outlet"]] = 2 if c["outlet"] == c["source_outlet"] else (1 if c["carries"] else 0)
    chosen = sorted(rows, key=lambda k: (-rows[k]["carried_by"], k))[:max_rows]
    keys = sorted(chosen, key=lambda k: (rows[k]["source"], k))
    grid = [[rows[k]["cells"].get(o, 0) for o in outlets] for k in keys]
    fig, ax = plt.subplots(figsize=(1.2 * len(outlets) + 2.5, 0.11 * len(keys) + 1.6))
    cmap = ListedColormap(["#f4f6f7", "#5dade2", "#1b4f72"])
    ax.imshow(grid or [[0] * len(outlets)], aspect="auto", cmap=cmap, vmin=0, vmax=2, interpolation="nearest")
    ax.set_xticks(range(len(outlets)), outlets, rotation=30, ha="right")
    labels = [f"{rows[k]['source'][:18]} #{k[1] + 1}" for k in keys]
    step = max(1, len(keys) // 40)
    ax.set_yticks(range(0, len(keys), step), labels[::step], fontsize=6)
    shown = f"{len(keys)} of {len(rows)} sentences" if len(keys) < len(rows) else f"{len(rows)} sentences"
    ax.set_title(f"Who carries each point ({shown}; dark: the sentence's own outlet, blue: carried by another)")
    return fig


def targets_chart(targets: Sequence[dict[str, Any]], outlets: Sequence[str], max_targets: int = 8) -> Figure:
    """Sentiment toward the story's most mentioned targets, one marker per outlet (queries/target_sentiment.sql
    rows: outlet, target, mentions, score)."""
    totals: dict[str, int] = {}
    for t in targets:
        totals[t["target"]] = totals.get(t["target"], 0) + int(t["mentions"] or 0)
    names = sorted(totals, key=lambda n: (-totals[n], n))[:max_targets]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(names) + 1.4))
    markers = "osD^v<>ph*"
    for k, outlet in enumerate(outlets):
        xs, ys = [], []
        for t in targets:
            if t["outlet"] == outlet and t["target"] in names and t["score"] is not None:
                xs.append(float(t["score"]))
                ys.append(names.index(t["target"]) + (k - (len(outlets) - 1) / 2) * 0.08)
        ax.scatter(xs, ys, label=outlet, marker=markers[k % len(markers)], s=30)
    ax.axvline(0.0, color="#95a5a6", linewidth=0.8)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_xlabel("sentiment toward the target (negative − positive … +)")
    ax.set_title("Sentiment toward the most mentioned names")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=min(4, max(1, len(outlets))), frameon=False)
    return fig


def _image(title: str, png_bytes: bytes) -> str:
    """A chart inline in Markdown (a PNG data URI: the Prefect UI shows it with the artifact)."""
    return f"![{title}](data:image/png;base64,{base64.b64encode(png_bytes).decode('ascii')})"


def chart_markdown(story: dict[str, Any]) -> list[str]:
    """A story comparison's charts as Markdown lines (PNG images): sentence sentiment per outlet, the sentence x
    outlet coverage heatmap when the story carries its cells (`coverage`), sentiment toward the targets."""
    lines = [_image("Sentence sentiment per outlet", png(sentiment_chart(story["outlets"]))), ""]
    outlets = [o["outlet"] for o in story["outlets"]]
    if story.get("coverage"):
        lines += [_image("Who carries each point", png(coverage_heatmap(story["coverage"], outlets))), ""]
    if story.get("targets"):
        lines += [_image("Sentiment toward the names", png(targets_chart(story["targets"], outlets))), ""]
    return lines
