"""prefect.yaml and `make serve` against a real Prefect server (not the in-process test harness).

One module-scoped `scripts/serve.py` on a free loopback port, with its own PREFECT_HOME, deploying
a copy of prefect.yaml whose parameters point at a temp copy of seeds/, the tiny profile and a temp DuckDB
file. Runs are triggered through the REST API exactly as the UI's Run button does, and executed by the
worker that `serve` started. Everything is stopped by process group at the end.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import yaml

from newsprism.warehouse.db import connect

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.py"  # repository tooling, not part of the package
_spec = importlib.util.spec_from_file_location("serve", SERVE)
assert _spec is not None and _spec.loader is not None, SERVE
serve = sys.modules["serve"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)
free_port, group_alive = serve.free_port, serve.group_alive
SEEDS = ROOT / "seeds"
OUTLETS = ["Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown"]
MODEL_STAGES = ["summarise", "sentiment", "stance"]
CHROMIUM = "/usr/bin/chromium"
STARTUP_TIMEOUT_S = 150
RUN_TIMEOUT_S = 300  # a tiny-profile run takes ~25 s on 2 idle cores; much longer on busy ones
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}

# Settings for the server, worker and flow runs: a fast scheduler and worker poll, so a schedule fires
# within seconds (names from prefect/settings/models/server/services.py and .../worker.py).
FAST = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_RUNS": "1",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_SCHEDULED_TIME": "PT0S",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS": "3",
    "PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS": "60",
    "PREFECT_WORKER_QUERY_SECONDS": "2",
    "PREFECT_WORKER_PREFETCH_SECONDS": "2",
    "PREFECT_LOGGING_LEVEL": "INFO",
}


@dataclass
class Served:
    proc: subprocess.Popen
    output: Path
    api: str
    ui: str
    deployment: dict
    params: dict
    tmp: Path
    pgids: list[int]
    deployments: dict[str, dict] | None = None

    def log(self, n: int = 60) -> str:
        return "\n".join(self.output.read_text(errors="replace").splitlines()[-n:])

    def stop(self, timeout: float = 60) -> int | None:
        """SIGTERM `serve` (as `kill` or systemd would) and wait; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill_everything(self) -> None:
        """Last resort, by process group: serve's own, and each group it reported starting."""
        for pgid in [self.proc.pid, *self.pgids]:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass


def prefect_file_for_test(tmp: Path, params: dict) -> Path:
    """prefect.yaml with analyse-coverage's parameters (and its schedules') replaced by the test's."""
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    for deployment in config["deployments"]:
        if not deployment["entrypoint"].endswith(":analyse_coverage"):
            continue
        deployment["parameters"] = {"params": params}
        for schedule in deployment.get("schedules") or []:
            schedule["parameters"] = {"params": params}
    path = tmp / "prefect.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def subprocess_env(home: Path, api: str) -> dict[str, str]:
    # No PREFECT_* from this process: the session's test harness may have set some (its API URL, its db).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(FAST, PREFECT_HOME=str(home), PREFECT_API_URL=api)
    return env


def _api(method: str, url: str, **kwargs) -> httpx.Response:
    """One API call, retried on 502/503/504 and dropped connections as Prefect's own client does (its server
    answers 503 while its SQLite database is busy, which a loaded machine makes likely)."""
    for attempt in range(6):
        try:
            resp = httpx.request(method, url, timeout=15, **kwargs)
        except httpx.TransportError:
            if attempt == 5:
                raise
        else:
            if resp.status_code not in (502, 503, 504) or attempt == 5:
                resp.raise_for_status()
                return resp
        time.sleep(2**attempt)
    raise AssertionError("unreachable")


def api_get(served: Served, path: str) -> dict | list:
    return _api("GET", f"{served.api}{path}").json()


def api_post(served: Served, path: str, body: dict | list) -> dict | list:
    return _api("POST", f"{served.api}{path}", json=body).json()


def wait_for_final_state(served: Served, flow_run_id: str, timeout: float = RUN_TIMEOUT_S) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = api_get(served, f"/flow_runs/{flow_run_id}")
        if run["state_type"] in FINAL:
            return run
        time.sleep(1)
    raise AssertionError(
        f"flow run {flow_run_id} not finished after {timeout:.0f}s (state {run['state_type']}):\n{served.log()}"
    )


def flow_run_logs(served: Served, flow_run_id: str) -> str:
    logs = api_post(served, "/logs/filter", {"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200})
    return "\n".join(entry["message"] for entry in logs)


def assert_completed(served: Served, run: dict) -> None:
    assert run["state_type"] == "COMPLETED", (
        f"{run['state_type']}: {run['state']['message']}\n{flow_run_logs(served, run['id'])}\n{served.log()}"
    )


def click_run(served: Served, params: dict) -> dict:
    """What the UI's Run button (and Custom run → Submit) sends."""
    deployment_id = served.deployment["id"]
    return api_post(served, f"/deployments/{deployment_id}/create_flow_run", {"parameters": {"params": params}})


def query(db: str, sql: str) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@contextmanager
def serving(tmp: Path) -> Iterator[Served]:
    """`scripts/serve.py` on a free loopback port until the block ends; then stopped, by process group."""
    corpus = shutil.copytree(SEEDS, tmp / "corpus")
    params = {"corpus": str(corpus), "profile": "tiny", "db": str(tmp / "warehouse" / "newsprism.duckdb")}
    (tmp / "warehouse").mkdir()
    prefect_file = prefect_file_for_test(tmp, params)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    output = tmp / "serve.out"
    with output.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(SERVE),
                "--port",
                str(port),
                "--prefect-file",
                str(prefect_file),
                "--log-dir",
                str(tmp / "logs"),
                "--startup-timeout",
                str(STARTUP_TIMEOUT_S),
            ],
            cwd=ROOT,
            env=subprocess_env(tmp / "prefect-home", api),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    served = Served(proc, output, api, f"http://127.0.0.1:{port}", {}, params, tmp, [])
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S * 2
        while "] ready: " not in output.read_text(errors="replace"):
            served.pgids = [int(g) for g in re.findall(r"process group (\d+)", output.read_text(errors="replace"))]
            assert proc.poll() is None, f"serve exited with code {proc.returncode}:\n{served.log()}"
            assert time.monotonic() < deadline, f"serve not ready after {STARTUP_TIMEOUT_S * 2}s:\n{served.log()}"
            time.sleep(0.5)
        served.pgids = [int(g) for g in re.findall(r"process group (\d+)", output.read_text(errors="replace"))]
        served.deployments = {d["name"]: d for d in api_post(served, "/deployments/filter", {})}
        served.deployment = served.deployments["seeds"]
        yield served
    finally:
        served.stop()
        served.kill_everything()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One `serve` shared by the module's tests (none of them stops it)."""
    with serving(tmp_path_factory.mktemp("prefect-server")) as running:
        yield running


@pytest.fixture(scope="module")
def first_run(served):
    run = wait_for_final_state(served, click_run(served, served.params)["id"])
    assert_completed(served, run)
    return run


def test_serve_deploys_prefect_yaml_with_a_paused_hourly_schedule(served):
    flows = {f["id"]: f["name"] for f in api_post(served, "/flows/filter", {})}
    assert sorted(f"{flows[d['flow_id']]}/{name}" for name, d in served.deployments.items()) == [
        "analyse-coverage/seeds",
        "train-heads/shared-data",
    ]
    dep = served.deployment
    assert dep["work_pool_name"] == "newsprism-local"
    assert dep["entrypoint"] == "flows/analyse_coverage.py:analyse_coverage"
    assert dep["parameters"] == {"params": served.params}
    assert [(s["slug"], s["schedule"]["cron"], s["active"]) for s in dep["schedules"]] == [
        ("hourly-seeds", "0 * * * *", False)
    ]
    pool = api_get(served, "/work_pools/newsprism-local")
    assert pool["type"] == "process"
    # The parameter is one pydantic model: the UI's form is built from this schema, descriptions included.
    schema = dep["parameter_openapi_schema"]
    assert list(schema["properties"]) == ["params"]
    fields = schema["definitions"]["CoverageParams"]["properties"]
    assert {"corpus", "profile", "db"} <= set(fields)
    assert fields["profile"]["enum"] == ["tiny", "local", "local-fast", "hub"]
    assert all(field.get("description") for field in fields.values())
    assert "ready: open the Prefect UI at " + served.ui in served.output.read_text()
    # Parameters are validated against that schema when a run is created, as the form does before.
    resp = httpx.post(
        f"{served.api}/deployments/{dep['id']}/create_flow_run",
        json={"parameters": {"params": {**served.params, "profile": "huge"}}},
        timeout=15,
    )
    assert resp.status_code == 409 and "huge" in resp.text, resp.text
    train = served.deployments["shared-data"]
    assert train["schedules"] == []
    assert train["parameters"] == {"params": {"data": "../shared/data", "out": "models/heads"}}
    assert {"data", "out", "only", "seed"} <= set(
        train["parameter_openapi_schema"]["definitions"]["TrainParams"]["properties"]
    )


def test_run_button_runs_the_flow_on_the_worker_and_loads_the_warehouse(served, first_run):
    assert first_run["deployment_id"] == served.deployment["id"]
    assert first_run["parameters"] == {"params": served.params}
    db = served.params["db"]
    assert query(db, "select count(*) from articles") == [(5,)]
    assert query(db, "select outlet from articles order by outlet") == [(o,) for o in OUTLETS]
    assert query(db, "select flow_run_id, profile from runs") == [(first_run["id"], "tiny")]


def test_a_schedule_fires_by_itself(served):
    """An interval schedule anchored a few seconds ahead: the server creates the run, the worker runs it."""
    db = str(served.tmp / "warehouse" / "scheduled.duckdb")
    params = {**served.params, "db": db}
    interval_s = 120
    anchor = datetime.now(UTC) + timedelta(seconds=10)
    dep_id = served.deployment["id"]
    (schedule,) = api_post(
        served,
        f"/deployments/{dep_id}/schedules",
        [
            {
                "schedule": {"interval": interval_s, "anchor_date": anchor.isoformat(), "timezone": "UTC"},
                "active": True,
                "slug": "test-every-2-minutes",
                "parameters": {"params": params},
            }
        ],
    )

    def auto_scheduled() -> list[dict]:
        runs = api_post(served, "/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": [dep_id]}}})
        return [r for r in runs if r["auto_scheduled"]]

    try:
        deadline = time.monotonic() + 60
        while not (created := auto_scheduled()):
            assert time.monotonic() < deadline, f"the scheduler created no run within 60s\n{served.log()}"
            time.sleep(1)
        run = min(created, key=lambda r: r["expected_start_time"])
        deadline = time.monotonic() + interval_s + RUN_TIMEOUT_S
        while (run := api_get(served, f"/flow_runs/{run['id']}"))["state_type"] == "SCHEDULED":
            assert time.monotonic() < deadline, f"the worker did not pick up {run['id']}\n{served.log()}"
            time.sleep(1)
    finally:
        # Pausing deletes the schedule's future runs (not the one already started): no run after this one.
        _api("PATCH", f"{served.api}/deployments/{dep_id}/schedules/{schedule['id']}", json={"active": False})
    run = wait_for_final_state(served, run["id"])
    assert_completed(served, run)
    assert [r["id"] for r in auto_scheduled()] == [run["id"]]
    assert run["parameters"] == {"params": params}
    late_by = (datetime.fromisoformat(run["expected_start_time"]) - anchor).total_seconds()
    assert late_by % interval_s < 1 or late_by % interval_s > interval_s - 1, late_by  # on the schedule's grid
    assert query(db, "select outlet from articles order by outlet") == [(o,) for o in OUTLETS]


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=20000",
    "--run-all-compositor-stages-before-draw",
]


def render(chromium: str, url: str, *args: str) -> str:
    """Load `url` in headless Chromium (a fresh profile) with `args`; returns stdout (the DOM for --dump-dom)."""
    with tempfile.TemporaryDirectory() as profile_dir:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", *args, url],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout


def visible_text(dom: str) -> str:
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


def test_custom_run_page_renders_the_parameter_form(served, tmp_path):
    """The deployment's "Custom run" page in both UIs: V2 (/v2/..., where a browser lands by default) and V1."""
    chromium = chromium_or_skip()
    assert _api("GET", f"{served.ui}/ui-settings").json()["default_ui"] == "v2"
    page = f"/deployments/deployment/{served.deployment['id']}/run"
    for url in (f"{served.ui}/v2{page}", f"{served.ui}{page}"):
        text = visible_text(render(chromium, url, "--dump-dom"))
        for expected in [
            "analyse-coverage",
            "newsprism-local",
            "Corpus",
            "Directory of .txt/.html articles",
            "Profile",
            "tiny: smoke test",
            "Db",
            "DuckDB file to load into",
        ]:
            assert expected in text, f"{expected!r} not on {url}: {text[:3000]}"
        if "/v2/" in url:  # V2 also shows the deployment's values in the form
            assert f" {served.params['corpus']} " in text and f" {served.params['db']} " in text, text[:3000]
    screenshot = tmp_path / "custom-run.png"
    render(
        chromium, f"{served.ui}/v2{page}", "--hide-scrollbars", "--window-size=1400,1000", f"--screenshot={screenshot}"
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found:
        return found
    pytest.skip("chromium is not installed (.ci/run installs it: apt-get install chromium)")


def test_unchanged_rerun_does_no_model_work(served, first_run):
    run = wait_for_final_state(served, click_run(served, served.params)["id"])
    assert_completed(served, run)
    db = served.params["db"]
    assert query(db, "select flow_run_id from runs order by finished_at desc limit 1") == [(run["id"],)]
    ((computed, cached),) = [
        tuple(map(json.loads, row))
        for row in query(db, "select computed, cached from runs order by finished_at desc limit 1")
    ]
    assert {stage: cached.get(stage) for stage in MODEL_STAGES} == dict.fromkeys(MODEL_STAGES, 5)
    assert {stage: computed.get(stage) for stage in MODEL_STAGES} == dict.fromkeys(MODEL_STAGES, 0)


def test_sigterm_stops_everything_serve_started(tmp_path):
    """A `serve` of its own, so the shared one stays up whatever order the tests run in."""
    with serving(tmp_path) as served:
        assert len(served.pgids) == 2, served.log()
        assert all(group_alive(pgid) for pgid in served.pgids)
        assert served.stop() == 0, served.log()
        assert not [pgid for pgid in served.pgids if group_alive(pgid)]
        out = served.output.read_text()
        assert "stopped prefect worker" in out and "stopped prefect server" in out
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{served.api}/health", timeout=2)
