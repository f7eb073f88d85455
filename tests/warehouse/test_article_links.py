"""Near-duplicate articles: analysed, linked to the article they repeat, and counted once per outlet."""

from test_warehouse import MODELS, STORY, article, outputs

from newsprism.corpus import near_duplicates
from newsprism.warehouse.load import load_story

BODY = (
    "The council approved the new budget on Tuesday after a long debate about schools, roads, parks and "
    "the harbour, and the mayor said the plan would be reviewed again in the autumn of next year"
)


def test_a_near_duplicate_is_linked_to_the_first_article_it_repeats():
    first = article("a1", "UPI", 40, source="1.txt", text=BODY + ".")
    again = article("a2", "UPI", 40, source="2.txt", text=BODY + " at the latest.")  # 3 of 37 trigrams new
    other = article("a3", "AFP", 40, source="3.txt", text="Something else entirely was reported by AFP today.")
    assert near_duplicates([again, other, first]) == [
        {
            "story_id": "s1",
            "article_id": "a2",
            "kept_article_id": "a1",
            "relation": "near_duplicate",
            "similarity": 0.9167,
        }
    ]
    reworded = article("a4", "UPI", 40, source="4.txt", text=BODY.replace("Tuesday", "Monday evening"))
    assert near_duplicates([first, reworded]) == []  # 6 of 39 trigrams differ: similarity 0.7333


def test_outlet_coverage_counts_an_outlets_near_duplicate_once_and_keeps_it_analysed(memory_db):
    arts = [
        article("a1", "UPI", 40, source="1.txt", text=BODY + "."),
        article("a2", "UPI", 40, source="2.txt", text=BODY + " at the latest."),
        article("a3", "AFP", 40, source="3.txt", text=BODY + " at the latest!"),  # AFP's own: counted
    ]
    other = {"a1": "a3", "a2": "a3", "a3": "a1"}
    links = [
        {"article_id": a, "sentence_no": n, "other_article_id": other[a], "other_sentence_no": n,
         "similarity": 0.95, "word_overlap": 0.9, "same_point": True, "same_point_score": 0.9,
         "model_id": MODELS["encoder"], "pairs_model_id": MODELS["pairs"]}
        for a in other for n in (0, 1)
    ]  # fmt: skip
    counts = load_story(memory_db, STORY, arts, *outputs(["a1", "a2", "a3"]), MODELS, links)
    assert counts["article_links"] == 2
    linked = memory_db.execute("select article_id, kept_article_id from article_links order by 1").fetchall()
    assert linked == [("a2", "a1"), ("a3", "a1")]
    assert memory_db.execute("select count(*) from articles").fetchall() == [(3,)]
    coverage = memory_db.execute(
        "select outlet, articles, words, summary, sentences from outlet_coverage order by outlet"
    ).fetchall()
    assert coverage == [("AFP", 1, 40, "sum a3", 2), ("UPI", 1, 40, "sum a1", 2)]  # UPI: a2 not counted
    # a reload replaces the story's links: none left once the near-duplicate is gone
    load_story(memory_db, STORY, arts[:1], *outputs(["a1"]), MODELS, [])
    assert memory_db.execute("select count(*) from article_links").fetchall() == [(0,)]
