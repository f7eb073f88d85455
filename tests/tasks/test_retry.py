"""Retries only on transient I/O: a user error fails at once, with its message."""

import errno

import duckdb
import pytest
from prefect import flow, task

from newsprism.corpus import CorpusError
from newsprism.errors import UserError
from newsprism.retry import is_transient, retry_on_transient_io
from newsprism.tasks.compare import compare
from newsprism.tasks.ingest import ingest
from newsprism.tasks.load import load, quarantine, save_run
from newsprism.warehouse.db import WarehouseBusy


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (OSError(errno.EIO, "Input/output error"), True),
        (TimeoutError("read timed out"), True),
        (ConnectionResetError(), True),
        (duckdb.IOException("IO Error: could not read"), True),
        (WarehouseBusy("locked"), True),
        (FileNotFoundError(errno.ENOENT, "no such corpus"), False),
        (NotADirectoryError(), False),
        (PermissionError(errno.EACCES, "denied"), False),
        (CorpusError("manifest needs a 'file' column"), False),
        (UserError("bad flag"), False),
        (duckdb.ConstraintException("Duplicate key"), False),
        (ValueError("bad"), False),
        (None, False),
    ],
)
def test_only_transient_io_is_retried(exc, transient):
    assert is_transient(exc) is transient


def test_every_retrying_io_task_asks_first():
    for t in (ingest, load, save_run, quarantine, compare):
        assert t.retries == 2 and t.retry_condition_fn is retry_on_transient_io, t.name


@pytest.mark.parametrize(("exc", "calls"), [(OSError(errno.EIO, "flaky"), 3), (CorpusError("no corpus at x"), 1)])
def test_a_user_error_fails_at_once_and_io_is_retried(prefect_harness, exc, calls):
    attempts: list[int] = []

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=retry_on_transient_io)
    def flaky() -> None:
        attempts.append(1)
        raise exc

    @flow
    def run() -> None:
        flaky()

    with pytest.raises(type(exc), match=str(exc.args[-1])):
        run()
    assert len(attempts) == calls
