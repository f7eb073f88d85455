"""The "same point" decision: its features, the MSRP reader, the cross-encoder path (tiny model),
alignment's rows, `newsprism eval pairs` and training on a tiny fixture."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoTokenizer

from newsprism.cli import main
from newsprism.models import tiny
from newsprism.models.base import ModelUnavailable, PairInput
from newsprism.models.classifiers import Classifier
from newsprism.models.datasets import msrp_groups, read_msrp
from newsprism.models.pairs import (
    PAIR_FEATURES,
    CrossEncoderPairs,
    PairTemplate,
    pair_features,
    pair_inputs,
    truncated_lengths,
)
from newsprism.models.pretrained import minilm_path
from newsprism.models.profiles import ENCODER_TINY, TINY_PAIRS
from newsprism.models.registry import get_pairs
from newsprism.runners import story_batches
from newsprism.tasks.align import align_stories, top_candidates
from newsprism.text import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

HEADER = "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
ROWS = [
    ("1", "1", "2", 'He called it "the witness".', 'He said "the witness" twice.'),
    ("0", "3", "4", "Shares rose 5% on Monday.", "Shares fell 7% on Tuesday."),
    ("1", "2", "5", "Prices went up.", "Prices rose."),
    ("1", "6", "7", "The Senate passed the bill.", "The bill passed the Senate."),
]


def write_msrp(path, rows=ROWS):
    path.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_pair_features_on_exact_inputs():
    features = dict(zip(PAIR_FEATURES, pair_features("Obama met Putin in 2015 in Moscow.",
                                                      "Putin met Obama in 2016.", 0.8), strict=True))  # fmt: skip
    assert features == {
        "cosine": 0.8,
        "word_jaccard": 4 / 7,  # {obama, met, putin, in} of {obama, met, putin, in, 2015, moscow, 2016}
        "content_min": 3 / 4,  # content words {obama, met, putin, 2015, moscow} vs {putin, met, obama, 2016}
        "content_max": 3 / 5,
        "numbers_jaccard": 0.0,
        "numbers_differ": 1.0,
        "capitals_jaccard": 0.0,  # after the first word: {putin, moscow} vs {obama}
        "length_ratio": 5 / 7,
    }
    same = pair_features("No numbers here.", "No numbers here.", 1.0)
    assert same == [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]
    assert pair_features("", "Text.", 0.0) == [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0]


def test_msrp_reader_keeps_quotes_and_groups_pairs_that_share_a_sentence(tmp_path):
    rows = read_msrp(write_msrp(tmp_path / "msrp.txt"))
    assert [(r[0], r[1]) for r in rows][:2] == [
        (PairInput('He called it "the witness".', 'He said "the witness" twice.'), True),
        (PairInput("Shares rose 5% on Monday.", "Shares fell 7% on Tuesday."), False),
    ]
    assert msrp_groups(rows) == [0, 1, 0, 2]  # pairs 1 and 3 share sentence 2
    (tmp_path / "bad.txt").write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not an MSRP file"):
        read_msrp(tmp_path / "bad.txt")


def test_cross_encoder_reads_the_paraphrase_label_or_one_logit():
    clf = Classifier(tiny.build_classifier(["not_equivalent", "equivalent"]), tiny.build_tokenizer(), batch_size=2)
    model = CrossEncoderPairs("pairs.test", clf, threshold=0.5)
    assert model.positive_index() == 1
    items = [PairInput("A man ate.", "A man was eating."), PairInput("Rain.", "Stocks fell sharply.")] * 3
    probs = model.predict_proba(items)
    assert probs.shape == (6,) and np.allclose(probs[::2], probs[0]) and np.all((probs > 0) & (probs < 1))
    with_threshold = CrossEncoderPairs("pairs.test", clf, threshold=float(probs[0]))
    assert [r.same_point for r in with_threshold.predict(items[:2])] == [True, probs[1] >= probs[0]]
    single = CrossEncoderPairs("pairs.test", Classifier(tiny.build_classifier(["score"]), tiny.build_tokenizer()))
    assert single.positive_index() is None and single.predict_proba(items).shape == (6,)


def test_top_candidates_are_the_k_most_similar_above_the_bound():
    sims = np.array([[0.9, 0.5, 0.7, 0.1], [0.2, 0.3, 0.35, 0.1]])
    assert top_candidates(sims, k=2, min_cosine=0.4).tolist() == [
        [True, False, True, False],
        [False, False, False, False],
    ]
    assert top_candidates(sims, k=3, min_cosine=0.3).tolist() == [
        [True, True, True, False],
        [False, True, True, False],
    ]


def test_align_rows_carry_the_pairs_models_decision(tmp_path):
    a = {"article_id": "a", "sentences": ["Russia recognised the Taliban.", "Kabul welcomed it.", "Other news."]}
    b = {"article_id": "b", "sentences": ["Moscow recognised the Taliban government.", "Markets fell."]}
    (out,) = align_stories([[a, b]], ENCODER_TINY, TINY_PAIRS, str(tmp_path))  # type: ignore[list-item]
    assert out["computed"] == {"align": 2} and len(out["rows"]) == 5
    model = get_pairs(TINY_PAIRS, ENCODER_TINY)
    for row in out["rows"]:
        src, dst = (a, b) if row["article_id"] == "a" else (b, a)
        pair = (src["sentences"][row["sentence_no"]], dst["sentences"][row["other_sentence_no"]])
        (expected,) = model.predict([PairInput(*pair)])
        assert row["pairs_model_id"] == TINY_PAIRS and row["model_id"] == ENCODER_TINY
        if row["same_point_score"] is None:  # no candidate reached the bound
            assert row["same_point"] is False
        else:
            assert (row["same_point"], row["same_point_score"]) == (expected.same_point, round(expected.score, 6))
    again = align_stories([[a, b]], ENCODER_TINY, TINY_PAIRS, str(tmp_path))[0]  # type: ignore[list-item]
    assert again["cached"] == {"align": 2} and again["rows"] == out["rows"]


def test_eval_pairs_prints_accuracy_f1_and_the_majority_baseline(tmp_path, capsys):
    path = write_msrp(tmp_path / "pairs.txt")
    assert main(["eval", "pairs", str(path), "--profile", "tiny"]) == 0
    out = json.loads(capsys.readouterr().out)
    results = get_pairs(TINY_PAIRS, ENCODER_TINY).predict([r[0] for r in read_msrp(path)])
    pred = [r.same_point for r in results]
    gold = [True, False, True, True]
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    f1 = 2 * tp / (sum(pred) + sum(gold)) if sum(pred) + sum(gold) else 0.0
    assert out["model_id"] == TINY_PAIRS and out["pairs"] == 4 and out["majority_accuracy"] == 0.75
    assert out["accuracy"] == sum(p == g for p, g in zip(pred, gold, strict=True)) / 4
    assert out["f1"] == round(f1, 4)


TRAIN_ROWS = [  # labels 1, 1, 0, 0, ...: each of GroupKFold's two folds gets both labels
    ("1", "11", "12", "The company said profit rose 10 percent.", "Profit rose 10 percent, the company said."),
    ("1", "15", "16", "Police arrested two men on Friday.", "Two men were arrested by police on Friday."),
    ("0", "13", "14", "The senator voted against the bill.", "The weather in Boston was cold on Monday."),
    ("0", "17", "18", "Oil prices fell sharply.", "The team won its third straight game."),
    ("1", "19", "20", "The court upheld the ruling.", "The ruling was upheld by the court."),
    ("1", "23", "24", "He resigned as chairman in May.", "In May he stepped down as chairman."),
    ("0", "21", "22", "Microsoft released a patch.", "Farmers expect a large harvest this year."),
    ("0", "25", "26", "The storm killed three people.", "Shares of Apple closed higher."),
]


def test_train_pairs_on_a_tiny_fixture_writes_a_loadable_head_and_card(tmp_path):
    from newsprism.models.pairs import load_pairs_head
    from newsprism.models.registry import get_encoder
    from newsprism.models.trainers import PAIRS_EMBEDDING_CANDIDATES, THRESHOLDS, train_pairs

    data = write_msrp(tmp_path / "msrp_train.txt", TRAIN_ROWS)
    metrics = train_pairs(data, tmp_path / "heads", hparams={"folds": 2, "candidates": PAIRS_EMBEDDING_CANDIDATES[:2]})
    cv = metrics["cv"]
    assert (cv["pairs"], cv["folds"], cv["majority_accuracy"]) == (8, 2, 0.5)
    assert len(cv["per_fold"]) == 2 and cv["threshold"] in THRESHOLDS
    assert cv["accuracy"] == round(sum(f["accuracy"] for f in cv["per_fold"]) / 2, 4)
    head_dir = tmp_path / "heads" / "pairs.minilm-msrp.v1"
    assert sorted(p.name for p in head_dir.iterdir()) == ["config.json", "head.safetensors"]
    assert "Cross-validated scores" in (tmp_path / "heads" / "pairs.minilm-msrp.v1.md").read_text()
    head = load_pairs_head(head_dir, get_encoder("encoder.minilm-l6-v2.v1"))
    items = [PairInput(a, b) for _, _, _, a, b in TRAIN_ROWS]
    results = head.predict(items)
    assert [r.same_point for r in results] == [r.score >= cv["threshold"] for r in results]
    assert head.predict([]) == []


def test_cross_encoder_head_trains_saves_only_its_top_layers_and_loads(tmp_path):
    from newsprism.models.pairs import MiniLMPairs, load_pairs_head
    from newsprism.models.registry import get_encoder
    from newsprism.models.trainers import train_pairs

    data = write_msrp(tmp_path / "msrp_train.txt", TRAIN_ROWS)
    hp = {"kind": "cross-encoder", "folds": 2, "epochs": 1, "n_frozen": 5, "batch_size": 4}
    metrics = train_pairs(data, tmp_path / "heads", hparams=hp)
    assert metrics["cv"]["epoch"] == 1 and len(metrics["cv"]["per_fold"]) == 2
    head_dir = tmp_path / "heads" / "pairs.minilm-msrp.v1"
    assert sorted(p.name for p in head_dir.iterdir()) == ["config.json", "head.safetensors", "layer_5.safetensors"]
    head = load_pairs_head(head_dir, get_encoder("encoder.minilm-l6-v2.v1"))
    assert isinstance(head, MiniLMPairs)
    items = [PairInput(a, b) for _, _, _, a, b in TRAIN_ROWS[:3]]
    first, again = head.predict_proba(items), head.predict_proba(items[::-1])[::-1]
    assert np.allclose(first, again, atol=1e-5) and np.all((first > 0) & (first < 1))


def test_cascade_asks_the_cross_encoder_only_inside_its_band_over_both_orders(tmp_path):
    from newsprism.models.pairs import CascadePairs, EmbeddingPairs, load_pairs_head
    from newsprism.models.registry import get_encoder
    from newsprism.models.trainers import CASCADE_BANDS, THRESHOLDS, cascade_probs, train_cascade_pairs, train_pairs

    data = write_msrp(tmp_path / "msrp_train.txt", TRAIN_ROWS)
    heads = tmp_path / "heads"
    with pytest.raises(ModelUnavailable, match="train 'pairs' first"):
        train_cascade_pairs(data, heads)
    train_pairs(data, heads, hparams={"folds": 2})
    hp = {"folds": 2, "epochs": 1, "n_frozen": 5, "batch_size": 4}
    cv = train_cascade_pairs(data, heads, hparams=hp)["cv"]
    assert (cv["epoch"], len(cv["per_fold"]), tuple(cv["band"]) in CASCADE_BANDS, cv["threshold"] in THRESHOLDS) == (
        1, 2, True, True)  # fmt: skip
    head_dir = heads / "pairs.minilm-msrp-cascade.v1"
    assert sorted(p.name for p in head_dir.iterdir()) == ["config.json", "head.safetensors", "layer_5.safetensors"]
    assert "Cross-validated scores" in (heads / "pairs.minilm-msrp-cascade.v1.md").read_text()
    head = load_pairs_head(head_dir, get_encoder("encoder.minilm-l6-v2.v1"))
    assert isinstance(head, CascadePairs) and isinstance(head.first, EmbeddingPairs)
    items = [PairInput(a, b) for _, _, _, a, b in TRAIN_ROWS]
    # a band set by hand: the cross-encoder's symmetrised p is blended in exactly where the first head is unsure
    p_first = head.first.predict_proba(items)
    head.band, head.blend = (float(np.sort(p_first)[2]), float(np.sort(p_first)[5])), 0.75
    forward = head.second.predict_proba(items)
    backward = head.second.predict_proba([PairInput(it.b, it.a) for it in items])
    expected = cascade_probs(p_first, (forward + backward) / 2, head.band, head.blend)
    inside = (p_first >= head.band[0]) & (p_first <= head.band[1])
    assert inside.sum() == 4 and np.allclose(head.predict_proba(items)[~inside], p_first[~inside])
    assert np.allclose(head.predict_proba(items), expected, atol=1e-5)
    assert [r.same_point for r in head.predict(items)] == [bool(p >= head.threshold) for p in expected]


def test_eval_pairs_cv_prints_the_cross_validated_figures(tmp_path, capsys):
    data = write_msrp(tmp_path / "msrp_train.txt", TRAIN_ROWS)
    assert main(["eval", "pairs", str(data), "--cv", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["pairs"], out["folds"], out["majority_accuracy"]) == (8, 2, 0.5)
    assert out["hparams"]["kind"] == "embedding" and len(out["per_fold"]) == 2
    assert out["accuracy"] == round(sum(f["accuracy"] for f in out["per_fold"]) / 2, 4)
    assert main(["eval", "pairs", str(data), "--cv", "1"]) == 2
    assert "--cv needs at least 2 folds" in capsys.readouterr().err


def seed_sentences(n: int = 40) -> list[str]:
    """Real news sentences: the first `n` of the seed articles, split by the project's splitter."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return [s for text in texts for s in split_sentences(text)][:n]


def minilm_tokenizer():
    return AutoTokenizer.from_pretrained(minilm_path(), local_files_only=True)


@pytest.mark.parametrize(
    ("which", "max_length"), [("tiny", 128), ("tiny", 61), ("minilm", 32), ("minilm", 25), ("minilm", 512)]
)
def test_pairs_assembled_from_token_ids_equal_the_tokenizers_pair_encoding(which, max_length):
    tokenizer = tiny.build_tokenizer() if which == "tiny" else minilm_tokenizer()
    sentences = seed_sentences()
    pairs = [(a, b) for a in sentences[:12] for b in sentences[12:]]
    template = PairTemplate.of(tokenizer)
    ids = {s: tokenizer(s, add_special_tokens=False)["input_ids"] for s in sentences}
    built = pair_inputs(tokenizer, template, [(ids[a], ids[b]) for a, b in pairs], max_length)
    expected = tokenizer([a for a, _ in pairs], [b for _, b in pairs], padding=True, truncation=True,
                         max_length=max_length, return_tensors="pt")  # fmt: skip
    assert sorted(built) == sorted(expected.keys())
    for key, value in expected.items():
        assert torch.equal(built[key], value), key
    budget = max_length - template.n_special
    cut = [truncated_lengths(len(ids[a]), len(ids[b]), budget) != (len(ids[a]), len(ids[b])) for a, b in pairs]
    both = [min(truncated_lengths(len(ids[a]), len(ids[b]), budget)) < min(len(ids[a]), len(ids[b])) for a, b in pairs]
    if max_length == 512:
        assert not any(cut)
    else:  # pairs that needed truncation, some of them on both sides
        assert sum(cut) > len(pairs) // 4 and any(both)


def test_truncated_lengths_follow_the_tokenizer_on_every_length_pair():
    tokenizer = tiny.build_tokenizer()  # character-level: "x" * n is n tokens
    template = PairTemplate.of(tokenizer)
    assert (template.prefix, template.middle, template.suffix, template.types) == ((2,), (3,), (3,), None)
    for max_length in (13, 14):
        for n_a in range(1, 16):  # ("", ...) is no pair to the tokenizer; a sentence is never empty
            for n_b in range(1, 16):
                encoded = tokenizer("x" * n_a, "y" * n_b, truncation=True, max_length=max_length)["input_ids"]
                sep = encoded.index(3)
                assert truncated_lengths(n_a, n_b, max_length - 3) == (sep - 1, len(encoded) - sep - 2)


def test_cross_encoder_tokenises_each_sentence_once_and_scores_as_the_classifier_does():
    clf = Classifier(tiny.build_cross_encoder(), tiny.build_tokenizer(), max_length=64, batch_size=4)
    model = CrossEncoderPairs("pairs.test", clf)
    sentences = seed_sentences(12)
    items = [PairInput(a, b) for a in sentences[:4] for b in sentences[4:]]
    probs = model.predict_proba(items)
    expected = clf.probabilities([it.a for it in items], [it.b for it in items])[:, 1]
    assert np.allclose(probs, expected, atol=1e-6)
    assert list(model._ids) == list(dict.fromkeys([it.a for it in items] + [it.b for it in items]))
    small = CrossEncoderPairs("pairs.test", clf, max_kept=5)
    assert np.allclose(small.predict_proba(items), expected, atol=1e-6) and len(small._ids) == 5


def test_story_batches_keep_story_order_and_bound_the_articles():
    stories = [[{"article_id": f"{s}-{i}"} for i in range(n)] for s, n in enumerate([3, 2, 4, 1, 6, 1])]
    batches = story_batches(stories, 5)
    assert batches == [[0, 1], [2, 3], [4], [5]]
    assert [[len(stories[i]) for i in batch] for batch in batches] == [[3, 2], [4, 1], [6], [1]]
    assert story_batches([], 5) == []
    with pytest.raises(ValueError, match="at least 1 article"):
        story_batches(stories, 0)


def test_aligning_in_story_batches_gives_the_rows_of_one_batch():
    sentences = seed_sentences(24)
    stories = [
        [{"article_id": f"s{s}-a{a}", "sentences": sentences[(s + a) % 4 * 6 : (s + a) % 4 * 6 + 6]} for a in range(n)]
        for s, n in enumerate([2, 3, 2])
    ]
    whole = align_stories(stories, ENCODER_TINY, TINY_PAIRS)  # type: ignore[arg-type]
    assert align_stories(stories, ENCODER_TINY, TINY_PAIRS, batch_articles=2) == whole  # type: ignore[arg-type]
    assert [out["computed"] for out in whole] == [{"align": 2}, {"align": 6}, {"align": 2}]
    assert [len(out["rows"]) for out in whole] == [12, 36, 12]  # 6 sentences per article and other article
