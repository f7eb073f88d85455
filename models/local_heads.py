"""Inference adapters for the offline `local` profile: sentiment (NewsMTSC) and stance (FNC-1) heads.

Both read their files from `models/heads/` (written by `newsprism train`) and batch every call:

    from newsprism.models.local_heads import load_sentiment_head, load_stance_head
    load_sentiment_head().predict([SentimentInput("Critics slammed the mayor.", (20, 25))])
    load_stance_head().predict([StanceInput("Apple buys Tesla", ("Apple denied the report.",))])

Sentiment: MiniLM fine-tuned on NewsMTSC, the target marked in the input ("mention [SEP] ... < mention >
..."); only the trained layers and a linear head are stored (fp16); the frozen embeddings (and any frozen
bottom layers) come from the MiniLM package. The shipped head (v2) is an ensemble of two such fine-tunes
(seeds 0 and 1) that averages their probabilities; v1 (top two layers fine-tuned, one seed) stays loadable.
Stance: features of the claim vs the body's sentences on the shared (memoised) MiniLM
encoder, classified by LightGBM; the evidence is the body sentence nearest to the claim.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from newsprism.models.base import (
    SENTIMENT_LABELS,
    STANCE_LABELS,
    SentimentInput,
    SentimentResult,
    StanceInput,
    StanceResult,
)
from newsprism.models.features import MAX_SENTENCES, Idf, mark_target, stance_features
from newsprism.models.registry import ENCODER_MINILM, HEADS_DIR, ModelUnavailable, get_encoder, minilm_path

SENTIMENT_ID = "sentiment.minilm-newsmtsc.v2"  # an ensemble of two fine-tunes (seed0/, seed1/)
STANCE_ID = "stance.minilm-fnc1.v1"
TRAIN_HINT = "run `newsprism train --data ../shared/data` (writes models/heads/)"


# --- sentiment ---------------------------------------------------------------------------------------


class SentimentNet(torch.nn.Module):
    """MiniLM + linear layer over [mean of all tokens, mean of the mention's tokens (first segment)].

    The bottom `n_frozen` transformer layers (and the embeddings) keep their pretrained weights; `lower()`
    runs them and `upper()` the trained rest, so training can cache `lower()` once per input.
    """

    def __init__(self, encoder: torch.nn.Module, n_frozen: int = 0, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.n_frozen = n_frozen
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(dropout)
        self.classifier = torch.nn.Linear(2 * hidden, len(SENTIMENT_LABELS))

    def _layers(self, hidden, attention_mask, layers):
        mask = self.encoder._create_attention_masks(attention_mask, None, hidden, None, None)[0]
        for layer in layers:
            hidden = layer(hidden, mask)
            hidden = hidden[0] if isinstance(hidden, tuple) else hidden
        return hidden

    def lower(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        return self._layers(hidden, attention_mask, self.encoder.encoder.layer[: self.n_frozen])

    def upper(self, hidden, attention_mask, mention_mask):
        hidden = self._layers(hidden, attention_mask, self.encoder.encoder.layer[self.n_frozen :])
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean_all = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        m = mention_mask.unsqueeze(-1).to(hidden.dtype)
        has = (m.sum(1) > 0).to(hidden.dtype)
        mean_mention = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
        mean_mention = has * mean_mention + (1 - has) * mean_all
        return self.classifier(self.dropout(torch.cat([mean_all, mean_mention], dim=-1)))

    def forward(self, input_ids, attention_mask, token_type_ids, mention_mask):
        hidden = self.lower(input_ids, attention_mask, token_type_ids)
        return self.upper(hidden, attention_mask, mention_mask)


def sentiment_batch(tokenizer, items: Sequence[SentimentInput], max_length: int = 128) -> dict:
    """Tokenised pair input ("mention", "marked sentence") plus the mask of the mention's tokens."""
    pairs = [mark_target(it.sentence, it.target) for it in items]
    batch = tokenizer(
        [a for a, _ in pairs],
        [b for _, b in pairs],
        padding=True,
        truncation="only_second",
        max_length=max_length,
        return_tensors="pt",
        return_special_tokens_mask=True,
    )
    special = batch.pop("special_tokens_mask").bool()
    mention = (batch["token_type_ids"] == 0) & ~special & batch["attention_mask"].bool()
    batch["mention_mask"] = mention
    return dict(batch)


class MiniLMSentiment:
    """Target-dependent sentiment of news sentences; `target=None` gives the whole sentence's sentiment.

    With several nets (an ensemble of fine-tunes of one pretrained encoder) the frozen bottom layers they
    share run once per batch and the members' probabilities are averaged.
    """

    def __init__(self, nets: SentimentNet | Sequence[SentimentNet], tokenizer, max_length: int = 128,
                 batch_size: int = 64, model_id: str = SENTIMENT_ID):  # fmt: skip
        self.nets = [n.eval() for n in ([nets] if isinstance(nets, SentimentNet) else nets)]
        self.net = min(self.nets, key=lambda n: n.n_frozen)  # runs the frozen layers all members share
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.model_id = model_id

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[SentimentInput]) -> np.ndarray:
        """(len(items), 3) probabilities in SENTIMENT_LABELS order; batches sorted by length."""
        out = np.zeros((len(items), len(SENTIMENT_LABELS)), dtype=np.float32)
        order = sorted(range(len(items)), key=lambda i: len(items[i].sentence))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            batch = sentiment_batch(self.tokenizer, [items[i] for i in idx], self.max_length)
            mask = batch["attention_mask"]
            shared = self.net.lower(batch["input_ids"], mask, batch["token_type_ids"])
            probs = []
            for net in self.nets:  # a member with more frozen layers runs its remaining frozen ones first
                hidden = net._layers(shared, mask, net.encoder.encoder.layer[self.net.n_frozen : net.n_frozen])
                probs.append(torch.softmax(net.upper(hidden, mask, batch["mention_mask"]).float(), dim=-1))
            out[idx] = torch.stack(probs).mean(0).numpy()
        return out

    def predict(self, items: list[SentimentInput]) -> list[SentimentResult]:
        return sentiment_results(self.predict_proba(items))


def sentiment_results(probs: np.ndarray) -> list[SentimentResult]:
    """Results from (n, 3) probabilities in SENTIMENT_LABELS order: score = p(positive) - p(negative)."""
    neg, pos = SENTIMENT_LABELS.index("negative"), SENTIMENT_LABELS.index("positive")
    return [
        SentimentResult(
            label=SENTIMENT_LABELS[int(p.argmax())],
            score=round(float(p[pos] - p[neg]), 6),
            probs={label: round(float(v), 6) for label, v in zip(SENTIMENT_LABELS, p, strict=True)},
        )
        for p in probs
    ]


def build_sentiment_net(n_frozen: int = 0, net_class: type[SentimentNet] = SentimentNet) -> tuple[SentimentNet, object]:
    """The untrained network on the pretrained MiniLM (used by training and, with weights, by loading)."""
    from transformers import AutoModel, AutoTokenizer

    path = minilm_path()
    encoder = AutoModel.from_pretrained(path, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    return net_class(encoder.eval(), n_frozen=n_frozen), tokenizer


def trainable_state(net: SentimentNet) -> dict[str, dict[str, torch.Tensor]]:
    """What a sentiment head stores, by file: one per trained transformer layer (< 5 MB in fp16) + head."""
    files: dict[str, dict[str, torch.Tensor]] = {}
    for name, tensor in net.state_dict().items():
        if name.startswith("encoder.encoder.layer."):
            layer = int(name.split(".")[3])
            if layer >= net.n_frozen:
                files.setdefault(f"layer_{layer}", {})[name] = tensor
        elif not name.startswith("encoder."):  # the classifier (and a shared-trunk head's target vector)
            files.setdefault("head", {})[name] = tensor
    return files


def save_sentiment_head(net: SentimentNet, out: Path, config: dict) -> None:
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    for fname, tensors in trainable_state(net).items():
        save_file({k: v.detach().to(torch.float16).contiguous() for k, v in tensors.items()},
                  str(out / f"{fname}.safetensors"))
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def _load_sentiment_net(head_dir: Path, net_class: type[SentimentNet] = SentimentNet,
                        ) -> tuple[SentimentNet, object, dict]:
    from safetensors.torch import load_file

    if not (head_dir / "config.json").is_file() or not (head_dir / "head.safetensors").is_file():
        raise ModelUnavailable(f"sentiment head not found in {head_dir}: {TRAIN_HINT}")
    config = json.loads((head_dir / "config.json").read_text())
    net, tokenizer = build_sentiment_net(int(config.get("n_frozen", 0)), net_class)
    state = {}
    for f in sorted(head_dir.glob("*.safetensors")):
        state.update({k: v.float() for k, v in load_file(str(f)).items()})
    missing = [k for f in trainable_state(net).values() for k in f if k not in state]
    if missing:
        raise ModelUnavailable(f"sentiment head in {head_dir} is incomplete ({missing[0]}): {TRAIN_HINT}")
    net.load_state_dict(state, strict=False)
    return net, tokenizer, config


@lru_cache(maxsize=4)
def load_sentiment_head(path: str | Path | None = None) -> MiniLMSentiment:
    """A sentiment head folder (default: the shipped `models/heads/sentiment.minilm-newsmtsc.v2/`), cached.

    A folder is one fine-tune (its layer files + `head.safetensors` + `config.json`) or an ensemble: a
    `config.json` whose `members` names fine-tune folders inside it. The config's `model_id` is the id
    written to output rows.
    """
    head_dir = Path(path) if path is not None else HEADS_DIR / SENTIMENT_ID
    config_file = head_dir / "config.json"
    config = json.loads(config_file.read_text()) if config_file.is_file() else {}
    if config.get("kind") == "shared-trunk":
        return load_shared_sentiment(head_dir)
    if "members" not in config:
        net, tokenizer, config = _load_sentiment_net(head_dir)
        return MiniLMSentiment(net, tokenizer, max_length=int(config.get("max_length", 128)),
                               model_id=config.get("model_id", SENTIMENT_ID))  # fmt: skip
    return sentiment_ensemble(head_dir, config["members"], config["model_id"], int(config.get("max_length", 128)))


def sentiment_ensemble(head_dir: Path, members: Sequence[str], model_id: str, max_length: int) -> MiniLMSentiment:
    """The ensemble of the fine-tune folders `members` inside `head_dir`."""
    loaded = [_load_sentiment_net(head_dir / m) for m in members]
    return MiniLMSentiment([net for net, _, _ in loaded], loaded[0][1], max_length=max_length, model_id=model_id)


# --- sentiment on the shared encoder's pass ----------------------------------------------------------


class SharedTrunkNet(SentimentNet):
    """MiniLM's top layer (a trained copy) over the shared encoder's token states after its other layers,
    run for the target's tokens only; a linear layer over [the encoder's sentence vector, mean of the
    target's outputs].

    The input is the plain sentence, exactly as the encoder ran it: the target is marked by a learned vector
    added to its tokens' states. Keys and values come from every token, queries (and the feed-forward part)
    only from the target's tokens, so a target costs about a sixth of one layer, and the target's outputs
    are exactly what the full layer would give them.
    """

    def __init__(self, encoder: torch.nn.Module, n_frozen: int, dropout: float = 0.1):
        super().__init__(encoder, n_frozen=n_frozen, dropout=dropout)
        if n_frozen != len(encoder.encoder.layer) - 1:
            raise ValueError("a shared-trunk head trains exactly the top layer")
        self.target = torch.nn.Parameter(torch.zeros(int(encoder.config.hidden_size)))

    def over_states(self, hidden, attention_mask, mention_mask, sentence):
        """Logits from padded states (n, L, d), their attention and mention masks (n, L) and the encoder's
        unit-length sentence vectors (n, d). A row with no mention token (cut by truncation) uses [CLS]."""
        x = hidden + mention_mask.unsqueeze(-1).to(hidden.dtype) * self.target
        queries = mention_mask.clone()
        queries[~queries.any(1), 0] = True
        m = int(queries.sum(1).max())
        positions = torch.argsort((~queries).to(torch.int8), dim=1, stable=True)[:, :m]  # query tokens first
        valid = torch.gather(queries, 1, positions)
        xq = torch.gather(x, 1, positions.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        layer = self.encoder.encoder.layer[-1]
        att = layer.attention.self
        n, length, d = x.shape

        def heads(t):
            return t.view(n, -1, att.num_attention_heads, att.attention_head_size).transpose(1, 2)

        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        weights = torch.softmax(heads(att.query(xq)) @ heads(att.key(x)).transpose(-1, -2) * att.scaling + bias, -1)
        weights = torch.nn.functional.dropout(weights, att.dropout.p, self.training)
        context = (weights @ heads(att.value(x))).transpose(1, 2).reshape(n, m, d)
        attended = layer.attention.output(context, xq)
        out = layer.output(layer.intermediate(attended), attended)
        w = valid.unsqueeze(-1).to(out.dtype)
        target = (out * w).sum(1) / w.sum(1)
        scale = float(d) ** 0.5  # the sentence vector is unit-length, the layer's outputs are not
        return self.classifier(self.dropout(torch.cat([sentence * scale, target], dim=-1)))


def mention_tokens(offsets: torch.Tensor, span: tuple[int, int]) -> torch.Tensor:
    """Which tokens (by their character spans; special tokens are (0, 0)) overlap the character span."""
    start, end = offsets[:, 0], offsets[:, 1]
    return (end > start) & (start < span[1]) & (end > span[0])


def pad_states(rows: Sequence[tuple[torch.Tensor, torch.Tensor]]):
    """(hidden (n, L, d) float32, attention mask (n, L), mention mask (n, L)) from unpadded rows."""
    n = max(h.shape[0] for h, _ in rows)
    hidden = torch.zeros(len(rows), n, rows[0][0].shape[1])
    attention = torch.zeros(len(rows), n, dtype=torch.long)
    mention = torch.zeros(len(rows), n, dtype=torch.bool)
    for i, (h, m) in enumerate(rows):
        hidden[i, : h.shape[0]] = h.float()
        attention[i, : h.shape[0]] = 1
        mention[i, : h.shape[0]] = m
    return hidden, attention, mention


class SharedTrunkSentiment:
    """Sentiment that reuses the shared encoder's pass instead of running a model of its own.

    Toward a target: the trained top layer over the encoder's kept token states, for the target's tokens
    only (`SharedTrunkNet`). Whole sentence (`target=None`): a linear layer over the encoder's sentence vector,
    which alignment and summaries have already computed.
    """

    def __init__(self, net: SharedTrunkNet, sentence_weight: torch.Tensor, sentence_bias: torch.Tensor, encoder,
                 batch_size: int = 64, model_id: str = "sentiment.minilm-shared.v1"):  # fmt: skip
        self.net = net.eval()
        self.sentence_weight = sentence_weight.float()
        self.sentence_bias = sentence_bias.float()
        self.encoder = encoder
        self.batch_size = batch_size
        self.model_id = model_id

    @torch.inference_mode()
    def predict_proba(self, items: Sequence[SentimentInput]) -> np.ndarray:
        out = np.zeros((len(items), len(SENTIMENT_LABELS)), dtype=np.float32)
        whole = [i for i, it in enumerate(items) if it.target is None]
        if whole:
            vectors = torch.from_numpy(self.encoder.encode([items[i].sentence for i in whole]))
            out[whole] = torch.softmax(vectors @ self.sentence_weight.T + self.sentence_bias, dim=-1).numpy()
        targeted = [i for i, it in enumerate(items) if it.target is not None]
        sentences = [items[i].sentence for i in targeted]
        states = self.encoder.token_states(sentences, self.net.n_frozen)
        vectors = dict(zip(targeted, torch.from_numpy(self.encoder.encode(sentences)), strict=True))
        rows = {i: (h, mention_tokens(off, items[i].target)) for i, (h, off) in zip(targeted, states, strict=True)}
        order = sorted(targeted, key=lambda i: rows[i][0].shape[0])
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            logits = self.net.over_states(*pad_states([rows[i] for i in idx]), torch.stack([vectors[i] for i in idx]))
            out[idx] = torch.softmax(logits.float(), dim=-1).numpy()
        return out

    def predict(self, items: list[SentimentInput]) -> list[SentimentResult]:
        return sentiment_results(self.predict_proba(items))


def save_shared_sentiment(net: SharedTrunkNet, sentence_weight: torch.Tensor, sentence_bias: torch.Tensor,
                          out: Path, config: dict) -> None:  # fmt: skip
    """The trained layers and head (as `save_sentiment_head`) + `sentence.safetensors` + config."""
    from safetensors.torch import save_file

    save_sentiment_head(net, out, {**config, "kind": "shared-trunk", "n_frozen": net.n_frozen})
    save_file({"weight": sentence_weight.float().contiguous(), "bias": sentence_bias.float().contiguous()},
              str(out / "sentence.safetensors"))


def load_shared_sentiment(head_dir: Path, encoder=None) -> SharedTrunkSentiment:
    """A shared-trunk head folder on the shared encoder (default: the registry's MiniLM)."""
    from safetensors.torch import load_file

    net, _, config = _load_sentiment_net(head_dir, SharedTrunkNet)
    if not (head_dir / "sentence.safetensors").is_file():
        raise ModelUnavailable(f"sentiment head in {head_dir} lacks sentence.safetensors: {TRAIN_HINT}")
    sentence = load_file(str(head_dir / "sentence.safetensors"))
    return SharedTrunkSentiment(net, sentence["weight"], sentence["bias"], encoder or get_encoder(ENCODER_MINILM),
                                model_id=config.get("model_id", head_dir.name))


# --- stance ------------------------------------------------------------------------------------------


def stance_matrix(items: Sequence[StanceInput], encode, idf: Idf) -> tuple[np.ndarray, list[int | None]]:
    """Feature matrix and evidence indices of `items`; `encode(texts)` returns unit-normalised rows.

    All claims and sentences are encoded in one call (batched, memoised by the shared encoder).
    """
    texts: list[str] = []
    for it in items:
        texts.append(it.claim)
        texts.extend(list(it.sentences)[:MAX_SENTENCES])
    vecs = encode(texts) if texts else np.zeros((0, 1), np.float32)
    rows, evidence, pos = [], [], 0
    for it in items:
        n = min(len(it.sentences), MAX_SENTENCES)
        claim_vec, sent_vecs = vecs[pos], vecs[pos + 1 : pos + 1 + n]
        pos += 1 + n
        row, best = stance_features(it.claim, it.sentences, claim_vec, sent_vecs, idf)
        rows.append(row)
        evidence.append(best)
    return (np.stack(rows) if rows else np.zeros((0, 0), np.float32)), evidence


def stance_probs(boosters: dict, X: np.ndarray) -> np.ndarray:
    """(n, 4) probabilities in STANCE_LABELS order from the two stages.

    `related`: p(related), on the first (scalar) columns; `related_class`: p(agree|disagree|discuss given
    related), on all columns.
    """
    if len(X) == 0:
        return np.zeros((0, len(STANCE_LABELS)))
    p_rel = boosters["related"].predict(X[:, : boosters["related"].num_feature()])
    p_cls = boosters["related_class"].predict(X)
    return np.column_stack([p_cls * p_rel[:, None], 1.0 - p_rel])


class MiniLMStance:
    """Stance of a document toward a claim (FNC-1 labels), with the index of the evidence sentence."""

    model_id = STANCE_ID

    def __init__(self, boosters: dict, idf: Idf, encoder=None):
        self.boosters = boosters
        self.idf = idf
        self._encoder = encoder

    @property
    def encoder(self):
        if self._encoder is None:
            self._encoder = get_encoder(ENCODER_MINILM)
        return self._encoder

    def predict_proba(self, items: Sequence[StanceInput]) -> tuple[np.ndarray, list[int | None]]:
        X, evidence = stance_matrix(items, self.encoder.encode, self.idf)
        return stance_probs(self.boosters, X), evidence

    def predict(self, items: list[StanceInput]) -> list[StanceResult]:
        probs, evidence = self.predict_proba(items)
        out = []
        for p, ev in zip(probs, evidence, strict=True):
            k = int(np.argmax(p))
            out.append(
                StanceResult(
                    label=STANCE_LABELS[k],
                    score=round(float(p[k]), 6),
                    probs={label: round(float(v), 6) for label, v in zip(STANCE_LABELS, p, strict=True)},
                    evidence=ev,
                )
            )
        return out


def save_stance_head(boosters: dict, idf: Idf, out: Path, config: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, booster in boosters.items():
        with gzip.open(out / f"{name}.lgb.txt.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write(booster.model_to_string())
    np.savez_compressed(out / "idf.npz", **idf.save())
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


@lru_cache(maxsize=4)
def load_stance_head(path: str | Path | None = None) -> MiniLMStance:
    """The stance head from `models/heads/stance.minilm-fnc1.v1/` (cached); the encoder loads on first use."""
    import lightgbm as lgb

    head_dir = Path(path) if path is not None else HEADS_DIR / STANCE_ID
    files = [head_dir / "config.json", head_dir / "idf.npz"] + [
        head_dir / f"{n}.lgb.txt.gz" for n in ("related", "related_class")
    ]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        raise ModelUnavailable(f"stance head {STANCE_ID} not found in {head_dir} ({missing[0]}): {TRAIN_HINT}")
    boosters = {}
    for n in ("related", "related_class"):
        with gzip.open(head_dir / f"{n}.lgb.txt.gz", "rt", encoding="utf-8") as fh:
            boosters[n] = lgb.Booster(model_str=fh.read())
    with np.load(head_dir / "idf.npz", allow_pickle=False) as arrays:
        idf = Idf.load(arrays)
    return MiniLMStance(boosters, idf)
