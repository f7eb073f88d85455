"""Prefect settings for a flow called in this process (`newsprism run`, the benchmarks), not by a worker.

Such a run sends no flow-run heartbeats unless asked (`NEWSPRISM_HEARTBEATS=1`, read by the entry point).
Heartbeats let a Prefect server notice that the process running a flow died; a worker's runs keep them
(Prefect's default, 180 s). An in-process run ends with the command that called it, and Prefect 3.8 joins
the heartbeat thread when a run ends while that thread sleeps in 1 s steps: up to a second added to every
run, which was most of an unchanged rerun's time (measured: a flow that does nothing takes 1.08 s with
heartbeats, 0.09 s without).

    from newsprism.inprocess import in_process
    with in_process(settings.heartbeats):
        analyse_coverage(params)

Importing this module imports Prefect: set Prefect's own environment defaults first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings


@contextmanager
def in_process(heartbeats: bool = False) -> Iterator[None]:
    """Run the enclosed flow calls without flow-run heartbeats (unless `heartbeats`: the entry point's
    `Settings.heartbeats`, NEWSPRISM_HEARTBEATS=1)."""
    if heartbeats:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
