"""The summarise stage: article summaries, and the story summary's points from the align stage's same-point links."""

from newsprism.models.profiles import resolve_profile
from newsprism.records import LinkRow
from newsprism.stories import split_articles
from newsprism.tasks.summarise import same_point_pairs, summarise, summarise_story

TINY = resolve_profile("tiny")
STORY = {"story_id": "s", "title": None, "claims": [], "targets": []}


def articles(*items):
    return split_articles([{"article_id": f"a{i}", "outlet": o, "clean_text": t} for i, (o, t) in enumerate(items)])


# Sentences under six words can be no summary's pick, so each point below has one possible representative.
ARTICLES = articles(
    (
        "Fox",
        "WASHINGTON — The Senate passed the budget bill on Friday night. "
        "But Democrats said the bill would hurt many families. Fox called it a win.",
    ),
    ("NYT", "The bill cleared the Senate. Democrats warned that families would be hurt by the bill. Short one here."),
    ("HuffPost", "Senators approved the budget Friday. Activists will protest outside the Capitol this weekend."),
)


def link(a, i, b, j, same):
    return LinkRow(
        article_id=f"a{a}",
        sentence_no=i,
        other_article_id=f"a{b}",
        other_sentence_no=j,
        similarity=0.8 if same else 0.3,
        word_overlap=0.2,
        model_id=TINY.encoder,
        same_point=same,
        same_point_score=0.9 if same else 0.1,
    )


LINKS = [
    *(link(a, 0, b, 0, True) for a in range(3) for b in range(3) if a != b),  # the vote: all three outlets
    link(0, 1, 1, 1, True),  # the families: Fox ("But …", never a pick) and NYT
    link(1, 1, 0, 1, True),
    link(2, 1, 0, 2, False),  # the protest: nobody else's point
    link(0, 2, 2, 1, False),
]


def test_same_point_pairs_keep_only_same_point_links_between_the_articles():
    assert same_point_pairs(ARTICLES, [*LINKS, {**link(0, 0, 9, 0, True), "other_article_id": "elsewhere"}]) == [
        (0, 0, 1, 0), (0, 0, 2, 0), (0, 1, 1, 1), (1, 0, 0, 0), (1, 0, 2, 0), (1, 1, 0, 1), (2, 0, 0, 0), (2, 0, 1, 0),
    ]  # fmt: skip


def test_three_outlet_story_points_name_their_outlets(tmp_path):
    output = summarise_story(STORY, ARTICLES, LINKS, TINY.summariser, TINY.encoder, str(tmp_path))
    assert output["points"] == [
        {
            "story_id": "s",
            "point_no": 1,
            "text": "The Senate passed the budget bill on Friday night.",  # the dateline is gone
            "article_id": "a0",
            "sentence_no": 0,
            "outlets": ["Fox", "HuffPost", "NYT"],
            "model_id": TINY.summariser,
        },
        {
            "story_id": "s",
            "point_no": 2,
            "text": "Democrats warned that families would be hurt by the bill.",
            "article_id": "a1",
            "sentence_no": 1,
            "outlets": ["Fox", "NYT"],
            "model_id": TINY.summariser,
        },
        {
            "story_id": "s",
            "point_no": 3,
            "text": "Activists will protest outside the Capitol this weekend.",
            "article_id": "a2",
            "sentence_no": 1,
            "outlets": ["HuffPost"],
            "model_id": TINY.summariser,
        },
    ]
    assert [(r["scope"], r["subject_id"]) for r in output["rows"]] == [
        ("article", "a0"),
        ("article", "a1"),
        ("article", "a2"),
        ("story", "s"),
    ]


def test_the_story_summary_follows_the_links_and_article_summaries_stay_cached(tmp_path):
    first = summarise_story(STORY, ARTICLES, LINKS, TINY.summariser, TINY.encoder, str(tmp_path))
    # the families are no longer one point: NYT's sentence is its own
    unlinked = [r for r in LINKS if r["sentence_no"] != 1 or r["article_id"] == "a2"]
    second = summarise_story(STORY, ARTICLES, unlinked, TINY.summariser, TINY.encoder, str(tmp_path))
    assert second["cached"] == {"summarise": 3} and second["rows"][:3] == first["rows"][:3]
    points = [(p["article_id"], p["sentence_no"], p["outlets"]) for p in second["points"]]
    # the vote first; then one point each from NYT and HuffPost (neither has a pick yet: relevance orders them)
    assert points[0] == ("a0", 0, ["Fox", "HuffPost", "NYT"])
    assert sorted(points[1:]) == [("a1", 1, ["NYT"]), ("a2", 1, ["HuffPost"])]


def test_task_passes_each_story_its_links(tmp_path):
    (output,) = summarise.fn([STORY], [ARTICLES], [{"rows": LINKS, "computed": {}, "cached": {}}], TINY.summariser,
                             TINY.encoder, str(tmp_path))  # fmt: skip
    assert [p["outlets"] for p in output["points"]] == [["Fox", "HuffPost", "NYT"], ["Fox", "NYT"], ["HuffPost"]]
