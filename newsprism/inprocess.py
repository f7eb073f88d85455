"""Prefect settings for a flow called in this process (`newsprism run`, the benchmarks), not by a worker.

Such a run sends no flow-run heartbeats unless asked (`NEWSPRISM_HEARTBEATS=1`, read by the entry point).
Heartbeats let a Prefect server notice that the process running a flow died; a worker's runs keep them
(Prefect's default, 180 s). An in-process run ends with the command that called it, and Prefect 3.8 joins
the heartbeat thread when a run ends while that thread sleeps in 1 s steps: up to a second added to every
run, which was most of an unchanged rerun's time (measured: a flow that does nothing takes 1.08 s with
heartbeats, 0.09 s without).

    from newsprism.inprocess import in_process, temporary_server
    with temporary_server(), in_process(settings.heartbeats):
        analyse_coverage(params)

Without an API (no PREFECT_API_URL), Prefect would start its own temporary server as a child process, which
outlives a run killed with SIGKILL. `temporary_server` starts that same server (the app Prefect's
temporary server runs, on a free local port) through `newsprism.tether`, so it dies with the run.

Importing this module imports Prefect: set Prefect's own environment defaults first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import prefect
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    get_current_settings,
    temporary_settings,
)

from newsprism.settings import environment_with

SERVER_APP = "prefect.server.api.server:create_app"  # the app of Prefect's own temporary server
STOP_WAIT_S = 10.0


@contextmanager
def in_process(heartbeats: bool = False) -> Iterator[None]:
    """Run the enclosed flow calls without flow-run heartbeats (unless `heartbeats`: the entry point's
    `Settings.heartbeats`, NEWSPRISM_HEARTBEATS=1)."""
    if heartbeats:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


class ServerDidNotStart(RuntimeError):
    """The temporary Prefect API server did not answer in time (or exited)."""


@contextmanager
def temporary_server(
    startup_timeout_s: float | None = None, while_starting: Callable[[], object] | None = None
) -> Iterator[str | None]:
    """A temporary Prefect API server for the enclosed flow calls, tied to this process (see the module
    docstring); yields its API URL. With PREFECT_API_URL set, nothing is started (yields None).
    `while_starting` is called once the server's process is started, before waiting for it to answer: work
    that overlaps its start (`newsprism run` imports the flow's modules meanwhile: ~6 s, as long as the
    server takes)."""
    if PREFECT_API_URL.value():
        if while_starting is not None:
            while_starting()
        yield None
        return
    timeout = startup_timeout_s or float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with socket.socket() as probe:  # a free port (the server binds it a moment later)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **get_current_settings().to_environment_variables(exclude_unset=True),
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent)]
    command += ["--factory", SERVER_APP, "--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    command += ["--lifespan", "on"]
    tether = [sys.executable, "-m", "newsprism.tether", str(os.getpid())]
    server = subprocess.Popen([*tether, *command], env=environment_with(env))
    try:
        if while_starting is not None:
            while_starting()
        _wait_until_healthy(server, url, timeout)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            try:
                yield url
            finally:
                _drain_workers()
    finally:
        server.terminate()
        try:
            server.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _drain_workers() -> None:
    """Send the logs and events still queued to the server before it stops (as Prefect's test harness does):
    sent later, at exit, they would meet a closed port and print connection errors."""
    try:
        APILogWorker.instance().drain()
    except RuntimeError:  # the log worker never started
        pass
    EventsWorker.drain_all()


def _wait_until_healthy(server: subprocess.Popen[bytes], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise ServerDidNotStart(f"the temporary Prefect server exited with code {server.returncode}")
            try:
                if client.get(f"{url}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise ServerDidNotStart(f"the temporary Prefect server did not answer within {timeout:.0f} s")
