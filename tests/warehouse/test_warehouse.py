"""The warehouse on an in-memory DuckDB: loads are idempotent, views give exact rows."""

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import get_type_hints

import duckdb
import pytest

from newsprism import comparison, processes
from newsprism.comparison import compare_stories
from newsprism.records import Article, LinkRow, RunRecord, SentimentRow, StanceRow, StoryMemberRow, SummaryRow
from newsprism.warehouse.db import (
    WarehouseBusy,
    apply_schema,
    connect,
    connect_memory,
    insert_target,
    insert_targets,
    sql,
)
from newsprism.warehouse.load import (
    BATCH,
    close_run,
    load_story,
    load_story_batch,
    new_stories,
    record_run,
    running_runs,
    story_load,
)
from newsprism.warehouse.partitions import merge_partitions, read_partition, write_partition

LOADS = Path(__file__).resolve().parents[2] / "warehouse" / "loads"

MODELS = {"summariser": "sum.v1", "sentiment": "sent.v1", "stance": "stance.v1", "encoder": "enc.v1",
          "pairs": "pairs.v1"}  # fmt: skip


def article(article_id, outlet, words, source=None, text="Body."):
    return {
        "article_id": article_id,
        "story_id": "s1",
        "outlet": outlet,
        "outlet_evidence": "test",
        "wire": None,
        "dateline": None,
        "source": source or f"{article_id}.txt",
        "title": f"Title {article_id}",
        "published_at": None,
        "author": None,
        "url": None,
        "language": "en",
        "encoding": "utf-8",
        "raw_hash": f"h{article_id}",
        "raw_text": f"raw {text}",
        "clean_text": text,
        "words_raw": words + 2,
        "words_clean": words,
        "cleaner_id": "clean.test.v1",
        "decisions": [(0, "Menu", False, "navigation"), (1, text, True, "body")],
        "sentences": [text, "Second."],
    }


def outputs(article_ids, model=MODELS, sentiment_scores=None, stance_labels=None):
    sentiment_scores = sentiment_scores or {}
    stance_labels = stance_labels or {}
    summaries = [
        {
            "scope": "article",
            "subject_id": a,
            "story_id": "s1",
            "article_id": a,
            "summary": f"sum {a}",
            "sentence_ids": [0],
            "model_id": model["summariser"],
        }
        for a in article_ids
    ]
    summaries.append(
        {
            "scope": "story",
            "subject_id": "s1",
            "story_id": "s1",
            "article_id": None,
            "summary": "story sum",
            "sentence_ids": [],
            "model_id": model["summariser"],
        }
    )
    sentiment = []
    for a in article_ids:
        score = sentiment_scores.get(a, 0.0)
        label = "negative" if score < 0 else "positive" if score > 0 else "neutral"
        no_probs = {"p_negative": None, "p_neutral": None, "p_positive": None, "mentions": None}
        sentiment += [
            {
                "article_id": a,
                "level": "sentence",
                "sentence_no": 0,
                "target": None,
                "label": label,
                "score": score,
                **no_probs,
                "model_id": model["sentiment"],
            },
            {
                "article_id": a,
                "level": "sentence",
                "sentence_no": 1,
                "target": None,
                "label": "neutral",
                "score": 0.0,
                **no_probs,
                "model_id": model["sentiment"],
            },
            {
                "article_id": a,
                "level": "article",
                "sentence_no": None,
                "target": None,
                "label": label,
                "score": score / 2,
                **no_probs,
                "model_id": model["sentiment"],
            },
        ]
    stance = [
        {
            "article_id": a,
            "claim_no": 0,
            "claim": "Claim",
            "label": stance_labels.get(a, "agree"),
            "score": 0.9,
            **STANCE_NO_PROBS,
            "evidence_sentence_no": 0,
            "evidence": "Body.",
            "model_id": model["stance"],
        }
        for a in article_ids
    ]
    return summaries, sentiment, stance


STANCE_NO_PROBS = {"p_agree": None, "p_disagree": None, "p_discuss": None, "p_unrelated": None}
STORY = {"story_id": "s1", "title": "Story one", "claims": ["Claim"], "targets": []}


def table_counts(con):
    tables = [
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
    ]
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in tables}


def full_dump(con):
    return {
        t: sorted(
            map(
                repr,
                con.execute(
                    f"select * exclude (updated_at) from {t}" if t == "stories" else f"select * from {t}"
                ).fetchall(),
            )
        )
        for t in [
            "stories",
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
    }


def link(a, s_no, other, o_no, similarity, overlap=0.2, model="enc.v1", same_point=None):
    """A link; the pairs model's decision defaults to the old cosine rule (similarity >= 0.75)."""
    return {
        "article_id": a,
        "sentence_no": s_no,
        "other_article_id": other,
        "other_sentence_no": o_no,
        "similarity": similarity,
        "word_overlap": overlap,
        "same_point": similarity >= 0.75 if same_point is None else same_point,
        "same_point_score": similarity,
        "model_id": model,
        "pairs_model_id": "pairs.v1",
    }


LINKS = [
    link("a1", 0, "a2", 0, 0.95, 0.7),
    link("a1", 1, "a2", 1, 0.3),
    link("a2", 0, "a1", 0, 0.95, 0.7),
    link("a2", 1, "a1", 0, 0.4),
]


def test_load_twice_leaves_the_same_rows(memory_db):
    arts = [article("a1", "UPI", 10), article("a2", "AFP", 30)]
    counts = load_story(memory_db, STORY, arts, *outputs(["a1", "a2"]), MODELS, LINKS)
    assert counts == {
        "articles": 2,
        "article_links": 1,  # both bodies read "Body.": a2 repeats a1 (other outlets: both counted)
        "cleaning_decisions": 4,
        "sentences": 4,
        "summaries": 3,
        "sentiment": 6,
        "stance": 2,
        "sentence_links": 4,
        "term_counts": 4,  # "Body." and "Sentence N." as words (articles built without entities)
        "entities": 0,
        "attributions": 0,
    }
    first = full_dump(memory_db)
    assert load_story(memory_db, STORY, arts, *outputs(["a1", "a2"]), MODELS, LINKS) == {"unchanged": 1}
    assert full_dump(memory_db) == first
    # any change to what the story carries loads it in full again
    changed = load_story(memory_db, STORY, arts, *outputs(["a1", "a2"], sentiment_scores={"a1": 0.5}), MODELS, LINKS)
    assert changed["sentiment"] == 6
    assert table_counts(memory_db) == {
        "stories": 1,
        "claims": 1,
        "outlets": 2,
        "articles": 2,
        "cleaning_decisions": 4,
        "sentences": 4,
        "summaries": 3,
        "sentiment": 6,
        "stance": 2,
        "sentence_links": 4,
    }


def test_links_keep_the_pairs_models_decision_and_the_story_its_id(memory_db):
    arts = [article("a1", "UPI", 10), article("a2", "AFP", 30)]
    links = [*LINKS[:3], link("a2", 1, "a1", 0, 0.4, same_point=True)]
    load_story(memory_db, STORY, arts, *outputs(["a1", "a2"]), MODELS, links)
    rows = memory_db.execute(
        "select article_id, sentence_no, same_point, same_point_score, pairs_model_id from sentence_links "
        "order by article_id, sentence_no"
    ).fetchall()
    assert rows == [
        ("a1", 0, True, 0.95, "pairs.v1"),
        ("a1", 1, False, 0.3, "pairs.v1"),
        ("a2", 0, True, 0.95, "pairs.v1"),
        ("a2", 1, True, 0.4, "pairs.v1"),
    ]
    assert memory_db.execute("select pairs_model_id from stories").fetchall() == [("pairs.v1",)]


def test_the_dateline_is_stored_and_a_changed_one_reloads_the_story(memory_db):
    dated = {**article("a1", "UPI", 10), "dateline": "July 4 (UPI) --"}
    assert load_story(memory_db, STORY, [dated], *outputs(["a1"]), MODELS)["articles"] == 1
    assert memory_db.execute("select article_id, dateline, clean_text from articles").fetchall() == [
        ("a1", "July 4 (UPI) --", "Body.")
    ]
    moved = {**dated, "dateline": "MOSCOW (UPI) --"}
    assert load_story(memory_db, STORY, [moved], *outputs(["a1"]), MODELS)["articles"] == 1
    assert memory_db.execute("select dateline from articles").fetchall() == [("MOSCOW (UPI) --",)]


def test_changed_article_replaces_its_old_version(memory_db):
    load_story(memory_db, STORY, [article("a1", "UPI", 10, source="x.txt")], *outputs(["a1"]), MODELS)
    load_story(memory_db, STORY, [article("a9", "UPI", 12, source="x.txt")], *outputs(["a9"]), MODELS)
    assert memory_db.execute("select article_id from articles").fetchall() == [("a9",)]
    assert memory_db.execute("select distinct article_id from sentiment").fetchall() == [("a9",)]
    assert memory_db.execute("select count(*) from summaries where scope = 'article'").fetchall() == [(1,)]
    # nothing derived from the old version stays behind
    for table in ("term_counts", "cleaning_decisions", "sentences", "entities", "attributions"):
        assert memory_db.execute(f"select distinct article_id from {table} where article_id <> 'a9'").fetchall() == []


def test_only_a_story_never_loaded_is_new(memory_db):
    scripts = {"story_id": STORY["story_id"], "article_ids": ["a1"]}
    assert new_stories(memory_db, [scripts]) == [True]
    load_story(memory_db, STORY, [article("a1", "UPI", 10)], *outputs(["a1"]), MODELS)
    assert new_stories(memory_db, [
        scripts,
        {**scripts, "article_ids": []},  # the story row is enough
        {"story_id": "other-story", "article_ids": ["a1"]},  # so is one of its articles
        {"story_id": "other-story", "article_ids": ["a2"]},
        {"story_id": "third-story", "article_ids": ["a3", "a1"]},
    ]) == [False, False, False, True, False]  # fmt: skip
    assert new_stories(memory_db, []) == []


def test_applying_the_schema_removes_rows_of_articles_that_are_gone(memory_db):
    load_story(memory_db, STORY, [article("a1", "UPI", 10)], *outputs(["a1"]), MODELS)
    kept = memory_db.execute("select count(*) from term_counts").fetchall()
    memory_db.execute("insert into term_counts values ('gone', 'harbour', 1, 2)")
    memory_db.execute("insert into entities values ('gone', 0, 0, 5, 'Kabul', 'LOC', 'Kabul', 'ner.v1')")
    apply_schema(memory_db)
    assert memory_db.execute("select count(*) from term_counts").fetchall() == kept
    assert memory_db.execute("select count(*) from entities where article_id = 'gone'").fetchall() == [(0,)]


def test_another_model_adds_rows_and_the_view_follows_the_latest(memory_db):
    arts = [article("a1", "UPI", 10)]
    load_story(memory_db, STORY, arts, *outputs(["a1"], sentiment_scores={"a1": -0.5}), MODELS)
    other = {"summariser": "sum.v2", "sentiment": "sent.v2", "stance": "stance.v2", "encoder": "enc.v1",
             "pairs": "pairs.v2"}  # fmt: skip
    load_story(memory_db, STORY, arts, *outputs(["a1"], model=other, sentiment_scores={"a1": 0.8}), other)
    assert memory_db.execute("select count(*) from sentiment").fetchall() == [(6,)]  # both models kept
    assert memory_db.execute("select outlet, sentiment_mean from outlet_coverage").fetchall() == [("UPI", 0.4)]


def test_outlet_coverage_rows(memory_db):
    arts = [article("a1", "UPI", 10), article("a2", "AFP", 30), article("a3", "AFP", 50)]
    load_story(
        memory_db,
        STORY,
        arts,
        *outputs(
            ["a1", "a2", "a3"], sentiment_scores={"a1": -0.5, "a2": 0.5, "a3": 0.25}, stance_labels={"a2": "disagree"}
        ),
        MODELS,
    )
    rows = memory_db.execute(
        "select * exclude (stance, sentences, exclusive_sentences, copied_sentences, left_out, quotes) "
        "from outlet_coverage order by outlet"
    ).fetchall()
    assert rows == [
        ("s1", "AFP", 2, 80, "sum a2 | sum a3", 0.1875, 0.0, 0.5, 0.5, "disagree"),
        ("s1", "UPI", 1, 10, "sum a1", -0.25, 0.5, 0.5, 0.0, "agree"),
    ]
    stance = memory_db.execute("select stance from outlet_coverage where outlet = 'AFP'").fetchall()[0][0]
    assert stance == [{"claim": "Claim", "label": "disagree", "score": 0.9}]


def test_record_run_is_an_upsert(memory_db):
    run = RunRecord(
        run_id="r1",
        flow_run_id=None,
        profile="tiny",
        parameters={"corpus": "seeds"},
        started_at=datetime(2025, 1, 1, 12),
        finished_at=datetime(2025, 1, 1, 12, 1),
        timings={"load": 0.1},
        computed={"stance": 1},
        cached={},
        stories=["s1"],
        articles=5,
        status="completed",
        error=None,
        host="h",
        pid=7,
    )
    record_run(memory_db, run)
    record_run(memory_db, {**run, "articles": 6})
    rows = memory_db.execute("select run_id, profile, articles, stories, parameters, computed from runs").fetchall()
    assert rows == [("r1", "tiny", 6, ["s1"], '{"corpus": "seeds"}', '{"stance": 1}')]


def test_a_run_is_running_from_its_start_and_closed_once(memory_db):
    started = datetime(2025, 1, 1, 12)
    running = RunRecord(
        run_id="r2",
        flow_run_id=None,
        profile="tiny",
        parameters={},
        started_at=started,
        finished_at=None,
        timings=None,
        computed=None,
        cached=None,
        stories=None,
        articles=None,
        status="running",
        error=None,
        host="h",
        pid=8,
    )
    record_run(memory_db, running)
    record_run(memory_db, {**running, "run_id": "r3", "pid": 9})
    assert running_runs(memory_db) == [("r2", "h", 8), ("r3", "h", 9)]
    assert memory_db.execute("select timings, computed, articles from runs where run_id = 'r2'").fetchall() == [
        (None, None, None)
    ]
    close_run(memory_db, "r2", "failed", "ValueError: boom", datetime(2025, 1, 1, 12, 5))
    close_run(memory_db, "r2", "abandoned", "later", datetime(2025, 1, 1, 13))  # closed already: kept
    assert running_runs(memory_db) == [("r3", "h", 9)]
    rows = memory_db.execute("select run_id, status, error, finished_at from runs order by run_id").fetchall()
    assert rows == [("r2", "failed", "ValueError: boom", datetime(2025, 1, 1, 12, 5)), ("r3", "running", None, None)]


def story_two():
    """`load_story`'s arguments for a second story, s2 (b1 from UPI, as a1 of s1, and b2 from Reuters)."""
    arts = [{**article("b1", "UPI", 12), "story_id": "s2"}, {**article("b2", "Reuters", 20), "story_id": "s2"}]
    summaries, sentiment, stance = outputs(["b1", "b2"])
    summaries = [
        {**row, "story_id": "s2", "subject_id": "s2" if row["scope"] == "story" else row["subject_id"]}
        for row in summaries
    ]
    return ({**STORY, "story_id": "s2", "title": "Story two"}, arts, summaries, sentiment, stance, MODELS, [], None)


def test_a_batch_of_stories_writes_exactly_the_rows_of_loading_them_one_by_one(memory_db):
    first = (STORY, [article("a1", "UPI", 10), article("a2", "AFP", 30)], *outputs(["a1", "a2"]), MODELS, LINKS, None)
    separate = connect_memory()
    expected = [load_story(separate, *first), load_story(separate, *story_two())]
    assert expected[1]["sentiment"] == 6 and expected[0]["sentence_links"] == 4
    assert load_story_batch(memory_db, [first, story_two()]) == expected
    assert full_dump(memory_db) == full_dump(separate)
    outlets = "select outlet, evidence from outlets order by outlet"
    assert memory_db.execute(outlets).fetchall() == separate.execute(outlets).fetchall() == [
        ("AFP", "test"), ("Reuters", "test"), ("UPI", "test")
    ]  # fmt: skip
    assert load_story_batch(memory_db, [first, story_two()]) == [{"unchanged": 1}, {"unchanged": 1}]


def test_a_batch_loaded_by_chunks_of_stories_writes_exactly_the_rows_of_one_chunk(memory_db):
    first = (STORY, [article("a1", "UPI", 10), article("a2", "AFP", 30)], *outputs(["a1", "a2"]), MODELS, LINKS, None)
    whole = connect_memory()
    expected = load_story_batch(whole, [first, story_two()])
    assert load_story_batch(memory_db, [first, story_two()], articles=1) == expected  # a story per chunk
    assert full_dump(memory_db) == full_dump(whole)


def test_a_batch_built_on_worker_processes_writes_exactly_the_rows_of_one_built_here(memory_db, monkeypatch):
    monkeypatch.setattr(processes, "MIN_POOL_ARTICLES", 0)  # two stories of two articles: on the pool anyway
    first = (STORY, [article("a1", "UPI", 10), article("a2", "AFP", 30)], *outputs(["a1", "a2"]), MODELS, LINKS, None)
    here = connect_memory()
    expected = load_story_batch(here, [first, story_two()])
    processes.shutdown()
    assert load_story_batch(memory_db, [first, story_two()], workers=2) == expected
    assert processes._pools  # the pool built them
    processes.shutdown()
    assert full_dump(memory_db) == full_dump(here)


def test_a_failed_story_rolls_back_its_whole_chunk_and_no_earlier_one(memory_db):
    summaries, sentiment, stance = outputs(["a1"])
    bad = [{**stance[0], "score": None}]
    failing = (STORY, [article("a1", "UPI", 10)], summaries, sentiment, bad, MODELS, [], None)
    with pytest.raises(duckdb.Error):
        load_story_batch(memory_db, [story_two(), failing])  # one chunk
    assert table_counts(memory_db)["articles"] == 0 and table_counts(memory_db)["stories"] == 0
    with pytest.raises(duckdb.Error):
        load_story_batch(memory_db, [story_two(), failing], articles=2)  # s2's two articles, then s1's chunk
    assert memory_db.execute("select story_id, count(*) from articles group by 1").fetchall() == [("s2", 2)]


def test_failed_load_rolls_back(memory_db):
    arts = [article("a1", "UPI", 10)]
    bad_stance = [
        {
            "article_id": "a1",
            "claim_no": 0,
            "claim": "Claim",
            "label": "agree",
            "score": None,
            **STANCE_NO_PROBS,
            "evidence_sentence_no": None,
            "evidence": None,
            "model_id": "stance.v1",
        }
    ]
    summaries, sentiment, _ = outputs(["a1"])
    with pytest.raises(duckdb.Error):
        load_story(memory_db, STORY, arts, summaries, sentiment, bad_stance, MODELS)
    assert table_counts(memory_db)["articles"] == 0


def test_reader_waits_then_reports_a_busy_file(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path, read_only=False).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(30)"),
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseBusy, match="locked by another process"):
            connect(path, read_only=True, wait_s=1.0)
    finally:
        holder.kill()
        holder.wait()
    connect(path, read_only=True).close()  # free again once the writer is gone


def three_outlets(memory_db):
    """Sentence 0: a1 (UPI) and a2 (AFP) word for word, a3 (BBC) in other words. Sentence 1: a2 and a3 share
    it; a1's is its own."""
    arts = [
        article("a1", "UPI", 10, text="Russia recognised the Taliban on Thursday."),
        article("a2", "AFP", 10, text="Russia recognised the Taliban on Thursday."),
        article("a3", "BBC", 10, text="Moscow became the first to accept the Taliban government."),
    ]
    links = [
        link("a1", 0, "a2", 0, 0.99, 1.0),
        link("a1", 0, "a3", 0, 0.8),
        link("a1", 1, "a2", 1, 0.5),
        link("a1", 1, "a3", 1, 0.4),
        link("a2", 0, "a1", 0, 0.99, 1.0),
        link("a2", 0, "a3", 0, 0.8),
        link("a2", 1, "a1", 1, 0.5),
        link("a2", 1, "a3", 1, 0.76),
        link("a3", 0, "a1", 0, 0.8),
        link("a3", 0, "a2", 0, 0.8),
        link("a3", 1, "a1", 1, 0.4),
        link("a3", 1, "a2", 1, 0.76),
    ]
    load_story(memory_db, STORY, arts, *outputs(["a1", "a2", "a3"]), MODELS, links)


def test_sentence_coverage_copied_and_exclusive(memory_db):
    three_outlets(memory_db)
    assert memory_db.execute(
        "select outlet, sentence_no, other_articles, shared_with, copied_with from sentence_coverage "
        "order by outlet, sentence_no"
    ).fetchall() == [
        ("AFP", 0, 2, 2, 1),
        ("AFP", 1, 2, 1, 0),
        ("BBC", 0, 2, 2, 0),
        ("BBC", 1, 2, 1, 0),
        ("UPI", 0, 2, 2, 1),
        ("UPI", 1, 2, 0, 0),
    ]
    assert memory_db.execute("select outlet, other_outlet, text from copied_sentences").fetchall() == [
        ("UPI", "AFP", "Russia recognised the Taliban on Thursday.")
    ]
    assert memory_db.execute("select outlet, sentence_no from exclusive_sentences").fetchall() == [("UPI", 1)]


def test_left_out_lists_a_point_two_others_share_once(memory_db):
    texts = {
        "a1": "Russia recognised the Taliban on Thursday.",
        "a2": "Moscow recognised the Taliban government.",
        "a3": "The weather was fine in Kabul today.",
        "a4": "Russia formally recognised Taliban rule.",
    }
    outlets = {"a1": "UPI", "a2": "AFP", "a3": "BBC", "a4": "CNN"}
    arts = [article(a, outlets[a], 10, text=t) for a, t in texts.items()]
    shared = {("a1", "a2"): 0.9, ("a1", "a4"): 0.8, ("a2", "a4"): 0.8}
    links = []
    for a in texts:
        for b in texts:
            if a != b:
                sim = shared.get((a, b)) or shared.get((b, a)) or 0.5
                links += [link(a, 0, b, 0, sim), link(a, 1, b, 1, 0.3)]
    load_story(memory_db, STORY, arts, *outputs(list(texts)), MODELS, links)
    assert memory_db.execute(
        "select outlet, reported_by, point, reported_by_outlets, outlets_reporting, best_similarity from left_out"
    ).fetchall() == [("BBC", "UPI", "Russia recognised the Taliban on Thursday.", ["AFP", "CNN", "UPI"], 3, 0.5)]
    assert memory_db.execute("select outlet, left_out from outlet_coverage order by outlet").fetchall() == [
        ("AFP", 0),
        ("BBC", 1),
        ("CNN", 0),
        ("UPI", 0),
    ]


def test_left_out_in_a_three_outlet_story_is_what_both_others_carry(memory_db):
    three_outlets(memory_db)  # sentence 1: AFP and BBC share it, UPI's sentence 1 is its own
    assert memory_db.execute(
        "select story_id, outlet, reported_by, point, reported_by_outlets, outlets_reporting, best_similarity, "
        "point_article_id, point_sentence_no from left_out"
    ).fetchall() == [("s1", "UPI", "AFP", "Second.", ["AFP", "BBC"], 2, 0.5, "a2", 1)]
    assert memory_db.execute("select outlet, left_out from outlet_coverage order by outlet").fetchall() == [
        ("AFP", 0),
        ("BBC", 0),
        ("UPI", 1),
    ]


def test_left_out_counts_outlets_not_articles(memory_db):
    """Four outlets, six articles: UPI (twice, counted once), AFP and CNN carry a point. BBC leaves it out;
    CNN carries it in one of its two articles, so CNN does not leave it out. The point is listed once."""
    texts = {
        "a1": "Russia recognised the Taliban on Thursday.",
        "a2": "Moscow recognised the Taliban government.",
        "a3": "The weather was fine in Kabul today.",
        "a4": "Markets were calm.",
        "a5": "Russia formally recognised Taliban rule.",
        "a6": "Russia recognised the Taliban, a UPI reporter said.",
    }
    outlets = {"a1": "UPI", "a2": "AFP", "a3": "BBC", "a4": "CNN", "a5": "CNN", "a6": "UPI"}
    arts = [article(a, outlets[a], 10, text=t) for a, t in texts.items()]
    # a2 -> a1 and a5 -> a1 are one-way: the other side's best match lies elsewhere
    shared = {("a1", "a6"): 0.95, ("a6", "a1"): 0.95, ("a2", "a1"): 0.8, ("a5", "a1"): 0.78}
    links = [
        link(a, 0, b, 0, shared.get((a, b), 0.4 if {a, b} == {"a1", "a3"} else 0.3))
        for a in texts
        for b in texts
        if a != b
    ]
    load_story(memory_db, STORY, arts, *outputs(list(texts)), MODELS, links)
    assert memory_db.execute(
        "select outlet, reported_by, point, reported_by_outlets, outlets_reporting, best_similarity from left_out"
    ).fetchall() == [("BBC", "UPI", "Russia recognised the Taliban on Thursday.", ["AFP", "CNN", "UPI"], 3, 0.4)]


def test_quotes_and_who_quotes_them(memory_db):
    arts = [
        article("a1", "UPI", 10, text="He said “this is a historic step” on Thursday."),
        article("a2", "AFP", 10, text="Zhirnov called it 'a historic step' and 'This is a historic step.'"),
    ]
    load_story(memory_db, STORY, arts, *outputs(["a1", "a2"]), MODELS, [])
    assert memory_db.execute("select outlet, quote, quoted_by from quotes order by outlet, quote").fetchall() == [
        ("AFP", "This is a historic step.", ["AFP", "UPI"]),
        ("AFP", "a historic step", ["AFP"]),
        ("UPI", "this is a historic step", ["AFP", "UPI"]),
    ]
    # the same words with other case or closing punctuation are one shared quote
    shared = memory_db.execute(sql("queries/shared_quotes"), [[STORY["story_id"]]]).fetchall()
    assert shared == [("s1", "this is a historic step", ["AFP", "UPI"])]


def test_compare_reads_every_story_in_one_pass_and_keeps_them_apart(tmp_path, monkeypatch):
    db = str(tmp_path / "two.duckdb")
    con = connect(db, read_only=False)
    load_story(
        con,
        STORY,
        [article("a1", "UPI", 10), article("a2", "AFP", 30)],
        *outputs(["a1", "a2"], stance_labels={"a2": "disagree"}),
        MODELS,
        [],
    )
    s2 = [{**article("b1", "BBC", 5), "story_id": "s2"}]
    summaries, sentiment, stance = outputs(["b1"])
    summaries = [{**s, "story_id": "s2", **({"subject_id": "s2"} if s["scope"] == "story" else {})} for s in summaries]
    load_story(
        con,
        {"story_id": "s2", "title": "Story two", "claims": ["Other claim"]},
        s2,
        summaries,
        sentiment,
        [{**r, "claim": "Other claim"} for r in stance],
        MODELS,
        [],
    )
    con.close()
    stories = compare_stories(db, ["s2", "s1"])
    assert [(s["story_id"], s["claims"], [o["outlet"] for o in s["outlets"]]) for s in stories] == [
        ("s1", ["Claim"], ["AFP", "UPI"]),
        ("s2", ["Other claim"], ["BBC"]),
    ]
    assert stories[0]["notable"] == [
        "Tone: no clear difference between outlets (widest gap AFP vs UPI: +0.00 [+0.00, +0.00], 95 % interval "
        "over articles and sentences).",
        "Depth: AFP gives the story 30 words, UPI 10.",
        "Stance on claim 1 ('Claim') differs — AFP: disagree (one article, p=0.90); UPI: agree (one article, p=0.90).",
    ]
    assert [
        (o["outlet"], o["tone"], o["tone_interval"], o["share_negative_interval"]) for o in stories[0]["outlets"]
    ] == [
        ("AFP", 0.0, [0.0, 0.0], [0.0, 0.0]),
        ("UPI", 0.0, [0.0, 0.0], [0.0, 0.0]),
    ]
    assert stories[1]["notable"] == [] and all("story_id" not in o for o in stories[0]["outlets"])
    monkeypatch.setattr(comparison, "STORIES_PER_QUERY", 1)  # a story a query: the same comparisons
    assert compare_stories(db, ["s2", "s1"]) == stories


# Table, SQL and Python rows cannot drift: each load file names its columns, rows are bound by those names.
SET_ELSEWHERE = {  # by an update (set_story_grouping), a default
    "stories": {"size", "formed_by", "grouping_model_id", "grouping_threshold", "single_outlet"},
    "schema_version": {"applied_at"},
}
ROW_TYPES = {
    "insert_summaries": SummaryRow,
    "insert_sentiment": SentimentRow,
    "insert_stance": StanceRow,
    "insert_sentence_links": LinkRow,
    "upsert_run": RunRecord,
    "insert_story_members": StoryMemberRow,
}


def table_columns(con, table):
    return [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position", [table]
        ).fetchall()
    ]


@pytest.mark.parametrize("path", sorted(LOADS.glob("*.sql")), ids=lambda p: p.stem)
def test_every_insert_names_every_column_of_its_table(memory_db, path):
    text = path.read_text(encoding="utf-8")
    targets = insert_targets(text)
    assert len(targets) == text.lower().count("insert "), "an insert without a column list"
    for table, columns in targets:
        assert len(set(columns)) == len(columns)
        assert set(table_columns(memory_db, table)) - SET_ELSEWHERE.get(table, set()) == set(columns), (
            f"{path.name}: a column of {table} is not named (or names one {table} does not have)"
        )


@pytest.mark.parametrize(
    "path", sorted(LOADS.glob("insert_*.sql")) + [LOADS / "upsert_outlets.sql"], ids=lambda p: p.stem
)
def test_bulk_inserts_select_each_named_column_once_from_the_batch(path):
    columns = insert_target(f"loads/{path.stem}").columns
    text = sql(f"loads/{path.stem}")
    select = text[text.index("\nselect") :]
    assert re.findall(r"(\w+)::\w+", select) == list(columns)  # each cast to its column's type, in order
    assert select.rstrip().endswith(f"from {BATCH}")
    assert "?" not in text and "$" not in text


@pytest.mark.parametrize("name, row_type", ROW_TYPES.items())
def test_each_row_type_carries_exactly_its_table_columns(name, row_type):
    assert list(get_type_hints(row_type)) == list(insert_target(f"loads/{name}").columns)


def test_an_article_carries_every_articles_column():
    assert set(insert_target("loads/insert_articles").columns) <= set(get_type_hints(Article))


def test_a_story_partition_merges_into_exactly_the_rows_of_a_direct_load(memory_db, tmp_path):
    arts = [article("a1", "UPI", 10), article("a2", "AFP", 30)]
    load = story_load(STORY, arts, *outputs(["a1", "a2"]), MODELS, LINKS)
    folder = write_partition(load, tmp_path / "parts", run_id="run-1")
    assert folder == tmp_path / "parts" / "story_id=s1"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["load.json", "outlets.parquet", "articles.parquet", "article_links.parquet", "cleaning_decisions.parquet",
         "sentences.parquet", "term_counts.parquet", "entities.parquet", "attributions.parquet",
         "summaries.parquet", "sentiment.parquet", "stance.parquet", "sentence_links.parquet"]
    )  # fmt: skip
    back = read_partition(folder)
    assert (back.story_id, back.fingerprint, back.scripts) == (load.story_id, load.fingerprint, load.scripts)
    for name, rows in load.tables.items():  # exactly the bound columns, values and order
        columns = insert_target(f"loads/{name}").columns
        assert back.tables[name] == [{c: row[c] for c in columns} for row in rows], name

    direct = connect_memory()
    load_story(direct, STORY, arts, *outputs(["a1", "a2"]), MODELS, LINKS)
    assert merge_partitions(memory_db, [folder]) == [load_story(connect_memory(), STORY, arts,
                                                                 *outputs(["a1", "a2"]), MODELS, LINKS)]  # fmt: skip
    assert full_dump(memory_db) == full_dump(direct)
    assert merge_partitions(memory_db, [folder]) == [{"unchanged": 1}]
    # a load of the story written directly is recognised by the partition's fingerprint, and vice versa
    assert merge_partitions(direct, [folder]) == [{"unchanged": 1}]


def test_a_partition_is_replaced_whole_and_analysts_read_the_folder_directly(tmp_path):
    arts = [article("a1", "UPI", 10), article("a2", "AFP", 30)]
    write_partition(story_load(STORY, arts, *outputs(["a1", "a2"]), MODELS, LINKS), tmp_path)
    changed = story_load(STORY, arts[:1], *outputs(["a1"], sentiment_scores={"a1": -0.5}), MODELS, LINKS[:2])
    write_partition(changed, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["story_id=s1"]  # no staging or old folder left behind
    con = duckdb.connect()
    rows = con.execute(
        "select story_id, article_id, level, score from read_parquet(?, hive_partitioning = true) order by all",
        [str(tmp_path / "*" / "sentiment.parquet")],
    ).fetchall()
    assert rows == [("s1", "a1", "article", -0.25), ("s1", "a1", "sentence", -0.5), ("s1", "a1", "sentence", 0.0)]
    with pytest.raises(FileNotFoundError, match="not a story partition"):
        read_partition(tmp_path)
    bad = story_load(STORY, arts, *outputs(["a1", "a2"]), MODELS, LINKS)
    bad.tables["insert_sentences"].append({"article_id": "a1", "sentence_no": 9, "text": None})  # a NULL text
    with pytest.raises(duckdb.ConstraintException):
        write_partition(bad, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["story_id=s1"]  # the old partition kept, nothing half-written
    assert read_partition(tmp_path / "story_id=s1").fingerprint == changed.fingerprint


def test_every_warehouse_connection_caps_duckdbs_memory_and_prints_no_progress_bar(tmp_path):
    db = tmp_path / "w.duckdb"
    settings = "select current_setting('memory_limit'), current_setting('enable_progress_bar')"
    writer = connect(db, read_only=False)
    assert writer.execute(settings).fetchall() == [("488.2 MiB", False)]  # 512 MB
    writer.close()
    reader = connect(db)
    assert reader.execute(settings).fetchall() == [("488.2 MiB", False)]
    reader.close()
