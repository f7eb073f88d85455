"""The layout's contracts, checked on the source: no import cycles, tasks never import tasks, models know
nothing of Prefect, flows only orchestrate, imports inside functions say why they are there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sourcetree import ROOT, modules

MODULES = modules()


def _imports(path: Path) -> list[tuple[ast.stmt, bool]]:
    """Every import statement of a module, and whether it runs at import time (module level, or under a
    module-level `if`/`try`, e.g. `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[ast.stmt, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, top))
            nested = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
            visit(child, nested)

    visit(tree, True)
    return found


def _targets(module: str, node: ast.stmt) -> set[str]:
    """The first-party modules an import statement loads."""
    names: set[str] = set()
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:  # relative import
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}".rstrip(".")
        names = {f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names}
    return {name for name in names if name in MODULES}


def _graph() -> dict[str, set[str]]:
    return {m: {t for node, _ in _imports(p) for t in _targets(m, node)} - {m} for m, p in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def test_the_module_list_covers_the_pipeline():
    for module in ("newsprism.cli", "newsprism.flows.analyse_coverage", "newsprism.tasks.load",
                   "newsprism.models.registry", "newsprism.warehouse.db", "newsprism.text"):  # fmt: skip
        assert module in MODULES


def test_no_import_cycles_even_through_imports_inside_functions():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("newsprism.tasks.")))
def test_tasks_never_import_other_tasks(module):
    assert not {t for t in _graph()[module] if t.startswith("newsprism.tasks.")}


def _third_party(path: Path) -> set[str]:
    out = set()
    for node, _ in _imports(path):
        if isinstance(node, ast.Import):
            out |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("newsprism.models")))
def test_models_know_nothing_of_prefect_or_the_warehouse(module):
    assert "prefect" not in _third_party(MODULES[module])
    assert not {t for t in _graph()[module] if t.startswith(("newsprism.tasks", "newsprism.flows",
                                                              "newsprism.warehouse"))}  # fmt: skip


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("newsprism.flows.")))
def test_flows_only_orchestrate(module):
    assert not _third_party(MODULES[module]) & {"duckdb", "transformers", "torch", "os"}
    assert not {t for t in _graph()[module] if t.startswith("newsprism.warehouse")}


def test_imports_inside_functions_say_why():
    """An import that is not at module level must carry a comment on its line or the line above (why it
    is deferred: heavy, optional, or keeping `newsprism --help` fast)."""
    unexplained = []
    for path in MODULES.values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, top in _imports(path):
            if top:
                continue
            here, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
            if "#" not in here and not above.strip().startswith("#") and '"""' not in above:
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}: {here.strip()}")
    assert not unexplained, "\n".join(unexplained)
