"""Training of the `local` profiles' heads on public data: plain, seeded functions (no Prefect).

    train_stance(data_dir, out_dir)            FNC-1    -> models/heads/stance.minilm-fnc1.v3/
    train_cross_stance(data_dir, out_dir)      FNC-1    -> models/heads/stance.minilm-fnc1-cross.v4/ (over v3)
    train_sentiment(data_dir, out_dir)         NewsMTSC -> models/heads/sentiment.minilm-newsmtsc.v2/ (seed0/, seed1/)
    train_shared_sentiment(data_dir, out_dir)  NewsMTSC -> models/heads/sentiment.minilm-shared.v2/ (+ AllSides)
    train_attitude(data_dir, out_dir)          BASIL    -> models/heads/attitude.basil-calibrated.v1/

`data_dir` is the root of the shared data (`../shared/data`, holding sentiment/newsmtsc and stance/fnc1)
or the dataset folder itself. Nothing is copied from it. Each writes its head and a model card
`<model_id>.md` into `out_dir` and returns its metrics. Both sentiment trainers run one epoch loop
(`fit_epochs`); `TRAINERS` names them for the CLI, the task and the flow (`profiles.HEAD_NAMES`).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import lightgbm as lgb
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from newsprism.models import HEADS_DIR
from newsprism.models.attitude_training import train_attitude
from newsprism.models.base import (
    SENTIMENT_LABELS,
    STANCE_LABELS,
    Encoder,
    ModelUnavailable,
    PairInput,
    SentimentInput,
    StanceInput,
)
from newsprism.models.cards import (
    cascade_card,
    cross_stance_card,
    ensemble_card,
    pairs_card,
    shared_card,
    stance_card,
    write_card,
)
from newsprism.models.datasets import (
    NEWSMTSC_DEVS,
    TOPIC_DEV_FRACTION,
    Labelled,
    corpus_file,
    fnc1_dir,
    fnc1_fingerprint,
    fnc1_items,
    msrp_file,
    msrp_groups,
    newsmtsc_dir,
    newsmtsc_splits,
    read_fnc1,
    read_msrp,
    read_newsmtsc,
    single_polarity,
    topic_split,
    transfer_mentions,
)
from newsprism.models.features import MAX_SENTENCES, SCALAR_NAMES, Idf
from newsprism.models.metrics import classification_report, fnc_score
from newsprism.models.ner_training import train_ner
from newsprism.models.pairs import (
    PAIR_FEATURES,
    EmbeddingPairs,
    PairsNet,
    build_pairs_net,
    embedding_matrix,
    feature_matrix,
    pair_batch,
    pair_cosines,
    save_embedding_head,
    save_pairs_head,
)
from newsprism.models.pairs import (
    pad_states as pad_pair_states,
)
from newsprism.models.profiles import (
    ENCODER_MINILM,
    FNC1_STANCE,
    FNC1_STANCE_CROSS,
    PAIRS_CASCADE,
    PAIRS_HEAD,
    SENTIMENT_ENSEMBLE,
    SHARED_SENTIMENT,
    HeadName,
)
from newsprism.models.registry import get_encoder
from newsprism.models.sentiment_newsmtsc import (
    MiniLMSentiment,
    SentimentNet,
    build_sentiment_net,
    load_sentiment_head,
    pad_states,
    save_sentiment_head,
    sentiment_batch,
    sentiment_ensemble,
)
from newsprism.models.sentiment_shared import (
    SHARED_LAYER,
    SharedTrunkSentiment,
    build_shared_net,
    mention_tokens,
    save_shared_sentiment,
)
from newsprism.models.split_minilm import SplitMiniLM, save_trained
from newsprism.models.stance_cross import (
    RELATED,
    CrossStance,
    build_stance_net,
    claim_sims,
    combine,
    evidence_text,
    stance_pair_batch,
)
from newsprism.models.stance_fnc1 import (
    STAGES,
    load_stance_head,
    rescale,
    save_stance_head,
    stance_matrix,
    stance_probs,
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Metrics = dict[str, Any]
Report = dict[str, Any]  # metrics.classification_report


def _noop(stage: str, done: int, total: int) -> None:
    pass


class Trainer(Protocol):
    def __call__(self, data_dir: str | Path, out_dir: str | Path, seed: int = 0, progress: Progress = _noop,
                 ) -> Metrics: ...  # fmt: skip


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# --- the epoch loop both sentiment trainers share ----------------------------------------------------------


def length_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
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


def adamw(body: list[torch.nn.Parameter], head: list[torch.nn.Parameter], hp: dict[str, Any], steps_per_epoch: int,
          ) -> tuple[torch.optim.AdamW, torch.optim.lr_scheduler.LambdaLR]:  # fmt: skip
    """AdamW (body and head learning rates) and a linear warm-up then linear decay over every step."""
    opt = torch.optim.AdamW([{"params": body, "lr": hp["lr"]}, {"params": head, "lr": hp["head_lr"]}],
                            weight_decay=hp["weight_decay"])  # fmt: skip
    total = steps_per_epoch * hp["epochs"]
    warm = int(hp["warmup"] * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, warm)) * max(0.0, (total - s) / max(1, total - warm))
    )
    return opt, sched


def optimizer_step(loss: torch.Tensor, params: list[torch.nn.Parameter], opt: torch.optim.Optimizer,
                   sched: torch.optim.lr_scheduler.LRScheduler) -> None:  # fmt: skip
    """One training step: backpropagate `loss`, clip the gradients of `params` to norm 1, step the optimiser
    and its schedule, clear the gradients."""
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    sched.step()
    opt.zero_grad()


@dataclass
class Fit:
    history: list[dict[str, Any]]  # per epoch: its number, seconds and dev scores
    best: dict[str, Report]  # the selected epoch's dev reports, by dev set
    selected_epoch: int


def fit_epochs(
    net: torch.nn.Module,
    body: list[torch.nn.Parameter],
    head: list[torch.nn.Parameter],
    lengths: Sequence[int],
    batch_loss: Callable[[list[int]], torch.Tensor],
    evaluate: Callable[[], dict[str, Report]],
    hp: dict[str, Any],
    rng: random.Random,
    progress: Progress = _noop,
    history_scores: Sequence[str] = ("macro_f1",),
) -> Fit:
    """Train `net` for `hp["epochs"]` epochs over examples of the given token `lengths` (batches of similar
    length, from `rng`): `batch_loss(example indices)` per step, AdamW with warm-up (`body` and `head`
    learning rates), gradients clipped to norm 1. After each epoch `evaluate()` scores the dev sets; the
    epoch with the best mt_dev macro-F1 is kept (rw_dev is never used for a choice). `net` ends in eval
    mode with that epoch's weights; the history lists `history_scores` of every dev set per epoch."""
    steps_per_epoch = -(-len(lengths) // hp["batch_size"])
    opt, sched = adamw(body, head, hp, steps_per_epoch)
    history: list[dict[str, Any]] = []
    best, best_state, best_scores = -1.0, None, {}
    for epoch in range(hp["epochs"]):
        net.train()
        t_epoch = time.time()
        for step, batch_idx in enumerate(length_batches(lengths, hp["batch_size"], rng)):
            optimizer_step(batch_loss(batch_idx), body + head, opt, sched)
            progress(f"epoch {epoch + 1}/{hp['epochs']}", step + 1, steps_per_epoch)
        seconds = time.time() - t_epoch
        net.eval()
        scores = evaluate()
        dev = {f"{name}_{key}": s[key] for key in history_scores for name, s in scores.items()}
        history.append({"epoch": epoch + 1, "seconds": round(seconds, 1), **dev})
        if scores["mt_dev"]["macro_f1"] > best:
            best, best_scores = scores["mt_dev"]["macro_f1"], scores
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    if best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    selected = max(history, key=lambda h: h["mt_dev_macro_f1"])["epoch"]
    return Fit(history, best_scores, selected)


class _Scored(Protocol):
    def predict_proba(self, items: Sequence[SentimentInput]) -> np.ndarray: ...


def sentiment_scores(model: _Scored, data: Labelled) -> Report:
    probs = model.predict_proba([x for x, _ in data])
    pred = [SENTIMENT_LABELS[k] for k in probs.argmax(1)]
    return classification_report([g for _, g in data], pred, SENTIMENT_LABELS)


def _trainable_from(net: torch.nn.Module, first_layer: int, extra: Callable[[str], bool],
                    ) -> tuple[list[torch.nn.Parameter], list[torch.nn.Parameter]]:  # fmt: skip
    """Freeze all but MiniLM's layers from `first_layer` up and the non-encoder parameters `extra` names;
    returns the trained (body, head) parameters."""
    for name, p in net.named_parameters():
        layer = int(name.split(".")[3]) if name.startswith("encoder.encoder.layer.") else -1
        p.requires_grad = extra(name) or layer >= first_layer
    body = [p for n, p in net.named_parameters() if p.requires_grad and n.startswith("encoder.")]
    head = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("encoder.")]
    return body, head


# --- sentiment: fine-tuned MiniLM and its ensemble -----------------------------------------------------------

SENTIMENT_HPARAMS: dict[str, Any] = {
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
SENTIMENT_MEMBERS = 2  # fine-tunes in the shipped ensemble, seeds seed, seed + 1, ...

CachedRow = tuple[torch.Tensor, torch.Tensor]  # (hidden states after the frozen layers (L, d) fp16, mention mask)


def cache_frozen(net: SplitMiniLM, n: int, length: Callable[[int], int],
                 batch_of: Callable[[list[int]], dict[str, torch.Tensor]],
                 keep: Callable[[dict[str, torch.Tensor], torch.Tensor, int, int], Any],
                 progress: Progress) -> list[Any]:  # fmt: skip
    """Per item 0..n-1, in order: `keep(batch, hidden, row, tokens)` of the frozen layers' output for it,
    computed once, 64 items of similar `length` a batch (training then runs only the layers above)."""
    out: list[Any] = [None] * n
    order = sorted(range(n), key=length)
    with torch.no_grad():
        for start in range(0, n, 64):
            idx = order[start : start + 64]
            batch = batch_of(idx)
            hidden = net.lower(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
            lengths = batch["attention_mask"].sum(1).tolist()
            for row, i in enumerate(idx):
                out[i] = keep(batch, hidden, row, int(lengths[row]))
            progress("cache frozen layers", min(start + 64, n), n)
    return out


def _lower_cache(net: SentimentNet, tokenizer: Any, items: Sequence[SentimentInput], max_length: int,
                 progress: Progress) -> list[CachedRow]:  # fmt: skip
    """Per item: (hidden states after the frozen layers as fp16 (L, d), mention mask (L,)), unpadded."""
    return cache_frozen(
        net,
        len(items),
        lambda i: len(items[i].sentence),
        lambda idx: sentiment_batch(tokenizer, [items[i] for i in idx], max_length),
        lambda batch, hidden, row, n: (
            hidden[row, :n].to(torch.float16).clone(),
            batch["mention_mask"][row, :n].clone(),
        ),
        progress,
    )


def train_sentiment(
    data_dir: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    hparams: dict[str, Any] | None = None,
    members: int = SENTIMENT_MEMBERS,
) -> Metrics:
    """The sentiment ensemble: `members` fine-tunes (seeds seed, seed + 1, ...) into
    `out_dir/sentiment.minilm-newsmtsc.v2/seed<N>/`, then the ensemble's config and model card."""
    head_dir = Path(out_dir) / SENTIMENT_ENSEMBLE
    t0 = time.time()
    runs = {}
    for k in range(members):
        name = f"seed{seed + k}"
        runs[name] = train_sentiment_member(data_dir, head_dir / name, seed=seed + k, progress=progress,
                                            hparams=hparams)  # fmt: skip
    return write_sentiment_ensemble(data_dir, out_dir, runs, train_seconds=time.time() - t0)


def write_sentiment_ensemble(data_dir: str | Path, out_dir: str | Path, runs: dict[str, Metrics],
                             train_seconds: float) -> Metrics:  # fmt: skip
    """Score the ensemble of the member folders named in `runs` (name -> that member's training metrics)
    on mt_dev and rw_dev, and write its `config.json` and model card."""
    src = newsmtsc_dir(data_dir)
    head_dir = Path(out_dir) / SENTIMENT_ENSEMBLE
    config: dict[str, Any] = {"model_id": SENTIMENT_ENSEMBLE, "labels": list(SENTIMENT_LABELS),
                              "members": sorted(runs),
                              "max_length": max(m["hparams"]["max_length"] for m in runs.values())}  # fmt: skip
    model = sentiment_ensemble(head_dir, config["members"], SENTIMENT_ENSEMBLE, config["max_length"])
    scores = {name: sentiment_scores(model, read_newsmtsc(src / f"newsmtsc-{name}.jsonl")) for name in NEWSMTSC_DEVS}
    first = next(iter(runs.values()))
    members = {
        name: {"seed": m.get("seed"), "selected_epoch": m["selected_epoch"], "train_seconds": m["train_seconds"],
               "mt_dev_macro_f1": m["mt_dev"]["macro_f1"], "rw_dev_macro_f1": m["rw_dev"]["macro_f1"]}
        for name, m in sorted(runs.items())
    }  # fmt: skip
    metrics = {"model_id": SENTIMENT_ENSEMBLE, **scores, "members": members, "hparams": first["hparams"],
               "train_targets": first["train_targets"], "train_seconds": round(train_seconds, 1)}  # fmt: skip
    config["metrics"] = metrics
    (head_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    write_card(Path(out_dir), SENTIMENT_ENSEMBLE, ensemble_card(metrics, src))
    return metrics


def train_sentiment_member(
    data_dir: str | Path,
    member_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    hparams: dict[str, Any] | None = None,
) -> Metrics:
    """Fine-tune the top MiniLM layers on NewsMTSC train with the target marked; pick the epoch by mt_dev.

    The embeddings and the bottom `n_frozen` layers stay frozen: their outputs are computed once and
    cached, so an epoch costs only the top layers (CPU-friendly); they come from the MiniLM package at
    load time, so the head ships as one fp16 file per trained layer plus a tiny head file. rw_dev is
    reported only, never used for a choice.
    """
    member_id = f"{SENTIMENT_ENSEMBLE}/{Path(member_dir).name}"
    hp = {**SENTIMENT_HPARAMS, **(hparams or {})}
    t0 = time.time()
    seed_everything(seed)
    torch.set_num_threads(2)
    _, train, devs = newsmtsc_splits(data_dir, hp.get("limit"))
    # sentences whose targets all share one polarity also teach whole-sentence sentiment (target=None)
    plain, _ = single_polarity(train)

    net, tokenizer = build_sentiment_net(hp["n_frozen"])
    body, head = _trainable_from(net, hp["n_frozen"], lambda name: name.startswith("classifier."))
    cached = _lower_cache(net, tokenizer, [x for x, _ in train], hp["max_length"], progress)
    plain_items = [SentimentInput(s, None) for s in plain]
    cached_plain = dict(zip(plain, _lower_cache(net, tokenizer, plain_items, hp["max_length"], progress), strict=True))
    rng = random.Random(seed)
    labels = {label: i for i, label in enumerate(SENTIMENT_LABELS)}
    model = MiniLMSentiment(net, tokenizer, max_length=hp["max_length"], model_id=member_id)

    def batch_loss(batch_idx: list[int]) -> torch.Tensor:
        rows = []
        for i in batch_idx:
            sentence = train[i][0].sentence
            use_plain = sentence in cached_plain and rng.random() < hp["drop_target"]
            rows.append(cached_plain[sentence] if use_plain else cached[i])
        y = torch.tensor([labels[train[i][1]] for i in batch_idx])
        return torch.nn.functional.cross_entropy(net.upper(*pad_states(rows)), y)

    fit = fit_epochs(net, body, head, [h.shape[0] for h, _ in cached], batch_loss,
                     lambda: {name: sentiment_scores(model, data) for name, data in devs.items()}, hp, rng, progress,
                     history_scores=("macro_f1", "accuracy"))  # fmt: skip
    metrics = {
        "model_id": member_id,
        "seed": seed,
        "train_targets": len(train),
        "selected_epoch": fit.selected_epoch,
        "history": fit.history,
        **fit.best,
        "hparams": hp,
        "train_seconds": round(time.time() - t0, 1),
    }
    config = {"model_id": member_id, "labels": list(SENTIMENT_LABELS), "max_length": hp["max_length"],
              "n_frozen": hp["n_frozen"], "seed": seed, "metrics": metrics}  # fmt: skip
    save_sentiment_head(net, Path(member_dir), config)
    return metrics


# --- sentiment: the shared-trunk head ------------------------------------------------------------------------

SHARED_SENTIMENT_HPARAMS: dict[str, Any] = {
    "epochs": 4,
    "batch_size": 32,
    "lr": 1e-4,  # the trained top layer
    "head_lr": 1e-3,  # classifier and target vector
    "weight_decay": 0.01,
    "warmup": 0.1,
    "sentence_c": 1.0,  # inverse regularisation of the whole-sentence logistic regression
    # distillation (None: none, v1's recipe): the teacher's probabilities are learnt on the training targets
    # and on `transfer` unlabelled name mentions of the corpus `transfer_corpus` (None: corpora/
    # allsides_clusters.jsonl under the data root); loss = alpha * soft cross-entropy + (1 - alpha) * gold
    "teacher": SENTIMENT_ENSEMBLE,
    "transfer": 30000,
    "transfer_corpus": None,
    "alpha": 0.5,
}


def train_shared_sentiment(
    data_dir: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    hparams: dict[str, Any] | None = None,
) -> Metrics:
    """The sentiment head that shares the encoder's pass (`sentiment.minilm-shared.v2`), distilled from the
    teacher `hp["teacher"]` (the ensemble; None: gold labels only, v1's recipe) on the training targets and
    unlabelled name mentions of a news corpus (`datasets.transfer_mentions`).

    Toward a target: MiniLM's top layer (a trained copy) over the encoder's own token states after its
    bottom 5 layers on the plain sentence, run for the target's tokens only (a learned vector added to
    them), and a linear layer over [the encoder's sentence vector, mean of the target's outputs]; epoch
    chosen by mt_dev. Whole sentence: a logistic regression on the encoder's sentence vector, fit on the
    train sentences whose targets all share one polarity. rw_dev is reported only.
    """
    hp = {**SHARED_SENTIMENT_HPARAMS, **(hparams or {})}
    t0 = time.time()
    seed_everything(seed)
    torch.set_num_threads(2)
    src, train, devs = newsmtsc_splits(data_dir, hp.get("limit"))
    inputs = [x for x, _ in train]
    soft, corpus = None, None
    if hp["teacher"] is not None:
        corpus = corpus_file(hp["transfer_corpus"] or data_dir)
        inputs += transfer_mentions(corpus, hp["transfer"], seed)
        soft = torch.from_numpy(_teacher(hp["teacher"], Path(out_dir), inputs, progress)).float()
    encoder = get_encoder(ENCODER_MINILM)

    # the encoder's states after its bottom layers, once per sentence (as a run gets them from alignment)
    sentences = sorted({x.sentence for x in inputs})
    states: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    for start in range(0, len(sentences), 1024):
        chunk = sentences[start : start + 1024]
        states.update(zip(chunk, encoder.token_states(chunk, SHARED_LAYER), strict=True))
        progress("encoder states", min(start + 1024, len(sentences)), len(sentences))
    rows = []
    for x in inputs:
        assert x.target is not None  # NewsMTSC and transfer mentions: every item is a target in its sentence
        hidden, offsets = states[x.sentence]
        rows.append((hidden, mention_tokens(offsets, x.target)))
    vectors = dict(zip(sentences, torch.from_numpy(encoder.encode(sentences)), strict=True))  # memoised

    net, _ = build_shared_net()
    body, head = _trainable_from(net, SHARED_LAYER, lambda name: not name.startswith("encoder."))

    # whole sentence: logistic regression on the encoder's sentence vectors
    plain, plain_labels = single_polarity(train)
    lr = LogisticRegression(C=hp["sentence_c"], max_iter=3000).fit(encoder.encode(plain), plain_labels)
    order = [list(lr.classes_).index(label) for label in SENTIMENT_LABELS]
    weight = torch.tensor(lr.coef_[order], dtype=torch.float32)
    bias = torch.tensor(lr.intercept_[order], dtype=torch.float32)
    model = SharedTrunkSentiment(net, weight, bias, encoder, model_id=SHARED_SENTIMENT)

    labels = {label: i for i, label in enumerate(SENTIMENT_LABELS)}
    rng = random.Random(seed)

    gold = torch.tensor([labels[g] for _, g in train] + [-1] * (len(inputs) - len(train)))  # -1: unlabelled

    def batch_loss(batch_idx: list[int]) -> torch.Tensor:
        logits = net.over_states(*pad_states([rows[i] for i in batch_idx]),
                                 torch.stack([vectors[inputs[i].sentence] for i in batch_idx]))  # fmt: skip
        y = gold[batch_idx]
        labelled = y >= 0
        ce = torch.nn.functional.cross_entropy(logits[labelled], y[labelled]) if labelled.any() else logits.sum() * 0
        if soft is None:
            return ce
        distilled = -(soft[batch_idx] * torch.log_softmax(logits, -1)).sum(-1).mean()
        return hp["alpha"] * distilled + (1 - hp["alpha"]) * ce

    fit = fit_epochs(net, body, head, [h.shape[0] for h, _ in rows], batch_loss,
                     lambda: {name: sentiment_scores(model, data) for name, data in devs.items()}, hp, rng,
                     progress)  # fmt: skip
    sentence_scores = {}
    for name, data in devs.items():
        dev_plain, dev_labels = single_polarity(data)
        pred = model.predict_proba([SentimentInput(sent, None) for sent in dev_plain]).argmax(1)
        sentence_scores[name] = classification_report(dev_labels, [SENTIMENT_LABELS[k] for k in pred],
                                                      SENTIMENT_LABELS)  # fmt: skip
    metrics = {
        "model_id": SHARED_SENTIMENT, "seed": seed, "train_targets": len(train), "train_sentences": len(plain),
        "transfer_targets": len(inputs) - len(train), "transfer_corpus": None if corpus is None else str(corpus),
        "selected_epoch": fit.selected_epoch, "history": fit.history, **fit.best,
        "whole_sentence": sentence_scores, "hparams": hp, "train_seconds": round(time.time() - t0, 1),
    }  # fmt: skip
    out = Path(out_dir) / SHARED_SENTIMENT
    save_shared_sentiment(net, weight, bias, out, {"model_id": SHARED_SENTIMENT, "labels": list(SENTIMENT_LABELS),
                                                   "seed": seed, "metrics": metrics})  # fmt: skip
    write_card(Path(out_dir), SHARED_SENTIMENT, shared_card(metrics, src))
    return metrics


def _teacher(model_id: str, out_dir: Path, items: Sequence[SentimentInput], progress: Progress) -> np.ndarray:
    """The teacher's probabilities of `items`: the head `model_id` in `out_dir` when it was trained there (train
    "sentiment" first), else the shipped one."""
    head_dir = out_dir / model_id if (out_dir / model_id / "config.json").is_file() else HEADS_DIR / model_id
    teacher = load_sentiment_head(head_dir)
    out = []
    for start in range(0, len(items), 1024):
        out.append(teacher.predict_proba(list(items[start : start + 1024])))
        progress("teacher", min(start + 1024, len(items)), len(items))
    return np.vstack(out) if out else np.zeros((0, len(SENTIMENT_LABELS)), dtype=np.float32)


# --- stance --------------------------------------------------------------------------------------------------

LGB_PARAMS: dict[str, Any] = {
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
STAGE2_PARAMS = {"feature_fraction": 0.3, "max_bin": 63}  # ~1,200 features on ~10k related pairs
# Stage-2 settings that topic-grouped cross-validation chooses between: `weight` is the exponent of the
# balanced class weight (0: none, 1: balanced), `columns` whether the stage reads the embedding products
# ("all") or the scalar features only ("scalar").
STANCE_CANDIDATES: tuple[dict[str, Any], ...] = (
    {"weight": 0.0, "columns": "all"},
    {"weight": 0.5, "columns": "all"},
    {"weight": 1.0, "columns": "all"},
    {"weight": 0.5, "columns": "scalar"},
)
STANCE_FOLDS = 5
# per-class factors on (agree, disagree) tried on the pooled out-of-fold probabilities; discuss, unrelated 1
SCALE_GRID = ((0.6, 0.8, 1.0, 1.25, 1.5, 2.0), (0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0))


def class_weights(labels: np.ndarray, n_classes: int, exponent: float) -> np.ndarray:
    """Per class, the balanced weight n / (n_classes * count) raised to `exponent` (0: all 1, 1: balanced)."""
    counts = np.bincount(labels, minlength=n_classes).astype(float)
    return (len(labels) / (n_classes * np.maximum(counts, 1.0))) ** exponent


def _stage_data(X: np.ndarray, y: np.ndarray, stage: str, columns: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """The rows and targets of one stage: related vs unrelated on the scalar columns, or the related pairs'
    agree/disagree/discuss on `columns`."""
    n_scalar = len(SCALAR_NAMES)
    if stage == "related":
        return X[:, :n_scalar], (y != "unrelated").astype(int)
    keep = y != "unrelated"
    Xs = X[keep] if columns == "all" else X[keep][:, :n_scalar]
    return Xs, np.array([RELATED.index(v) for v in y[keep]])


def _fit_stage(X: np.ndarray, y: np.ndarray, stage: str, seed: int, cand: dict[str, Any], rounds: int | None = None,
               valid: tuple[np.ndarray, np.ndarray] | None = None) -> lgb.Booster:  # fmt: skip
    """One stage's booster: `rounds` rounds, or as many as early stopping on `valid` (X, y) keeps."""
    Xs, ys = _stage_data(X, y, stage, cand.get("columns", "all"))
    if stage == "related":
        params, weight = {**LGB_PARAMS, "objective": "binary", "seed": seed}, None
    else:
        params = {**LGB_PARAMS, **STAGE2_PARAMS, "objective": "multiclass", "num_class": 3, "seed": seed}
        weight = class_weights(ys, 3, cand.get("weight", 0.0))[ys]
    train = lgb.Dataset(Xs, ys, weight=weight, free_raw_data=False)
    if rounds is not None:
        return lgb.train(params, train, num_boost_round=rounds)
    if valid is None:
        raise ValueError("either rounds or a validation set")
    Xv, yv = _stage_data(valid[0], np.asarray(valid[1]), stage, cand.get("columns", "all"))
    return lgb.train(params, train, num_boost_round=1000, valid_sets=[lgb.Dataset(Xv, yv, reference=train)],
                     callbacks=[lgb.early_stopping(30, verbose=False)])  # fmt: skip


def _fit_stance(X: np.ndarray, y: np.ndarray, seed: int, cand: dict[str, Any], rounds: tuple[int, int],
                ) -> dict[str, lgb.Booster]:  # fmt: skip
    """The two stages (related vs unrelated; agree/disagree/discuss of the related pairs), fit on all of X."""
    y = np.asarray(y)
    return {stage: _fit_stage(X, y, stage, seed, cand, rounds=r) for stage, r in zip(STAGES, rounds, strict=True)}


def _best_scale(gold: Sequence[str], probs: np.ndarray) -> tuple[tuple[float, ...], float]:
    """The per-class factors of SCALE_GRID with the best macro-F1 on `probs` (ties: the first, which is the
    smallest change), and that macro-F1."""
    best: tuple[tuple[float, ...], float] = ((1.0, 1.0, 1.0, 1.0), -1.0)
    for a in SCALE_GRID[0]:
        for d in SCALE_GRID[1]:
            scale = (a, d, 1.0, 1.0)
            pred = [STANCE_LABELS[k] for k in (probs * np.array(scale)).argmax(1)]
            f1 = classification_report(list(gold), pred, STANCE_LABELS)["macro_f1"]
            if f1 > best[1]:
                best = (scale, f1)
    return best


def _scores(gold: Sequence[str], probs: np.ndarray) -> Report:
    pred = [STANCE_LABELS[k] for k in probs.argmax(1)]
    return {
        "fnc_score": round(fnc_score(list(gold), pred), 2),
        **classification_report(list(gold), pred, STANCE_LABELS),
    }


def cross_validate_stance(X: np.ndarray, y: np.ndarray, groups: Sequence[int], seed: int = 0,
                          candidates: Sequence[dict[str, Any]] = STANCE_CANDIDATES, folds: int = STANCE_FOLDS,
                          progress: Progress = _noop) -> Metrics:  # fmt: skip
    """Topic-grouped k-fold cross-validation of the stage-2 candidates. In each fold, one more grouped split
    of the fold's training topics gives each stage its rounds by early stopping, and those boosters (the
    related stage shared by every candidate) score the fold's held-out topics. The pooled out-of-fold
    probabilities give each candidate's macro-F1 as they are and with the per-class factors (SCALE_GRID)
    that suit them best; the candidate with the best scaled macro-F1 is chosen, with the median rounds of
    its folds. Nothing outside X is read."""
    from sklearn.model_selection import GroupKFold  # only cross-validation needs it

    y, topics = np.asarray(y), np.asarray(groups)
    folds = min(folds, len(set(topics.tolist())))  # a small data set may hold fewer topics than folds
    oof = np.zeros((len(candidates), len(y), len(STANCE_LABELS)))
    rounds: list[list[tuple[int, int]]] = [[] for _ in candidates]
    for k, (fit_i, val_i) in enumerate(GroupKFold(n_splits=folds).split(X, y, topics)):
        inner = min(4, len(set(topics[fit_i].tolist())))
        inner_fit, inner_val = next(GroupKFold(n_splits=inner).split(fit_i, y[fit_i], topics[fit_i]))
        a, b = fit_i[inner_fit], fit_i[inner_val]
        related = _fit_stage(X[a], y[a], "related", seed, {}, valid=(X[b], y[b]))
        for c, cand in enumerate(candidates):
            related_class = _fit_stage(X[a], y[a], "related_class", seed, cand, valid=(X[b], y[b]))
            boosters = {"related": related, "related_class": related_class}
            rounds[c].append((related.best_iteration or 1, related_class.best_iteration or 1))
            oof[c, val_i] = stance_probs(boosters, X[val_i])
            progress("cross-validation", k * len(candidates) + c + 1, folds * len(candidates))
    results: list[dict[str, Any]] = []
    gold = y.tolist()
    for c, cand in enumerate(candidates):
        scale, _ = _best_scale(gold, oof[c])
        results.append({
            "candidate": dict(cand),
            "rounds": [list(r) for r in rounds[c]],
            "argmax": _scores(gold, oof[c]),
            "scale": list(scale),
            "scaled": _scores(gold, rescale(oof[c], scale)),
        })  # fmt: skip
    best = max(range(len(results)), key=lambda i: (results[i]["scaled"]["macro_f1"], -i))
    chosen = results[best]
    median = [int(np.median([r[s] for r in chosen["rounds"]])) for s in range(len(STAGES))]
    return {"folds": folds, "grouping": "topics (datasets.fnc1_topics; GroupKFold)", "candidates": results,
            "chosen": best, "rounds": median, "scale": chosen["scale"]}  # fmt: skip


@dataclass
class StanceData:
    """FNC-1 prepared for the stance trainers: the seeded topic split, the pairs both sides use (training
    pairs first), their stance inputs, features and labels, and the IDF fit on the training topics."""

    src: Path
    bodies: dict[int, str]
    pairs: list[tuple[str, int, str | None]]
    train_idx: list[int]
    dev_idx: list[int]
    topic: list[int]
    idf: Idf
    items: list[StanceInput]  # of train_idx + dev_idx, in that order
    X: np.ndarray
    y: np.ndarray
    encode: Callable[[Sequence[str]], np.ndarray]

    @property
    def n_train(self) -> int:
        return len(self.train_idx)

    def split_text(self, seed: int) -> str:
        topic, dev_idx = self.topic, self.dev_idx
        return (
            f"topic-disjoint dev: {len({topic[i] for i in dev_idx})} of {len({t for t in topic if t >= 0})} "
            f"topics (seed {seed}, {TOPIC_DEV_FRACTION:.0%} of the related pairs); no topic, headline or body "
            f"on both sides; {len(self.pairs) - len(self.items)} unrelated pairs across the sides left out"
        )


def prepare_stance(data_dir: str | Path, seed: int = 0, progress: Progress = _noop,
                   encode: Callable[[Sequence[str]], np.ndarray] | None = None) -> StanceData:  # fmt: skip
    """Read FNC-1, split it by topic (`seed`), encode every claim and sentence once and build the feature
    matrix (`stance_matrix`) of the pairs on both sides."""
    src = fnc1_dir(data_dir)
    bodies, pairs = read_fnc1(src)
    train_idx, dev_idx, topic = topic_split(pairs, seed)
    idf = Idf.fit([bodies[b] for b in sorted({pairs[i][1] for i in train_idx})]
                  + sorted({pairs[i][0] for i in train_idx}))  # fmt: skip
    used = train_idx + dev_idx
    items = fnc1_items({b: bodies[b] for b in {pairs[i][1] for i in used}}, [pairs[i] for i in used])
    if encode is None:
        encoder = get_encoder(ENCODER_MINILM)
        texts = sorted({t for it in items for t in (it.claim, *it.sentences[:MAX_SENTENCES])})
        done = [0]

        def tick(k: int) -> None:
            done[0] += k
            progress("encode", done[0], len(texts))

        encoder.encode(texts, progress=tick)
        encode = encoder.encode
    chunk = 2000
    parts = []
    for start in range(0, len(items), chunk):
        parts.append(stance_matrix(items[start : start + chunk], encode, idf)[0])
        progress("features", min(start + chunk, len(items)), len(items))
    y = np.array([pairs[i][2] for i in used])
    return StanceData(src, bodies, pairs, train_idx, dev_idx, topic, idf, items, np.vstack(parts), y, encode)


def train_stance(
    data_dir: str | Path,
    out_dir: str | Path,
    seed: int = 0,
    progress: Progress = _noop,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    candidates: Sequence[dict[str, Any]] = STANCE_CANDIDATES,
) -> Metrics:
    """Train the FNC-1 stance head on the topics outside the seeded topic-disjoint dev split; score it once
    on dev. The stage-2 setting, the rounds and the per-class factors are chosen by topic-grouped
    cross-validation inside the training topics (`cross_validate_stance`); the final boosters are fit on all
    training topics."""
    t0 = time.time()
    seed_everything(seed)
    d = prepare_stance(data_dir, seed, progress, encode)
    src, bodies, pairs, train_idx, dev_idx, topic = d.src, d.bodies, d.pairs, d.train_idx, d.dev_idx, d.topic
    X, y, n_train, idf = d.X, d.y, d.n_train, d.idf
    Xtr, ytr = X[:n_train], y[:n_train]

    cv = cross_validate_stance(Xtr, ytr, [topic[i] for i in train_idx], seed, candidates, progress=progress)
    cand = cv["candidates"][cv["chosen"]]["candidate"]
    boosters = _fit_stance(Xtr, ytr, seed, cand, tuple(cv["rounds"]))
    train_s = time.time() - t0

    probs = stance_probs(boosters, X[n_train:], cv["scale"])
    metrics = {
        "model_id": FNC1_STANCE,
        "split": d.split_text(seed),
        "train_pairs": n_train,
        "heldout_pairs": len(dev_idx),
        **_scores(list(y[n_train:]), probs),
        "candidate": cand,
        "rounds": cv["rounds"],
        "scale": cv["scale"],
        "cv": cv,
        "train_seconds": round(train_s, 1),
    }  # fmt: skip
    out = Path(out_dir)
    config = {
        "model_id": FNC1_STANCE,
        "encoder": ENCODER_MINILM,
        "labels": list(STANCE_LABELS),
        "n_features": int(X.shape[1]),
        "scale": cv["scale"],
        "seed": seed,
        "split": "topics",
        "dev_fraction": TOPIC_DEV_FRACTION,
        "train_fingerprint": fnc1_fingerprint(bodies, pairs),
        "metrics": metrics,
    }
    save_stance_head(boosters, idf, out / FNC1_STANCE, config)
    write_card(out, FNC1_STANCE, stance_card(metrics, src))
    return metrics


# --- stance: the cross-encoder over claim and evidence (v4) --------------------------------------------------

CROSS_STANCE_HPARAMS: dict[str, Any] = {
    "epochs": 3,  # the most epochs tried; the held-out topics choose the epoch that ships
    "batch_size": 16,
    "n_frozen": 3,  # bottom MiniLM layers kept frozen (cached once); the top 3 are fine-tuned
    "lr": 5e-5,
    "head_lr": 1e-3,
    "weight_decay": 0.01,
    "warmup": 0.1,
    "max_length": 160,  # claim + the EVIDENCE_SENTENCES nearest sentences: ~133 tokens on average
    "weight": 0.5,  # exponent of the balanced class weight in the loss
    "min_related": 0.05,  # the cross-encoder reads a pair only when the first stage's p(related) reaches this
    "folds": 5,  # the held-out training topics are one fold of this many (GroupKFold by topic)
}
CROSS_BLENDS = (0.0, 0.25, 0.5, 0.75, 1.0)  # the cross-encoder's weight against the LightGBM second stage


def train_cross_stance(data_dir: str | Path, out_dir: str | Path, seed: int = 0, progress: Progress = _noop,
                       hparams: dict[str, Any] | None = None,
                       encode: Callable[[Sequence[str]], np.ndarray] | None = None) -> Metrics:  # fmt: skip
    """The v4 stance head (`FNC1_STANCE_CROSS`): a MiniLM cross-encoder (top layers fine-tuned) over the claim
    and its evidence sentences for agree / disagree / discuss, on top of v3's LightGBM stages, which must be
    in `out_dir` (train "stance" first).

    Inside the training topics, one topic-grouped fold is held out: the cross-encoder is fine-tuned on the
    other topics' related pairs, and v3's recipe (its stage-2 setting and rounds) is refit there; the
    held-out topics choose the epoch, the blend of the two second stages and the per-class factors, by
    4-class macro-F1. The cross-encoder that ships is that fine-tune (not refit: the hour's budget); the
    first stage is v3 as shipped. Scored once on the topic-disjoint dev split."""
    from sklearn.model_selection import GroupKFold  # only training needs it

    hp = {**CROSS_STANCE_HPARAMS, **(hparams or {})}
    first_dir = Path(out_dir) / FNC1_STANCE
    if not (first_dir / "config.json").is_file():
        raise ModelUnavailable(f"the first stage {FNC1_STANCE} is not in {out_dir}: train 'stance' first")
    v3 = json.loads((first_dir / "config.json").read_text())["metrics"]
    t0 = time.time()
    torch.set_num_threads(2)
    seed_everything(seed)
    d = prepare_stance(data_dir, seed, progress, encode)
    n_train, y, items, X = d.n_train, d.y, d.items, d.X
    topics = np.array([d.topic[i] for i in d.train_idx])
    folds = min(hp["folds"], len(set(topics.tolist())))  # a small data set may hold fewer topics than folds
    fit_i, val_i = next(GroupKFold(n_splits=folds).split(np.zeros(n_train), y[:n_train], topics))
    boosters = _fit_stance(X[fit_i], y[fit_i], seed, v3["candidate"], tuple(v3["rounds"]))
    p_related = np.asarray(boosters["related"].predict(X[val_i][:, : boosters["related"].num_feature()]))
    p_lgb = np.asarray(boosters["related_class"].predict(X[val_i][:, : boosters["related_class"].num_feature()]))
    fit_rel = [int(i) for i in fit_i if y[i] != "unrelated"]
    asked = [k for k, i in enumerate(val_i) if p_related[k] >= hp["min_related"] and items[i].sentences]
    rows = fit_rel + [int(val_i[k]) for k in asked]
    sims = claim_sims([items[i] for i in rows], _Encoded(d.encode))
    claims = [items[i].claim for i in rows]
    evidence = [evidence_text(items[i].sentences[:MAX_SENTENCES], s) for i, s in zip(rows, sims, strict=True)]
    net, tokenizer = build_stance_net(hp["n_frozen"])
    cached = cache_frozen(
        net, len(rows), lambda i: len(claims[i]) + len(evidence[i]),
        lambda idx: stance_pair_batch(tokenizer, [claims[i] for i in idx], [evidence[i] for i in idx],
                                      hp["max_length"]),
        lambda batch, hidden, row, n: hidden[row, :n].to(torch.float16).clone(), progress,
    )  # fmt: skip
    labels = torch.tensor([RELATED.index(y[i]) for i in fit_rel])
    weight = torch.tensor(class_weights(labels.numpy(), len(RELATED), hp["weight"]), dtype=torch.float32)
    body, head = _trainable_from(net, hp["n_frozen"], lambda name: name.startswith("classifier."))
    rng = random.Random(seed)
    train = list(range(len(fit_rel)))
    steps = -(-len(train) // hp["batch_size"])
    opt, sched = adamw(body, head, hp, steps)
    states, p_cross, epochs = [], [], []
    for epoch in range(hp["epochs"]):
        net.train()
        t_epoch = time.time()
        for step, batch in enumerate(length_batches([cached[i].shape[0] for i in train], hp["batch_size"], rng)):
            logits = net.upper(*pad_pair_states([cached[i] for i in batch]))
            optimizer_step(torch.nn.functional.cross_entropy(logits, labels[batch], weight=weight), body + head, opt,
                           sched)  # fmt: skip
            progress(f"epoch {epoch + 1}/{hp['epochs']}", step + 1, steps)
        net.eval()
        p = p_lgb.copy()
        with torch.no_grad():
            for s in range(0, len(asked), 128):
                chunk = list(range(len(fit_rel) + s, len(fit_rel) + min(s + 128, len(asked))))
                p[asked[s : s + 128]] = torch.softmax(net.upper(*pad_pair_states([cached[i] for i in chunk])),
                                                      -1).numpy()  # fmt: skip
        p_cross.append(p)
        states.append({k: v.detach().clone() for k, v in net.state_dict().items()})
        epochs.append({"epoch": epoch + 1, "seconds": round(time.time() - t_epoch, 1)})
    gold = list(y[val_i])
    results = []
    for e, p in enumerate(p_cross):
        for blend in CROSS_BLENDS:
            probs = combine(p_related, p_lgb, p, blend, None)
            scale, _ = _best_scale(gold, probs)
            results.append({"epoch": e + 1, "blend": blend, "scale": list(scale),
                            **_scores(gold, rescale(probs, scale))})  # fmt: skip
    chosen = max(results, key=lambda r: (r["macro_f1"], -r["epoch"]))
    lgb_only = max((r for r in results if r["blend"] == 0.0), key=lambda r: r["macro_f1"])
    net.load_state_dict(states[chosen["epoch"] - 1])
    net.eval()
    train_s = time.time() - t0

    first = load_stance_head(first_dir, _Encoded(d.encode))
    model = CrossStance(first, net, tokenizer, FNC1_STANCE_CROSS, chosen["blend"], chosen["scale"],
                        hp["max_length"], hp["min_related"])  # fmt: skip
    dev_probs = model.predict_proba(items[n_train:])[0]
    metrics = {
        "model_id": FNC1_STANCE_CROSS,
        "first": FNC1_STANCE,
        "split": d.split_text(seed),
        "train_pairs": n_train,
        "heldout_pairs": len(d.dev_idx),
        "selection": {"fit_pairs": len(fit_i), "fit_related": len(fit_rel), "held_out_pairs": len(val_i),
                      "held_out_topics": len(set(topics[val_i].tolist())), "asked": len(asked),
                      "grid": results, "chosen": chosen, "lgb_only": lgb_only},  # fmt: skip
        **_scores(list(y[n_train:]), dev_probs),
        "blend": chosen["blend"],
        "scale": chosen["scale"],
        "epoch": chosen["epoch"],
        "epochs": epochs,
        "hparams": hp,
        "train_seconds": round(train_s, 1),
    }  # fmt: skip
    config = {"model_id": FNC1_STANCE_CROSS, "kind": "cross", "first": FNC1_STANCE, "encoder": ENCODER_MINILM,
              "labels": list(STANCE_LABELS), "n_frozen": hp["n_frozen"], "max_length": hp["max_length"],
              "blend": chosen["blend"], "scale": chosen["scale"], "min_related": hp["min_related"], "seed": seed,
              "split": "topics", "dev_fraction": TOPIC_DEV_FRACTION,
              "train_fingerprint": fnc1_fingerprint(d.bodies, d.pairs), "metrics": metrics}  # fmt: skip
    out = Path(out_dir)
    save_trained(net, out / FNC1_STANCE_CROSS, config)
    write_card(out, FNC1_STANCE_CROSS, cross_stance_card(metrics, d.src))
    return metrics


class _Encoded:
    """An `Encoder` over an encode function (training has the vectors already; only `encode` is read)."""

    model_id = ENCODER_MINILM

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray]):
        self._encode = encode

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._encode(texts)


# --- pairs: the "same point" cross-encoder -------------------------------------------------------------------

PAIRS_HPARAMS: dict[str, Any] = {
    "kind": "embedding",  # or "cross-encoder" (the settings below are the cross-encoder's)
    "epochs": 3,  # the most epochs tried; cross-validation chooses how many the final fit runs
    "batch_size": 32,
    "n_frozen": 4,  # bottom MiniLM layers kept frozen (cached once); the top 6 - n_frozen are fine-tuned
    "lr": 1e-4,
    "head_lr": 1e-3,
    "weight_decay": 0.01,
    "warmup": 0.1,
    "max_length": 128,
    "folds": 5,
}
THRESHOLDS = tuple(round(0.3 + 0.025 * k, 3) for k in range(17))  # candidate thresholds on p(same point)


def _pairs_cache(net: PairsNet, tokenizer: Any, items: Sequence[PairInput], max_length: int,
                 progress: Progress) -> list[torch.Tensor]:  # fmt: skip
    """Per pair: the hidden states after the frozen layers, fp16 (L, d), unpadded."""
    return cache_frozen(
        net,
        len(items),
        lambda i: len(items[i].a) + len(items[i].b),
        lambda idx: pair_batch(tokenizer, [items[i] for i in idx], max_length),
        lambda batch, hidden, row, n: hidden[row, :n].to(torch.float16).clone(),
        progress,
    )


def _fit_pairs(cached: list[torch.Tensor], features: np.ndarray, y: np.ndarray, train_idx: list[int],
               eval_idx: list[int], hp: dict[str, Any], seed: int, progress: Progress, stage: str,
               ) -> tuple[PairsNet, list[np.ndarray]]:  # fmt: skip
    """Fine-tune a fresh net on `train_idx` for hp["epochs"] epochs; p(same point) of `eval_idx` after each."""
    seed_everything(seed)
    net, _ = build_pairs_net(hp["n_frozen"])
    body, head = _trainable_from(net, hp["n_frozen"], lambda name: name.startswith("classifier."))
    rng = random.Random(seed)
    feats = torch.from_numpy(features)
    target = torch.from_numpy(y.astype(np.float32))
    steps = -(-len(train_idx) // hp["batch_size"])
    opt, sched = adamw(body, head, hp, steps)

    def probs(idx: list[int]) -> np.ndarray:
        out = np.zeros(len(idx), dtype=np.float32)
        with torch.no_grad():
            for s in range(0, len(idx), 128):
                chunk = idx[s : s + 128]
                logits = net.upper(*pad_pair_states([cached[i] for i in chunk]), feats[chunk])
                out[s : s + len(chunk)] = torch.sigmoid(logits).numpy()
        return out

    history = []
    for epoch in range(hp["epochs"]):
        net.train()
        batches = length_batches([cached[i].shape[0] for i in train_idx], hp["batch_size"], rng)
        for step, batch in enumerate(batches):
            rows = [train_idx[j] for j in batch]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                net.upper(*pad_pair_states([cached[i] for i in rows]), feats[rows]), target[rows]
            )
            optimizer_step(loss, body + head, opt, sched)
            progress(f"{stage} epoch {epoch + 1}/{hp['epochs']}", step + 1, steps)
        net.eval()
        if eval_idx:
            history.append(probs(eval_idx))
    return net, history


def _binary_scores(gold: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, float]:
    pred = p >= threshold
    tp = float((pred & gold).sum())
    precision = tp / max(1.0, float(pred.sum()))
    recall = tp / max(1.0, float(gold.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": round(float((pred == gold).mean()), 4), "f1": round(f1, 4)}


def _encoded_minilm(items: Sequence[PairInput], progress: Progress) -> Encoder:
    """The shared MiniLM encoder with every sentence of `items` encoded once (its memo serves the rest)."""
    encoder = get_encoder(ENCODER_MINILM)
    texts = sorted({t for it in items for t in (it.a, it.b)})
    for start in range(0, len(texts), 512):
        encoder.encode(texts[start : start + 512])
        progress("encode", min(start + 512, len(texts)), len(texts))
    return encoder


def pairs_features(items: Sequence[PairInput], progress: Progress = _noop) -> np.ndarray:
    """PAIR_FEATURES of each pair, with the shared MiniLM encoder's cosine."""
    encoder = _encoded_minilm(items, progress)
    return feature_matrix(items, pair_cosines(encoder, items))


@dataclass
class PairsData:
    src: Path
    items: list[PairInput]
    y: np.ndarray  # same point, bool
    groups: list[int]
    features: np.ndarray  # PAIR_FEATURES columns
    cached: list[torch.Tensor]  # states after the frozen layers


def prepare_pairs(data: str | Path, hp: dict[str, Any], progress: Progress = _noop) -> PairsData:
    """Read an MSRP-format file; its pairs' features and states after the frozen layers, once."""
    src = msrp_file(data)
    rows = read_msrp(src)[: hp.get("limit")]
    items = [it for it, _, _, _ in rows]
    net, tokenizer = build_pairs_net(hp["n_frozen"])
    features = pairs_features(items, progress)
    cached = _pairs_cache(net, tokenizer, items, hp["max_length"], progress)
    y = np.array([gold for _, gold, _, _ in rows], dtype=bool)
    return PairsData(src, items, y, msrp_groups(rows), features, cached)


def below_cosine(cosines: np.ndarray, y: np.ndarray) -> list[dict[str, float]]:
    """For bounds on the encoder's cosine: how many pairs fall below, and the share of those, and of all
    paraphrases, that are paraphrases (what a bound under which alignment never asks the head would lose)."""
    out = []
    for bound in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        below = cosines < bound
        out.append({"cosine_below": bound, "pairs": int(below.sum()),
                    "paraphrase_rate": round(float(y[below].mean()) if below.any() else 0.0, 4),
                    "paraphrases_lost": round(float((below & y).sum() / max(1, y.sum())), 4)})  # fmt: skip
    return out


def cross_validate_pairs(data: str | Path, seed: int = 0, progress: Progress = _noop,
                         hparams: dict[str, Any] | None = None, prepared: PairsData | None = None,
                         ) -> Metrics:  # fmt: skip
    """k-fold cross-validation of the pairs head on an MSRP-format file, folds grouped by shared sentences.

    Every fold fine-tunes a fresh head for hp["epochs"] epochs and scores its held-out pairs after each;
    the epoch count and then the threshold (on the pooled out-of-fold probabilities of that epoch) are
    chosen by mean accuracy. Reported: per fold and mean, at the chosen epoch and threshold and at 0.5."""
    from sklearn.model_selection import GroupKFold  # only cross-validation needs it

    hp = {**PAIRS_HPARAMS, **(hparams or {})}
    t0 = time.time()
    torch.set_num_threads(2)
    d = prepared or prepare_pairs(data, hp, progress)
    src, items, y, groups, features, cached = d.src, d.items, d.y, d.groups, d.features, d.cached
    folds = list(GroupKFold(n_splits=hp["folds"]).split(np.zeros(len(items)), y, groups))
    oof = np.zeros((hp["epochs"], len(items)), dtype=np.float32)
    fold_of = np.zeros(len(items), dtype=int)
    for k, (tr, te) in enumerate(folds):
        _, history = _fit_pairs(cached, features, y, tr.tolist(), te.tolist(), hp, seed, progress,
                                f"fold {k + 1}/{len(folds)}")  # fmt: skip
        for e, p in enumerate(history):
            oof[e, te] = p
        fold_of[te] = k
        by_epoch = [_binary_scores(y[te], p, 0.5)["accuracy"] for p in history]
        print(json.dumps({"fold": k + 1, "accuracy_by_epoch": by_epoch}), file=sys.stderr, flush=True)

    def per_fold(p: np.ndarray, threshold: float) -> list[dict[str, float]]:
        return [_binary_scores(y[fold_of == k], p[fold_of == k], threshold) for k in range(len(folds))]

    def mean_acc(p: np.ndarray, threshold: float) -> float:
        return float(np.mean([s["accuracy"] for s in per_fold(p, threshold)]))

    epoch = max(range(hp["epochs"]), key=lambda e: (round(mean_acc(oof[e], 0.5), 4), -e))
    threshold = max(THRESHOLDS, key=lambda t: (round(mean_acc(oof[epoch], t), 4), -abs(t - 0.5)))
    chosen, at_half = per_fold(oof[epoch], threshold), per_fold(oof[epoch], 0.5)
    return {
        "file": str(src),
        "pairs": len(items),
        "folds": len(folds),
        "grouping": "pairs sharing a sentence id are one group (GroupKFold)",
        "majority_accuracy": round(float(max(y.mean(), 1 - y.mean())), 4),
        "epoch": epoch + 1,
        "threshold": threshold,
        "accuracy": round(float(np.mean([s["accuracy"] for s in chosen])), 4),
        "f1": round(float(np.mean([s["f1"] for s in chosen])), 4),
        "per_fold": chosen,
        "accuracy_at_0.5": round(float(np.mean([s["accuracy"] for s in at_half])), 4),
        "per_fold_at_0.5": at_half,
        "accuracy_by_epoch": [round(mean_acc(oof[e], 0.5), 4) for e in range(hp["epochs"])],
        "cosine_0.75_accuracy": round(
            float(
                np.mean(
                    [
                        _binary_scores(y[fold_of == k], features[fold_of == k, 0], 0.75)["accuracy"]
                        for k in range(len(folds))
                    ]
                )
            ),
            4,
        ),  # fmt: skip
        "below_cosine": below_cosine(features[:, 0], y),
        "hparams": hp,
        "seconds": round(time.time() - t0, 1),
    }


# the embedding head's candidates, chosen by cross-validated accuracy: logistic regression (C) or an MLP
PAIRS_EMBEDDING_CANDIDATES: tuple[dict[str, Any], ...] = (
    {"model": "logistic", "C": 0.1},
    {"model": "logistic", "C": 1.0},
    {"model": "mlp", "hidden": 128, "alpha": 1e-2},
    {"model": "mlp", "hidden": 128, "alpha": 1.0},
)


def _fit_embedding(x: np.ndarray, y: np.ndarray, cand: dict[str, Any], seed: int,
                   ) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:  # fmt: skip
    """(mean, scale, layers) of the embedding head fit on (x, y)."""
    from sklearn.neural_network import MLPClassifier  # only the embedding pairs head uses it

    mean = x.mean(0)
    scale = x.std(0) + 1e-6
    z = (x - mean) / scale
    if cand["model"] == "logistic":
        lr = LogisticRegression(C=cand["C"], max_iter=2000).fit(z, y)
        return mean, scale, [(lr.coef_.T.astype(np.float32), lr.intercept_.astype(np.float32))]
    mlp = MLPClassifier(hidden_layer_sizes=(cand["hidden"],), alpha=cand["alpha"], max_iter=300,
                        early_stopping=False, random_state=seed).fit(z, y)  # fmt: skip
    return mean, scale, [(w.astype(np.float32), b.astype(np.float32))
                         for w, b in zip(mlp.coefs_, mlp.intercepts_, strict=True)]  # fmt: skip


def cross_validate_embedding_pairs(data: str | Path, seed: int = 0, progress: Progress = _noop,
                                   hparams: dict[str, Any] | None = None) -> Metrics:  # fmt: skip
    """k-fold cross-validation of the embedding pairs head, folds grouped by shared sentences: every candidate
    of PAIRS_EMBEDDING_CANDIDATES on every fold; the candidate, then the threshold (on the pooled
    out-of-fold probabilities), chosen by mean accuracy. Reports per fold and mean."""
    from sklearn.model_selection import GroupKFold  # only cross-validation needs it

    hp = {**PAIRS_HPARAMS, "kind": "embedding", **(hparams or {})}
    t0 = time.time()
    src = msrp_file(data)
    rows = read_msrp(src)[: hp.get("limit")]
    items = [it for it, _, _, _ in rows]
    y = np.array([gold for _, gold, _, _ in rows], dtype=bool)
    x = pairs_embedding_matrix(items, progress)
    folds = list(GroupKFold(n_splits=hp["folds"]).split(x, y, msrp_groups(rows)))
    fold_of = np.zeros(len(items), dtype=int)
    for k, (_, te) in enumerate(folds):
        fold_of[te] = k
    candidates = hp.get("candidates", PAIRS_EMBEDDING_CANDIDATES)
    oof = np.zeros((len(candidates), len(items)), dtype=np.float32)
    for c, cand in enumerate(candidates):
        for k, (tr, te) in enumerate(folds):
            mean, scale, layers = _fit_embedding(x[tr], y[tr], cand, seed)
            oof[c, te] = EmbeddingPairs(None, "cv", mean, scale, layers).proba_from_matrix(x[te])  # type: ignore[arg-type]
            progress(f"cross-validate {cand}", k + 1, len(folds))

    def per_fold(p: np.ndarray, threshold: float) -> list[dict[str, float]]:
        return [_binary_scores(y[fold_of == k], p[fold_of == k], threshold) for k in range(len(folds))]

    def mean_acc(p: np.ndarray, threshold: float) -> float:
        return float(np.mean([s["accuracy"] for s in per_fold(p, threshold)]))

    best = max(range(len(candidates)), key=lambda c: (round(mean_acc(oof[c], 0.5), 4), -c))
    threshold = max(THRESHOLDS, key=lambda t: (round(mean_acc(oof[best], t), 4), -abs(t - 0.5)))
    chosen, at_half = per_fold(oof[best], threshold), per_fold(oof[best], 0.5)
    cosines = x[:, -len(PAIR_FEATURES)]
    return {
        "file": str(src),
        "pairs": len(items),
        "folds": len(folds),
        "grouping": "pairs sharing a sentence id are one group (GroupKFold)",
        "majority_accuracy": round(float(max(y.mean(), 1 - y.mean())), 4),
        "candidate": candidates[best],
        "accuracy_by_candidate": [
            {**cand, "accuracy": round(mean_acc(oof[c], 0.5), 4)} for c, cand in enumerate(candidates)
        ],  # fmt: skip
        "threshold": threshold,
        "accuracy": round(float(np.mean([s["accuracy"] for s in chosen])), 4),
        "f1": round(float(np.mean([s["f1"] for s in chosen])), 4),
        "per_fold": chosen,
        "accuracy_at_0.5": round(float(np.mean([s["accuracy"] for s in at_half])), 4),
        "per_fold_at_0.5": at_half,
        "cosine_0.75_accuracy": round(
            float(
                np.mean(
                    [
                        _binary_scores(y[fold_of == k], cosines[fold_of == k], 0.75)["accuracy"]
                        for k in range(len(folds))
                    ]
                )
            ),
            4,
        ),  # fmt: skip
        "below_cosine": below_cosine(cosines, y),
        "hparams": {k: v for k, v in hp.items() if k != "candidates"},
        "seconds": round(time.time() - t0, 1),
    }


def pairs_embedding_matrix(items: Sequence[PairInput], progress: Progress = _noop) -> np.ndarray:
    """embedding_matrix of each pair with the shared MiniLM encoder (every sentence encoded once)."""
    return embedding_matrix(_encoded_minilm(items, progress), items)


def train_embedding_pairs(data_dir: str | Path, out_dir: str | Path, seed: int = 0, progress: Progress = _noop,
                          hparams: dict[str, Any] | None = None) -> Metrics:  # fmt: skip
    """The embedding pairs head: cross-validate (model, threshold), then fit the chosen one on the whole file."""
    hp = {**PAIRS_HPARAMS, "kind": "embedding", **(hparams or {})}
    cv = cross_validate_embedding_pairs(data_dir, seed, progress, hp)
    t0 = time.time()
    src = msrp_file(data_dir)
    rows = read_msrp(src)[: hp.get("limit")]
    items = [it for it, _, _, _ in rows]
    y = np.array([gold for _, gold, _, _ in rows], dtype=bool)
    mean, scale, layers = _fit_embedding(pairs_embedding_matrix(items), y, cv["candidate"], seed)
    metrics = {"model_id": PAIRS_HEAD, "cv": cv, "train_pairs": len(items), "seed": seed,
               "final_seconds": round(time.time() - t0, 1)}  # fmt: skip
    config = {"model_id": PAIRS_HEAD, "encoder": ENCODER_MINILM, "threshold": cv["threshold"],
              "features": ["u*v", "|u-v|", *PAIR_FEATURES], "metrics": metrics}  # fmt: skip
    out = Path(out_dir)
    save_embedding_head(out / PAIRS_HEAD, mean, scale, layers, config)
    write_card(out, PAIRS_HEAD, pairs_card(metrics, src))
    return metrics


def cross_validate_pairs_head(data: str | Path, seed: int = 0, progress: Progress = _noop,
                              hparams: dict[str, Any] | None = None) -> Metrics:  # fmt: skip
    """The cross-validated figures of the pairs head of hp["kind"] (what `train_pairs` reports and chooses by)."""
    hp = {**PAIRS_HPARAMS, **(hparams or {})}
    if hp["kind"] == "embedding":
        return cross_validate_embedding_pairs(data, seed, progress, hp)
    if hp["kind"] == "cascade":
        return cross_validate_cascade(data, seed, progress, {**CASCADE_HPARAMS, **(hparams or {})})
    return cross_validate_pairs(data, seed, progress, hp)


def train_pairs(data_dir: str | Path, out_dir: str | Path, seed: int = 0, progress: Progress = _noop,
                hparams: dict[str, Any] | None = None) -> Metrics:  # fmt: skip
    """The pairs head (`pairs.minilm-msrp.v1`): cross-validate on MSRP train, then fit on the whole file and
    write the head and its model card. hp["kind"]: "embedding" (the shipped head: an MLP over the shared
    encoder's vectors and the pair features) or "cross-encoder" (MiniLM's top layers fine-tuned over the
    pair; epochs and threshold chosen by cross-validation)."""
    hp = {**PAIRS_HPARAMS, **(hparams or {})}
    if hp["kind"] == "embedding":
        return train_embedding_pairs(data_dir, out_dir, seed, progress, hp)
    d = prepare_pairs(data_dir, hp, progress)
    cv = cross_validate_pairs(data_dir, seed, progress, hp, prepared=d)
    t0 = time.time()
    src, items = d.src, d.items
    net, _ = _fit_pairs(d.cached, d.features, d.y, list(range(len(items))), [], {**hp, "epochs": cv["epoch"]},
                        seed, progress, "final")  # fmt: skip
    metrics = {"model_id": PAIRS_HEAD, "cv": cv, "train_pairs": len(items), "seed": seed,
               "final_seconds": round(time.time() - t0, 1)}  # fmt: skip
    config = {"model_id": PAIRS_HEAD, "encoder": ENCODER_MINILM, "n_frozen": hp["n_frozen"],
              "max_length": hp["max_length"], "threshold": cv["threshold"], "features": list(PAIR_FEATURES),
              "metrics": metrics}  # fmt: skip
    out = Path(out_dir)
    save_pairs_head(net, out / PAIRS_HEAD, config)
    write_card(out, PAIRS_HEAD, pairs_card(metrics, src))
    return metrics


# the cascade's settings, chosen on the pooled out-of-fold probabilities: where the cross-encoder is asked (a band
# of the embedding head's p), how much its p weighs in the blend, and the threshold
CASCADE_BANDS: tuple[tuple[float, float], ...] = ((0.0, 1.0), (0.05, 0.95), (0.1, 0.9), (0.2, 0.8), (0.3, 0.7))
CASCADE_BLENDS = (1.0, 0.75, 0.5)
CASCADE_HPARAMS: dict[str, Any] = {**PAIRS_HPARAMS, "kind": "cascade", "n_frozen": 0, "lr": 5e-5, "head_lr": 1e-3,
                                   "batch_size": 16, "epochs": 3,
                                   "embedding": {"model": "mlp", "hidden": 128, "alpha": 1e-2}}  # fmt: skip


def cascade_probs(p_emb: np.ndarray, p_ce: np.ndarray, band: tuple[float, float], blend: float) -> np.ndarray:
    """CascadePairs' p(same point) from the embedding head's and the (symmetrised) cross-encoder's."""
    ask = (p_emb >= band[0]) & (p_emb <= band[1])
    return np.where(ask, blend * p_ce + (1 - blend) * p_emb, p_emb)


def cross_validate_cascade(data: str | Path, seed: int = 0, progress: Progress = _noop,
                           hparams: dict[str, Any] | None = None, prepared: PairsData | None = None,
                           ) -> Metrics:  # fmt: skip
    """k-fold cross-validation of the cascade (models/pairs.py, CascadePairs) on an MSRP-format file, folds
    grouped by shared sentences: per fold the embedding head (the shipped head's model) and a fully fine-tuned
    MiniLM cross-encoder, scored on both orders of every held-out pair after each epoch. Chosen on the pooled
    out-of-fold probabilities, by mean fold accuracy: the epoch (the symmetrised cross-encoder alone at 0.5),
    then band, blend and threshold (ties: the fewer pairs asked)."""
    from sklearn.model_selection import GroupKFold  # only cross-validation needs it

    hp = {**CASCADE_HPARAMS, **(hparams or {})}
    t0 = time.time()
    torch.set_num_threads(2)
    d = prepared or prepare_pairs(data, hp, progress)
    items, y, n = d.items, d.y, len(d.items)
    net, tokenizer = build_pairs_net(hp["n_frozen"])
    swapped = _pairs_cache(net, tokenizer, [PairInput(it.b, it.a) for it in items], hp["max_length"], progress)
    both_cached, both_features = d.cached + swapped, np.vstack([d.features, d.features])
    x = pairs_embedding_matrix(items, progress)
    folds = list(GroupKFold(n_splits=hp["folds"]).split(np.zeros(n), y, d.groups))
    p_emb = np.zeros(n, dtype=np.float32)
    p_ce = np.zeros((hp["epochs"], n), dtype=np.float32)  # the mean of both orders
    p_forward = np.zeros((hp["epochs"], n), dtype=np.float32)
    fold_of = np.zeros(n, dtype=int)
    for k, (tr, te) in enumerate(folds):
        mean, scale, layers = _fit_embedding(x[tr], y[tr], hp["embedding"], seed)
        p_emb[te] = EmbeddingPairs(None, "cv", mean, scale, layers).proba_from_matrix(x[te])  # type: ignore[arg-type]
        _, history = _fit_pairs(both_cached, both_features, np.concatenate([y, y]), tr.tolist(),
                                [*te.tolist(), *(n + te).tolist()], hp, seed, progress,
                                f"fold {k + 1}/{len(folds)}")  # fmt: skip
        for e, p in enumerate(history):
            p_forward[e, te], p_ce[e, te] = p[: len(te)], (p[: len(te)] + p[len(te) :]) / 2
        fold_of[te] = k

    def per_fold(p: np.ndarray, threshold: float) -> list[dict[str, float]]:
        return [_binary_scores(y[fold_of == k], p[fold_of == k], threshold) for k in range(len(folds))]

    def mean_acc(p: np.ndarray, threshold: float = 0.5) -> float:
        return round(float(np.mean([s["accuracy"] for s in per_fold(p, threshold)])), 4)

    epoch = max(range(hp["epochs"]), key=lambda e: (mean_acc(p_ce[e]), -e))
    settings = [(band, blend, t) for band in CASCADE_BANDS for blend in CASCADE_BLENDS for t in THRESHOLDS]

    def asked(band: tuple[float, float]) -> float:
        return round(float(((p_emb >= band[0]) & (p_emb <= band[1])).mean()), 4)

    def rank(setting: tuple[tuple[float, float], float, float]) -> tuple[float, float, float, float]:
        (band, blend, t) = setting
        return mean_acc(cascade_probs(p_emb, p_ce[epoch], band, blend), t), -asked(band), blend, -abs(t - 0.5)

    band, blend, threshold = max(settings, key=rank)
    p = cascade_probs(p_emb, p_ce[epoch], band, blend)
    chosen = per_fold(p, threshold)
    return {
        "file": str(d.src),
        "pairs": n,
        "folds": len(folds),
        "grouping": "pairs sharing a sentence id are one group (GroupKFold)",
        "majority_accuracy": round(float(max(y.mean(), 1 - y.mean())), 4),
        "epoch": epoch + 1,
        "band": list(band),
        "blend": blend,
        "threshold": threshold,
        "asked_share": asked(band),
        "accuracy": round(float(np.mean([s["accuracy"] for s in chosen])), 4),
        "f1": round(float(np.mean([s["f1"] for s in chosen])), 4),
        "per_fold": chosen,
        "accuracy_at_0.5": mean_acc(p),
        "per_fold_at_0.5": per_fold(p, 0.5),
        "embedding_accuracy_at_0.5": mean_acc(p_emb),
        "cross_encoder_accuracy_by_epoch": [mean_acc(p_forward[e]) for e in range(hp["epochs"])],
        "symmetrised_accuracy_by_epoch": [mean_acc(p_ce[e]) for e in range(hp["epochs"])],
        "cosine_0.75_accuracy": mean_acc(d.features[:, 0], 0.75),
        "below_cosine": below_cosine(d.features[:, 0], y),
        "hparams": hp,
        "seconds": round(time.time() - t0, 1),
    }


def train_cascade_pairs(data_dir: str | Path, out_dir: str | Path, seed: int = 0, progress: Progress = _noop,
                        hparams: dict[str, Any] | None = None) -> Metrics:  # fmt: skip
    """The cascade pairs head (`PAIRS_CASCADE`): cross-validate it, then fine-tune the cross-encoder on the
    whole file for the chosen epochs and write it with the chosen band, blend and threshold. Its first stage
    is the embedding head `PAIRS_HEAD` (trained by `train_pairs`), which must be in `out_dir` beside it."""
    hp = {**CASCADE_HPARAMS, **(hparams or {})}
    if not (Path(out_dir) / PAIRS_HEAD / "config.json").is_file():
        raise ModelUnavailable(f"the cascade's first stage {PAIRS_HEAD} is not in {out_dir}: train 'pairs' first")
    d = prepare_pairs(data_dir, hp, progress)
    cv = cross_validate_cascade(data_dir, seed, progress, hp, prepared=d)
    t0 = time.time()
    net, _ = _fit_pairs(d.cached, d.features, d.y, list(range(len(d.items))), [], {**hp, "epochs": cv["epoch"]},
                        seed, progress, "final")  # fmt: skip
    metrics = {"model_id": PAIRS_CASCADE, "cv": cv, "train_pairs": len(d.items), "seed": seed,
               "final_seconds": round(time.time() - t0, 1)}  # fmt: skip
    config = {"model_id": PAIRS_CASCADE, "kind": "cascade", "first": PAIRS_HEAD, "encoder": ENCODER_MINILM,
              "n_frozen": hp["n_frozen"], "max_length": hp["max_length"], "band": cv["band"], "blend": cv["blend"],
              "threshold": cv["threshold"], "features": list(PAIR_FEATURES), "metrics": metrics}  # fmt: skip
    out = Path(out_dir)
    save_pairs_head(net, out / PAIRS_CASCADE, config)
    write_card(out, PAIRS_CASCADE, cascade_card(metrics, d.src))
    return metrics


# the trainer of each head name (profiles.HEAD_NAMES), in the order `newsprism train` runs them
TRAINERS: dict[HeadName, Trainer] = {
    "stance": train_stance,
    "stance-cross": train_cross_stance,
    "sentiment": train_sentiment,
    "sentiment-shared": train_shared_sentiment,
    "pairs": train_pairs,
    "pairs-cascade": train_cascade_pairs,
    "attitude": train_attitude,
    "ner": train_ner,
}
