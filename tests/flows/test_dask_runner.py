"""The analyse-coverage flow on Dask (prefect-dask, a LocalCluster) writes the same rows as the default runner."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warehouse_rows import every_table

from newsprism.cli import build_parser
from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage
from newsprism.runners import batches

SEEDS = str(Path(__file__).resolve().parents[2] / "seeds")
NEWSPRISM = str(Path(sys.executable).parent / "newsprism")


@pytest.mark.slow
def test_the_seeds_on_dask_give_the_default_runner_rows(seeds_warehouse, tmp_path):
    db = str(tmp_path / "dask.duckdb")
    result = analyse_coverage(CoverageParams(corpus=SEEDS, profile="tiny", db=db, task_runner="dask"))
    default, dask = every_table(seeds_warehouse), every_table(db)
    assert result["outcome"]["analysed"] == len(default["articles"]) == 5
    assert sorted(dask) == sorted(default)
    assert default["sentences"] and default["sentiment"] and default["sentence_links"]  # not an empty comparison
    for table in default:
        assert dask[table] == default[table], table
    # the workers wrote the story as a Parquet partition, which the load merged and which stays queryable
    parts = tmp_path / "partitions"
    assert [p.name for p in parts.iterdir()] == ["story_id=russia-recognises-taliban"]
    con = duckdb.connect()
    stored = con.execute(
        "select story_id, count(*) from read_parquet(?, hive_partitioning = true) group by all",
        [str(parts / "*" / "sentences.parquet")],
    ).fetchall()
    assert stored == [("russia-recognises-taliban", len(default["sentences"]))]


@pytest.mark.parametrize(
    "items, size, expected",
    [([], 3, []), ([1, 2, 3], 3, [[1, 2, 3]]), ([1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]), ([1], 8, [[1]])],
)
def test_batches_keep_order_and_size(items, size, expected):
    assert batches(items, size) == expected


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        batches([1], 0)


def test_the_cli_passes_the_runner_to_the_run_form():
    args = build_parser().parse_args(["run", SEEDS, "--task-runner", "dask", "--dask-address", "tcp://10.0.0.5:8786",
                                      "--partitions", "/shared/parts"])  # fmt: skip
    assert (args.task_runner, args.dask_address, args.partitions) == ("dask", "tcp://10.0.0.5:8786", "/shared/parts")
    assert build_parser().parse_args(["run", SEEDS]).task_runner == "default"


def test_a_dask_address_without_the_dask_runner_is_one_clear_error(tmp_path):
    proc = subprocess.run(
        [NEWSPRISM, "run", SEEDS, "--profile", "tiny", "--db", str(tmp_path / "w.duckdb"), "--dask-address", "x:1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "--dask-address: only with --task-runner dask" in proc.stderr
    assert not (tmp_path / "w.duckdb").exists()
