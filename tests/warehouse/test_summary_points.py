"""The story summary's points in the warehouse: loaded idempotently, read back by the story overview."""

from newsprism.warehouse.db import sql
from newsprism.warehouse.load import load_story

MODELS = {
    "summariser": "sum.v1",
    "sentiment": "sent.v1",
    "stance": "stance.v1",
    "encoder": "enc.v1",
    "pairs": "pairs.v1",
}
STORY = {"story_id": "s1", "title": "T", "claims": ["c"], "targets": []}


def article(article_id, outlet):
    text = f"{outlet} says the bill passed."
    return {
        "article_id": article_id,
        "story_id": "s1",
        "outlet": outlet,
        "outlet_evidence": "test",
        "wire": None,
        "dateline": None,
        "source": f"{article_id}.txt",
        "title": None,
        "published_at": None,
        "author": None,
        "url": None,
        "language": "en",
        "encoding": "utf-8",
        "raw_hash": f"h{article_id}",
        "raw_text": text,
        "clean_text": text,
        "words_raw": 5,
        "words_clean": 5,
        "cleaner_id": "clean.test.v1",
        "decisions": [(0, text, True, "body")],
        "sentences": [text],
    }


ARTICLES = [article("a1", "Fox"), article("a2", "NYT"), article("a3", "HuffPost")]
SUMMARY = [
    {
        "scope": "story",
        "subject_id": "s1",
        "story_id": "s1",
        "article_id": None,
        "summary": "Fox says the bill passed. HuffPost says the bill passed.",
        "sentence_ids": [],
        "model_id": "sum.v1",
    }
]


def point(no, article_id, outlets, model_id="sum.v1"):
    text = f"{article_id} point"
    return {
        "story_id": "s1",
        "point_no": no,
        "text": text,
        "article_id": article_id,
        "sentence_no": 0,
        "outlets": outlets,
        "model_id": model_id,
    }


def test_points_load_idempotently_and_the_overview_names_their_outlets(memory_db):
    points = [point(1, "a1", ["Fox", "HuffPost", "NYT"]), point(2, "a3", ["HuffPost"])]
    counts = load_story(memory_db, STORY, ARTICLES, SUMMARY, [], [], MODELS, [], points)
    assert counts["summary_points"] == 2
    assert load_story(memory_db, STORY, ARTICLES, SUMMARY, [], [], MODELS, [], points) == {"unchanged": 1}
    fewer = [point(1, "a2", ["Fox", "NYT"])]
    assert load_story(memory_db, STORY, ARTICLES, SUMMARY, [], [], MODELS, [], fewer)["summary_points"] == 1
    assert memory_db.execute(
        "select story_id, point_no, text, article_id, sentence_no, outlets, model_id from summary_points"
    ).fetchall() == [("s1", 1, "a2 point", "a2", 0, ["Fox", "NYT"], "sum.v1")]
    (row,) = memory_db.execute(sql("queries/story_overview"), [["s1"]]).fetchall()
    assert row[3:5] == (SUMMARY[0]["summary"], [{"point_no": 1, "text": "a2 point", "outlets": ["Fox", "NYT"]}])


def test_a_load_without_points_clears_the_summariser_old_points(memory_db):
    load_story(memory_db, STORY, ARTICLES, SUMMARY, [], [], MODELS, [], [point(1, "a1", ["Fox"])])
    changed = [{**SUMMARY[0], "summary": "Fox says the bill passed."}]  # not an unchanged load: it runs
    assert "summary_points" not in load_story(memory_db, STORY, ARTICLES, changed, [], [], MODELS, [], None)
    assert memory_db.execute("select count(*) from summary_points").fetchall() == [(0,)]
