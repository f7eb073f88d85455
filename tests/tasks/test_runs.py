"""A run's `runs` row: `running` from its start, then `completed`, `failed` (with the error) or, when a later
run finds its process gone, `abandoned`."""

import os
import socket
import subprocess
import sys
from datetime import datetime

import duckdb

from newsprism.tasks.load import begin_run_record, fail_run_record, process_gone, record_run_row, run_record

MODELS = {"name": "tiny", "summariser": "s", "sentiment": "t", "stance": "u", "encoder": "e"}
STARTED = datetime(2025, 1, 1, 12)


def finished_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: no process has its pid (until the kernel reuses it)
    return child.pid


def runs(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select run_id, status, error, pid, articles from runs order by started_at").fetchall()


def test_a_process_is_gone_when_no_process_here_has_its_pid():
    here = socket.gethostname()
    assert process_gone(here, os.getpid()) is False
    assert process_gone(here, finished_pid()) is True
    assert process_gone("another-host", finished_pid()) is False  # cannot be checked from here
    assert process_gone(here, None) is False


def test_runs_are_running_then_completed_failed_or_abandoned(tmp_path):
    db = str(tmp_path / "w.duckdb")
    first, abandoned = begin_run_record(db, None, {"corpus": "c"}, MODELS, STARTED)
    assert abandoned == []
    assert runs(db) == [(first, "running", None, os.getpid(), None)]
    record_run_row(db, run_record(first, None, {}, MODELS, STARTED, [], ["s1"], 3))
    second, abandoned = begin_run_record(db, None, {}, MODELS, datetime(2025, 1, 1, 13))
    assert abandoned == []  # this process is alive: its run is not abandoned
    fail_run_record(db, second, "ValueError: boom")
    with duckdb.connect(db) as con:  # a run whose process was killed: still `running`
        con.execute(
            "insert into runs (run_id, profile, started_at, status, host, pid) "
            "values ('k', 'tiny', ?, 'running', ?, ?)",
            [datetime(2025, 1, 1, 14), socket.gethostname(), finished_pid()],
        )
    third, abandoned = begin_run_record(db, None, {}, MODELS, datetime(2025, 1, 1, 15))
    assert abandoned == ["k"]
    assert [row[:3] + row[4:] for row in runs(db)] == [
        (first, "completed", None, 3),
        (second, "failed", "ValueError: boom", None),
        ("k", "abandoned", "its process ended without closing the run (killed?)", None),
        (third, "running", None, None),
    ]
