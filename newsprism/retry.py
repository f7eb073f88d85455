"""When a task may retry: transient I/O only. A user error (a missing corpus, a bad manifest, a CorpusError,
a constraint violation) fails at once with its message; retrying it only repeats the message."""

from __future__ import annotations

from typing import Any

import duckdb

from newsprism.warehouse.db import WarehouseBusy

# OSErrors that the same call will raise again: what the user named is missing, wrong, or not theirs.
DETERMINISTIC_OS_ERRORS: tuple[type[OSError], ...] = (
    FileNotFoundError,
    NotADirectoryError,
    IsADirectoryError,
    PermissionError,
    FileExistsError,
)


def is_transient(exc: BaseException | None) -> bool:
    """An I/O failure that may pass on a second try (a flaky disk or share, a warehouse briefly locked)."""
    if isinstance(exc, DETERMINISTIC_OS_ERRORS):
        return False
    return isinstance(exc, (OSError, duckdb.IOException, WarehouseBusy))


def retry_on_transient_io(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's `retry_condition_fn` (task, task_run, state): a failed state carries the exception as its
    data. Used by the tasks' decorators; tasks never import each other, so this lives here."""
    data = getattr(state, "data", None)
    return is_transient(data if isinstance(data, BaseException) else None)
