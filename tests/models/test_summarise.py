"""Summaries a journalist can quote: no datelines, no sentence leaning on one the summary lacks, and the story's
points ranked by how many outlets carry them."""

import numpy as np
import pytest

from newsprism.models.summarise import (
    ExtractiveSummariser,
    StoryPoint,
    leans_back,
    rank_points,
    relevance_scores,
    strip_dateline,
    with_antecedents,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON — Michael Steele drew criticism.", "Michael Steele drew criticism."),
        ("WASHINGTON -- The vote failed.", "The vote failed."),
        ("July 4 (UPI) -- Russia has become the first country.", "Russia has become the first country."),
        ("In 2020 the vote failed.", "In 2020 the vote failed."),
        ("WASHINGTON – Former officials spoke.", "Former officials spoke."),
        ("WASHINGTON - The vote failed.", "The vote failed."),
        ("AMHERST, N.H. — Mr. Romney spoke.", "Mr. Romney spoke."),
        ("NEW YORK (Reuters) — Stocks fell.", "Stocks fell."),
        ("(CNN) -- The pilots were suspended.", "The pilots were suspended."),
        ("Kabul, Afghanistan (CNN) -- China's top official arrived.", "China's top official arrived."),
        ("(CNN)The New York Police Department faced questions.", "The New York Police Department faced questions."),
        # not datelines: a party in brackets, an acronym as subject, a dash inside the sentence
        ("Rep. Peter King (R-N.Y.) — the chairman — spoke.", "Rep. Peter King (R-N.Y.) — the chairman — spoke."),
        ("Donald Trump (R) said so.", "Donald Trump (R) said so."),
        ("NATO said the talks — held in Brussels — ended.", "NATO said the talks — held in Brussels — ended."),
        ("U.S. officials — who declined to be named — agreed.", "U.S. officials — who declined to be named — agreed."),
        ("The GOP — he said — is split.", "The GOP — he said — is split."),
    ],
)
def test_strip_dateline(text, expected):
    assert strip_dateline(text) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("But the original called for a full repeal.", True),
        ("He added: “We will not back down.”", True),
        ("“But it was never about the money,” she said.", True),
        ("However, the plan stalled.", True),
        ("In addition, the bill cuts taxes.", True),
        ("In other words, it doesn't say how much they paid.", True),
        ("If so, the bill fails.", True),
        ("Also on Friday, the House voted.", True),
        ("This comes after a week of talks.", True),
        ("Their plan was rejected.", True),
        ("It said the plan would fail.", True),
        ("They voted against it.", True),
        # standing alone: a name, an expletive "it"/"there", a word that only starts like an opener
        ("The Senate passed the bill.", False),
        ("It is unclear whether the bill will pass.", False),
        ("It’s not clear if he will run.", False),
        ("There are five candidates in the race.", False),
        ("Then-President Obama signed it.", False),
        ("Inaddition is not a word.", False),
        ("If Congress acts, the bill passes.", False),
        ("Hesitant senators held out.", False),
        ("", False),
    ],
)
def test_leans_back(sentence, expected):
    assert leans_back(sentence) is expected


def test_with_antecedents_goes_back_to_a_sentence_that_stands_alone():
    dangling = [False, True, True, False, True]
    assert with_antecedents(0, dangling, []) == [0]
    assert with_antecedents(2, dangling, []) == [0, 1, 2]
    assert with_antecedents(2, dangling, [1]) == [2]
    assert with_antecedents(4, dangling, []) == [3, 4]
    assert with_antecedents(0, [True, False], []) == []  # a document opening on "But …": never picked


class TopicEncoder:
    """A deterministic stand-in encoder: sentences sharing a topic word get the same direction."""

    model_id = "encoder.test"
    topics = ("budget", "vote", "weather")

    def encode(self, texts):
        rows = []
        for text in texts:
            v = np.array([float(t in text.lower()) for t in self.topics] + [0.1])
            rows.append(v / np.linalg.norm(v))
        return np.array(rows)


def test_extractive_summary_never_opens_on_a_dangling_sentence_and_drops_the_dateline():
    document = [
        "WASHINGTON (AP) — He added that the budget would be ready soon, officials in the ministry said.",  # 0
        "The budget plan was approved by the cabinet on Friday after a long debate.",  # 1
        "However, the budget still needs a vote in parliament before it takes effect.",  # 2 leans on 1
        "Parliament will hold the budget vote next week, the speaker said on Friday.",  # 3
        "Weather in the capital was mild for most of the long weekend there.",  # 4
    ]
    summariser = ExtractiveSummariser("summarise.test", TopicEncoder())
    # sentence 0 is the most relevant, but it leans on nothing the article says: never picked
    assert summariser.scores(document).argmax() == 0
    summaries = [summariser.summarise([document], max_sentences=k)[0] for k in (1, 2)]
    assert [s.sentence_ids for s in summaries] == [(1,), (1, 2)]
    assert summaries[1].text == document[1] + " " + document[2]
    # a dateline goes, the sentence stays
    (first,) = summariser.summarise([["WASHINGTON — The budget passed the Senate on Friday night.", "Short."]])
    assert first.text == "The budget passed the Senate on Friday night."


def test_a_dangling_pick_comes_with_the_sentence_it_leans_on():
    document = [
        "The budget plan was approved by the cabinet on Friday after a long debate.",  # 0
        "Weather in the capital was mild for most of the long weekend there.",  # 1
        "But the budget vote in parliament is still needed before it takes effect.",  # 2 the most relevant
        "The speaker said the session would open on Monday with the vote.",  # 3
    ]
    summariser = ExtractiveSummariser("summarise.test", TopicEncoder())
    assert summariser.scores(document).argmax() == 2
    ids = [summariser.summarise([document], max_sentences=k)[0].sentence_ids for k in (1, 2, 3)]
    # one sentence: 2 would need 1 too, so the best that stands alone; two or three: 2 with the one before it
    assert ids == [(0,), (1, 2), (0, 1, 2)]


THREE = [
    [  # 0: Fox
        "The Senate passed the bill on Friday by a vote of 60 to 40.",
        "But Democrats said the bill would hurt millions of families.",
        "The president is expected to sign the bill next week at the White House.",
        "Fox viewers called the vote a historic win for the party.",
    ],
    [  # 1: NYT
        "The Senate approved the bill Friday, 60 to 40, after a long debate.",
        "Democrats warned that the measure would harm families across the country.",
        "The president plans to sign the bill into law next week.",
    ],
    [  # 2: HuffPost
        "Senators passed the bill on Friday in a 60-40 vote.",
        "Critics say the measure hurts millions of families, Democrats among them.",
        "Activists plan protests outside the Capitol this weekend.",
    ],
]
THREE_OUTLETS = ["Fox", "NYT", "HuffPost"]
THREE_RELEVANCE = [np.array([0.8, 0.9, 0.6, 0.7]), np.array([0.9, 0.5, 0.5]), np.array([0.7, 0.8, 0.3])]
# each sentence's closest match in every other article, where the alignment judged them the same point
THREE_SAME = [
    (0, 0, 1, 0), (0, 0, 2, 0), (1, 0, 0, 0), (1, 0, 2, 0), (2, 0, 0, 0), (2, 0, 1, 0),  # the vote: all three
    (0, 1, 1, 1), (1, 1, 0, 1), (1, 1, 2, 1), (2, 1, 1, 1),  # the families: all three (Fox's is "But …")
    (0, 2, 1, 2), (1, 2, 0, 2),  # the signing: Fox and NYT
]  # fmt: skip


def test_three_outlet_story_points_most_shared_first():
    points = rank_points(THREE, THREE_RELEVANCE, THREE_SAME, THREE_OUTLETS, max_points=4)
    assert points == [
        StoryPoint(THREE[1][0], 1, 0, (0, 1, 2)),  # the vote: NYT's sentence is the most relevant of the three
        StoryPoint(THREE[1][1], 1, 1, (0, 1, 2)),  # the families: NYT's (Fox's leans on "But", HuffPost's pairs 2)
        StoryPoint(THREE[0][2], 0, 2, (0, 1)),  # the signing
        # one outlet each: HuffPost has no pick yet, so its sentence comes before Fox's more relevant one
        StoryPoint(THREE[2][2], 2, 2, (2,)),
    ]
    assert rank_points(THREE, THREE_RELEVANCE, THREE_SAME, THREE_OUTLETS, max_points=2) == points[:2]


def test_four_outlet_story_points_ranked_by_outlets_then_relevance():
    documents = [
        ["Storm hits the coast.", "Power is out for thousands of homes across the county tonight."],  # 0: AP
        ["Thousands of homes lost power when the storm reached the county.", "The governor declared an emergency."],
        ["The governor declared a state of emergency on Sunday.", "Schools will stay closed on Monday."],  # 2: WaPo
        ["The storm left thousands of homes without power.", "Schools in the county are closed Monday."],  # 3: CNN
    ]
    outlets = ["AP", "Reuters", "WaPo", "CNN"]
    relevance = [np.array([-np.inf, 0.6]), np.array([0.7, 0.5]), np.array([0.9, 0.4]), np.array([0.5, 0.8])]
    same = [
        (0, 1, 1, 0), (0, 1, 3, 0), (1, 0, 0, 1), (1, 0, 3, 0), (3, 0, 0, 1), (3, 0, 1, 0),  # power: 3 outlets
        (2, 0, 1, 1), (1, 1, 2, 0),  # the emergency: 2 outlets ("The governor declared an emergency." is short)
        (2, 1, 3, 1), (3, 1, 2, 1),  # schools: 2 outlets
    ]  # fmt: skip
    relevance[1][1] = -np.inf  # too short to be a pick
    points = rank_points(documents, relevance, same, outlets, max_points=5)
    assert [(p.document, p.sentence_no, [outlets[d] for d in p.documents]) for p in points] == [
        (1, 0, ["AP", "Reuters", "CNN"]),  # power: Reuters' is the most relevant of the three
        (2, 0, ["Reuters", "WaPo"]),  # the emergency (0.9) before the schools (CNN's, 0.8)
        (3, 1, ["WaPo", "CNN"]),
    ]  # every sentence that can be a pick is covered: three points, though five were allowed


def test_without_shared_points_the_summary_takes_turns_between_outlets():
    documents = [["Alpha one said a thing.", "Alpha two said a thing."], ["Beta one said a thing."]]
    relevance = [np.array([0.9, 0.8]), np.array([0.1])]
    points = rank_points(documents, relevance, [], ["A", "B"], max_points=3)
    assert [(p.document, p.sentence_no, p.documents) for p in points] == [(0, 0, (0,)), (1, 0, (1,)), (0, 1, (0,))]


def test_the_lead_prior_decays_or_steps_over_the_lead():
    vectors = np.eye(4)  # no two sentences alike: centrality 0, relevance is the prior alone
    sentences = ["One two three four five six.", "Seven eight nine ten eleven twelve.", "A b c d e f.", "Short."]
    decaying = relevance_scores(vectors, sentences, 0.3, 6, 60, lead_decay=1.0)
    assert decaying[:3] == pytest.approx([0.3, 0.15, 0.1]) and decaying[3] == -np.inf
    stepped = relevance_scores(vectors, sentences, 0.3, 4, 60, lead_span=2)
    assert list(stepped) == pytest.approx([0.3, 0.3, 0.0, -np.inf])
    # a step over the first two: they stay unless later sentences are more central by more than the step
    document = [
        "The weather in the capital was mild all weekend long.",  # 0
        "Officials said the weather helped the holiday traffic flow.",  # 1
        "The budget vote passed the parliament late on Friday night.",  # 2 2-4: the same topic, more central
        "The budget vote was the first for the new government there.",  # 3
        "Critics of the budget vote protested outside the building.",  # 4
    ]
    picks = {
        weight: ExtractiveSummariser("summarise.test", TopicEncoder(), 0.0, weight, lead_span=2)
        .summarise([document], max_sentences=2)[0]
        .sentence_ids
        for weight in (0.3, 0.2)
    }
    assert picks == {0.3: (0, 1), 0.2: (2, 3)}  # the budget sentences are about 0.25 more central
