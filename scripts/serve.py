"""`make serve` / `python scripts/serve.py`: everything the Prefect UI needs, on one machine.

1. a Prefect server on loopback (`prefect server start`), unless one already answers at PREFECT_API_URL;
2. the process work pool `newsprism-local`;
3. the deployments of prefect.yaml (`prefect deploy --all`);
4. a worker for the pool (`prefect worker start`), in the repository root;

then prints the UI address and waits. Ctrl-C or SIGTERM stops what it started, and only that: each child
runs in its own process group, which gets SIGINT (what Ctrl-C in a terminal sends), then SIGTERM and
SIGKILL if it has not exited in time.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

# Prefect is imported in the functions that need it, after `main` has set its environment defaults (Prefect
# reads its settings when first imported); the test importing free_port/group_alive does not load it.

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PORT = 4200
DEFAULT_POOL = "newsprism-local"
STOP_TIMEOUT_S = 15.0


class ServeError(RuntimeError):
    """A step failed; the message says which and how to fix it."""


class Stop(BaseException):
    """Raised by the SIGINT/SIGTERM handler (a BaseException, like KeyboardInterrupt)."""


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    log: Path | None = None

    @property
    def pgid(self) -> int:
        return self.proc.pid  # start_new_session=True: the child leads its own process group


@dataclass
class Services:
    api_url: str
    children: list[Child] = field(default_factory=list)

    @property
    def ui_url(self) -> str:
        return self.api_url.removesuffix("/").removesuffix("/api")


def prefect_bin() -> str:
    """The `prefect` executable next to this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("prefect")
    return str(beside) if beside.exists() else "prefect"


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile, if any."""
    if url := os.environ.get("PREFECT_API_URL"):
        return url.rstrip("/")
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return url.rstrip("/") if url else None


def port_of(api_url: str | None) -> int | None:
    """The port named in an API URL (`http://127.0.0.1:4300/api` -> 4300); None when it names none."""
    if not api_url:
        return None
    try:
        return urlsplit(api_url).port
    except ValueError:
        return None


def choose_port(flag: int | None, configured: str | None) -> int:
    """--port (make serve PORT=...) wins, then the port in PREFECT_API_URL, then DEFAULT_PORT."""
    return flag or port_of(configured) or DEFAULT_PORT


def child_env(api_url: str, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(
        PREFECT_API_URL=api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # prefect.yaml's pull step runs flows in "{{ $PWD }}": the repository root.
        PWD=str(ROOT),
    )
    return env


def spawn(name: str, args: list[str], env: dict[str, str], log: Path | None = None) -> Child:
    """Start a child in its own session (so its own process group) in the repository root."""
    out = open(log, "ab") if log else None
    try:
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        if out:
            out.close()
    return Child(name, proc, log)


def tail(path: Path | None, n: int = 30) -> str:
    if not path or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-n:])


def stop_child(child: Child, timeout: float = STOP_TIMEOUT_S) -> int | None:
    """Stop the child's process group as Ctrl-C would (SIGINT), then SIGTERM, then SIGKILL; returns its exit code.

    The whole group is signalled, so what the child started itself (a worker's flow-run subprocess) goes too.
    """
    for sig, wait_s in ((signal.SIGINT, timeout), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(child.pgid, sig)
        except ProcessLookupError:  # the group is empty: everything in it has exited
            break
        try:
            child.proc.wait(wait_s)
        except subprocess.TimeoutExpired:
            continue
        if not group_alive(child.pgid):
            break
    try:
        return child.proc.wait(5)
    except subprocess.TimeoutExpired:
        return None


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_server(host: str, port: int, env: dict[str, str], log: Path, timeout: float) -> Child:
    if not port_is_free(host, port):
        raise ServeError(
            f"port {port} on {host} is in use by something that is not a Prefect server; "
            f"pick another with --port (make serve PORT=...)"
        )
    child = spawn("prefect server", [prefect_bin(), "server", "start", "--host", host, "--port", str(port)], env, log)
    api_url = f"http://{host}:{port}/api"
    deadline = time.monotonic() + timeout
    while not healthy(api_url):
        if child.proc.poll() is not None:
            raise ServeError(f"prefect server exited with code {child.proc.returncode}:\n{tail(log)}")
        if time.monotonic() > deadline:
            stop_child(child)
            raise ServeError(f"prefect server did not answer {api_url}/health within {timeout:.0f}s:\n{tail(log)}")
        time.sleep(0.5)
    return child


def ensure_pool(api_url: str, pool: str) -> bool:
    """Create the process work pool if it does not exist; True if it was created."""
    if httpx.get(f"{api_url}/work_pools/{pool}", timeout=10).status_code == 200:
        return False
    from prefect.workers.process import ProcessWorker

    body = {
        "name": pool,
        "type": "process",
        "base_job_template": ProcessWorker.get_default_base_job_template(),
        "description": "newsprism: flow runs as subprocesses of a local worker (make serve)",
    }
    resp = httpx.post(f"{api_url}/work_pools/", json=body, timeout=10)
    if resp.status_code == 409:  # created meanwhile
        return False
    resp.raise_for_status()
    return True


def deploy(env: dict[str, str], prefect_file: Path, timeout: float = 300) -> str:
    """`prefect deploy --all` from the repository root; returns its output."""
    args = [prefect_bin(), "--no-prompt", "deploy", "--all", "--prefect-file", str(prefect_file)]
    proc = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, start_new_session=True
    )
    if proc.returncode != 0:
        raise ServeError(f"`{' '.join(args[1:])}` failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def ui_base(ui_url: str) -> str:
    """Where the UI a browser gets by default lives (Prefect 3.8 serves V2 under /v2 and V1 under /)."""
    try:
        settings = httpx.get(f"{ui_url}/ui-settings", timeout=10).json()
        base = settings.get(f"{settings.get('default_ui')}_base_url") or "/"
    except (httpx.HTTPError, ValueError, AttributeError):
        base = "/"
    return ui_url + base.rstrip("/")


def deployments(api_url: str) -> list[dict]:
    resp = httpx.post(f"{api_url}/deployments/filter", json={"limit": 200}, timeout=10)
    resp.raise_for_status()
    flows = httpx.post(f"{api_url}/flows/filter", json={"limit": 200}, timeout=10).json()
    names = {f["id"]: f["name"] for f in flows}
    return [{**d, "full_name": f"{names.get(d['flow_id'], '?')}/{d['name']}"} for d in resp.json()]


def start_worker(env: dict[str, str], pool: str, api_url: str, log: Path | None, timeout: float) -> Child:
    """Start a worker and wait until it has sent its first heartbeat to the pool."""
    before = {w["name"] for w in workers(api_url, pool)}
    child = spawn("prefect worker", [prefect_bin(), "worker", "start", "--pool", pool], env, log)
    deadline = time.monotonic() + timeout
    while not {w["name"] for w in workers(api_url, pool) if w.get("status") == "ONLINE"} - before:
        if child.proc.poll() is not None:
            raise ServeError(f"prefect worker exited with code {child.proc.returncode}:\n{tail(log)}")
        if time.monotonic() > deadline:
            stop_child(child)
            raise ServeError(f"the worker did not come online within {timeout:.0f}s:\n{tail(log)}")
        time.sleep(0.5)
    return child


def workers(api_url: str, pool: str) -> list[dict]:
    resp = httpx.post(f"{api_url}/work_pools/{pool}/workers/filter", json={}, timeout=10)
    return resp.json() if resp.status_code == 200 else []


def say(msg: str) -> None:
    print(f"[newsprism serve] {msg}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/serve.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1", help="address the server listens on (default: loopback only)")
    p.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"server port (default: the port in PREFECT_API_URL, else {DEFAULT_PORT})",
    )
    p.add_argument("--prefect-file", type=Path, default=ROOT / "prefect.yaml", help="deployments to create")
    p.add_argument("--pool", default=DEFAULT_POOL, help=f"process work pool (default {DEFAULT_POOL})")
    p.add_argument("--startup-timeout", type=float, default=120.0, help="seconds to wait for server and worker")
    p.add_argument(
        "--log-dir",
        type=Path,
        default=None,
        help="where the server's log goes (default: $PREFECT_HOME/newsprism-serve)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.prefect_file.exists():
        say(f"no {args.prefect_file}")
        return 2
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

    def on_signal(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    from prefect.settings import get_current_settings

    log_dir = args.log_dir or Path(get_current_settings().home) / "newsprism-serve"
    log_dir.mkdir(parents=True, exist_ok=True)
    configured = configured_api_url()
    args.port = choose_port(args.port, configured)
    own_url = f"http://{args.host}:{args.port}/api"
    services = Services(api_url=own_url)
    code = 0
    try:
        if configured and healthy(configured):
            services.api_url = configured
            say(f"using the Prefect server already running at {configured}")
        elif healthy(own_url):
            say(f"using the Prefect server already running at {own_url}")
        else:
            if configured and configured != own_url:
                say(f"PREFECT_API_URL={configured} does not answer; starting a server at {own_url} instead")
            say(f"starting prefect server on {args.host}:{args.port} (log: {log_dir / 'server.log'})")
            server = start_server(
                args.host, args.port, child_env(own_url), log_dir / "server.log", args.startup_timeout
            )
            services.children.append(server)
            say(f"started prefect server: pid {server.proc.pid}, process group {server.pgid}")
        env = child_env(services.api_url)

        created = ensure_pool(services.api_url, args.pool)
        say(f"work pool {args.pool!r} (process) {'created' if created else 'already exists'}")

        say(f"deploying {args.prefect_file} ...")
        deploy(env, args.prefect_file)
        ui = ui_base(services.ui_url)
        for d in deployments(services.api_url):
            active = [s for s in d.get("schedules", []) if s.get("active")]
            say(
                f"deployment {d['full_name']}: {len(d.get('schedules', []))} schedule(s), {len(active)} active; "
                f"{ui}/deployments/deployment/{d['id']}"
            )

        worker = start_worker(env, args.pool, services.api_url, None, args.startup_timeout)
        services.children.append(worker)
        say(f"started prefect worker for pool {args.pool!r}: pid {worker.proc.pid}, process group {worker.pgid}")
        say(f"ready: open the Prefect UI at {services.ui_url}  (API {services.api_url}); Ctrl-C stops it all")

        while True:
            for child in services.children:
                if child.proc.poll() is not None:
                    raise ServeError(
                        f"{child.name} exited unexpectedly with code {child.proc.returncode}\n{tail(child.log)}"
                    )
            time.sleep(0.5)
    except Stop as stop:
        say(f"{stop.args[0]}: stopping")
    except (ServeError, httpx.HTTPError, subprocess.TimeoutExpired) as exc:
        say(f"error: {exc}")
        code = 1
    finally:
        # Ignore further Ctrl-C while stopping, so the children are not orphaned half-way.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in reversed(services.children):
            rc = stop_child(child)
            say(f"stopped {child.name} (pid {child.proc.pid}, exit code {rc})")
    return code


if __name__ == "__main__":
    sys.exit(main())
