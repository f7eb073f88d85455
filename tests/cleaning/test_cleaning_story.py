"""Story-level cleaning: an outlet's repeated lines, corpus metadata over the text's, word counts; the task wraps it."""

from __future__ import annotations

from newsprism.cleaning import CLEANER_ID, clean_story, clean_text
from newsprism.records import RawArticle
from newsprism.tasks.clean import clean

FOOTER = "The Eastport Courier is published every morning by Harbour Media Group in the town of Eastport."


def _body(i: int) -> list[str]:
    return [
        f"The harbour council met on Tuesday evening to approve spending plan number {i} for the coming year.",
        f"Members of the opposition said that plan {i} would cut money from the schools and the public libraries.",
        f"The mayor said that plan {i} was balanced and that it would be reviewed again in the autumn of next year.",
    ]


def _raw(i: int, outlet: str | None = "Eastport Courier", **meta: str):
    text = "\n".join([*_body(i), FOOTER])
    return RawArticle(story_id="s", source=f"{i}.txt", text=text, outlet=outlet, **meta).as_record()


def test_a_line_an_outlet_prints_under_three_articles_is_its_boilerplate() -> None:
    raws = [_raw(i) for i in range(3)]
    assert FOOTER in clean_text(raws[0]["text"]).body  # alone, the footer reads as body
    rows = clean_story(raws)
    for i, row in enumerate(rows):
        assert row["clean_text"] == "\n".join(_body(i))
        assert row["decisions"][-1] == (3, FOOTER, False, "boilerplate_repeated")
        assert (row["words_raw"], row["words_clean"]) == (
            len(" ".join([*_body(i), FOOTER]).split()),
            len(" ".join(_body(i)).split()),
        )
    # two articles are not enough, nor three of different outlets
    assert all(FOOTER in row["clean_text"] for row in clean_story(raws[:2]))
    mixed = [_raw(0, "A"), _raw(1, "B"), _raw(2, "C")]
    assert all(FOOTER in row["clean_text"] for row in clean_story(mixed))


def test_corpus_metadata_overrides_the_text_and_unknown_outlets_say_so() -> None:
    named = _raw(0, title="Manifest headline", published_at="2024-03-05", url="http://x/1")
    (row,) = clean_story([named])
    assert (row["outlet"], row["outlet_evidence"], row["title"], row["published_at"], row["url"]) == (
        "Eastport Courier",
        "manifest",
        "Manifest headline",
        "2024-03-05",
        "http://x/1",
    )
    assert (row["cleaner_id"], row["article_id"], row["raw_text"]) == (CLEANER_ID, named["article_id"], named["text"])
    (anonymous,) = clean_story([_raw(0, outlet=None)])
    assert (anonymous["outlet"], anonymous["outlet_evidence"]) == ("unknown", None)


def test_the_wire_dateline_reaches_the_articles_row_and_leaves_the_body() -> None:
    text = "\n".join(["KABUL, Afghanistan (AP) — " + _body(0)[0], *_body(0)[1:]])
    (row,) = clean_story([RawArticle(story_id="s", source="0.txt", text=text).as_record()])
    assert (row["dateline"], row["wire"], row["outlet"]) == ("KABUL, Afghanistan (AP) —", "AP", "AP")
    assert row["clean_text"] == "\n".join(_body(0))
    assert row["decisions"][0] == (0, text.splitlines()[0], True, "body")


def test_the_task_cleans_each_story() -> None:
    stories = [[_raw(0), _raw(1)], [_raw(2, "B")]]
    assert clean.fn(stories) == [clean_story(stories[0]), clean_story(stories[1])]
