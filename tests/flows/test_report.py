"""The HTML report and the Prefect artifacts of the seeds' comparison: what a person looks at."""

import re
import shutil
import subprocess
import tempfile

import pytest

from newsprism import charts, processes
from newsprism.cli import main
from newsprism.comparison import compare_stories
from newsprism.report_html import report_extras
from newsprism.tasks.report import charted_stories, comparison_markdown, table_rows

STORY = "russia-recognises-taliban"
OUTLETS = ["Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown"]


def chromium_or_skip() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    return path


def browse(chromium: str, url: str, *args: str) -> subprocess.CompletedProcess:
    """Load `url` in headless Chromium (a fresh profile, no network), with the console logged to stderr."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={profile}", *args, url],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip


@pytest.fixture(scope="module")
def report(seeds_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--db", seeds_warehouse, "--out", str(out)]) == 0
    return out


def test_the_report_is_one_self_contained_page_with_every_outlet_and_chart(report):
    page = report.read_text(encoding="utf-8")
    # nothing to fetch: no scripts, no external stylesheets, images or fonts
    assert "<script" not in page
    assert not re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", page)
    assert not re.findall(r"url\((?:https?:)?//", page)
    for chart in ("sentiment", "coverage", "targets"):
        assert re.search(rf'data-chart="{chart}"><svg', page), chart
    for outlet in OUTLETS:
        assert f'data-outlet="{outlet}"' in page


def test_chromium_renders_the_report_without_console_errors(report, tmp_path):
    chromium = chromium_or_skip()
    shown = browse(chromium, report.as_uri(), "--dump-dom")
    console = [line for line in shown.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    dom = shown.stdout
    assert len(re.findall(r"<svg\b", dom)) == 3
    for outlet in OUTLETS:
        assert f'data-outlet="{outlet}"' in dom
    assert "Distinctive wording" in dom and "Who carries each point" in dom
    shot = tmp_path / "report.png"
    browse(chromium, report.as_uri(), "--hide-scrollbars", "--window-size=1200,1600", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def test_a_report_of_an_unknown_story_is_one_clear_line(seeds_warehouse, tmp_path, capsys):
    assert main(["report", "--db", seeds_warehouse, "--story", "nope", "--out", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err.strip() == f"newsprism report: error: no story ['nope'] in {seeds_warehouse}"
    assert not (tmp_path / "r.html").exists()


def test_the_artifacts_carry_the_charts_and_readable_table_rows(seeds_warehouse):
    (story,) = compare_stories(seeds_warehouse, [STORY])
    story = {**story, **report_extras(seeds_warehouse, [STORY])[STORY]}
    markdown = comparison_markdown(story, seeds_warehouse)
    assert len(re.findall(r"!\[[^\]]+\]\(data:image/png;base64,[A-Za-z0-9+/=]{1000,}\)", markdown)) == 3
    rows = table_rows(story)
    assert [r["outlet"] for r in rows] == OUTLETS
    for row in rows:
        assert all(isinstance(v, (str, int, float)) for v in row.values()), row
        assert re.fullmatch(r"(agree|disagree|discuss|unrelated) \(\d\.\d\d\)", row["stance"]), row["stance"]


def test_only_the_largest_stories_are_charted_and_the_others_say_how_to_draw_theirs(seeds_warehouse):
    (story,) = compare_stories(seeds_warehouse, [STORY])
    story = {**story, **report_extras(seeds_warehouse, [STORY])[STORY]}
    one = {**story, "story_id": "one-outlet", "outlets": story["outlets"][:1]}
    two_small = {**story, "story_id": "two-small", "outlets": [{**o, "articles": 1} for o in story["outlets"][:2]]}
    two_large = {**story, "story_id": "two-large", "outlets": [{**o, "articles": 3} for o in story["outlets"][:2]]}
    two_tied = {**two_small, "story_id": "two-tied"}
    run = [one, two_small, story, two_tied, two_large]
    assert charted_stories(run, 2) == {STORY, "two-large"}
    assert charted_stories(run, 3) == {STORY, "two-large", "two-small"}  # a tie goes to the earlier story
    assert charted_stories(run, 0) == set()
    assert charted_stories(run, 9) == {s["story_id"] for s in run}
    markdown = comparison_markdown(story, seeds_warehouse, charts_limit=2)
    assert "data:image" not in markdown
    assert (
        f"_Charts are drawn for the 2 largest stories of a run (`chart_stories`); this story's: "
        f"`newsprism report --db {seeds_warehouse} --story '{STORY}' --out report.html`_"
    ) in markdown.splitlines()
    # the rest of the artifact is the same as a charted one's
    charted = comparison_markdown(story, seeds_warehouse)
    assert [line for line in markdown.splitlines() if "Charts are drawn" not in line and line] == [
        line for line in charted.splitlines() if "data:image" not in line and line
    ]


def test_a_negative_chart_count_is_one_clear_line(capsys):
    assert main(["run", "seeds", "--chart-stories", "-1"]) == 2
    assert capsys.readouterr().err.strip() == "newsprism run: error: --chart-stories: expected 0 or more, got -1"


def test_the_coverage_cells_are_read_only_for_the_stories_asked_for(seeds_warehouse):
    every = report_extras(seeds_warehouse, [STORY])[STORY]
    assert len(every["coverage"]) > 50
    without = report_extras(seeds_warehouse, [STORY], coverage_of=set())[STORY]
    assert without == {**every, "coverage": []}
    assert report_extras(seeds_warehouse, [STORY], coverage_of={STORY})[STORY] == every
    # the artifacts' extras: the coverage cells only, no outlet-card queries
    assert all(every[key] for key in ("terms", "quoting", "entities", "sources"))
    bare = report_extras(seeds_warehouse, [STORY], coverage_of={STORY}, outlets=False)[STORY]
    assert bare == {**every, "terms": [], "quoting": [], "entities": [], "sources": []}


def test_charts_drawn_on_a_worker_process_are_the_charts_drawn_here(seeds_warehouse):
    (story,) = compare_stories(seeds_warehouse, [STORY])
    story = {**story, **report_extras(seeds_warehouse, [STORY])[STORY]}
    processes.shutdown()
    (drawn,) = processes.story_map(charts.chart_markdown, [story], workers=2, min_articles=0)
    assert processes._pools  # drawn on the pool
    processes.shutdown()
    assert comparison_markdown(story, seeds_warehouse, drawn=drawn) == comparison_markdown(story, seeds_warehouse)
