"""Pre-flight: an unwritable warehouse or cache location, or a warehouse held by a writer, is one line before
any model work (`newsprism run` exits 2)."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.cli import main
from newsprism.preflight import PreflightError, preflight
from newsprism.warehouse.db import connect

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def test_a_fresh_location_passes_and_nothing_is_left_behind(tmp_path):
    preflight(str(tmp_path / "new" / "np.duckdb"), str(tmp_path / "new" / ".newsprism-cache"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("db", "message"),
    [
        (
            "{tmp}/afile/np.duckdb",
            "the warehouse's directory {tmp}/afile cannot be created: {tmp}/afile is not a directory",
        ),
        ("{tmp}", "--db {tmp} is a directory, not a DuckDB file"),
        ("/proc/np.duckdb", "the warehouse's directory /proc is not writable: "),
    ],
)
def test_an_unwritable_warehouse_location_is_named(tmp_path, db, message):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(PreflightError) as info:
        preflight(db.format(tmp=tmp_path), None)
    assert str(info.value).startswith(message.format(tmp=tmp_path))


def test_an_unwritable_cache_location_is_named(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(PreflightError) as info:
        preflight(str(tmp_path / "np.duckdb"), str(tmp_path / "afile" / "cache"))
    assert str(info.value) == (
        f"the model cache {tmp_path}/afile/cache cannot be created: {tmp_path}/afile is not a directory"
    )


HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"


def test_a_warehouse_held_by_a_writer_is_refused_before_model_work(tmp_path, capsys):
    db = tmp_path / "np.duckdb"
    connect(db, read_only=False).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        code = main(["run", str(SEEDS), "--profile", "tiny", "--db", str(db), "--quiet"])
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"newsprism run: error: {db} is locked by another process")
    assert err.count("\n") == 1
    assert elapsed < 10  # no Prefect server, no model work


def test_run_into_an_unwritable_location_exits_2_with_one_line(tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code = main(["run", str(SEEDS), "--profile", "tiny", "--db", str(tmp_path / "afile" / "np.duckdb"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"newsprism run: error: the warehouse's directory {tmp_path}/afile cannot be created: "
        f"{tmp_path}/afile is not a directory\n"
    )


def test_a_deployment_run_fails_before_ingest(prefect_harness, tmp_path):
    from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage  # Prefect: after the harness

    (tmp_path / "afile").write_text("x", encoding="utf-8")
    params = CoverageParams(corpus=str(SEEDS), profile="tiny", db=str(tmp_path / "afile" / "np.duckdb"))
    with pytest.raises(PreflightError, match="is not a directory"):
        analyse_coverage(params)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
