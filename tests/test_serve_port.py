"""`make serve` picks its port from --port (make serve PORT=...), then PREFECT_API_URL, then 4200."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "serve.py"  # repository tooling, not part of the package
_spec = importlib.util.spec_from_file_location("serve_for_port_tests", SERVE)
assert _spec is not None and _spec.loader is not None, SERVE
serve = sys.modules["serve_for_port_tests"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)


@pytest.mark.parametrize(
    ("flag", "configured", "port"),
    [
        (None, None, 4200),
        (None, "http://127.0.0.1:4300/api", 4300),
        (None, "http://localhost:4301/api/", 4301),
        (None, "http://127.0.0.1/api", 4200),
        (None, "http://127.0.0.1:notaport/api", 4200),
        (4400, "http://127.0.0.1:4300/api", 4400),
        (4400, None, 4400),
    ],
)
def test_the_port_comes_from_the_flag_then_the_api_url(flag, configured, port):
    assert serve.choose_port(flag, configured) == port


def _dry_run(*args: str) -> str:
    # Under `make test` this runs inside another make: drop the parent's MAKEFLAGS/MAKELEVEL, which
    # would otherwise add "Entering/Leaving directory" lines around the recipe.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    return subprocess.run(
        ["make", "--no-print-directory", "-n", "serve", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_serve_passes_port_through():
    assert _dry_run("PORT=4321").splitlines()[-1].endswith("scripts/serve.py --port 4321")
    assert _dry_run().splitlines()[-1].endswith("scripts/serve.py ")
