"""The analyse-coverage flow on a corpus whose articles name no story: the group stage gives them stories."""

import json
from pathlib import Path

from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage
from newsprism.grouping import DEFAULT_THRESHOLD, GROUPING_METHOD, new_story_id
from newsprism.records import RawArticle
from newsprism.warehouse.db import connect

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def query(db, text):
    con = connect(db, read_only=True)
    try:
        return con.execute(text).fetchall()
    finally:
        con.close()


def write_corpus(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_articles_without_story_ids_are_grouped_and_keep_their_stories(prefect_harness, tmp_path):
    texts = sorted(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    # two stories two months apart (beyond any date window): the seeds' story by two outlets in January,
    # and one outlet's two articles in March (kept, but marked one-outlet)
    rows = [
        {"outlet": "Outlet A", "title": "Russia recognises Taliban", "published_at": "2025-01-02", "text": texts[0]},
        {"outlet": "Outlet B", "title": "Moscow recognises Kabul", "published_at": "2025-01-03", "text": texts[1]},
        {"outlet": "Outlet C", "title": "Taliban recognised", "published_at": "2025-03-10", "text": texts[2]},
        {"outlet": "Outlet C", "title": "Kabul welcomes Moscow", "published_at": "2025-03-11", "text": texts[3]},
    ]
    corpus = tmp_path / "feed.jsonl"
    write_corpus(corpus, rows)
    db = str(tmp_path / "w.duckdb")
    first = analyse_coverage(CoverageParams(corpus=str(corpus), profile="tiny", db=db))

    hashes = [RawArticle(story_id="", source="", text=row["text"]).raw_hash for row in rows]
    january_id = new_story_id(hashes[0])  # a story's id comes from its first article (by date, then hash)
    march_id = new_story_id(hashes[2])
    assert query(db, "select outlet, story_id from articles order by outlet, published_at") == [
        ("Outlet A", january_id),
        ("Outlet B", january_id),
        ("Outlet C", march_id),
        ("Outlet C", march_id),
    ]
    assert query(
        db,
        "select story_id, size, formed_by, grouping_model_id, grouping_threshold, single_outlet from stories "
        "order by story_id",
    ) == sorted(
        [
            (january_id, 2, "grouped", GROUPING_METHOD, DEFAULT_THRESHOLD, False),
            (march_id, 2, "grouped", GROUPING_METHOD, DEFAULT_THRESHOLD, True),
        ]
    )
    assert query(db, "select distinct story_id from outlet_coverage") == [(january_id,)]  # one outlet: skipped
    assert query(db, "select count(*), count(distinct raw_hash) from story_members") == [(4, 4)]
    assert [s["story_id"] for s in first["stories"]] == sorted([january_id, march_id])

    # a later run: the same feed plus one new article; nothing assigned before moves
    rows.append({"outlet": "Outlet D", "title": "Taliban win recognition", "published_at": "2025-01-03",
                 "text": texts[4]})  # fmt: skip
    write_corpus(corpus, rows)
    before = query(db, "select raw_hash, story_id from story_members order by raw_hash")
    analyse_coverage(CoverageParams(corpus=str(corpus), profile="tiny", db=db))
    after = dict(query(db, "select raw_hash, story_id from story_members"))
    assert all(after[raw_hash] == story_id for raw_hash, story_id in before)
    assert len(after) == 5
    assert query(db, "select count(*) from story_events") == [(0,)]
