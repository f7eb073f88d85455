"""Pre-flight: before any model work, the places a run writes are writable and the warehouse is free.

A read-only `--db` location used to fail after the model work, with pages of tracebacks; now it is one line
(`newsprism run` exits 2; a deployment run fails before `ingest`). The corpus is read by `ingest` (and by
`newsprism run` before Prefect starts), which names an unreadable one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from newsprism.errors import UserError
from newsprism.warehouse.db import WarehouseBusy, connect


class PreflightError(UserError):
    """A run that cannot finish: say so before the model work."""


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def check_writable_dir(path: Path, what: str) -> None:
    """`path` (a directory, made when the run writes) can take a new file: probed by writing one."""
    existing = _nearest_existing(path)
    if not existing.is_dir():
        raise PreflightError(f"{what} {path} cannot be created: {existing} is not a directory")
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".newsprism-preflight-"):
            pass
    except OSError as exc:
        raise PreflightError(f"{what} {path} is not writable: {exc.strerror or exc}") from None


def check_db(db: str) -> None:
    """The warehouse file: its directory writable, the file (if any) writable and not held by a writer."""
    path = Path(db)
    if path.is_dir():
        raise PreflightError(f"--db {db} is a directory, not a DuckDB file")
    check_writable_dir(path.parent, "the warehouse's directory")
    if not path.exists():
        return
    try:
        with path.open("r+b"):
            pass
    except OSError as exc:
        raise PreflightError(f"--db {db} is not writable: {exc.strerror or exc}") from None
    try:  # a read-only open is refused while another process writes
        connect(path, read_only=True).close()
    except WarehouseBusy as exc:
        raise PreflightError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 (any open failure is reported, as one line)
        raise PreflightError(f"--db {db} cannot be opened: {str(exc).splitlines()[0]}") from None


def preflight(db: str, cache_dir: str | None) -> None:
    """Every check, in the order a user would fix them; PreflightError (a UserError) names the first."""
    check_db(db)
    if cache_dir is not None:
        check_writable_dir(Path(cache_dir), "the model cache")
