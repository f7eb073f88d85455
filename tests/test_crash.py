"""Runs killed with SIGKILL: during model work, inside the load's transaction, and after the load before the
run's record. A rerun leaves the warehouse exactly as a clean run does (`except all` both ways: no row), and
`runs` tells the story (the killed run `abandoned`, the rerun `completed`); the killed run leaves no process
behind (Prefect's temporary API server dies with it).

Each killed run is a real `newsprism run` (tiny profile, the seed articles) that kills itself with SIGKILL
at the named point: the point's function is wrapped, in that process only, to send the signal. Each test
runs the CLI two or three times: slow.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# `newsprism run ARGS...` in a process that SIGKILLs itself at POINT ("none": never), first writing the pids
# of its children (the temporary Prefect server) to CHILDREN
DRIVER = """
import os, signal, sys
point, children, argv = sys.argv[1], sys.argv[2], sys.argv[3:]

def die(*args, **kwargs):
    with open(children, "w") as out:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as mine:
                out.write(mine.read())
    os.kill(os.getpid(), signal.SIGKILL)

if point == "model":  # the encoder's first forward pass
    from newsprism.models.encoder import TransformerEncoder
    TransformerEncoder._forward = die
elif point == "load":  # inside a story's load transaction, after its articles and decisions are written
    import newsprism.warehouse.load as load
    insert_rows = load.insert_rows
    def insert_then_die(con, name, rows):
        n = insert_rows(con, name, rows)
        if name == "loads/insert_sentences":
            die()
        return n
    load.insert_rows = insert_then_die
elif point == "after-load":  # the load committed, the run not yet recorded: the comparison stage
    import newsprism.tasks.compare as compare
    compare.compare_stories_cached = die
from newsprism.cli import main
raise SystemExit(main(argv))
"""
NOT_COMPARED = {"runs", "schema_version"}  # a run's own record; when the schema was applied
VARYING = {"updated_at", "run_id"}  # when a story was loaded; which run quarantined an input


def newsprism_run(db: Path, point: str = "none") -> tuple[subprocess.CompletedProcess[str], list[int]]:
    children = db.with_suffix(f".{point}.children")
    command = [sys.executable, "-c", DRIVER, point, str(children)]
    command += ["run", str(SEEDS), "--profile", "tiny", "--db", str(db), "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    return done, pids


def gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"  # a zombie: dead, waiting for init to reap it


def differences(db: Path, clean: Path) -> dict[str, tuple[int, int]]:
    """Per table of the clean warehouse: rows only in `db`, rows only in the clean one (every column but
    those that say when or by which run)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("attach ? as clean (read_only)", [str(clean)])
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'clean' order by 1"
        ).fetchall()
        out = {}
        for (table,) in tables:
            if table in NOT_COMPARED:
                continue
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where database_name = 'clean' and table_name = ? "
                    "order by column_index",
                    [table],
                ).fetchall()
                if c not in VARYING
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            mine = f'select {listed} from main."{table}"'
            theirs = f'select {listed} from clean."{table}"'
            extra = con.execute(f"select count(*) from ({mine} except all {theirs})").fetchone()[0]
            missing = con.execute(f"select count(*) from ({theirs} except all {mine})").fetchone()[0]
            out[table] = (extra, missing)
        return out
    finally:
        con.close()


def runs(db: Path) -> list[tuple[str, str | None, int | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select status, error, articles from runs order by started_at").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    done, _ = newsprism_run(db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "analysed 5, unchanged 0, quarantined 0"
    return db


@pytest.mark.slow
@pytest.mark.parametrize("point", ["model", "load", "after-load"])
def test_a_run_killed_is_recorded_abandoned_and_a_rerun_equals_a_clean_run(clean_run, tmp_path, point):
    db = tmp_path / "w.duckdb"
    killed, children = newsprism_run(db, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert children, "the killed run had started its temporary Prefect server"
    deadline = time.monotonic() + 30
    while not all(gone(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(gone(pid) for pid in children), f"left behind: {children}"
    assert runs(db) == [("running", None, None)]  # killed: nothing could close it

    rerun, _ = newsprism_run(db)
    assert rerun.returncode == 0, rerun.stderr
    assert differences(db, clean_run) and set(differences(db, clean_run).values()) == {(0, 0)}
    assert runs(db) == [
        ("abandoned", "its process ended without closing the run (killed?)", None),
        ("completed", None, 5),
    ]
    # what the rerun found: after the load, every story was already stored exactly so
    expected = "analysed 0, unchanged 5" if point == "after-load" else "analysed 5, unchanged 0"
    assert rerun.stdout.splitlines()[-1] == f"{expected}, quarantined 0"
