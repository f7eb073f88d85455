"""Entity attitude: an article's attitude toward a target (negative / neutral / positive), meant as the
AUTHOR's, from the target-dependent sentiment of the sentences that mention it.

The tone of a sentence that mentions a person is not the outlet's attitude: quoted speech is someone else
speaking, and a few sentences are weak evidence. So the rule (`AttitudeRule.decide`):

    weight of a mention    1 where the outlet speaks, `quote_weight` where the mention is inside a quotation
                           or the sentence is at least `quoted_share` quoted speech
    raw score              weighted mean of p(positive) - p(negative) over the mentioning sentences
    score                  raw score x W / (W + `prior`), W the mentions' total weight: few mentions, a
                           score shrunk toward neutral
    label                  negative if score <= -`neg_threshold`, positive if score >= `pos_threshold`,
                           else neutral

`attitude.basil-calibrated.v1` holds the parameters fitted by grouped cross-validation on BASIL's author
attitudes (`newsprism train --only attitude`), for the sentiment model it was fitted on (the `local`
profile's ensemble, `profiles.ATTITUDE_CALIBRATIONS`). The `sentiment` table's level 'target' rows carry the
label and score decided here; their p_negative / p_neutral / p_positive stay the plain mean over the mentioning
sentences (so p_positive - p_negative is the uncalibrated, raw score). Any other sentiment model (tiny, hub, local-fast)
gets `attitude.rule.v1`: the same rule with the documented defaults below, not fitted to that model.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from newsprism.models.base import SENTIMENT_LABELS, ModelUnavailable, SentimentResult
from newsprism.models.profiles import ATTITUDE_CALIBRATIONS, ATTITUDE_RULE
from newsprism.targets import Mention

CONFIG = "attitude.json"


@dataclass(frozen=True)
class Attitude:
    label: str  # one of SENTIMENT_LABELS
    score: float  # the shrunk, weighted score the label was decided on, in [-1, 1]
    raw_score: float  # plain mean of p(positive) - p(negative) over the mentioning sentences
    probs: dict[str, float]  # plain mean probabilities over the mentioning sentences (raw_score's)
    mentions: int


@dataclass(frozen=True)
class AttitudeRule:
    model_id: str = ATTITUDE_RULE
    quote_weight: float = 0.5
    quoted_share: float = 0.5
    prior: float = 1.0
    neg_threshold: float = 0.3
    pos_threshold: float = 0.3

    def weight(self, mention: Mention) -> float:
        quoted = mention.in_quote or mention.quote_share >= self.quoted_share
        return self.quote_weight if quoted else 1.0

    def decide(self, mentions: list[Mention], results: list[SentimentResult]) -> Attitude:
        """The attitude from the mentioning sentences (at least one) and their sentiment, in the same order."""
        if not mentions or len(mentions) != len(results):
            raise ValueError(f"need one result per mention, got {len(mentions)} mentions, {len(results)} results")
        weights = [self.weight(m) for m in mentions]
        total = sum(weights)
        scores = [r.probs.get("positive", 0.0) - r.probs.get("negative", 0.0) for r in results]
        # every mention quoted and quotes weighing nothing: no evidence of the author's attitude
        weighted = sum(w * s for w, s in zip(weights, scores, strict=True)) / total if total > 0 else 0.0
        probs = {k: sum(r.probs.get(k, 0.0) for r in results) / len(results) for k in SENTIMENT_LABELS}
        score = weighted * total / (total + self.prior) if total + self.prior > 0 else 0.0
        label = "negative" if score <= -self.neg_threshold else "positive" if score >= self.pos_threshold else "neutral"
        return Attitude(label, score, sum(scores) / len(scores), probs, len(mentions))

    def params(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "model_id"}


def save_attitude(rule: AttitudeRule, out: Path, config: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / CONFIG).write_text(json.dumps({**config, **asdict(rule)}, indent=2) + "\n")


def load_attitude(head_dir: Path, sentiment_id: str) -> AttitudeRule:
    """The calibrated rule in `head_dir`, which must have been fitted for `sentiment_id`."""
    path = head_dir / CONFIG
    if not path.is_file():
        raise ModelUnavailable(f"{path} is missing: run `newsprism train --data FILE --only attitude`")
    config = json.loads(path.read_text())
    if config.get("sentiment_model") != sentiment_id:
        raise ModelUnavailable(f"{path} was fitted for {config.get('sentiment_model')!r}, not {sentiment_id!r}")
    return AttitudeRule(model_id=config["model_id"], **{k: float(config[k]) for k in AttitudeRule().params()})


def attitude_for(sentiment_id: str, heads_dir: Path | None = None) -> AttitudeRule:
    """The attitude rule for a sentiment model: its calibration where one is shipped, else the default rule."""
    calibrated = ATTITUDE_CALIBRATIONS.get(sentiment_id)
    if calibrated is None:
        return AttitudeRule()
    if heads_dir is None:
        # deferred: pretrained imports torch, which the default rule (tiny and hub profiles' tests) never needs
        from newsprism.models import HEADS_DIR  # the package's own module: no torch

        heads_dir = HEADS_DIR
    return load_attitude(heads_dir / calibrated, sentiment_id)
