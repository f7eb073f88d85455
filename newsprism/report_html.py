"""The comparison as one self-contained HTML page (no network, no script): what a journalist reads.

    write_report("warehouse/newsprism.duckdb", "report.html", story_ids=None)   # every story

Per story: the cross-outlet summary and its points (who carries each), notable differences (with their
uncertainty), the sentiment chart, the sentence x outlet coverage heatmap, sentiment toward the most mentioned
names; per outlet: summary, stance per claim, tone, quotation share, the names it mentions most, whom it
quotes, distinctive words and phrases, what only it says and what it leaves out; shared quotes and copied
text. Everything comes from the warehouse's views and queries (read-only); charts are newsprism.charts' SVG,
inline.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism import charts
from newsprism.comparison import Comparison, compare_stories
from newsprism.warehouse.db import connect, records, sql

CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#2c3e50;
line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #2c3e50;padding-bottom:.2em;margin-top:2em}
h3{margin:.2em 0 .4em}.meta{color:#7f8c8d;font-size:.85em;font-family:sans-serif}
.summary{font-size:1.1em;background:#f4f6f7;padding:.8em 1em;border-left:4px solid #2c3e50}
.outlets{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1em}
.outlet{border:1px solid #d5dbdb;border-radius:6px;padding:.8em 1em;font-size:.93em}
.chart{margin:1em 0;overflow-x:auto}.chart svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-family:sans-serif;font-size:.85em}
td,th{border-bottom:1px solid #e5e8e8;padding:.25em .5em;text-align:left;vertical-align:top}
.term{display:inline-block;background:#eaf2f8;border-radius:3px;padding:0 .35em;margin:.1em;font-family:sans-serif;
font-size:.85em}.label-negative{color:#c0392b}.label-positive{color:#27ae60}.label-disagree{color:#c0392b}
.label-agree{color:#27ae60}ul{padding-left:1.2em}li{margin:.2em 0}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def report_extras(
    db: str | Path,
    story_ids: Sequence[str] | None = None,
    coverage_of: Collection[str] | None = None,
    outlets: bool = True,
) -> dict[str, dict[str, Any]]:
    """Per story: what the report adds to its comparison — the coverage matrix cells (`coverage`: only for the
    stories in `coverage_of` when given, a row per sentence, what the heatmap draws) and, with `outlets`, each
    outlet's distinctive terms (`terms`), quotation share (`quoting`), most mentioned entities (`entities`) and
    most quoted sources (`sources`: the HTML report's outlet cards; without, those lists stay empty and their
    queries over the whole warehouse are not run)."""
    con = connect(db, read_only=True)
    try:
        ids = list(story_ids) if story_ids else [r[0] for r in con.execute(sql("queries/list_stories")).fetchall()]
        extra: dict[str, dict[str, Any]] = {
            sid: {"coverage": [], "terms": [], "quoting": [], "entities": [], "sources": []} for sid in ids
        }
        for sid in ids if coverage_of is None else [sid for sid in ids if sid in coverage_of]:
            extra[sid]["coverage"] = records(con.execute(sql("queries/coverage_matrix_rows"), [sid]))
        cards = [
            ("terms", "distinctive_terms_top", [ids]),
            ("quoting", "quote_share_by_outlet", [ids, ids]),
            ("entities", "outlet_entities_top", [ids]),
            ("sources", "outlet_sources_top", [ids]),
        ]
        for key, query, params in cards if outlets else []:
            for row in records(con.execute(sql(f"queries/{query}"), params)):
                extra[row.pop("story_id")][key].append(row)
    finally:
        con.close()
    return extra


def report_data(db: str | Path, story_ids: Sequence[str] | None = None) -> list[Comparison]:
    """The comparison of each story (`newsprism.comparison`) with the report's extras (`report_extras`)."""
    extra = report_extras(db, story_ids)
    stories = compare_stories(str(db), list(extra))
    for story in stories:
        story.update(extra[story["story_id"]])
    return stories


def _outlet_card(story: Comparison, outlet: dict[str, Any]) -> str:
    name = outlet["outlet"]
    parts = [f'<div class="outlet" data-outlet="{_e(name)}"><h3>{_e(name)}</h3>']
    words = f"{outlet['articles']} article(s), {outlet['words']} words"
    tone = "" if outlet.get("tone") is None else (
        f" · tone {outlet['tone']:+.2f} [{outlet['tone_interval'][0]:+.2f}, {outlet['tone_interval'][1]:+.2f}]"
    )  # fmt: skip
    quoting = next((q for q in story.get("quoting", []) if q["outlet"] == name), None)
    quoted = "" if quoting is None or quoting["quoted_share"] is None else (
        f" · {quoting['quotations']} quotation(s), {quoting['quoted_share']:.0%} of its words quoted"
    )  # fmt: skip
    parts.append(f'<div class="meta">{_e(words + tone + quoted)}</div>')
    if outlet.get("summary"):
        parts.append(f"<p>{_e(outlet['summary'])}</p>")
    for s in outlet.get("stance") or []:
        parts.append(f'<div>Stance on “{_e(s["claim"])}”: <b class="label-{_e(s["label"])}">{_e(s["label"])}</b> '
                     f'<span class="meta">(p={s["score"]:.2f})</span></div>')  # fmt: skip
    terms = [t for t in story.get("terms", []) if t["outlet"] == name]
    if terms:
        chips = "".join(
            f'<span class="term" title="used {t["uses"]}×, others {t["others_uses"]}×, z={t["z"]:+.1f}">'
            f"{_e(t['term'])}</span>"
            for t in terms
        )
        parts.append(f"<div>Distinctive wording: {chips}</div>")
    entities = [e for e in story.get("entities", []) if e["outlet"] == name]
    if entities:
        items = ", ".join(f"{_e(e['entity'])} <span class='meta'>{_e(e['type'])} ×{e['mentions']}</span>"
                          for e in entities)  # fmt: skip
        parts.append(f"<div>Names it mentions most: {items}</div>")
    sources = [q for q in story.get("sources", []) if q["outlet"] == name]
    if sources:
        items = ", ".join(f"{_e(q['source'])} <span class='meta'>×{q['attributions']}"
                          f"{' (' + str(q['direct_quotes']) + ' direct)' if q['direct_quotes'] else ''}</span>"
                          for q in sources)  # fmt: skip
        parts.append(f"<div>Who it quotes: {items}</div>")
    targets = sorted((t for t in story.get("targets", []) if t["outlet"] == name), key=lambda t: -(t["mentions"] or 0))
    if targets:
        items = ", ".join(
            f'{_e(t["target"])} <span class="label-{_e(t["label"])}">{_e(t["label"])}</span>' for t in targets[:5]
        )
        parts.append(f"<div>Sentiment toward them: {items}</div>")
    for key, heading in (("exclusive", "Only this outlet says"), ("left_out", "Leaves out")):
        row = next((r for r in story.get(key, []) if r["outlet"] == name), None)
        if row:
            items = "".join(f"<li>{_e(t)}</li>" for t in row["examples"][:3])
            parts.append(f"<div><b>{heading}</b> ({row['n']}):<ul>{items}</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def story_section(story: Comparison, heading: bool = True) -> str:
    """One story's part of the page (`heading`: its title as a heading, when the page holds several)."""
    outlets = [o["outlet"] for o in story["outlets"]]
    out = [f'<section class="story" id="{_e(story["story_id"])}">']
    if heading:
        out.append(f"<h2>{_e(story['title'] or story['story_id'])}</h2>")
    out.append(f'<div class="meta">story {_e(story["story_id"])} · {len(outlets)} outlet(s) · models '
               f'{_e(story["summary_model_id"])}, {_e(story["sentiment_model_id"])}, {_e(story["stance_model_id"])}'
               "</div>")  # fmt: skip
    if story.get("summary"):
        out.append(f'<p class="summary">{_e(story["summary"])}</p>')
    if story.get("summary_points"):
        items = "".join(f"<li>{_e(p['text'])} <span class='meta'>({_e(', '.join(p['outlets']))})</span></li>"
                        for p in story["summary_points"])  # fmt: skip
        out.append(f"<h3>The points, and who makes them</h3><ul>{items}</ul>")
    if story.get("notable"):
        out.append(
            "<h3>Notable differences</h3><ul>" + "".join(f"<li>{_e(n)}</li>" for n in story["notable"]) + "</ul>"
        )
    out.append(
        f'<div class="chart" data-chart="sentiment">{charts.svg(charts.sentiment_chart(story["outlets"]))}</div>'
    )
    if story.get("coverage"):
        heat = charts.svg(charts.coverage_heatmap(story["coverage"], outlets))
        out.append(f'<div class="chart" data-chart="coverage">{heat}</div>')
    if story.get("targets"):
        out.append(f'<div class="chart" data-chart="targets">'
                   f'{charts.svg(charts.targets_chart(story["targets"], outlets))}</div>')  # fmt: skip
    out.append('<div class="outlets">' + "".join(_outlet_card(story, o) for o in story["outlets"]) + "</div>")
    if story.get("shared_quotes"):
        items = "".join(f"<li>“{_e(q['quote'])}” <span class='meta'>— {_e(', '.join(q['quoted_by']))}</span></li>"
                        for q in story["shared_quotes"])  # fmt: skip
        out.append(f"<h3>Quotes several outlets use</h3><ul>{items}</ul>")
    if story.get("copied"):
        rows = "".join(f"<tr><td>{_e(c['outlet'])}</td><td>{_e(c['other_outlet'])}</td><td>{_e(c['text'])}</td>"
                       f"<td>{c['similarity']:.2f}</td></tr>" for c in story["copied"])  # fmt: skip
        out.append("<h3>Copied text (near-identical sentences)</h3><table><tr><th>outlet</th><th>also in</th>"
                   f"<th>sentence</th><th>cosine</th></tr>{rows}</table>")  # fmt: skip
    out.append("</section>")
    return "".join(out)


def render(stories: Sequence[Comparison], db: str | Path) -> str:
    """The whole page."""
    title = stories[0]["title"] if len(stories) == 1 and stories[0].get("title") else "newsprism coverage report"
    toc = ""
    if len(stories) > 1:
        toc = "<ul>" + "".join(f'<li><a href="#{_e(s["story_id"])}">{_e(s["title"] or s["story_id"])}</a></li>'
                               for s in stories) + "</ul>"  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>'
        f"<h1>{_e(title)}</h1><div class='meta'>How each outlet covered it · from {_e(Path(db).name)} · {stamp} · "
        f"made by newsprism</div>{toc}{''.join(story_section(s, len(stories) > 1) for s in stories)}</body></html>\n"
    )


def write_report(db: str | Path, out: str | Path, story_ids: Sequence[str] | None = None) -> int:
    """Write the report of the stories (default: every story) to `out`; returns the number of stories."""
    stories = report_data(db, story_ids)
    if not stories:
        raise LookupError(f"no story {list(story_ids)!r} in {db}" if story_ids else f"no stories in {db}")
    Path(out).write_text(render(stories, db), encoding="utf-8")
    return len(stories)
