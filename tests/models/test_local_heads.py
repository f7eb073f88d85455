"""The `local` profiles' heads: metrics, features, the seeded split, and (slow) the shipped heads."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from newsprism.models import HEADS_DIR, features
from newsprism.models.base import SENTIMENT_LABELS, STANCE_LABELS, ModelUnavailable, SentimentInput, StanceInput
from newsprism.models.datasets import fnc1_topics, read_newsmtsc, topic_split, transfer_mentions
from newsprism.models.features import (
    EVIDENCE_NAMES,
    REFUTE_CUES,
    SCALAR_NAMES,
    Idf,
    count_cues,
    evidence_features,
    mark_target,
    stance_features,
    supporting_sentences,
)
from newsprism.models.metrics import classification_report, fnc_score
from newsprism.models.profiles import ENCODER_MINILM, FNC1_STANCE, SENTIMENT_ENSEMBLE, SHARED_SENTIMENT
from newsprism.models.registry import build_encoder, get_encoder, get_profile, get_sentiment
from newsprism.models.sentiment_newsmtsc import MiniLMSentiment, load_sentiment_head
from newsprism.models.sentiment_shared import (
    SharedTrunkSentiment,
    build_shared_net,
    load_shared_sentiment,
    mention_tokens,
    save_shared_sentiment,
)
from newsprism.models.stance_fnc1 import load_stance_head
from newsprism.models.trainers import train_sentiment, train_shared_sentiment
from newsprism.text import split_sentences


def test_fnc_score_hand_computed():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated", "agree"]
    pred = ["agree", "discuss", "unrelated", "unrelated", "agree", "unrelated"]
    # agree/agree 1.0; disagree/discuss 0.25; discuss/unrelated 0; unrelated/unrelated 0.25;
    # unrelated/agree 0; agree/unrelated 0  -> 1.5 of a possible 1+1+1+0.25+0.25+1 = 4.5
    assert fnc_score(gold, pred) == pytest.approx(100 * 1.5 / 4.5)
    assert fnc_score(gold, gold) == 100.0


def test_classification_report_exact():
    report = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert report["confusion"] == [[1, 1], [0, 2]]
    assert report["f1"] == {"a": pytest.approx(2 / 3, abs=1e-4), "b": 0.8}
    assert report["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2, abs=1e-4)
    assert report["accuracy"] == 0.75


# three stories: two about a storm (merged into one topic by their shared headline word), one about a vote
TOPIC_PAIRS = [
    ("Storm floods harbour", 1, "agree"),
    ("Harbour storm was a hoax", 1, "disagree"),
    ("Storm floods harbour", 2, "discuss"),
    ("Storm closes harbour schools", 3, "agree"),
    ("Senate passes budget vote", 4, "agree"),
    ("Senate budget vote delayed", 5, "discuss"),
    ("Senate passes budget vote", 1, "unrelated"),
    ("Storm floods harbour", 4, "unrelated"),
    ("Storm closes harbour schools", 2, "unrelated"),
]


def test_fnc1_topics_link_related_pairs_and_merge_shared_headline_words():
    heads, bodies = fnc1_topics(TOPIC_PAIRS)
    assert heads == {"Storm floods harbour": 0, "Harbour storm was a hoax": 0, "Storm closes harbour schools": 0,
                     "Senate passes budget vote": 1, "Senate budget vote delayed": 1}  # fmt: skip
    assert bodies == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    # below the bound nothing merges on words: "Storm closes harbour schools" is its own story
    heads_apart, _ = fnc1_topics(TOPIC_PAIRS, merge_at=1.01)
    assert heads_apart["Storm closes harbour schools"] != heads_apart["Storm floods harbour"]


def test_topic_split_keeps_topics_headlines_and_bodies_on_one_side():
    train, dev, topic = topic_split(TOPIC_PAIRS, seed=0, fraction=0.3)
    assert (sorted(train), sorted(dev)) in (([0, 1, 2, 3, 8], [4, 5]), ([4, 5], [0, 1, 2, 3, 8]))
    assert topic[6] == topic[7] == -1  # unrelated pairs across the two sides are in neither
    assert not {TOPIC_PAIRS[i][0] for i in train} & {TOPIC_PAIRS[i][0] for i in dev}
    assert not {TOPIC_PAIRS[i][1] for i in train} & {TOPIC_PAIRS[i][1] for i in dev}
    assert topic_split(TOPIC_PAIRS, seed=0, fraction=0.3) == (train, dev, topic)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Cooper said so. Then he left!", ["Mr. Cooper said so.", "Then he left!"]),
        ("First line\n\nSecond “quoted.” Third one?", ["First line", "Second “quoted.”", "Third one?"]),
        ("U.S. officials met. 2 died.", ["U.S. officials met.", "2 died."]),
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_mark_target():
    assert mark_target("Critics slammed the mayor.", (20, 25)) == ("mayor", "Critics slammed the < mayor >.")
    assert mark_target("A fine day.", None) == ("", "A fine day.")


def test_cue_counts_whole_words():
    # "hoax", "not" and the phrase "not true"; "Hoaxes" and "No" are not cues
    assert count_cues("It's a hoax, not true. Hoaxes? No.", REFUTE_CUES) == 3


def test_stance_features_shape_and_evidence():
    rng = np.random.default_rng(0)
    d = 8
    sent_vecs = rng.normal(size=(3, d)).astype(np.float32)
    sent_vecs /= np.linalg.norm(sent_vecs, axis=1, keepdims=True)
    claim_vec = sent_vecs[2] * 0.9 + sent_vecs[0] * 0.1
    claim_vec /= np.linalg.norm(claim_vec)
    idf = Idf.fit(["apple buys tesla", "the cat sat", "tesla denies it"])
    sentences = ("The cat sat.", "Nothing here.", "Tesla denied that Apple buys it.")
    row, evidence = stance_features("Apple buys Tesla", sentences, claim_vec, sent_vecs, idf)
    assert row.shape == (len(SCALAR_NAMES) + 3 * d,) and row.dtype == np.float32
    assert evidence == 2
    empty, none = stance_features("Apple buys Tesla", (), claim_vec, np.zeros((0, d), np.float32), idf)
    assert empty.shape == row.shape and none is None


SENTENCES = (
    "Apple is said to be buying Tesla, according to reports.",  # hedged
    "Tesla denied that Apple would buy it.",  # a denial
    "The deal was announced on Monday.",  # neither
    "Apple will not buy Tesla, a spokesman said.",  # a negation next to the claim's words
)


def test_evidence_features_read_denials_and_negations_near_the_claim():
    sims = np.array([0.9, 0.8, 0.7, 0.6])
    row = dict(zip(EVIDENCE_NAMES, evidence_features("Apple buys Tesla", SENTENCES, sims), strict=True))
    assert row["negated_claim_words_top"] == 2  # "denied ... Apple", "Apple will not buy"
    assert row["denial_top_max"] == pytest.approx(0.8) and row["denial_any"] == 1
    assert row["sim_best_denial"] == pytest.approx(0.8) and row["sim_best_hedge"] == pytest.approx(0.9)
    assert row["share_top_denial"] == pytest.approx(1 / 4) and row["claim_question"] == 0


def test_the_evidence_sentence_carries_the_labels_sign():
    sims = np.array([0.9, 0.8, 0.7, 0.6])
    assert supporting_sentences("Apple buys Tesla", SENTENCES, sims) == {
        "agree": 2, "disagree": 1, "discuss": 0, "unrelated": 0}  # fmt: skip
    # without a sentence of the label's sign, the nearest
    assert supporting_sentences("Apple buys Tesla", SENTENCES[2:3], np.array([0.5]))["disagree"] == 0


class _Named:
    """Stands in for an encoder where a loader only checks which encoder it is given."""

    model_id = ENCODER_MINILM


def test_missing_heads_raise_with_hint(tmp_path):
    for load in (load_sentiment_head, lambda d: load_stance_head(d, _Named()),
                 lambda d: load_shared_sentiment(d, _Named())):  # fmt: skip
        with pytest.raises(ModelUnavailable, match="newsprism train --data"):
            load(tmp_path)


def test_a_head_of_one_family_is_not_loaded_as_the_other(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_id": "x", "kind": "shared-trunk"}))
    with pytest.raises(ModelUnavailable, match="shared-trunk"):
        load_sentiment_head(tmp_path)
    with pytest.raises(ModelUnavailable, match="needs the encoder"):
        load_stance_head(HEADS_DIR / FNC1_STANCE, type("Tiny", (), {"model_id": "encoder.tiny-bert.v1"})())


@pytest.mark.slow
def test_shipped_sentiment_head_on_clear_examples():
    head = load_sentiment_head(HEADS_DIR / SENTIMENT_ENSEMBLE)
    s1 = "The senator praised the firefighters for their heroic rescue."
    s2 = "Critics accused the mayor of lying about the corruption scandal."
    s3 = "The meeting is scheduled for Tuesday at the city hall."
    items = [
        SentimentInput(s1, (s1.index("firefighters"), s1.index("firefighters") + len("firefighters"))),
        SentimentInput(s2, (s2.index("the mayor"), s2.index("the mayor") + len("the mayor"))),
        SentimentInput(s3, None),
    ]
    results = head.predict(items)
    assert [r.label for r in results] == ["positive", "negative", "neutral"]
    for r in results:
        assert set(r.probs) == set(SENTIMENT_LABELS)
        assert r.score == pytest.approx(r.probs["positive"] - r.probs["negative"], abs=1e-5)


@pytest.mark.slow
def test_shipped_stance_head_on_clear_examples():
    head = load_stance_head(HEADS_DIR / FNC1_STANCE, get_encoder(ENCODER_MINILM))
    unrelated = StanceInput(
        "Apple to buy Tesla for 75 billion dollars",
        ("The recipe calls for two cups of flour.", "Bake the bread for forty minutes at 200 degrees."),
    )
    related = StanceInput(
        "ISIS beheads American journalist",
        ("Islamic State militants released a video showing the beheading of an American journalist.",
         "The journalist was kidnapped in Syria in 2012.",
         "Officials said the video appeared to be authentic."),
    )  # fmt: skip
    results = head.predict([unrelated, related])
    assert results[0].label == "unrelated"
    assert results[1].label != "unrelated"
    assert results[1].evidence == 0
    for r in results:
        assert set(r.probs) == set(STANCE_LABELS) and r.label in STANCE_LABELS


def _newsmtsc_file(path, rows):
    path.write_text("".join(json.dumps({"primary_gid": f"g{i}", "sentence_normalized": s, "targets": [
        {"from": s.index(m), "to": s.index(m) + len(m), "mention": m, "polarity": p}]}) + "\n"
        for i, (s, m, p) in enumerate(rows)))  # fmt: skip


def _toy_newsmtsc(tmp_path):
    """A NewsMTSC folder whose train and dev files hold the same four made-up targets."""
    rows = [("The mayor praised the brave nurses.", "nurses", 6.0),
            ("Critics attacked the corrupt minister.", "minister", 2.0),
            ("The council met on Tuesday.", "council", 4.0),
            ("Fans cheered the winning team.", "team", 6.0)]  # fmt: skip
    data = tmp_path / "newsmtsc"
    data.mkdir()
    for name in ("train.jsonl", "newsmtsc-mt_dev.jsonl", "newsmtsc-rw_dev.jsonl"):
        _newsmtsc_file(data / name, rows)
    return data, rows


@pytest.mark.slow
def test_sentiment_ensemble_trains_writes_and_loads(tmp_path):
    """Two one-epoch members on a handful of made-up sentences: the folders, config and card are written,
    the ensemble loads from them and averages its members (one member twice = that member)."""
    data, rows = _toy_newsmtsc(tmp_path)
    out = tmp_path / "heads"
    metrics = train_sentiment(data, out, seed=3, hparams={"epochs": 1, "batch_size": 2})
    head_dir = out / "sentiment.minilm-newsmtsc.v2"
    config = json.loads((head_dir / "config.json").read_text())
    assert config["members"] == ["seed3", "seed4"] and config["model_id"] == "sentiment.minilm-newsmtsc.v2"
    # every fine-tuned layer (all six by default) and the head, per member
    assert sorted(p.name for p in (head_dir / "seed3").iterdir()) == [
        "config.json",
        "head.safetensors",
        *(f"layer_{k}.safetensors" for k in range(6)),
    ]
    assert list(metrics["members"]) == ["seed3", "seed4"] and metrics["rw_dev"]["n"] == len(rows)
    assert "| seed4 | 4 | 1 |" in (out / "sentiment.minilm-newsmtsc.v2.md").read_text()

    ensemble = load_sentiment_head(head_dir)
    one = load_sentiment_head(head_dir / "seed3")
    assert ensemble.model_id == "sentiment.minilm-newsmtsc.v2" and len(ensemble.nets) == 2
    assert one.model_id == "sentiment.minilm-newsmtsc.v2/seed3"
    items = [SentimentInput(s, (s.index(m), s.index(m) + len(m))) for s, m, _ in rows] + [SentimentInput(rows[0][0])]
    p_ens, p3 = ensemble.predict_proba(items), one.predict_proba(items)
    p4 = load_sentiment_head(head_dir / "seed4").predict_proba(items)
    np.testing.assert_allclose(p_ens, (p3 + p4) / 2, atol=1e-5)
    twice = MiniLMSentiment([one.net, one.net], one.tokenizer, model_id="x")
    np.testing.assert_allclose(twice.predict_proba(items), p3, atol=1e-6)


@pytest.mark.slow
def test_local_profile_serves_the_v2_ensemble_and_v1_stays_loadable_by_its_id():
    assert get_profile("local").sentiment == "sentiment.minilm-newsmtsc.v2"
    v2 = get_sentiment("sentiment.minilm-newsmtsc.v2", ENCODER_MINILM)
    v1 = get_sentiment("sentiment.minilm-newsmtsc.v1", ENCODER_MINILM)
    assert (v2.model_id, [n.n_frozen for n in v2.nets]) == ("sentiment.minilm-newsmtsc.v2", [0, 0])
    assert (v1.model_id, [n.n_frozen for n in v1.nets]) == ("sentiment.minilm-newsmtsc.v1", [4])


@pytest.mark.slow
def test_shared_trunk_head_reuses_the_encoder_pass(tmp_path):
    """The local-fast head runs no encoder pass of its own: its target predictions equal running its own
    copy of MiniLM's bottom layers on the plain sentence; whole sentences read the encoder's vector; two
    targets in one sentence get their own predictions; saved and loaded it predicts the same."""
    encoder = build_encoder(ENCODER_MINILM)  # a private instance: the test counts its passes
    assert encoder.keep_layer == 5  # the local-fast profile pairs this encoder with the head
    calls = []
    encoder.model.register_forward_hook(lambda *_: calls.append(1))
    torch.manual_seed(0)
    net, tokenizer = build_shared_net()
    with torch.no_grad():
        net.target.normal_(std=0.5)
        net.classifier.weight.normal_(std=0.02)
    weight, bias = torch.randn(3, 384), torch.randn(3)
    head = SharedTrunkSentiment(net, weight, bias, encoder, model_id="test-shared")
    s1 = "Russia praised the Taliban while Washington condemned the Taliban takeover."
    s2 = "The meeting is scheduled for Tuesday."
    items = [SentimentInput(s1, (0, 6)), SentimentInput(s1, (33, 43)), SentimentInput(s2, None)]

    vectors = encoder.encode([s1, s2])  # as alignment does first, in a run
    assert len(calls) == 1
    probs = head.predict_proba(items)
    assert len(calls) == 1  # no pass of its own
    assert np.abs(probs[0] - probs[1]).max() > 1e-3  # two targets, two predictions
    whole = torch.softmax(torch.from_numpy(vectors[1]) @ weight.T + bias, dim=-1).numpy()
    np.testing.assert_allclose(probs[2], whole, atol=1e-6)

    batch = tokenizer([s1], return_tensors="pt", return_offsets_mapping=True)
    offsets = batch.pop("offset_mapping")[0]
    mask = batch["attention_mask"]
    sentence = torch.from_numpy(vectors[:1])
    with torch.no_grad():
        lower = net.lower(batch["input_ids"], mask, batch["token_type_ids"])  # the net's own bottom layers
        for item, p in zip(items[:2], probs[:2], strict=True):
            mention = mention_tokens(offsets, item.target).unsqueeze(0)
            logits = net.over_states(lower, mask, mention, sentence)
            np.testing.assert_allclose(p, torch.softmax(logits, -1)[0].numpy(), atol=5e-3)  # kept states: fp16
            # the top layer run for the mention's tokens only = the full layer's outputs at those tokens
            full = net.run_layers(lower + mention.unsqueeze(-1) * net.target, mask, net.encoder.encoder.layer[5:])
            target = full[0, mention[0]].mean(0, keepdim=True)
            expected = net.classifier(torch.cat([sentence * 384**0.5, target], dim=-1))
            torch.testing.assert_close(logits, expected, atol=1e-4, rtol=1e-4)

    save_shared_sentiment(net, weight, bias, tmp_path / "shared", {"model_id": "test-shared"})
    loaded = load_shared_sentiment(tmp_path / "shared", encoder)
    assert isinstance(loaded, SharedTrunkSentiment) and loaded.model_id == "test-shared"
    np.testing.assert_allclose(loaded.predict_proba(items), probs, atol=5e-3)  # fp16 weights


def _toy_corpus(path):
    """A corpus JSONL of one story: 3 sentences of 8-60 words with names, 1 too short, 1 naming nobody."""
    text = ("Senator Jane Smith praised the firefighters for their brave rescue on Monday night. "
            "Critics said Mayor Tom Brown had ignored the warnings from Anna Lee and Carl Diaz for months. "
            "Smith spoke briefly. The weather was mild and the roads were quiet for most of the week. "
            "Brown denied the claims in a short statement issued late on Tuesday evening.")  # fmt: skip
    path.write_text(json.dumps({"cluster_id": "c1", "articles": [{"source": "A", "content_original": text}]}) + "\n")
    return path


def test_transfer_mentions_are_the_first_two_names_of_every_long_enough_sentence(tmp_path):
    corpus = _toy_corpus(tmp_path / "corpus.jsonl")
    found = transfer_mentions(corpus, limit=100, seed=0)
    spans = sorted((x.sentence[x.target[0] : x.target[1]], x.sentence.split()[0]) for x in found)
    # a capitalised first word counts as a name here ("Critics"): the teacher labels it like any target
    assert spans == [("Brown", "Brown"), ("Critics", "Critics"), ("Jane Smith", "Senator"), ("Tom Brown", "Critics")]
    assert len(transfer_mentions(corpus, limit=2, seed=0)) == 2


@pytest.mark.slow
def test_shared_trunk_head_trains_writes_and_loads(tmp_path):
    """Without a teacher: v1's recipe, gold labels only."""
    data, rows = _toy_newsmtsc(tmp_path)
    out = tmp_path / "heads"
    metrics = train_shared_sentiment(data, out, seed=3, hparams={"epochs": 2, "batch_size": 2, "teacher": None})
    head_dir = out / SHARED_SENTIMENT
    assert sorted(p.name for p in head_dir.iterdir()) == [
        "config.json",
        "head.safetensors",
        "layer_5.safetensors",
        "sentence.safetensors",
    ]
    assert metrics["rw_dev"]["n"] == len(rows) and metrics["whole_sentence"]["rw_dev"]["n"] == len(rows)
    assert [h["epoch"] for h in metrics["history"]] == [1, 2] and metrics["transfer_targets"] == 0
    card = (out / f"{SHARED_SENTIMENT}.md").read_text()
    assert "rw_dev macro-F1" in card and "trained with cross-entropy on the gold labels" in card
    head = load_shared_sentiment(head_dir, get_encoder(ENCODER_MINILM))
    assert isinstance(head, SharedTrunkSentiment) and head.model_id == SHARED_SENTIMENT
    assert len(head.predict([SentimentInput(s, (s.index(m), s.index(m) + len(m))) for s, m, _ in rows])) == 4


@pytest.mark.slow
def test_shared_trunk_head_distils_the_teacher_on_training_and_transfer_targets(tmp_path):
    """With the shipped ensemble as the teacher: the transfer corpus's mentions join the training targets,
    and a loss of the teacher's probabilities alone (alpha 1) makes the head learn them."""
    data, rows = _toy_newsmtsc(tmp_path)
    corpus = _toy_corpus(tmp_path / "corpus.jsonl")
    out = tmp_path / "heads"
    hp = {"epochs": 3, "batch_size": 4, "transfer_corpus": str(corpus), "transfer": 3, "alpha": 1.0, "lr": 1e-3}
    metrics = train_shared_sentiment(data, out, seed=3, hparams=hp)
    assert metrics["transfer_targets"] == 3 and metrics["hparams"]["teacher"] == SENTIMENT_ENSEMBLE
    assert f"distilled from `{SENTIMENT_ENSEMBLE}`" in (out / f"{SHARED_SENTIMENT}.md").read_text()
    items = [x for x, _ in read_newsmtsc(data / "train.jsonl")] + transfer_mentions(corpus, 3, seed=3)
    teacher = load_sentiment_head(HEADS_DIR / SENTIMENT_ENSEMBLE).predict_proba(items)
    student = load_shared_sentiment(out / SHARED_SENTIMENT, get_encoder(ENCODER_MINILM)).predict_proba(items)
    assert (student.argmax(1) == teacher.argmax(1)).all()


def test_the_encoder_keeps_the_token_states_a_head_of_its_profiles_reads():
    """local-fast pairs MiniLM with a head that reads its states after layer 5, so MiniLM keeps them from
    when it is built (whichever task builds it first); tiny keeps none. Nothing switches it at run time."""
    from newsprism.models import registry

    profile = get_profile("local-fast")
    assert (profile.encoder, profile.sentiment) == (ENCODER_MINILM, "sentiment.minilm-shared.v2")
    assert {k: v for k, v in profile.as_dict().items() if k not in ("name", "sentiment")} == {
        k: v for k, v in get_profile("local").as_dict().items() if k not in ("name", "sentiment")
    }
    assert registry.SENTIMENT[profile.sentiment].reads_states == 5
    assert registry.kept_layer(ENCODER_MINILM) == 5
    assert registry.kept_layer("encoder.tiny-bert.v1") is None
    assert not hasattr(registry, "prepare")


def test_idf_vectors_are_memoised_for_the_most_recent_texts_only(monkeypatch):
    monkeypatch.setattr(features, "IDF_MEMO", 2)
    idf = Idf.fit(["the taliban government", "a regime", "government regime talks"])
    first = idf.vector("Taliban regime")
    assert idf.vector("Taliban regime") is first  # memoised
    talks = idf.vector("government talks")
    idf.vector("Taliban regime")  # used again: now the most recent
    idf.vector("regime talks")  # a third text: the least recently used ("government talks") leaves
    assert list(idf._memo) == ["Taliban regime", "regime talks"]
    again = idf.vector("government talks")
    assert again == talks and again is not talks  # computed anew, the same vector
    assert sum(v * v for v in again.values()) == pytest.approx(1.0)
