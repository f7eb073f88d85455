"""The installed package's modules, as pyproject.toml maps them onto the repository's folders (flows/ is
`newsprism.flows`, and so on). Shared by the layout and packaging tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, Path]:
    """Installed package name -> source folder."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    mapped = tool["package-dir"]
    out = {}
    for package in tool["packages"]:
        parent = max((p for p in mapped if package == p or package.startswith(p + ".")), key=len)
        rest = package[len(parent) :].lstrip(".").replace(".", "/")
        out[package] = ROOT / mapped[parent] / rest
    return out


def modules() -> dict[str, Path]:
    """Every installed module name -> its source file (a package is its __init__.py)."""
    out = {}
    for package, folder in package_dirs().items():
        for path in sorted(folder.glob("*.py")):
            out[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return out
