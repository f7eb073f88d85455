"""The group stage (tasks/group.py) with the tiny encoder and a real DuckDB file: what a rerun keeps."""

from newsprism.grouping import GROUPING_METHOD, GroupingConfig, day_of, new_story_id
from newsprism.models.profiles import ENCODER_TINY
from newsprism.records import Article, article_id_for, content_hash
from newsprism.tasks.group import group_stories, stored_members
from newsprism.tasks.load import record_groups
from newsprism.warehouse.db import connect
from newsprism.warehouse.load import insert_rows


def article(story_id: str, outlet: str, day: str, text: str, title: str) -> Article:
    raw_hash = content_hash(text)
    return Article(
        article_id=article_id_for(story_id, raw_hash),
        story_id=story_id,
        story_title=None,
        source=f"{outlet}-{day}",
        outlet=outlet,
        outlet_evidence=None,
        wire=None,
        dateline=None,
        title=title,
        published_at=day,
        author=None,
        url=None,
        language="en",
        encoding="utf-8",
        raw_hash=raw_hash,
        raw_text=text,
        clean_text=text,
        words_raw=len(text.split()),
        words_clean=len(text.split()),
        cleaner_id="test",
        decisions=[],
    )


FEED = "feed"  # the story id ingest gives articles that name none
MAY = [
    article(FEED, "A", "2024-05-01", "The Senate passed the budget on Tuesday after a long debate.", "Budget passes"),
    article(FEED, "B", "2024-05-02", "Senators approved the budget bill late on Tuesday night.", "Senate backs budget"),
]
JULY = [article(FEED, "A", "2024-07-20", "A storm hit the coast of Florida, cutting power to thousands.", "Storm")]
GIVEN = [article("mine", "C", "2024-09-01", "A story the user named: it keeps its id.", "Named")]


def ids(articles: list[Article]) -> list[str]:
    return [a["article_id"] for a in articles]


def save(db: str, grouped) -> None:
    with connect(db, read_only=False) as con:  # the stories' rows exist before their grouping is recorded
        insert_rows(con, "loads/upsert_stories", [
            {"story_id": info["story_id"], "title": None, "summary_model_id": None, "sentiment_model_id": None,
             "stance_model_id": None, "encoder_model_id": ENCODER_TINY, "pairs_model_id": None,
             "load_fingerprint": None, "updated_at": None}
            for info in grouped["stories"]
        ])  # fmt: skip
    record_groups(db, "run-1", grouped)


def test_given_stories_stay_and_the_others_are_grouped_by_date(tmp_path):
    db = str(tmp_path / "w.duckdb")
    grouped = group_stories([[*MAY, *JULY], GIVEN], ids([*MAY, *JULY]), ENCODER_TINY, db)
    # the tiny encoder's random vectors are all alike: the date window alone keeps July apart
    may, july = new_story_id(MAY[0]["raw_hash"]), new_story_id(JULY[0]["raw_hash"])
    assert grouped["story_ids"] == ["mine", *sorted([may, july])]
    by_story = dict(zip(grouped["story_ids"], grouped["articles"], strict=True))
    assert sorted(a["raw_hash"] for a in by_story[may]) == sorted(a["raw_hash"] for a in MAY)
    assert [a["article_id"] for a in by_story[july]] == [article_id_for(july, JULY[0]["raw_hash"])]
    assert by_story["mine"] == GIVEN
    assert {a["story_title"] for a in by_story[may]} <= {"Budget passes", "Senate backs budget"}
    infos = {s["story_id"]: s for s in grouped["stories"]}
    assert infos["mine"] == {"story_id": "mine", "size": 1, "formed_by": "given", "grouping_model_id": None,
                             "grouping_threshold": None, "single_outlet": True}  # fmt: skip
    assert (infos[may]["formed_by"], infos[may]["size"], infos[may]["single_outlet"]) == ("grouped", 2, False)
    assert infos[may]["grouping_model_id"] == GROUPING_METHOD
    assert sorted(m["raw_hash"] for m in grouped["members"]) == sorted(a["raw_hash"] for a in [*MAY, *JULY])


def test_a_rerun_keeps_what_was_assigned_and_reads_only_the_window(tmp_path):
    db = str(tmp_path / "w.duckdb")
    first = group_stories([MAY], ids(MAY), ENCODER_TINY, db)
    save(db, first)
    may = new_story_id(MAY[0]["raw_hash"])
    assert first["story_ids"] == [may]
    # May's articles again (same content), and a new one on 3 May: all in May's story, nothing moved
    late = article(FEED, "C", "2024-05-03", "The budget now goes to the House for a vote.", "House next")
    second = group_stories([[*MAY, late]], ids([*MAY, late]), ENCODER_TINY, db)
    assert second["story_ids"] == [may]
    assert sorted(a["raw_hash"] for a in second["articles"][0]) == sorted(a["raw_hash"] for a in [*MAY, late])
    assert second["events"] == []
    # memory bounded by the window: July's grouping reads none of May's stored articles
    assert stored_members(db, ENCODER_TINY, since=day_of("2024-07-20") - 6) == []
    assert len(stored_members(db, ENCODER_TINY, since=None)) == 2


def test_regroup_merges_stories_and_records_it(tmp_path):
    db = str(tmp_path / "w.duckdb")
    apart = group_stories([MAY], ids(MAY), ENCODER_TINY, db, config=GroupingConfig(threshold=2.0))
    save(db, apart)
    assert len(apart["story_ids"]) == 2  # a threshold no score reaches: one story per article
    kept, merged = sorted(apart["story_ids"])
    late = article(FEED, "C", "2024-05-03", "The budget now goes to the House for a vote.", "House next")
    # without --regroup the stored stories stay apart; with it, all three articles are one story
    again = group_stories([[late]], ids([late]), ENCODER_TINY, db)
    assert again["events"] == []
    regrouped = group_stories([[late]], ids([late]), ENCODER_TINY, db, regroup_all=True)
    assert regrouped["story_ids"] == [kept]
    assert regrouped["events"] == [{"story_id": kept, "kind": "merge", "from_story_id": merged, "articles": 1}]
    moved = [m for m in regrouped["members"] if m["raw_hash"] != late["raw_hash"]]
    assert [(m["story_id"], m["article_id"]) for m in moved] == [
        (kept, article_id_for(kept, m["raw_hash"])) for m in moved
    ]
    assert len(moved) == 1
    record_groups(db, "run-2", regrouped)
    with connect(db) as con:
        assert con.execute("select run_id, story_id, kind, from_story_id, articles from story_events").fetchall() == [
            ("run-2", kept, "merge", merged, 1)
        ]
        assert con.execute("select count(distinct story_id), count(*) from story_members").fetchall() == [(1, 3)]
