"""Distinctive wording (term counts, log-odds views), the table macros, the Parquet export and the user's
outlet metadata, on small in-memory or temporary warehouses with exact expected rows."""

import json
import math
from pathlib import Path

import duckdb
import pytest

from newsprism.terms import article_terms
from newsprism.warehouse import db as warehouse_db
from newsprism.warehouse.db import apply_schema, connect
from newsprism.warehouse.export import export_warehouse
from newsprism.warehouse.load import load_outlet_metadata, load_story, read_outlet_metadata

MODELS = {"summariser": "sum.v1", "sentiment": "sent.v1", "stance": "stance.v1", "encoder": "enc.v1", "pairs": "p.v1"}
STORY = {"story_id": "s1", "title": "T", "claims": ["c"], "targets": []}

SCHEMA = Path(warehouse_db.__file__).parent / "schema"


def article(article_id, outlet, sentences, story_id="s1"):
    text = "\n".join(sentences)
    return {
        "article_id": article_id, "story_id": story_id, "outlet": outlet, "outlet_evidence": "test", "wire": None,
        "dateline": None,
        "source": f"{article_id}.txt", "title": None, "published_at": None, "author": None, "url": None,
        "language": "en", "encoding": "utf-8", "raw_hash": f"h{article_id}", "raw_text": text, "clean_text": text,
        "words_raw": 5, "words_clean": 5, "cleaner_id": "clean.test.v1",
        "decisions": [(0, text, True, "body")], "sentences": list(sentences),
    }  # fmt: skip


def link(a, s, other, other_s, same_point):
    return {"article_id": a, "sentence_no": s, "other_article_id": other, "other_sentence_no": other_s,
            "similarity": 0.8, "word_overlap": 0.3, "model_id": "enc.v1", "same_point": same_point,
            "same_point_score": 0.9 if same_point else 0.1, "pairs_model_id": "p.v1"}  # fmt: skip


def test_terms_are_words_and_phrases_that_neither_start_nor_end_with_a_stopword():
    counts = article_terms(["The regime said the state of emergency ends, officials said.", "The regime's U.S. envoy"])
    assert counts == {
        ("regime", 1): 1, ("state", 1): 1, ("state of emergency", 3): 1, ("emergency", 1): 1,
        ("emergency ends", 2): 1, ("ends", 1): 1, ("officials", 1): 1,
        ("regime's", 1): 1, ("envoy", 1): 1,
    }  # fmt: skip


def test_the_log_odds_view_scores_each_outlet_against_the_others_with_the_corpus_prior(memory_db):
    a = article("a1", "Fox", ["Taliban regime regime."])
    b = article("a2", "NYT", ["Taliban government."])
    load_story(memory_db, STORY, [a, b], [], [], [], MODELS)
    rows = memory_db.execute(
        "select outlet, term, uses, others_uses, log_odds, z from distinctive_terms where n = 1 order by outlet, term"
    ).fetchall()
    # unigram counts: Fox taliban 1, regime 2 (3 terms); NYT taliban 1, government 1 (2 terms); corpus 5
    prior = 500.0
    share = {"government": 1 / 5, "regime": 2 / 5, "taliban": 2 / 5}

    def expect(yi, ni, yj, nj, term):
        alpha = prior * share[term]
        delta = math.log((yi + alpha) / (ni + prior - yi - alpha)) - math.log((yj + alpha) / (nj + prior - yj - alpha))
        return round(delta, 4), round(delta / math.sqrt(1 / (yi + alpha) + 1 / (yj + alpha)), 4)

    assert rows == [
        ("Fox", "government", 0, 1, *expect(0, 3, 1, 2, "government")),
        ("Fox", "regime", 2, 0, *expect(2, 3, 0, 2, "regime")),
        ("Fox", "taliban", 1, 1, *expect(1, 3, 1, 2, "taliban")),
        ("NYT", "government", 1, 0, *expect(1, 2, 0, 3, "government")),
        ("NYT", "regime", 0, 2, *expect(0, 2, 2, 3, "regime")),
        ("NYT", "taliban", 1, 1, *expect(1, 2, 1, 3, "taliban")),
    ]
    assert rows[1][5] > 0 > rows[4][5]  # Fox says "regime", NYT does not
    corpus = memory_db.execute(
        "select outlet, term, uses, others_uses from distinctive_terms_corpus where n = 1 order by outlet, term"
    ).fetchall()
    assert corpus == [("Fox", "regime", 2, 0), ("Fox", "taliban", 1, 1), ("NYT", "government", 1, 0),
                      ("NYT", "taliban", 1, 1)]  # fmt: skip


def test_distinctive_terms_of_some_stories_are_the_views_rows_with_the_whole_warehouses_prior(memory_db):
    load_story(memory_db, STORY, [article("a1", "Fox", ["Taliban regime regime."]),
                                  article("a2", "NYT", ["Taliban government."])], [], [], [], MODELS)  # fmt: skip
    other = {**STORY, "story_id": "s2"}
    load_story(memory_db, other, [article("b1", "Fox", ["Regime change.", "Regime."], "s2"),
                                  article("b2", "NYT", ["Government change."], "s2")], [], [], [], MODELS)  # fmt: skip
    columns = "story_id, outlet, term, n, uses, others_uses, log_odds, z"
    view = memory_db.execute(f"select {columns} from distinctive_terms order by all").fetchall()
    one = memory_db.execute(f"select {columns} from distinctive_terms_of(['s1']) order by all").fetchall()
    assert one == [row for row in view if row[0] == "s1"]
    # a term that is its length's only one in the warehouse is every term of that length on both sides: it
    # scores 0 (the log-odds formula alone gives NaN there)
    assert memory_db.execute("select distinct term from term_counts where n = 3").fetchall() == [
        ("taliban regime regime",)
    ]
    assert [row for row in view if row[3] == 3] == [("s1", "Fox", "taliban regime regime", 3, 1, 0, 0.0, 0.0)]
    assert len(one) == 13 and {row[0] for row in view} == {"s1", "s2"}
    # s1's "regime" (2 of Fox's 3 unigrams) is scored with the prior of both stories: 4 of their 10 unigrams
    fox_regime = next(row for row in one if row[1:3] == ("Fox", "regime"))
    alpha, prior = 500.0 * 4 / 10, 500.0
    assert fox_regime[6] == round(
        math.log((2 + alpha) / (3 + prior - 2 - alpha)) - math.log((0 + alpha) / (2 + prior - 0 - alpha)), 4
    )
    assert memory_db.execute("select count(*) from distinctive_terms_of([])").fetchall() == [(0,)]


def test_reloading_replaces_an_articles_term_counts(memory_db):
    load_story(memory_db, STORY, [article("a1", "Fox", ["Regime."])], [], [], [], MODELS)
    load_story(memory_db, STORY, [article("a1", "Fox", ["Government."])], [], [], [], MODELS)
    assert memory_db.execute("select article_id, term, n, count from term_counts").fetchall() == [
        ("a1", "government", 1, 1)
    ]


def three_outlets(con):
    arts = [
        article("a1", "Fox", ["Bill passed.", "Fox only."]),
        article("a2", "NYT", ["The bill passed.", "NYT only."]),
        article("a3", "HuffPost", ["Bill was passed."]),
    ]
    links = [link("a1", 0, "a2", 0, True), link("a3", 0, "a1", 0, True), link("a1", 1, "a2", 1, False)]
    load_story(con, STORY, arts, [], [], [], MODELS, links)


def test_the_story_scoped_macros_give_their_views_rows_of_those_stories(memory_db):
    three_outlets(memory_db)
    two = {**STORY, "story_id": "s2"}
    arts = [article("b1", "Fox", ["He said “the bill is dead” today.", "Fox only."], "s2"),
            article("b2", "NYT", ["They said “the bill is dead” again."], "s2"),
            article("b3", "HuffPost", ["The bill is dead, he said."], "s2")]  # fmt: skip
    links = [link("b1", 0, "b2", 0, True), link("b3", 0, "b2", 0, True), link("b1", 1, "b2", 0, False)]
    load_story(memory_db, two, arts, [], [], [], MODELS, links)
    stories = {"outlet_coverage": {"s1", "s2"}, "quotes": {"s2"}, "left_out": {"s2"}}
    for view in ("outlet_coverage", "quotes", "left_out"):
        every = memory_db.execute(f"select * from {view} order by all").fetchall()
        assert {row[0] for row in every} == stories[view], view
        for story_id in ("s1", "s2"):
            mine = memory_db.execute(f"select * from {view}_of([$s]) order by all", {"s": story_id}).fetchall()
            assert mine == [row for row in every if row[0] == story_id], (view, story_id)
        assert memory_db.execute(f"select * from {view}_of(['s1', 's2']) order by all").fetchall() == every
    assert memory_db.execute("select outlet, quoted_by from quotes_of(['s2']) order by all").fetchall() == [
        ("Fox", ["Fox", "NYT"]), ("NYT", ["Fox", "NYT"])
    ]  # fmt: skip
    # HuffPost's link goes to NYT's sentence, not to Fox's: Fox's point (carried by Fox and NYT) is left out
    assert memory_db.execute("select story_id, outlet, point from left_out order by all").fetchall() == [
        ("s2", "HuffPost", "He said “the bill is dead” today.")
    ]


def test_coverage_matrix_marks_the_outlets_that_carry_each_sentence(memory_db):
    three_outlets(memory_db)
    rows = memory_db.execute("select source_outlet, sentence_no, outlet, carries from coverage_matrix('s1')").fetchall()
    assert rows == [
        ("Fox", 0, "Fox", True), ("Fox", 0, "HuffPost", True), ("Fox", 0, "NYT", True),
        ("Fox", 1, "Fox", True), ("Fox", 1, "HuffPost", False), ("Fox", 1, "NYT", False),
        ("HuffPost", 0, "Fox", True), ("HuffPost", 0, "HuffPost", True), ("HuffPost", 0, "NYT", False),
        ("NYT", 0, "Fox", True), ("NYT", 0, "HuffPost", False), ("NYT", 0, "NYT", True),
        ("NYT", 1, "Fox", False), ("NYT", 1, "HuffPost", False), ("NYT", 1, "NYT", True),
    ]  # fmt: skip
    assert memory_db.execute("select count(*) from coverage_matrix('no-such-story')").fetchall() == [(0,)]


def test_omissions_lists_the_left_out_rows_of_one_outlet(memory_db):
    three_outlets(memory_db)
    assert (
        memory_db.execute("select story_id, outlet, point from omissions('HuffPost')").fetchall()
        == memory_db.execute("select story_id, outlet, point from left_out where outlet = 'HuffPost'").fetchall()
    )
    assert memory_db.execute("select count(*) from omissions('Nobody')").fetchall() == [(0,)]


def test_export_writes_every_table_and_view_partitioned_by_story(tmp_path):
    db = tmp_path / "w.duckdb"
    con = connect(db, read_only=False)
    three_outlets(con)
    load_story(con, {**STORY, "story_id": "s2"}, [article("b1", "Fox", ["Other story."], "s2")], [], [], [], MODELS)
    con.close()
    written = export_warehouse(db, tmp_path / "out")
    assert written["articles"] == 4 and written["sentences"] == 6 and written["outlet_coverage"] == 4
    assert sorted(p.name for p in (tmp_path / "out" / "sentences").iterdir()) == ["story_id=s1", "story_id=s2"]
    assert (tmp_path / "out" / "runs" / "data.parquet").is_file()
    glob = str(tmp_path / "out" / "sentences" / "*" / "*.parquet")
    got = duckdb.sql(f"select story_id, count(*) from read_parquet('{glob}', hive_partitioning = true) group by 1 "
                     "order by 1").fetchall()  # fmt: skip
    assert got == [("s1", 5), ("s2", 1)]
    # again: the datasets are replaced, not appended to
    assert export_warehouse(db, tmp_path / "out") == written
    assert duckdb.sql(f"select count(*) from read_parquet('{glob}')").fetchall() == [(6,)]


def test_outlet_metadata_is_read_from_the_users_csv_and_replaced_per_outlet(tmp_path, memory_db):
    f = tmp_path / "outlets.csv"
    f.write_text("Name,lean,country\nFox,right,US\nNYT,,US\n", encoding="utf-8")
    rows = read_outlet_metadata(f)
    assert rows == [
        {"outlet": "Fox", "domain": None, "lean": "right", "country": "US", "ownership": None, "source": "outlets.csv"},
        {"outlet": "NYT", "domain": None, "lean": None, "country": "US", "ownership": None, "source": "outlets.csv"},
    ]
    assert load_outlet_metadata(memory_db, rows) == 2
    load_outlet_metadata(memory_db, [{**rows[0], "lean": "center-right"}])
    assert memory_db.execute("select outlet, lean from outlet_metadata order by 1").fetchall() == [
        ("Fox", "center-right"),
        ("NYT", None),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("outlet_name,lean\nFox,right\n", "needs a 'name' column"),
        ("name,bias_score\nFox,3\n", "unknown column(s) ['bias_score']"),
        ("name,lean\nFox,right\nFox,left\n", "outlet 'Fox' is listed twice"),
        ("name,lean\n,right\n", "empty outlet name"),
    ],
)
def test_a_bad_outlet_csv_is_refused_with_the_reason(tmp_path, text, message):
    f: Path = tmp_path / "o.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        read_outlet_metadata(f)


def test_the_outlets_and_export_commands(tmp_path, capsys):
    from newsprism.cli import main

    db = tmp_path / "w.duckdb"
    con = connect(db, read_only=False)
    three_outlets(con)
    con.close()
    good = tmp_path / "outlets.csv"
    good.write_text("name,lean\nFox,right\nBBC,\n", encoding="utf-8")
    assert main(["outlets", str(good), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out == (f"outlet_metadata: 2 outlet(s) from {good} in {db}\nnot (yet) in the warehouse's outlets: BBC\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("outlet_name\nFox\n", encoding="utf-8")
    assert main(["outlets", str(bad), "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith(f"newsprism outlets: error: {bad}: needs a 'name' column")
    assert main(["export", str(tmp_path / "pq"), "--db", str(db), "--tables-only"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["rows"]["outlet_metadata"] == 2 and "outlet_coverage" not in printed["rows"]
    assert main(["export", str(tmp_path / "pq"), "--db", str(tmp_path / "missing.duckdb")]) == 2


def test_term_counts_made_with_a_primary_key_keep_their_rows_without_it(memory_db):
    load_story(memory_db, STORY, [article("a1", "Fox", ["Taliban regime regime."])], [], [], [], MODELS)
    rows = memory_db.execute("select * from term_counts order by all").fetchall()
    # term_counts as schema/009 made it before 015
    memory_db.execute("create or replace table term_counts (article_id varchar not null, term varchar not null, "
                      "n integer not null, count integer not null, primary key (article_id, term))")  # fmt: skip
    memory_db.executemany("insert into term_counts values (?, ?, ?, ?)", rows)
    apply_schema(memory_db)
    constraints = "select constraint_type, constraint_column_names from duckdb_constraints() where table_name = $t"
    assert memory_db.execute(constraints, {"t": "term_counts"}).fetchall() == [
        ("NOT NULL", ["article_id"]), ("NOT NULL", ["term"]), ("NOT NULL", ["n"]), ("NOT NULL", ["count"])
    ]  # fmt: skip
    assert memory_db.execute("select * from term_counts order by all").fetchall() == rows
    assert len(rows) == 5


def test_the_sentence_tables_made_with_primary_keys_keep_their_rows_and_checks_without_them(memory_db):
    rows = {
        "cleaning_decisions": [("a1", 0, "Taliban regime.", True, "kept"), ("a1", 1, "Subscribe!", False, "cta")],
        "sentences": [("a1", 0, "Taliban regime.")],
        "sentence_links": [("a1", 0, "a2", 3, 0.91, 0.5, "enc.v1", True, 0.8, "p.v1")],
        "entities": [("a1", 0, 0, 7, "Taliban", "ORG", "Taliban", "ner.v1")],
        "attributions": [("a1", 0, "direct", "said", "Mr X", None, None, "Taliban regime.")],
    }
    tables = list(rows)
    load_story(memory_db, STORY, [article("a1", "Fox", ["Taliban regime."])], [], [], [], MODELS)  # a1's article
    # the tables as 001, 011 and 012 made them before 016: keyed (a1's rows in them as above)
    for path in ("001_core.sql", "011_entities.sql", "012_attributions.sql"):
        script = (SCHEMA / path).read_text(encoding="utf-8")
        for table in tables:
            script = script.replace(f"create table if not exists {table} (", f"create or replace table {table} (")
        memory_db.execute(script)
    memory_db.execute((SCHEMA / "005_same_point.sql").read_text(encoding="utf-8"))
    keyed = "select table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY' order by 1"
    assert set(tables) <= {t for (t,) in memory_db.execute(keyed).fetchall()}
    for table, table_rows in rows.items():
        memory_db.executemany(f"insert into {table} values ({', '.join('?' * len(table_rows[0]))})", table_rows)
    apply_schema(memory_db)
    assert not set(tables) & {t for (t,) in memory_db.execute(keyed).fetchall()}
    assert {t: memory_db.execute(f"select * from {t} order by all").fetchall() for t in tables} == rows
    checks = "select table_name, constraint_text from duckdb_constraints() where constraint_type = 'CHECK' and "
    checks += "table_name in ('attributions', 'entities') order by 1"
    assert memory_db.execute(checks).fetchall() == [
        ("attributions", "CHECK((kind IN ('direct', 'reported', 'according_to')))"),
        ("entities", "CHECK((\"type\" IN ('PER', 'ORG', 'LOC', 'MISC')))"),
    ]
    nulls = "select count(*) from duckdb_constraints() where constraint_type = 'NOT NULL' and table_name = $t"
    assert [memory_db.execute(nulls, {"t": t}).fetchall()[0][0] for t in tables] == [5, 3, 7, 8, 6]
    with pytest.raises(duckdb.ConstraintException):
        memory_db.execute("insert into entities values ('a1', 1, 0, 3, 'War', 'EVENT', 'War', 'ner.v1')")
