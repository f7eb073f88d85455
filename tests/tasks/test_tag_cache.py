"""Per-article caching of model work: only what changed is recomputed."""

from newsprism.stories import define_story, split_articles
from newsprism.tasks.summarise import summarise_story
from newsprism.tasks.tag import tag_sentiment_cached, tag_stance_cached

TINY = {
    "encoder": "encoder.tiny-bert.v1",
    "summariser": "summarise.tiny-bart.v1",
    "sentiment": "sentiment.tiny-bert-cls.v1",
    "stance": "stance.tiny-bert-nli.v1",
}


def articles(*texts):
    return split_articles([{"article_id": f"a{i}", "outlet": f"o{i}", "clean_text": t} for i, t in enumerate(texts)])


def test_changing_claims_recomputes_stance_only(tmp_path):
    arts = articles("Russia recognised the Taliban. Kabul welcomed it.", "Moscow and Kabul signed a deal today.")
    story = define_story("s", arts, ["Russia recognises the Taliban"], ["Russia"])
    cache = str(tmp_path)
    first = tag_stance_cached(story, arts, TINY["stance"], TINY["encoder"], cache)
    assert (first["computed"], first["cached"]) == ({"stance": 2}, {"stance": 0})
    sentiment = tag_sentiment_cached(story, arts, TINY["sentiment"], TINY["encoder"], cache)
    assert sentiment["computed"] == {"sentiment": 2, "sentiment_targets": 2}

    story2 = {**story, "claims": ["Russia recognises the Taliban", "Kabul rejects the deal"]}
    second = tag_stance_cached(story2, arts, TINY["stance"], TINY["encoder"], cache)
    assert (second["computed"], second["cached"]) == ({"stance": 2}, {"stance": 2})
    assert first["rows"] == [r for r in second["rows"] if r["claim_no"] == 0]
    again = tag_sentiment_cached(story2, arts, TINY["sentiment"], TINY["encoder"], cache)
    assert again["computed"] == {"sentiment": 0, "sentiment_targets": 0}
    assert again["rows"] == sentiment["rows"]


def test_target_rows_only_for_articles_that_mention_the_target(tmp_path):
    arts = articles("Russia recognised the Taliban. Russia said so twice.", "Kabul welcomed the decision.")
    story = define_story("s", arts, ["claim"], ["Russia"])
    rows = tag_sentiment_cached(story, arts, TINY["sentiment"], TINY["encoder"], None)["rows"]
    assert [(r["article_id"], r["target"], r["mentions"]) for r in rows if r["level"] == "target"] == [
        ("a0", "Russia", 2)
    ]
    assert [(r["article_id"], r["mentions"]) for r in rows if r["level"] == "article"] == [("a0", 2), ("a1", 1)]


def test_summaries_are_cached_per_article_and_story(tmp_path):
    arts = articles("Russia recognised the Taliban. Kabul welcomed it.", "Moscow and Kabul signed a deal today.")
    story = define_story("s", arts, ["claim"], ["Russia"])
    first = summarise_story(story, arts, [], TINY["summariser"], TINY["encoder"], str(tmp_path))
    second = summarise_story(story, arts, [], TINY["summariser"], TINY["encoder"], str(tmp_path))
    assert first["computed"] == {"summarise": 2} and second["cached"] == {"summarise": 2}
    assert first["rows"] == second["rows"]
    assert [r["scope"] for r in first["rows"]] == ["article", "article", "story"]
