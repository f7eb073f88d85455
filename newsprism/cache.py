"""A content-addressed cache of per-article model outputs, persisted as JSON files.

Keys are built from content and configuration only — the article's sentences (hashed), the model id (which
carries its version), the stage's code version, and the claims or targets — never from objects. So a
rerun on an unchanged corpus does no model work, a new article is the only one computed, and a new model
id recomputes only that model's outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict


def cache_key(*parts: Any) -> str:
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=20).hexdigest()


def default_cache_dir(db: str) -> str:
    """`.newsprism-cache/` beside the warehouse file."""
    return str(Path(db).resolve().parent / ".newsprism-cache")


@dataclass
class CacheStats:
    computed: int = 0
    cached: int = 0


class ResultCache:
    """JSON values under `root/namespace/ab/abcdef….json`; `root=None` disables caching."""

    def __init__(self, root: str | Path | None):
        self.root = Path(root) if root else None

    def _path(self, namespace: str, key: str) -> Path:
        assert self.root is not None
        return self.root / namespace / key[:2] / f"{key}.json"

    def get(self, namespace: str, key: str) -> Any | None:
        if self.root is None:
            return None
        try:
            return json.loads(self._path(namespace, key).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put(self, namespace: str, key: str, value: Any) -> None:
        if self.root is None:
            return
        path = self._path(namespace, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False)
        os.replace(tmp, path)  # atomic: a reader never sees half a file

    def map(
        self,
        namespace: str,
        keys: Sequence[str],
        compute: Callable[[list[int]], list[Any]],
    ) -> tuple[list[Any], CacheStats]:
        """Values for every key: cached ones read back, the rest computed in ONE call to
        `compute(missing_positions)` (so the model sees one batch) and stored."""
        values: list[Any] = [self.get(namespace, key) for key in keys]
        missing = [i for i, value in enumerate(values) if value is None]
        if missing:
            for i, value in zip(missing, compute(missing), strict=True):
                values[i] = value
                self.put(namespace, keys[i], value)
        return values, CacheStats(computed=len(missing), cached=len(keys) - len(missing))


class CachedUnits(TypedDict):
    """Rows for a group of units of model work, with the units computed and read from the cache."""

    rows: list[dict[str, Any]]
    computed: int
    cached: int


def map_units(
    cache_dir: str | None,
    namespace: str,
    units: Sequence[Any],
    key: Callable[[Any], str],
    identity: Callable[[Any], dict],
    compute: Callable[[list[Any]], list[list[dict]]],
) -> CachedUnits:
    """Rows for each unit of model work, cached per unit.

    `key(unit)` is built from content and configuration only; `compute(units)` returns, per unit, rows
    without identity fields (article ids hash the story too, so the same text in another story reuses the
    work); `identity(unit)` gives those fields back. Returns {"rows", "computed", "cached"} (unit counts).
    """
    return map_unit_groups(cache_dir, namespace, [units], key, identity, compute)[0]


def map_unit_groups(
    cache_dir: str | None,
    namespace: str,
    groups: Sequence[Sequence[Any]],
    key: Callable[[Any], str],
    identity: Callable[[Any], dict],
    compute: Callable[[list[Any]], list[list[dict]]],
) -> list[CachedUnits]:
    """`map_units` for several groups of units (one per story), with ONE `compute` call over every group's
    missing units, so the model sees one batch; per group {"rows", "computed", "cached"}."""
    flat = [unit for group in groups for unit in group]
    missing: set[int] = set()

    def run(positions: list[int]) -> list[Any]:
        missing.update(positions)
        return compute([flat[i] for i in positions])

    values, _ = ResultCache(cache_dir).map(namespace, [key(u) for u in flat], run)
    out: list[CachedUnits] = []
    start = 0
    for group in groups:
        span = range(start, start + len(group))
        computed = sum(1 for i in span if i in missing)
        rows = [{**identity(flat[i]), **row} for i in span for row in values[i]]
        out.append(CachedUnits(rows=rows, computed=computed, cached=len(group) - computed))
        start += len(group)
    return out
