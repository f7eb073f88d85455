"""Type-check the package as it is installed: `flows/` is `newsprism.flows`, and so on (pyproject's
package-dir). mypy cannot follow an editable install's import hook, so this builds the installed layout
out of symlinks under build/typecheck/ (folders, so new modules appear by themselves), runs mypy on it and
reports paths as they are in the repository.

    python scripts/typecheck.py            # what `make typecheck` runs
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / "build" / "typecheck"


def build_tree() -> dict[str, str]:
    """The symlinked layout; returns {path prefix in the tree: path prefix in the repository}."""
    mapped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(TREE, ignore_errors=True)
    package = TREE / "newsprism"
    package.mkdir(parents=True)
    prefixes = {}
    for name, folder in sorted(mapped.items(), key=lambda kv: -kv[0].count(".")):
        if name == "newsprism":
            continue
        target = package / name.removeprefix("newsprism.").replace(".", "/")
        target.symlink_to(ROOT / folder, target_is_directory=True)
        prefixes[str(target.relative_to(ROOT)) + "/"] = folder.rstrip("/") + "/"
    for entry in (ROOT / mapped["newsprism"]).iterdir():
        if entry.name != "__pycache__" and not (package / entry.name).exists():
            (package / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    prefixes[str(package.relative_to(ROOT)) + "/"] = mapped["newsprism"].rstrip("/") + "/"
    return prefixes


def main() -> int:
    prefixes = build_tree()
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "newsprism"],
        cwd=ROOT, env={**os.environ, "MYPYPATH": str(TREE.relative_to(ROOT))},
        capture_output=True, text=True,
    )  # fmt: skip
    for line in (proc.stdout + proc.stderr).splitlines():
        for tree_prefix, repo_prefix in prefixes.items():
            if line.startswith(tree_prefix):
                line = repo_prefix + line[len(tree_prefix) :]
                break
        print(line)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
