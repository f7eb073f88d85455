"""The registry's table: every profile's ids build, builders get their encoder passed in, head names live in
one place, and run-time modules never reach training or evaluation code."""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys

import pytest
from pydantic import ValidationError
from sourcetree import modules

from newsprism.cli import build_parser
from newsprism.models import registry
from newsprism.models.base import ModelUnavailable
from newsprism.models.profiles import (
    ENCODER_TINY,
    HEAD_NAMES,
    HEADS,
    PROFILES,
    TINY_STANCE,
    hub_profile,
    split_id,
)
from newsprism.models.registry import build_encoder, get_encoder, get_sentiment, get_stance, get_summariser
from newsprism.models.trainers import TRAINERS

TASKS = ("encoder", "summariser", "sentiment", "stance")
GETTERS = {"summariser": get_summariser, "sentiment": get_sentiment, "stance": get_stance}


@pytest.mark.parametrize(
    ("name", "task"),
    [pytest.param(name, task, marks=() if name == "tiny" else pytest.mark.slow) for name in PROFILES for task in TASKS],
)
def test_every_model_id_of_every_profile_builds(name, task):
    """tiny's for real in the default tier, the offline MiniLM heads in the slow one; each model carries the
    versioned id that is written to its output rows."""
    profile = PROFILES[name]
    model_id = getattr(profile, task)
    model = get_encoder(model_id) if task == "encoder" else GETTERS[task](model_id, profile.encoder)
    assert model.model_id == model_id


def test_every_id_a_profile_names_has_a_builder():
    tables = {"summariser": registry.SUMMARISERS, "sentiment": registry.SENTIMENT, "stance": registry.STANCE}
    for profile in [*PROFILES.values(), hub_profile()]:
        assert profile.encoder in registry.ENCODERS
        for task, table in tables.items():
            assert split_id(getattr(profile, task))[0] in table, (profile.name, task)


def test_unknown_ids_are_clear_errors():
    with pytest.raises(ModelUnavailable, match="unknown sentiment id 'sentiment.nope.v1'"):
        get_sentiment("sentiment.nope.v1", ENCODER_TINY)
    with pytest.raises(ModelUnavailable, match="unknown stance id"):
        get_stance(PROFILES["tiny"].sentiment, ENCODER_TINY)  # an id of another task
    with pytest.raises(ModelUnavailable, match="unknown encoder id 'encoder.nope'"):
        get_encoder("encoder.nope")


def test_a_retired_id_fails_naming_its_successor():
    for retired in ("stance.minilm-fnc1.v1", "stance.minilm-fnc1.v2"):
        with pytest.raises(
            ModelUnavailable, match=f"'{retired}' is retired: use its successor 'stance.minilm-fnc1.v3'"
        ):
            get_stance(retired, ENCODER_TINY)
    successor = "use its successor 'sentiment.minilm-shared.v2'"
    with pytest.raises(ModelUnavailable, match=f"'sentiment.minilm-shared.v1' is retired: {successor}"):
        get_sentiment("sentiment.minilm-shared.v1", ENCODER_TINY)


def test_a_builder_uses_the_encoder_it_is_given():
    encoder = build_encoder(ENCODER_TINY)  # not the process's cached instance
    assert encoder is not get_encoder(ENCODER_TINY)
    stance = registry.STANCE[TINY_STANCE].build(TINY_STANCE, "", encoder)
    assert stance.encoder is encoder


def test_head_names_live_in_one_place():
    """The trainers, the CLI's choices and the train-heads flow's form all come from profiles.HEAD_NAMES."""
    from newsprism.flows.train_heads import TrainParams

    assert list(TRAINERS) == list(HEAD_NAMES) == list(HEADS)
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    train = commands.choices["train"]
    (only,) = [a for a in train._actions if a.dest == "only"]
    assert list(only.choices) == list(HEAD_NAMES)
    assert [TrainParams(only=name).only for name in HEAD_NAMES] == list(HEAD_NAMES)
    with pytest.raises(ValidationError):
        TrainParams(only="sentiment-fast")


def test_the_cli_modules_of_training_and_evaluation_import_no_torch():
    """`newsprism --help` imports every command module: these stay light (the models load when they run)."""
    mods = ["newsprism.commands.train", "newsprism.evaluation.stance", "newsprism.evaluation.sentiment",
            "newsprism.evaluation.summaries", "newsprism.models.profiles", "newsprism.models.base",
            "newsprism.models.metrics"]  # fmt: skip
    code = f"import sys\nfor m in {mods!r}: __import__(m)\nprint(sorted({{'torch', 'numpy'}} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


RUN_TIME = ("registry", "encoder", "classifiers", "summarise", "sentiment_newsmtsc", "sentiment_shared",
            "stance_fnc1", "tiny", "pretrained", "base", "profiles")  # fmt: skip
TRAINING = ("trainers", "metrics", "datasets", "cards")


def _first_party_imports(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsprism"):
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("newsprism")}
    return found


def test_run_time_model_modules_never_reach_training_or_metrics_code():
    mods = modules()
    seen: set[str] = set()
    todo = [f"newsprism.models.{name}" for name in RUN_TIME]
    while todo:
        module = todo.pop()
        if module in seen or module not in mods:
            continue
        seen.add(module)
        todo.extend(_first_party_imports(mods[module]))
    assert not {f"newsprism.models.{name}" for name in TRAINING} & seen
