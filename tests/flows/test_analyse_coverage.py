"""The analyse-coverage flow under a Prefect test server, tiny profile, on the seeds."""

from pathlib import Path

import pytest

from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage
from newsprism.warehouse.db import connect

SEEDS = str(Path(__file__).resolve().parents[2] / "seeds")
OUTLETS = ["Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown"]
TABLES = ["stories", "claims", "outlets", "articles", "cleaning_decisions", "sentences", "summaries", "sentiment",
          "stance"]


def dump(db):
    con = connect(db, read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in TABLES if t != "stories"}
    finally:
        con.close()


def query(db, text):
    con = connect(db, read_only=True)
    try:
        return con.execute(text).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def seeded(prefect_harness, tmp_path_factory):
    db = str(tmp_path_factory.mktemp("wh") / "seeds.duckdb")
    first = analyse_coverage(CoverageParams(corpus=SEEDS, profile="tiny", db=db))
    return db, first


def test_every_seed_article_is_loaded_with_its_outlet(seeded):
    db, result = seeded
    assert query(db, "select outlet from articles order by outlet") == [(o,) for o in OUTLETS]
    assert query(db, "select outlet from outlets order by outlet") == [(o,) for o in OUTLETS]
    assert [o["outlet"] for o in result["stories"][0]["outlets"]] == OUTLETS


def test_row_counts_follow_the_sentences(seeded):
    db, _ = seeded
    n_sentences = query(db, "select count(*) from sentences")[0][0]
    assert n_sentences > 60
    assert query(db, "select level, count(*) from sentiment group by 1 order by 1") == [
        ("article", 5),
        ("sentence", n_sentences),
        ("target", query(db, "select count(distinct (article_id, target)) from sentiment where level = 'target'")[0][0]),
    ]
    assert query(db, "select scope, count(*) from summaries group by 1 order by 1") == [("article", 5), ("story", 1)]
    assert query(db, "select count(*), count(distinct article_id) from stance") == [(5, 5)]
    assert query(db, "select claim from claims") == [
        ("Russia becomes first country to recognise Taliban government in Afghanistan",)]
    assert query(db, "select count(*) from outlet_coverage where summary is not null and stance is not null") == [(5,)]


def test_every_removed_line_has_a_reason(seeded):
    db, _ = seeded
    assert query(db, "select count(*) from cleaning_decisions where not kept and reason in ('', 'body')") == [(0,)]
    assert query(db, "select count(*) from cleaning_decisions where text like '%Related Articles%' and kept") == [(0,)]


def test_model_ids_are_written_to_every_row(seeded):
    db, _ = seeded
    assert query(db, "select distinct model_id from sentiment") == [("sentiment.tiny-bert-cls.v1",)]
    assert query(db, "select distinct model_id from stance") == [("stance.tiny-bert-nli.v1",)]
    assert query(db, "select distinct model_id from summaries") == [("summarise.tiny-bart.v1",)]


def test_second_run_leaves_the_same_rows_and_records_both_runs(seeded):
    db, _ = seeded
    before = dump(db)
    analyse_coverage(CoverageParams(corpus=SEEDS, profile="tiny", db=db))
    assert dump(db) == before
    runs = query(db, "select profile, articles, stories from runs")
    assert runs == [("tiny", 5, ["russia-recognises-taliban"])] * 2
