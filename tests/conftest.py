"""Shared fixtures. Environment for Prefect is set before anything imports it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_PREFECT_HOME = tempfile.mkdtemp(prefix="newsprism-prefect-home-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the whole session (it takes ~11 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seeds_warehouse(prefect_harness, tmp_path_factory) -> str:
    """The seeds analysed once with the tiny profile (read it only: tests that write copy the file first)."""
    from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage

    db = str(tmp_path_factory.mktemp("seeds-warehouse") / "seeds.duckdb")
    analyse_coverage(CoverageParams(corpus=str(SEEDS), profile="tiny", db=db))
    return db


@pytest.fixture
def memory_db():
    from newsprism.warehouse.db import connect_memory

    con = connect_memory()
    yield con
    con.close()
