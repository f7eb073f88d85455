"""Entity attitude: the rule's decision, its calibration (grouped CV on BASIL-format data), `eval targets`."""

import json

import pytest

from newsprism.cli import build_parser
from newsprism.models.attitude import AttitudeRule, attitude_for, load_attitude, save_attitude
from newsprism.models.attitude_training import (
    Pair,
    cross_validate,
    fit_rule,
    grouped_folds,
    mention_results,
    read_pairs,
    train_attitude,
)
from newsprism.models.base import ModelUnavailable, SentimentInput, SentimentResult
from newsprism.models.profiles import (
    ATTITUDE_CALIBRATED,
    ATTITUDE_RULE,
    ENCODER_TINY,
    SENTIMENT_ENSEMBLE,
    TINY_SENTIMENT,
)
from newsprism.models.registry import get_sentiment
from newsprism.stories import split_articles
from newsprism.targets import Mention
from newsprism.tasks.tag import target_sentiment_rows


def result(neg, neu, pos):
    return SentimentResult("x", pos - neg, {"negative": neg, "neutral": neu, "positive": pos})


OUTLET, QUOTED = Mention(0, (0, 5), False, 0.0), Mention(1, (1, 6), True, 0.8)
RULE = AttitudeRule(quote_weight=0.0, quoted_share=0.5, prior=1.0, neg_threshold=0.3, pos_threshold=0.4)


def test_quotes_weigh_less_and_few_mentions_abstain():
    # the outlet's sentence (-0.7) decides; the quoted one (+0.9) weighs nothing; shrunk by 1 / (1 + 1)
    a = RULE.decide([OUTLET, QUOTED], [result(0.8, 0.1, 0.1), result(0.0, 0.1, 0.9)])
    assert (a.label, round(a.score, 6), round(a.raw_score, 6), a.mentions) == ("negative", -0.35, 0.1, 2)
    assert {k: round(v, 6) for k, v in a.probs.items()} == {"negative": 0.4, "neutral": 0.1, "positive": 0.5}
    # one mildly negative sentence is not enough (-0.25), two are (-0.5 * 2 / 3)
    assert RULE.decide([OUTLET], [result(0.6, 0.3, 0.1)]).label == "neutral"
    assert RULE.decide([OUTLET, OUTLET], [result(0.6, 0.3, 0.1)] * 2).label == "negative"
    # positive needs its own, higher threshold: 0.9 * 0.5 = 0.45 >= 0.4, 0.7 * 0.5 = 0.35 is not
    assert RULE.decide([OUTLET], [result(0.0, 0.1, 0.9)]).label == "positive"
    assert RULE.decide([OUTLET], [result(0.1, 0.1, 0.8)]).label == "neutral"
    # only quoted speech: no evidence of the author's attitude
    only_quoted = RULE.decide([QUOTED], [result(1.0, 0.0, 0.0)])
    assert (only_quoted.label, only_quoted.score, only_quoted.raw_score) == ("neutral", 0.0, -1.0)
    with pytest.raises(ValueError):
        RULE.decide([OUTLET], [])


def test_the_calibration_belongs_to_its_sentiment_model(tmp_path):
    assert attitude_for(TINY_SENTIMENT) == AttitudeRule() and AttitudeRule().model_id == ATTITUDE_RULE
    shipped = attitude_for(SENTIMENT_ENSEMBLE)
    assert shipped.model_id == ATTITUDE_CALIBRATED
    save_attitude(RULE, tmp_path / "cal", {"sentiment_model": TINY_SENTIMENT})
    assert load_attitude(tmp_path / "cal", TINY_SENTIMENT) == RULE
    with pytest.raises(ModelUnavailable, match="fitted for"):
        load_attitude(tmp_path / "cal", SENTIMENT_ENSEMBLE)
    with pytest.raises(ModelUnavailable, match="attitude.json is missing"):
        load_attitude(tmp_path / "nothing", TINY_SENTIMENT)


def pair(event, gold, score):
    return Pair(f"{event}-{gold}-{score}", event, "X", gold, ("X.",), (OUTLET,))


SMALL_GRID = {
    "quote_weight": (1.0,),
    "quoted_share": (1.01,),
    "prior": (0.0,),
    "neg_threshold": (0.1, 0.3, 0.5, 0.9),
    "pos_threshold": (0.1, 0.3, 0.5, 0.9),
}
HAND_MADE = [("e1", "negative", -0.8), ("e2", "negative", -0.6), ("e1", "neutral", -0.1), ("e2", "neutral", 0.0),
             ("e3", "neutral", 0.1), ("e3", "neutral", 0.2), ("e4", "positive", 0.7)]  # fmt: skip


def test_fit_rule_picks_the_simplest_thresholds_that_separate_the_labels():
    pairs = [pair(e, g, s) for e, g, s in HAND_MADE]
    results = [[result(max(0.0, -s), 1 - abs(s), max(0.0, s))] for _, _, s in HAND_MADE]
    rule = fit_rule(pairs, results, SMALL_GRID)
    assert rule.params() == {"quote_weight": 1.0, "quoted_share": 1.01, "prior": 0.0, "neg_threshold": 0.3,
                             "pos_threshold": 0.3}  # fmt: skip
    cv = cross_validate(pairs, results, k=2, grid=SMALL_GRID)
    assert (cv["pairs"], cv["covered"], cv["majority_accuracy"]) == (7, 7, round(4 / 7, 4))
    assert len(cv["fold_rules"]) == 2


def test_folds_keep_an_event_together():
    events = ["a", "b", "a", "c", "d", "b", "e", "a"]
    folds = grouped_folds(events, 3, seed=1)
    assert sorted(i for f in folds for i in f) == list(range(len(events)))
    assert all(len({events[i] for i in f} & {events[i] for i in g}) == 0 for f in folds for g in folds if f != g)


ARTICLES = [
    ("e1", "Critics said Sen. Jane Doe lied. Doe’s plan failed badly.", {"Jane_Doe": "neg", "main_event": "neg"}),
    ("e1", "Jane Doe won praise. “Doe is great,” a friend said.", {"Jane_Doe": "pos", "Acme_Corp": "neu"}),
    ("e2", "The mayor, John Roe, opened a park. Roe smiled.", {"John_Roe": "neu"}),
    ("e2", "Mr. Roe’s park opened on Monday.", {"John_Roe": "neu"}),
    ("e3", "Acme Corp reported losses. Acme Corp fired staff.", {"Acme_Corp": "neg"}),
    ("e3", "Acme Corp said sales grew.", {"Acme_Corp": "neu", "John_Roe": "pos"}),
]


@pytest.fixture
def basil(tmp_path):
    path = tmp_path / "basil.jsonl"
    lines = [json.dumps({"id": f"{e}_{i}", "triplet_uuid": e, "source": "x", "text": text, "author_feelings": f})
             for i, (e, text, f) in enumerate(ARTICLES)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


def test_read_pairs_matches_entities_as_targets(basil):
    pairs = read_pairs(basil)
    assert [(p.event, p.target, p.gold, [m.sentence_no for m in p.mentions]) for p in pairs] == [
        ("e1", "Jane Doe", "negative", [0, 1]),
        ("e1", "Acme Corp", "neutral", []),
        ("e1", "Jane Doe", "positive", [0, 1]),
        ("e2", "John Roe", "neutral", [0, 1]),
        ("e2", "John Roe", "neutral", [0]),
        ("e3", "Acme Corp", "negative", [0, 1]),
        ("e3", "Acme Corp", "neutral", [0]),
        ("e3", "John Roe", "positive", []),
    ]


def test_eval_targets_prints_coverage_and_scores(basil, tmp_path, capsys):
    args = build_parser().parse_args(
        ["eval", "targets", str(basil), "--profile", "tiny", "--cv", "2", "--cache", str(tmp_path / "c")]
    )
    assert args._eval(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["model_id"], out["sentiment_model"]) == (ATTITUDE_RULE, TINY_SENTIMENT)
    assert (out["pairs"], out["covered"], out["coverage"]) == (8, 6, 0.75)
    assert (out["majority_label"], out["majority_accuracy"]) == ("neutral", 0.5)
    assert (out["cv"]["pairs"], out["cv"]["covered"], out["cv"]["folds"]) == (8, 6, 2)
    # the scores are the default rule's, from the tiny model's sentence sentiment
    pairs = read_pairs(basil)
    results = mention_results(pairs, TINY_SENTIMENT, ENCODER_TINY, cache_dir=tmp_path / "c")
    labels = [
        AttitudeRule().decide(list(p.mentions), r).label for p, r in zip(pairs, results, strict=True) if p.mentions
    ]
    gold = [p.gold for p in pairs if p.mentions]
    assert out["accuracy"] == round(sum(a == b for a, b in zip(labels, gold, strict=True)) / 6, 4)


def test_train_attitude_writes_a_calibration_for_its_sentiment_model(basil, tmp_path):
    metrics = train_attitude(basil, tmp_path / "heads", sentiment_id=TINY_SENTIMENT, encoder_id=ENCODER_TINY,
                             cache_dir=tmp_path / "c", folds=2)  # fmt: skip
    assert (metrics["cv"]["pairs"], metrics["cv"]["covered"], metrics["cv"]["folds"]) == (8, 6, 2)
    rule = load_attitude(tmp_path / "heads" / ATTITUDE_CALIBRATED, TINY_SENTIMENT)
    assert rule.model_id == ATTITUDE_CALIBRATED and rule.params() == metrics["rule"]
    card = (tmp_path / "heads" / f"{ATTITUDE_CALIBRATED}.md").read_text()
    assert f"`{TINY_SENTIMENT}`" in card and "grouped by" in card


def test_target_rows_carry_the_rule_decision_over_surname_mentions():
    (article,) = split_articles([{"article_id": "a", "clean_text": "Mr. Trump spoke. Trump’s aides left. No."}])
    rows = target_sentiment_rows([(article, "Donald Trump"), (article, "Joe Biden")], TINY_SENTIMENT, ENCODER_TINY)
    model = get_sentiment(TINY_SENTIMENT, ENCODER_TINY)
    results = model.predict([SentimentInput("Mr. Trump spoke.", (4, 9)), SentimentInput("Trump’s aides left.", (0, 5))])
    expected = AttitudeRule().decide([Mention(0, (4, 9), False, 0.0), Mention(1, (0, 5), False, 0.0)], results)
    assert rows[1] == []
    (row,) = rows[0]
    assert (row["target"], row["mentions"], row["label"]) == ("Donald Trump", 2, expected.label)
    assert row["score"] == pytest.approx(expected.score)
    assert row["p_positive"] - row["p_negative"] == pytest.approx(expected.raw_score)
