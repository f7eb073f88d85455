"""Report: the comparison as Markdown and table artifacts in the Prefect UI."""

from __future__ import annotations

import contextvars
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from newsprism import charts
from newsprism.comparison import Comparison
from newsprism.processes import story_map
from newsprism.progress import stage_timer
from newsprism.report_html import report_extras
from newsprism.settings import CHART_STORIES

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


def story_size(story: Comparison) -> tuple[int, int]:
    """How large a story is for the report: its outlets, then its articles."""
    return len(story["outlets"]), sum(o["articles"] for o in story["outlets"])


def charted_stories(stories: list[Comparison], limit: int) -> set[str]:
    """The ids of the `limit` largest stories (story_size; ties in the run's order): those whose artifacts
    carry charts."""
    ranked = sorted(range(len(stories)), key=lambda i: (tuple(-n for n in story_size(stories[i])), i))
    return {stories[i]["story_id"] for i in ranked[: max(limit, 0)]}


def no_charts_markdown(story: Comparison, db: str, limit: int) -> list[str]:
    """What a story's artifact says in place of the charts it was not given."""
    return [
        f"_Charts are drawn for the {limit} largest stories of a run (`chart_stories`); this story's: "
        f"`newsprism report --db {db} --story '{story['story_id']}' --out report.html`_",
        "",
    ]


def comparison_markdown(
    story: Comparison, db: str, charts_limit: int | None = None, drawn: list[str] | None = None
) -> str:
    """The story's comparison as Markdown; with `charts_limit`, no charts, and a line saying so and how to draw
    them (the story is not among the run's `charts_limit` largest); else its charts (`drawn`: the lines of
    `charts.chart_markdown(story)` when drawn already)."""
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
    if charts_limit is not None:
        lines += ["", *no_charts_markdown(story, db, charts_limit)]
    else:
        lines += ["", *(charts.chart_markdown(story) if drawn is None else drawn)]
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


def stance_text(stance: list[dict[str, Any]] | None) -> str:
    """An outlet's stance per claim, readable: "agree (0.81) · discuss (0.55)"; with several claims each is
    numbered as in the story's claims."""
    items = stance or []
    if len(items) == 1:
        return f"{items[0]['label']} ({items[0]['score']:.2f})"
    return " · ".join(f"[{k + 1}] {s['label']} ({s['score']:.2f})" for k, s in enumerate(items))


def table_rows(story: Comparison) -> list[dict[str, Any]]:
    """One row per outlet, every value a readable scalar (no Python lists)."""
    rows = []
    for o in story["outlets"]:
        shares = " / ".join(f"{(o[k] or 0) * 100:.0f}%" for k in SHARE_COLUMNS)
        rows.append({
            "story_id": story["story_id"],
            "outlet": o["outlet"],
            "articles": o["articles"],
            "words": o["words"],
            "tone (95 % interval)": tone_text(o),
            "neg / neu / pos": shares,
            "stance": stance_text(o.get("stance")),
            "summary": o["summary"] or "",
        })  # fmt: skip
    return rows


def artifact_key(story_id: str) -> str:
    """Prefect artifact keys allow lowercase letters, digits and dashes only."""
    return ("coverage-" + re.sub(r"[^a-z0-9-]+", "-", story_id.lower())).strip("-")[:100]


RUN_TABLE_KEY = "coverage-outlets"
# artifacts sent at once: the API server answers ~20 % faster than one at a time (measured on the temporary
# server: 13.9 against 17.2 ms an artifact with 4 at once)
SENDERS = 4


def run_table(stories: list[Comparison]) -> list[dict[str, Any]]:
    """The run's table artifact: every story's outlet rows (`table_rows`), stories in the run's order."""
    return [row for story in stories for row in table_rows(story)]


@task(name="publish-report", cache_policy=NO_CACHE)
def publish(stories: list[Comparison], db: str, chart_stories: int = CHART_STORIES, processes: int | None = 1) -> None:
    """Per story: its comparison as a Markdown artifact (with charts for the `chart_stories` largest stories,
    drawn on `processes` worker processes, and its outlets' table); per run: one table artifact of every
    story's outlets. (One artifact costs the server ~15 ms: a table per story was a third of a
    10,000-article run's report.)"""
    with stage_timer("report"):
        _publish(stories, db, chart_stories, processes)


def _publish(stories: list[Comparison], db: str, chart_stories: int, processes: int | None) -> None:
    charted = charted_stories(stories, chart_stories)
    # the coverage cells (a row per sentence) are read only for the charted stories: the report's memory does
    # not grow with the number of stories' sentences; the outlet cards' extras are the HTML report's, not these
    # artifacts' (at 10,000 articles their queries took ~21 s and DuckDB's whole allowance)
    extras = report_extras(db, [story["story_id"] for story in stories], coverage_of=charted, outlets=False)
    full = [{**story, **extras.get(story["story_id"], {})} for story in stories]
    big = [story for story in full if story["story_id"] in charted]
    # the charts (~1 s a story) are drawn on the worker processes while the other stories' artifacts are sent
    drawn = story_map(charts.chart_markdown, big, processes, articles=sum(story_size(s)[1] for s in big))
    with ThreadPoolExecutor(SENDERS, thread_name_prefix="artifacts") as senders:
        sent = []

        def send(story: Comparison, markdown: str) -> None:
            # in a copy of this task run's context: the artifact is the run's
            sent.append(senders.submit(contextvars.copy_context().run, _markdown_artifact, story, markdown))

        for story in full:
            if story["story_id"] not in charted:
                send(story, comparison_markdown(story, db, chart_stories))
        for story, lines in zip(big, drawn, strict=True):
            send(story, comparison_markdown(story, db, drawn=lines))
        for future in sent:
            future.result()  # the first failure is the task's
    if stories:
        create_table_artifact(
            table=run_table(stories),
            key=RUN_TABLE_KEY,
            description=f"outlet_coverage rows of the run's {len(stories)} stories (and in each story's Markdown)",
        )


def _markdown_artifact(story: Comparison, markdown: str) -> None:
    create_markdown_artifact(
        markdown=markdown,
        key=artifact_key(story["story_id"]),
        description=f"How each outlet covered {story['story_id']}",
    )
