"""The trainers on a handful of examples: the shared epoch loop, and the stance trainer end to end on a
made-up FNC-1 folder with a stand-in encoder (no MiniLM, a few seconds)."""

from __future__ import annotations

import csv
import hashlib
import random

import numpy as np
import pytest
import torch

from newsprism.models.base import STANCE_LABELS, ModelUnavailable, StanceInput
from newsprism.models.metrics import classification_report
from newsprism.models.profiles import ENCODER_MINILM, FNC1_STANCE, FNC1_STANCE_CROSS
from newsprism.models.stance_cross import CrossStance, claim_sims, combine, cross_probs, evidence_text, load_stance
from newsprism.models.stance_fnc1 import load_stance_head, stance_matrix
from newsprism.models.trainers import CROSS_BLENDS, fit_epochs, length_batches, train_cross_stance, train_stance

HP = {"epochs": 3, "batch_size": 2, "lr": 1e-2, "head_lr": 1e-1, "weight_decay": 0.0, "warmup": 0.1}


def _toy_problem():
    """Eight examples of two features, the label the sign of the first; a linear 'body' and 'head'."""
    torch.manual_seed(0)
    x = torch.tensor([[1.0, 0.2], [2.0, -0.1], [0.5, 0.3], [1.5, 0.0],
                      [-1.0, 0.1], [-2.0, 0.2], [-0.5, -0.3], [-1.5, 0.0]])  # fmt: skip
    y = torch.tensor([1, 1, 1, 1, 0, 0, 0, 0])
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Linear(4, 2))
    return x, y, net


def _fit(seed: int):
    x, y, net = _toy_problem()
    labels = ["neg", "pos"]
    snapshots = []

    def evaluate():
        with torch.no_grad():
            pred = [labels[k] for k in net(x).argmax(1).tolist()]
        snapshots.append({k: v.clone() for k, v in net.state_dict().items()})
        gold = [labels[k] for k in y.tolist()]
        report = classification_report(gold, pred, labels)
        return {"mt_dev": report, "rw_dev": classification_report(gold[:4], pred[:4], labels)}

    calls = []
    fit = fit_epochs(net, list(net[0].parameters()), list(net[1].parameters()), [3, 5, 2, 4, 3, 5, 2, 4],
                     lambda idx: torch.nn.functional.cross_entropy(net(x[idx]), y[idx]), evaluate, HP,
                     random.Random(seed), lambda stage, done, total: calls.append((stage, done, total)),
                     history_scores=("macro_f1", "accuracy"))  # fmt: skip
    return fit, net, snapshots, calls


def test_the_epoch_loop_keeps_the_best_epoch_and_is_reproducible():
    fit, net, snapshots, calls = _fit(seed=1)
    assert [h["epoch"] for h in fit.history] == [1, 2, 3]
    assert list(fit.history[0]) == ["epoch", "seconds", "mt_dev_macro_f1", "rw_dev_macro_f1", "mt_dev_accuracy",
                                    "rw_dev_accuracy"]  # fmt: skip
    best = max(fit.history, key=lambda h: h["mt_dev_macro_f1"])
    assert fit.selected_epoch == best["epoch"]
    assert fit.best["mt_dev"]["macro_f1"] == best["mt_dev_macro_f1"]
    assert not net.training  # left in eval mode ...
    for key, value in net.state_dict().items():  # ... holding the selected epoch's weights
        torch.testing.assert_close(value, snapshots[fit.selected_epoch - 1][key])
    assert calls[:4] == [("epoch 1/3", k, 4) for k in (1, 2, 3, 4)]  # 8 examples in batches of 2
    again, net2, _, _ = _fit(seed=1)
    assert [h["mt_dev_macro_f1"] for h in again.history] == [h["mt_dev_macro_f1"] for h in fit.history]
    for a, b in zip(net.parameters(), net2.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def test_length_batches_cover_every_example_once():
    batches = length_batches([5, 1, 4, 2, 3, 9, 7], 3, random.Random(0))
    assert sorted(i for b in batches for i in b) == list(range(7))
    assert all(1 <= len(b) <= 3 for b in batches)


class HashEncoder:
    """A deterministic stand-in for MiniLM: unit vectors from a hash of the text."""

    model_id = ENCODER_MINILM

    def encode(self, texts, progress=None):
        rows = [np.frombuffer(hashlib.blake2b(t.encode(), digest_size=32).digest(), np.uint8)[:8] for t in texts]
        vectors = np.array(rows, np.float32) - 127.5
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _toy_fnc1(folder, n_bodies=40):
    folder.mkdir()
    rng = random.Random(0)
    topics = ["storm", "election", "vaccine", "merger", "festival"]
    with open(folder / "train_bodies.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        for b in range(n_bodies):
            topic = topics[b % len(topics)]
            w.writerow([b, f"The {topic} was reported on Monday. Officials confirmed the {topic} news. "
                           f"Some deny it is true."])  # fmt: skip
    with open(folder / "train_stances.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        for b in range(n_bodies):
            for label in STANCE_LABELS:
                topic = topics[(b + (label == "unrelated")) % len(topics)]
                w.writerow([f"{topic.title()} {rng.choice(['hits', 'shakes', 'ends'])} town", b, label])
    return folder


# five topics of 8 bodies, each body with 3 related pairs and 1 unrelated (the next topic's headline): dev is one
# topic (24 related pairs = 20 %); the 16 unrelated pairs between dev and training topics are left out
TRAIN_PAIRS, DEV_PAIRS = 4 * 24 + 3 * 8, 24


@pytest.mark.filterwarnings("ignore::UserWarning")  # LightGBM on a handful of rows
def test_the_stance_trainer_writes_a_head_that_loads_and_predicts(tmp_path):
    data = _toy_fnc1(tmp_path / "fnc1")
    out = tmp_path / "heads"
    metrics = train_stance(data, out, seed=0, encode=HashEncoder().encode)
    assert metrics["model_id"] == FNC1_STANCE
    assert (metrics["train_pairs"], metrics["heldout_pairs"]) == (TRAIN_PAIRS, DEV_PAIRS) and metrics["n"] == DEV_PAIRS
    assert 0.0 <= metrics["fnc_score"] <= 100.0
    assert metrics["cv"]["folds"] == 4 and len(metrics["cv"]["candidates"]) == 4  # 4 training topics
    assert metrics["scale"][2:] == [1.0, 1.0]
    assert (out / f"{FNC1_STANCE}.md").read_text().startswith(f"# {FNC1_STANCE}")
    head = load_stance_head(out / FNC1_STANCE, HashEncoder())
    (result,) = head.predict([StanceInput("Storm hits town", ("The storm was reported.", "Nothing else."))])
    assert result.label in STANCE_LABELS and set(result.probs) == set(STANCE_LABELS)


@pytest.mark.filterwarnings("ignore::UserWarning")  # LightGBM on a handful of rows
def test_the_cross_stance_trainer_writes_a_v4_head_over_v3_that_loads_and_predicts(tmp_path):
    data = _toy_fnc1(tmp_path / "fnc1")
    out = tmp_path / "heads"
    with pytest.raises(ModelUnavailable, match="train 'stance' first"):
        train_cross_stance(data, out, seed=0, encode=HashEncoder().encode)
    train_stance(data, out, seed=0, encode=HashEncoder().encode)
    metrics = train_cross_stance(data, out, seed=0, encode=HashEncoder().encode,
                                 hparams={"epochs": 2, "n_frozen": 5, "batch_size": 8})  # fmt: skip
    assert metrics["model_id"] == FNC1_STANCE_CROSS and metrics["first"] == FNC1_STANCE
    assert (metrics["train_pairs"], metrics["n"]) == (TRAIN_PAIRS, DEV_PAIRS)
    sel = metrics["selection"]
    # 4 training topics: one is held out (its 24 related + 8 unrelated pairs), three train the cross-encoder
    assert (sel["held_out_topics"], sel["held_out_pairs"], sel["fit_related"]) == (1, 32, 72)
    assert len(sel["grid"]) == 2 * len(CROSS_BLENDS) and sel["chosen"]["macro_f1"] >= sel["lgb_only"]["macro_f1"]
    files = sorted(p.name for p in (out / FNC1_STANCE_CROSS).iterdir())
    assert files == ["config.json", "head.safetensors", "layer_5.safetensors"]  # only what was trained
    assert (out / f"{FNC1_STANCE_CROSS}.md").read_text().startswith(f"# {FNC1_STANCE_CROSS}")
    head = load_stance(out / FNC1_STANCE_CROSS, HashEncoder())
    assert isinstance(head, CrossStance) and head.blend == metrics["blend"] and list(head.scale) == metrics["scale"]
    items = [
        StanceInput("Storm hits town", ("The storm was reported.", "Officials denied the storm news.")),
        StanceInput("Merger ends town", ("The festival was reported on Monday.",)),
        StanceInput("Storm", ()),
    ]
    probs, evidence = head.predict_proba(items)
    # v3's stages, and the cross-encoder only where p(related) reaches min_related and the body has sentences
    first = load_stance_head(out / FNC1_STANCE, HashEncoder())
    X, v3_evidence = stance_matrix(items, HashEncoder().encode, first.idf)
    p_related = first.boosters["related"].predict(X[:, : first.boosters["related"].num_feature()])
    p_lgb = first.boosters["related_class"].predict(X[:, : first.boosters["related_class"].num_feature()])
    p_cross = p_lgb.copy()
    for i, it in enumerate(items):
        if p_related[i] >= head.min_related and it.sentences:
            ev = evidence_text(it.sentences, claim_sims([it], HashEncoder())[0])
            p_cross[i] = cross_probs(head.net, head.tokenizer, [it.claim], [ev], head.max_length)[0]
    assert not np.allclose(p_cross[0], p_lgb[0])  # the first pair was read by the cross-encoder
    np.testing.assert_allclose(probs, combine(p_related, p_lgb, p_cross, head.blend, head.scale), rtol=1e-5)
    assert evidence == v3_evidence and evidence[2] is None
    results = head.predict(items)
    assert [r.label for r in results] == [STANCE_LABELS[k] for k in probs.argmax(1)]
    assert all(sum(r.probs.values()) == pytest.approx(1.0, abs=1e-5) for r in results)
