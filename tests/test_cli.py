"""The CLI end to end, as a user runs it: real processes, a real DuckDB file, the tiny profile."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.cli import COMMANDS, build_parser
from newsprism.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NEWSPRISM = [str(Path(sys.executable).parent / "newsprism")]


def cli(*args, env_extra=None, check=True):
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env_extra or {})}
    proc = subprocess.run([*NEWSPRISM, *map(str, args)], capture_output=True, text=True, env=env, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def test_every_command_has_help_and_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    for name in COMMANDS:
        assert f"newsprism {name}" in readme, f"`newsprism {name}` is not documented in README.md"
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args([name, "--help"])
        assert exit_info.value.code == 0


def test_the_settings_are_read_once_and_handed_to_every_command():
    settings = Settings(db="/tmp/elsewhere.duckdb", profile="tiny")
    parser = build_parser(settings)
    args = parser.parse_args(["run", "seeds"])
    assert (args.db, args.profile, args.settings) == ("/tmp/elsewhere.duckdb", "tiny", settings)
    assert parser.parse_args(["sql", "select 1"]).db == parser.parse_args(["show"]).db == "/tmp/elsewhere.duckdb"
    assert build_parser(Settings()).parse_args(["show"]).db == Settings.db


def test_missing_corpus_is_one_clear_line(tmp_path):
    proc = cli("run", tmp_path / "nowhere", "--profile", "tiny", check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"newsprism run: error: no such corpus: {tmp_path / 'nowhere'}"


def test_bad_manifest_is_one_clear_line(tmp_path):
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "manifest.csv").write_text("name\na.txt\n")
    proc = cli("run", tmp_path, "--profile", "tiny", check=False)
    assert proc.returncode == 2
    assert "manifest needs a 'file' column" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("file,published_at\na.txt,2025-13-45\n", ":2: published_at '2025-13-45' is not an ISO 8601 date"),
        ("file,outlet\na.txt,X\na.txt,Y\n", ":3: a.txt is listed twice (first on line 2)"),
    ],
)
def test_bad_manifest_rows_are_line_numbered_usage_errors_and_nothing_is_written(tmp_path, manifest, message):
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "manifest.csv").write_text(manifest)
    db = tmp_path / "w.duckdb"
    proc = cli("run", tmp_path, "--profile", "tiny", "--db", db, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith(f"newsprism run: error: {tmp_path / 'manifest.csv'}{message}")
    assert not db.exists()


def test_a_corpus_with_nothing_to_analyse_exits_1(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "noise.txt").write_bytes(bytes(range(256)) * 4)
    db = tmp_path / "w.duckdb"
    proc = cli("run", corpus, "--profile", "tiny", "--db", db, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        f"newsprism run: {corpus}: nothing to analyse, all 2 input(s) quarantined"
    )
    # nothing lost: the run and each input it quarantined are recorded
    reasons = cli("sql", "--db", db, "--format", "json", "select source, reason from rejected_inputs order by 1")
    assert [json.loads(line) for line in reasons.stdout.splitlines()] == [
        {"source": "empty.txt", "reason": "empty"},
        {"source": "noise.txt", "reason": "binary"},
    ]
    status = cli("sql", "--db", db, "--format", "json", "select status from runs")
    assert [json.loads(line) for line in status.stdout.splitlines()] == [{"status": "failed"}]


def test_sql_without_a_warehouse_says_how_to_make_one(tmp_path):
    proc = cli("sql", "--db", tmp_path / "none.duckdb", "select 1", check=False)
    assert proc.returncode == 2
    assert "run `newsprism run CORPUS" in proc.stderr


def test_run_then_query_then_show(tmp_path):
    db = tmp_path / "np.duckdb"
    home = tmp_path / "prefect-home"
    env = {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    run = cli("run", SEEDS, "--profile", "tiny", "--db", db, env_extra=env)
    assert run.stdout.splitlines()[-1] == "analysed 5, unchanged 0, quarantined 0"
    assert "Russia becomes first country to recognise Taliban government in Afghanistan" in run.stdout
    for outlet in ("Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown"):
        assert outlet in run.stdout

    counts = cli(
        "sql", "--db", db, "--format", "json", "select outlet, count(*) as n from articles group by 1 order by 1"
    )
    assert [json.loads(line) for line in counts.stdout.splitlines()] == [
        {"outlet": o, "n": 1} for o in ("Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown")
    ]
    as_csv = cli("sql", "--db", db, "--format", "csv", "select count(*) as articles from articles")
    assert as_csv.stdout.splitlines() == ["articles", "5"]

    write = cli("sql", "--db", db, "delete from articles", check=False)
    assert write.returncode == 2 and "read-only" in write.stderr.lower()

    show = cli("show", "--db", db, "--story", "russia-recognises-taliban")
    assert "Türkiye Today" in show.stdout and "stance toward: [1]" in show.stdout


def test_a_run_of_many_stories_prints_a_line_per_story_not_a_table_each(capsys):
    from newsprism.commands.run import print_stories

    outlet = {"outlet": "A", "articles": 2}
    stories = [{"story_id": f"s{i}", "title": f"Title {i}" if i else None, "outlets": [outlet, outlet]}
               for i in range(4)]  # fmt: skip
    print_stories(stories, "w.duckdb")
    assert capsys.readouterr().out.splitlines() == [
        "s0: (no title) · 2 outlet(s), 4 article(s)",
        "s1: Title 1 · 2 outlet(s), 4 article(s)",
        "s2: Title 2 · 2 outlet(s), 4 article(s)",
        "s3: Title 3 · 2 outlet(s), 4 article(s)",
        "",
        "4 stories: newsprism show --db w.duckdb --story ID prints one; "
        "newsprism report --db w.duckdb --out report.html writes them all",
        "",
        'warehouse: w.duckdb  ·  try: newsprism sql --db w.duckdb "select outlet, count(*) from articles group by 1"',
    ]
