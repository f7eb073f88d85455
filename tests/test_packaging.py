"""What ships is the wheel, not this checkout: build it, install it into a fresh virtual environment (not
editable), and run it from another directory.

The fresh environment sees the project's dependencies through a `.pth` line pointing at this environment's
site-packages (installing torch again would take minutes and the network); newsprism itself comes only
from the wheel, which the test checks before running anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest
from sourcetree import ROOT, package_dirs

SEEDS = ROOT / "seeds"
# what the wheel is not built from: build artefacts and what a run writes into the tree (`make run`'s warehouse
# and model cache under warehouse/), as shutil.ignore_patterns patterns matched against each path part
JUNK = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".newsprism-cache", "*.duckdb*")


def _source_files() -> set[str]:
    """Every file the wheel must hold, as its path inside the wheel (no bytecode, no caches)."""
    expected = set()
    dirs = package_dirs()
    for package, folder in dirs.items():
        for path in folder.rglob("*"):
            relative = path.relative_to(folder)
            if (
                not path.is_file()
                or path.suffix == ".pyc"
                or any(fnmatch(part, pattern) for part in relative.parts for pattern in JUNK)
            ):
                continue
            # a file inside a sub-package is that sub-package's, counted once
            owner = ".".join([package, *relative.parts[:-1]])
            if len(relative.parts) > 1 and owner in dirs:
                continue
            expected.add(str(Path(*package.split(".")) / relative))
    return expected


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(package_dirs().values())
    for folder in {*listed}:
        for init in folder.rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                assert init.parent in listed, f"{init.parent} is a package but not in pyproject's packages"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the working tree without build artefacts: setuptools reuses an existing build/
    folder, so a module deleted since the last build would otherwise still ship."""
    tmp = tmp_path_factory.mktemp("dist")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*JUNK))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(tmp), "."],
        cwd=source, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (built,) = tmp.glob("newsprism-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if not name.split("/")[0].endswith(".dist-info")}
    expected = _source_files()
    python = {f for f in shipped if f.endswith(".py")}
    assert python == {f for f in expected if f.endswith(".py")}, "the wheel's modules are not the source's"
    missing = sorted(expected - shipped)
    assert not missing, f"not in the wheel: {missing}"
    for data in ("newsprism/cleaning/line_model.json", "newsprism/warehouse/schema/001_core.sql",
                 "newsprism/warehouse/schema/005_same_point.sql",
                 "newsprism/models/heads/pairs.minilm-msrp.v1/head.safetensors"):  # fmt: skip
        assert data in shipped


@pytest.fixture(scope="module")
def fresh(wheel, tmp_path_factory) -> Path:
    """A new venv with only the wheel installed (dependencies visible through one .pth line)."""
    env_dir = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    Path(site, "_newsprism_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         "--ignore-installed", str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return env_dir


def _env(tmp: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        "PREFECT_HOME": str(tmp / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }


def _run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(map(str, command)), cwd=cwd, env=_env(cwd), capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert proc.returncode == 0, f"{command}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.mark.slow
def test_installed_wheel_imports_from_site_packages_not_the_checkout(fresh, tmp_path):
    code = (
        "import importlib, pkgutil, newsprism\n"
        "mods = [m.name for m in pkgutil.walk_packages(newsprism.__path__, 'newsprism.')]\n"
        "[importlib.import_module(m) for m in mods]\n"
        "print(newsprism.__file__); print(len(mods))"
    )
    where, count = _run([fresh / "bin" / "python", "-c", code], tmp_path).stdout.split()
    assert where.startswith(str(fresh)), where
    assert int(count) >= 40


@pytest.mark.slow
def test_installed_wheel_runs_the_seeds_and_cleans_like_the_checkout(fresh, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    db = work / "np.duckdb"
    run = _run([fresh / "bin" / "newsprism", "run", SEEDS, "--profile", "tiny", "--db", db], work)
    assert "Russia becomes first country to recognise Taliban government in Afghanistan" in run.stdout
    count = _run([fresh / "bin" / "newsprism", "sql", "--db", db, "--format", "csv",
                  "select count(*) as n from articles"], work)  # fmt: skip
    assert count.stdout.splitlines() == ["n", "5"]

    _run([fresh / "bin" / "newsprism", "clean", SEEDS, "--out", work / "wheel"], work)
    _run([Path(sys.executable).parent / "newsprism", "clean", SEEDS, "--out", work / "checkout"], work)
    wheel_files = sorted(p.name for p in (work / "wheel").iterdir())
    assert wheel_files == sorted(p.name for p in (work / "checkout").iterdir())
    assert len(wheel_files) == len(list(SEEDS.glob("*.txt"))) + 1  # one text per article, plus decisions.jsonl
    for name in wheel_files:
        assert (work / "wheel" / name).read_bytes() == (work / "checkout" / name).read_bytes(), name
