"""Report: the comparison as Markdown and table artifacts in the Prefect UI."""

from __future__ import annotations

import re
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from newsprism.comparison import Comparison
from newsprism.progress import stage_timer

SHARE_COLUMNS = ("share_negative", "share_neutral", "share_positive")


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:+.{digits}f}"
    return str(value)


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def tone_text(outlet: dict[str, Any]) -> str:
    """The outlet's mean sentence sentiment with its bootstrap interval (newsprism.comparison)."""
    if outlet.get("tone") is None:
        return "–"
    low, high = outlet["tone_interval"]
    return f"{outlet['tone']:+.2f} [{low:+.2f}, {high:+.2f}]"


def comparison_markdown(story: Comparison, db: str) -> str:
    lines = [f"# {story['title'] or story['story_id']}", ""]
    lines += [
        f"Story `{story['story_id']}` · models: `{story['summary_model_id']}`, "
        f"`{story['sentiment_model_id']}`, `{story['stance_model_id']}`",
        "",
    ]
    if story.get("summary"):
        lines += ["**Across outlets:** " + _cell(story["summary"]), ""]
    if story.get("summary_points"):  # the points the summary draws on, and who makes each
        lines += [f"- {_cell(p['text'])} ({', '.join(p['outlets'])})" for p in story["summary_points"]] + [""]
    lines += [
        "| outlet | articles | words | tone (95 % interval) | neg / neu / pos | stance (headline) | summary |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for o in story["outlets"]:
        shares = " / ".join(f"{(o[k] or 0) * 100:.0f}%" for k in SHARE_COLUMNS)
        lines.append(
            f"| {_cell(o['outlet'])} | {o['articles']} | {o['words']} | {tone_text(o)} | "
            f"{shares} | {o['stance_headline'] or '–'} | {_cell(o['summary'])} |"
        )
    if story.get("targets"):
        lines += [
            "",
            "**Sentiment toward named targets**",
            "",
            "| target | outlet | mentions | score | label |",
            "|---|---|---:|---:|---|",
        ]
        for t in story["targets"]:
            lines.append(
                f"| {_cell(t['target'])} | {_cell(t['outlet'])} | {t['mentions']} | {_fmt(t['score'])} | {t['label']} |"
            )
    headings = [("exclusive", "Only this outlet says"), ("left_out", "Leaves out (reported by two or more others)")]
    for key, heading in headings:
        if story.get(key):
            lines += ["", f"**{heading}**", ""]
            for row in story[key]:
                lines += [f"- {_cell(row['outlet'])} ({row['n']}): " + " · ".join(_cell(t) for t in row["examples"])]
    if story.get("copied"):
        lines += [
            "",
            "**Near-identical sentences across outlets**",
            "",
            "| outlet | other outlet | sentence | cosine |",
            "|---|---|---|---:|",
        ]
        for row in story["copied"]:
            lines.append(
                f"| {_cell(row['outlet'])} | {_cell(row['other_outlet'])} | {_cell(row['text'])} | "
                f"{row['similarity']:.2f} |"
            )
    if story.get("shared_quotes"):
        lines += ["", "**Quotes used by several outlets**", ""]
        lines += [f"- “{_cell(q['quote'])}” — {', '.join(q['quoted_by'])}" for q in story["shared_quotes"]]
    if story.get("notable"):
        lines += ["", "**Notable differences**", ""] + [f"- {note}" for note in story["notable"]]
    lines += [
        "",
        f"Query it: `newsprism sql --db {db} \"select * from outlet_coverage where story_id = '{story['story_id']}'\"`",
    ]
    return "\n".join(lines)


def table_rows(story: Comparison) -> list[dict[str, Any]]:
    return [
        {k: (str(v) if isinstance(v, list) else v) for k, v in {"story_id": story["story_id"], **o}.items()}
        for o in story["outlets"]
    ]


def artifact_key(story_id: str) -> str:
    """Prefect artifact keys allow lowercase letters, digits and dashes only."""
    return ("coverage-" + re.sub(r"[^a-z0-9-]+", "-", story_id.lower())).strip("-")[:100]


@task(name="publish-report", cache_policy=NO_CACHE)
def publish(stories: list[Comparison], db: str) -> None:
    """Per story: its comparison as a Markdown artifact and its outlets as a table artifact."""
    with stage_timer("report"):
        _publish(stories, db)


def _publish(stories: list[Comparison], db: str) -> None:
    for story in stories:
        key = artifact_key(story["story_id"])
        create_markdown_artifact(
            markdown=comparison_markdown(story, db), key=key, description=f"How each outlet covered {story['story_id']}"
        )
        create_table_artifact(
            table=table_rows(story), key=f"{key}-table", description="outlet_coverage rows for this story"
        )
