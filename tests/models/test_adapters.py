"""Model adapters through tiny models: the same code paths as real checkpoints, nothing downloaded."""

import dataclasses
from collections import OrderedDict

import numpy as np
import pytest
import torch

from newsprism.models import tiny
from newsprism.models.base import PairInput, SentimentInput, StanceInput
from newsprism.models.classifiers import _label_index
from newsprism.models.encoder import TransformerEncoder, text_key
from newsprism.models.metrics import fnc_score
from newsprism.models.registry import (
    ENCODER_TINY,
    ModelUnavailable,
    get_encoder,
    get_pairs,
    get_profile,
    get_sentiment,
    get_stance,
    get_summariser,
    hub_profile,
    resolve_profile,
)
from newsprism.models.summarise import ExtractiveSummariser


def test_tiny_encoder_is_deterministic_normalised_and_memoised():
    encoder = get_encoder(ENCODER_TINY)
    vectors = encoder.encode(["Russia recognises the Taliban.", "", "Russia recognises the Taliban."])
    assert vectors.shape == (3, 32)
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[2])
    fresh = tiny.build_encoder()
    assert all(
        np.array_equal(a.detach().numpy(), b.detach().numpy())
        for a, b in zip(fresh.parameters(), encoder.model.parameters(), strict=True)
    )


def test_encoder_memo_keeps_the_most_recently_used_texts():
    base = get_encoder(ENCODER_TINY)
    encoder = dataclasses.replace(base, max_memo=2, _memo=OrderedDict(), _states=OrderedDict())
    texts = ["Kabul airport reopened.", "The ministry said nothing.", "Markets fell on Monday."]
    expected = base.encode(texts)
    assert np.allclose(encoder.encode(texts), expected, atol=1e-6)  # more texts than the memo holds: all returned
    assert len(encoder._memo) == 2
    encoder.encode([texts[1]])  # used again: kept when a new text comes in
    encoder.encode(["A fourth sentence."])
    assert list(encoder._memo) == [text_key(texts[1]), text_key("A fourth sentence.")]
    assert np.allclose(encoder.encode([texts[0]]), expected[:1], atol=1e-6)  # dropped, computed again


def test_profiles_name_versioned_ids():
    assert get_profile("tiny").as_dict() == {
        "name": "tiny",
        "encoder": "encoder.tiny-bert.v1",
        "summariser": "summarise.tiny-bart.v1",
        "sentiment": "sentiment.tiny-bert-cls.v1",
        "stance": "stance.tiny-bert-nli.v1",
        "pairs": "pairs.tiny-bert-cross.v1",
    }
    assert get_profile("local").pairs == get_profile("local-fast").pairs == "pairs.minilm-msrp.v1"
    assert hub_profile().pairs == "pairs.hf-cross-encoder.v1:textattack/bert-base-uncased-MRPC"
    assert resolve_profile("hub", {"summariser": "/models/bart"}).summariser == "summarise.hf-seq2seq.v1:/models/bart"
    with pytest.raises(ValueError, match="unknown profile 'gpu'"):
        get_profile("gpu")
    with pytest.raises(ValueError, match="only apply to the hub profile"):
        resolve_profile("tiny", {"summariser": "x"})


def test_factory_returns_one_instance_per_id():
    p = get_profile("tiny")
    assert get_sentiment(p.sentiment, p.encoder) is get_sentiment(p.sentiment, p.encoder)


def test_tiny_profile_runs_every_code_path():
    p = get_profile("tiny")
    (summary,) = get_summariser(p.summariser, p.encoder).summarise([["Russia recognised the Taliban.", "It is first."]])
    assert summary.text and summary.sentence_ids == ()
    results = get_sentiment(p.sentiment, p.encoder).predict(
        [SentimentInput("Russia is praised."), SentimentInput("Russia is praised.", (0, 6))]
    )
    assert [r.label in ("negative", "neutral", "positive") for r in results] == [True, True]
    assert all(abs(sum(r.probs.values()) - 1) < 1e-5 and -1 <= r.score <= 1 for r in results)
    (stance,) = get_stance(p.stance, p.encoder).predict(
        [StanceInput("Russia recognises the Taliban", ("Russia recognised them.", "Other news."))]
    )
    assert stance.label in ("agree", "disagree", "discuss", "unrelated") and stance.evidence in (0, 1)


def test_hub_path_with_tiny_checkpoints_of_the_default_architectures(tmp_path):
    paths = tiny.save_hub_like(tmp_path)
    profile = hub_profile(summariser=str(paths["seq2seq"]), sentiment=str(paths["sentiment"]), stance=str(paths["nli"]))
    profile = profile.__class__(**{**profile.as_dict(), "encoder": ENCODER_TINY})
    summariser = get_summariser(profile.summariser, profile.encoder)
    assert type(summariser.model).__name__ == "BartForConditionalGeneration"
    long_doc = [f"Sentence number {i} about the recognition of the government." for i in range(60)]
    (summary,) = summariser.summarise([long_doc])
    assert summary.text
    sentiment = get_sentiment(profile.sentiment, profile.encoder)
    assert type(sentiment.classifier.model).__name__ == "RobertaForSequenceClassification"
    assert sentiment.labels == {"negative": 0, "neutral": 1, "positive": 2}
    assert len(sentiment.predict([SentimentInput("Fine.")] * 40)) == 40  # more than one batch
    stance = get_stance(profile.stance, profile.encoder)
    assert type(stance.classifier.model).__name__ == "DebertaV2ForSequenceClassification"
    assert stance.labels == {"entailment": 0, "neutral": 1, "contradiction": 2}
    (result,) = stance.predict([StanceInput("A claim", ("One sentence.", "Another sentence.", "Third."))])
    assert set(result.probs) == {"agree", "disagree", "discuss", "unrelated"}
    profile = hub_profile(pairs=str(paths["pairs"]))
    pairs = get_pairs(profile.pairs, ENCODER_TINY)
    assert type(pairs.classifier.model).__name__ == "BertForSequenceClassification"
    assert pairs.positive_index() == 1
    items = [PairInput("Prices rose.", "Prices went up.")] * 40  # more than one batch
    results = pairs.predict(items)
    assert len(results) == 40 and len({r.score for r in results}) == 1
    assert all(0 < r.score < 1 and r.same_point == (r.score >= 0.5) for r in results)


def test_missing_hub_model_is_a_clear_error(tmp_path):
    missing = tmp_path / "not-downloaded"
    with pytest.raises(ModelUnavailable, match="hf download"):
        get_summariser(f"summarise.hf-seq2seq.v1:{missing}", ENCODER_TINY)


@pytest.mark.parametrize(
    ("id2label", "expected"),
    [
        ({0: "NEGATIVE", 1: "NEUTRAL", 2: "POSITIVE"}, {"negative": 0, "neutral": 1, "positive": 2}),
        ({0: "positive", 1: "negative"}, {"positive": 0, "negative": 1}),
        ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, {"negative": 0, "neutral": 1, "positive": 2}),
    ],
)
def test_sentiment_label_mapping(id2label, expected):
    assert _label_index(id2label, ("negative", "neutral", "positive"), ("negative", "neutral", "positive")) == expected


class OneHotEncoder:
    """A deterministic stand-in encoder: sentences sharing a topic word get the same direction."""

    model_id = "encoder.test"

    def encode(self, texts):
        topics = ["recognition", "embassy", "weather"]
        rows = []
        for text in texts:
            v = np.array([float(t in text) for t in topics] + [0.1])
            rows.append(v / np.linalg.norm(v))
        return np.array(rows)


def test_extractive_summary_prefers_central_sentences_without_repeats():
    sentences = [
        "Russia announced the recognition of the Taliban government on Thursday.",  # 0 central
        "The recognition was confirmed by the foreign ministry in Kabul later.",  # 1 central, redundant with 0
        "Officials said the embassy in Moscow would reopen under a new flag soon.",  # 2
        "Subscribe now",  # 3 too short
        "The weather in Moscow was sunny and warm for most of the long weekend.",  # 4 off-topic
        "The recognition decision followed years of talks between both sides here.",  # 5 central
    ]
    summariser = ExtractiveSummariser("summarise.test", OneHotEncoder())
    (summary,) = summariser.summarise([sentences], max_sentences=2)
    assert summary.sentence_ids == (0, 2)
    assert summary.text == sentences[0] + " " + sentences[2]


def test_nli_stance_calibration_never_scores_worse_than_its_defaults():
    p = get_profile("tiny")
    stance = get_stance(p.stance, p.encoder)
    items = [
        StanceInput("Russia recognises the Taliban", ("Russia recognised the Taliban today.", "Kabul agreed.")),
        StanceInput("Russia recognises the Taliban", ("Russia denied it recognised the Taliban.",)),
        StanceInput("Russia recognises the Taliban", ("The weather in Paris was sunny.",)),
        StanceInput("Russia recognises the Taliban", ("Officials discussed whether Russia might do so.",)),
    ]
    gold = ["agree", "disagree", "unrelated", "discuss"]
    before = fnc_score(gold, [r.label for r in stance.predict(items)])
    saved = (stance.related_threshold, stance.decision_threshold)
    try:
        chosen = stance.calibrate(items, gold, fnc_score)
        after = fnc_score(gold, [r.label for r in stance.predict(items)])
        assert after == chosen["score"] >= before
        assert (stance.related_threshold, stance.decision_threshold) == (
            chosen["related_threshold"],
            chosen["decision_threshold"],
        )
    finally:
        stance.related_threshold, stance.decision_threshold = saved


def test_encoder_keeps_token_states_from_its_own_pass():
    """With keep_layer set, encode() keeps each text's states after that many layers from the same forward
    pass; token_states() then runs nothing, and the vectors are those of an encoder that keeps nothing."""
    texts = ["Moscow recognised the Taliban.", "Kabul welcomed it on Thursday.", "Ankara said nothing."]
    plain = TransformerEncoder("t", tiny.build_encoder(), tiny.build_tokenizer(), max_length=128)
    keeping = TransformerEncoder(
        "t", tiny.build_encoder(), tiny.build_tokenizer(), max_length=128, keep_layer=1, max_kept=2
    )
    calls = []
    keeping.model.register_forward_hook(lambda *_: calls.append(1))
    np.testing.assert_allclose(keeping.encode(texts[:2]), plain.encode(texts[:2]), atol=1e-6)
    assert len(calls) == 1
    ((states, offsets),) = keeping.token_states([texts[0]], 1)
    assert len(calls) == 1  # kept from encode()'s pass
    batch = plain.tokenizer([texts[0]], return_tensors="pt")
    with torch.no_grad():
        expected = plain.model(**batch, output_hidden_states=True).hidden_states[1][0]
    torch.testing.assert_close(states.float(), expected, atol=2e-3, rtol=2e-3)
    assert [texts[0][s:e] for s, e in offsets.tolist()][:4] == ["", "M", "o", "s"]  # [CLS], then characters
    keeping.encode([texts[2]])
    assert len(keeping._states) == 2  # max_kept: the oldest text's states were dropped ...
    keeping.token_states([texts[0]], 1)
    assert len(calls) == 3  # ... and are computed again when asked for
    keeping.token_states([texts[0]], 2)  # another layer: its own pass
    assert len(calls) == 4 and keeping.keep_layer == 2
