"""Settings are read once, at the entry points, from the environment: no other module reads it."""

import re
from pathlib import Path

import pytest

from newsprism.errors import UserError
from newsprism.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = ["newsprism", "flows", "tasks", "models", "warehouse"]
# the CLI sets Prefect's own defaults before it imports Prefect (it reads nothing of ours)
PREFECT_DEFAULTS = re.compile(r'os\.environ\.setdefault\("PREFECT_[A-Z_]+"')


def test_only_settings_reads_the_environment():
    readers = []
    for directory in PACKAGE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if path == ROOT / "newsprism" / "settings.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if ("os.environ" in line or "getenv(" in line) and not PREFECT_DEFAULTS.search(line):
                    readers.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert readers == []


def test_settings_from_the_environment():
    env = {
        "NEWSPRISM_DB": "/tmp/w.duckdb",
        "NEWSPRISM_PROFILE": "tiny",
        "NEWSPRISM_HUB_SENTIMENT": "org/model",
        "NEWSPRISM_HUB_STANCE": "",
        "NEWSPRISM_HEARTBEATS": "1",
        "NEWSPRISM_PROGRESS": "1",
    }
    assert Settings.from_env(env) == Settings(
        db="/tmp/w.duckdb", profile="tiny", hub_sentiment="org/model", heartbeats=True, progress=True
    )
    assert Settings.from_env(env).hub_models() == {"sentiment": "org/model"}
    assert Settings.from_env({}) == Settings()


def test_the_input_size_limit_is_a_setting():
    assert Settings().max_input_mb == 20
    assert Settings.from_env({"NEWSPRISM_MAX_INPUT_MB": "0.5"}).max_input_mb == 0.5
    for bad in ("0", "-1", "lots", "inf", "nan"):
        with pytest.raises(UserError, match=f"NEWSPRISM_MAX_INPUT_MB: expected a number of MB above 0, got '{bad}'"):
            Settings.from_env({"NEWSPRISM_MAX_INPUT_MB": bad})
