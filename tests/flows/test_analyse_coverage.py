"""The analyse-coverage flow under a Prefect test server, tiny profile, on the seeds."""

import json
import shutil
from pathlib import Path
from typing import get_args

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.settings import get_current_settings

from newsprism.flows.analyse_coverage import CoverageParams, HubModels, analyse_coverage, run_profile
from newsprism.inprocess import in_process
from newsprism.models.registry import PROFILE_NAMES, resolve_profile
from newsprism.settings import Settings
from newsprism.warehouse.db import connect

SEEDS = str(Path(__file__).resolve().parents[2] / "seeds")
OUTLETS = ["Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown"]
TABLES = [
    "stories",
    "claims",
    "outlets",
    "articles",
    "cleaning_decisions",
    "sentences",
    "summaries",
    "sentiment",
    "stance",
    "sentence_links",
    "term_counts",
    "entities",
    "attributions",
]


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
    n_targets = query(db, "select count(distinct (article_id, target)) from sentiment where level = 'target'")[0][0]
    assert query(db, "select level, count(*) from sentiment group by 1 order by 1") == [
        ("article", 5),
        ("sentence", n_sentences),
        ("target", n_targets),
    ]
    assert query(db, "select scope, count(*) from summaries group by 1 order by 1") == [("article", 5), ("story", 1)]
    assert query(db, "select count(*), count(distinct article_id) from stance") == [(5, 5)]
    assert query(db, "select claim from claims") == [
        ("Russia becomes first country to recognise Taliban government in Afghanistan",)
    ]
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


def test_second_run_leaves_the_same_rows_and_does_no_model_work(seeded):
    db, first = seeded
    before = dump(db)
    second = analyse_coverage(CoverageParams(corpus=SEEDS, profile="tiny", db=db))
    assert dump(db) == before
    assert second["stories"] == first["stories"]  # the comparison, this time from the cache
    assert len(list((Path(db).parent / ".newsprism-cache" / "compare").rglob("*.json"))) == 1
    runs = query(db, "select profile, articles, stories, computed, cached from runs order by finished_at")
    assert [r[:3] for r in runs] == [("tiny", 5, ["russia-recognises-taliban"])] * 2
    targets = 5 * 5  # five default targets for each of five articles
    pairs = 5 * 4  # ordered pairs of articles, for the alignment
    assert json.loads(runs[0][3]) == {
        "align": pairs,
        "summarise": 5,
        "sentiment": 5,
        "sentiment_targets": targets,
        "stance": 5,
    }
    assert json.loads(runs[1][3]) == {"align": 0, "summarise": 0, "sentiment": 0, "sentiment_targets": 0, "stance": 0}
    assert json.loads(runs[1][4]) == {
        "align": pairs,
        "summarise": 5,
        "sentiment": 5,
        "sentiment_targets": targets,
        "stance": 5,
    }


def test_an_added_article_is_the_only_one_computed(prefect_harness, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = str(tmp_path / "w.duckdb")
    params = CoverageParams(corpus=str(corpus), profile="tiny", db=db, targets=["Russia", "Taliban"])
    analyse_coverage(params)
    (corpus / "005_new.txt").write_text(
        "Russia recognises Taliban rule\nMoscow became the first capital to recognise the Taliban on Thursday. "
        "Officials in Kabul welcomed the decision.\n",
        encoding="utf-8",
    )
    with (corpus / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write(
            "005_new.txt,russia-recognises-taliban,"
            "Russia becomes first country to recognise Taliban government in Afghanistan\n"
        )
    result = analyse_coverage(params)
    assert sum(o["articles"] for o in result["stories"][0]["outlets"]) == 6  # a fresh comparison, not the cached
    computed, cached = query(db, "select computed, cached from runs order by finished_at desc limit 1")[0]
    assert json.loads(computed) == {"align": 10, "summarise": 1, "sentiment": 1, "sentiment_targets": 2, "stance": 1}
    assert json.loads(cached) == {"align": 20, "summarise": 5, "sentiment": 5, "sentiment_targets": 10, "stance": 5}
    assert query(db, "select count(*) from articles") == [(6,)]


def test_runs_record_each_stage_own_time_and_the_flow_wall_time(seeded):
    db, _ = seeded
    timings = json.loads(query(db, "select timings from runs order by finished_at limit 1")[0][0])
    stages = [
        *["align", "clean", "compare", "group", "ingest", "load", "report", "sentiment", "split", "stance"],
        "summarise",
    ]
    assert sorted(timings) == sorted([*stages, "flow_wall"])
    assert all(timings[s] >= 0 for s in stages)
    assert sum(timings[s] for s in stages if s != "report") <= timings["flow_wall"]


def test_in_process_runs_send_no_heartbeats_unless_asked(prefect_harness):
    @flow
    def heartbeat_frequency():
        return get_current_settings().flows.heartbeat_frequency

    with in_process():
        assert heartbeat_frequency() is None
    with in_process(heartbeats=True):
        assert heartbeat_frequency() == 180
    assert Settings.from_env({}).heartbeats is False
    assert Settings.from_env({"NEWSPRISM_HEARTBEATS": "1"}).heartbeats is True


HUB_ENV = {
    "NEWSPRISM_HUB_SUMMARISER": "/ckpt/summariser",
    "NEWSPRISM_HUB_SENTIMENT": "org/sentiment",
    "NEWSPRISM_HUB_STANCE": "org/nli",
}


def test_a_worker_run_takes_the_hub_checkpoints_from_the_environment(monkeypatch):
    """What a deployment run does: no hub_models parameter, NEWSPRISM_HUB_* in the worker's environment; the
    flow reads the settings itself (Settings.from_env) and resolves the profile with run_profile."""
    for name, value in HUB_ENV.items():
        monkeypatch.setenv(name, value)
    profile = run_profile(CoverageParams(profile="hub"), Settings.from_env())
    assert profile == resolve_profile(
        "hub", {"summariser": "/ckpt/summariser", "sentiment": "org/sentiment", "stance": "org/nli"}
    )
    assert profile.summariser.endswith(":/ckpt/summariser") and profile.stance.endswith(":org/nli")


def test_a_checkpoint_the_run_names_wins_over_the_environment():
    settings = Settings.from_env(HUB_ENV)
    params = CoverageParams(profile="hub", hub_models=HubModels(sentiment="mine/sentiment"))
    assert run_profile(params, settings) == resolve_profile(
        "hub", {"summariser": "/ckpt/summariser", "sentiment": "mine/sentiment", "stance": "org/nli"}
    )
    # nothing set anywhere: the registry's defaults; another profile ignores the hub checkpoints
    assert run_profile(CoverageParams(profile="hub"), Settings.from_env({})) == resolve_profile("hub")
    assert run_profile(CoverageParams(profile="tiny"), settings) == resolve_profile("tiny")


def test_several_stories_run_as_one_task_per_stage(prefect_harness, tmp_path):
    """Two stories from a JSONL corpus: each loaded with its own articles, and each stage one task run."""
    texts = sorted(p.read_text(encoding="utf-8") for p in Path(SEEDS).glob("*.txt"))
    corpus = tmp_path / "two.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"story_id": story, "outlet": f"Outlet {n}", "text": text}) + "\n"
            for n, (story, text) in enumerate(
                [("a", texts[0]), ("a", texts[1]), ("b", texts[2]), ("b", texts[3]), ("b", texts[4])]
            )
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "w.duckdb")
    result = analyse_coverage(CoverageParams(corpus=str(corpus), profile="tiny", db=db))
    assert query(db, "select story_id, count(*) from articles group by 1 order by 1") == [("a", 2), ("b", 3)]
    assert query(
        db, "select story_id, count(distinct article_id) from summaries where scope = 'article' group by 1 order by 1"
    ) == [("a", 2), ("b", 3)]
    assert [s["story_id"] for s in result["stories"]] == ["a", "b"]

    flow_run_id = query(db, "select flow_run_id from runs")[0][0]
    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    assert sorted(run.name.rsplit("-", 1)[0] for run in task_runs) == [  # one run per stage, not per story
        "align-sentences",
        "begin-run",
        "clean",
        "compare",
        "define-stories",
        "group",
        "ingest",
        "load",
        "publish-report",
        "read-texts",
        "record-groups",
        "record-quarantine",
        "record-run",
        "screen",
        "split-sentences",
        "summarise",
        "tag-sentiment",
        "tag-stance",
    ]
    # the artifacts: a Markdown comparison per story, one table of every story's outlets
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    assert sorted((a.key, a.type) for a in artifacts) == [
        ("coverage-a", "markdown"),
        ("coverage-b", "markdown"),
        ("coverage-outlets", "table"),
    ]
    (table,) = [a for a in artifacts if a.type == "table"]
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert [(r["story_id"], r["outlet"]) for r in rows] == [
        ("a", "Outlet 0"),
        ("a", "Outlet 1"),
        ("b", "Outlet 2"),
        ("b", "Outlet 3"),
        ("b", "Outlet 4"),
    ]


def test_the_run_form_offers_every_profile_the_registry_resolves():
    assert list(get_args(CoverageParams.model_fields["profile"].annotation)) == PROFILE_NAMES
