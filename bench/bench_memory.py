"""Peak memory of a run over the seeds plus one 50 MB file vs over the seeds alone (prints JSON).

Each run is `newsprism run` in its own process (a temp copy of the corpus, a temp DuckDB file); its peak
resident memory is the child's `ru_maxrss`. The 50 MB file is over the default input limit (20 MB), so it
is quarantined as `too_large` without being read: target, the difference stays within 50 MB.

  .venv/bin/python bench/bench_memory.py                 # tiny profile
  .venv/bin/python bench/bench_memory.py --profile local
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIG_MB = 50
TARGET_MB = 50


def measured_run(corpus: Path, profile: str, workdir: Path, *extra: str) -> tuple[str, float, float, Path]:
    """One `newsprism run` over `corpus` (plus `extra` arguments) in a child process: its stdout, wall time (s),
    peak RSS (MB) and the warehouse it wrote. A failed run stops the benchmark with the run's error."""
    env = {**os.environ, "PREFECT_HOME": str(workdir / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    script = (
        "import resource, sys\n"
        "from newsprism.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "sys.exit(code)\n"
    )
    db = workdir / f"{corpus.name}.duckdb"
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script, "run", str(corpus), "--profile", profile, "--db", str(db), "--quiet", *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"newsprism run {corpus} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak_kb = next(int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("PEAK_KB"))
    return proc.stdout, wall, peak_kb / 1024, db


def peak_of_run(corpus: Path, profile: str, workdir: Path) -> dict[str, float | str]:
    """Peak RSS (MB) and wall time of one `newsprism run` over `corpus`, in a child process."""
    stdout, wall, peak_mb, _ = measured_run(corpus, profile, workdir)
    last = [line for line in stdout.splitlines() if line.startswith("analysed ")][-1]
    return {"peak_mb": round(peak_mb, 1), "wall_s": round(wall, 1), "outcome": last}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", default="tiny")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        seeds = workdir / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        plus = workdir / "seeds-plus-big"
        shutil.copytree(ROOT / "seeds", plus)
        line = b"The minister said the talks would continue next week in the capital. " * 14 + b"\n"
        with (plus / "999_big.txt").open("wb") as handle:
            for _ in range(BIG_MB * 1024 * 1024 // len(line) + 1):
                handle.write(line)
        alone = peak_of_run(seeds, args.profile, workdir)
        with_big = peak_of_run(plus, args.profile, workdir)
    difference = round(float(with_big["peak_mb"]) - float(alone["peak_mb"]), 1)
    print(
        json.dumps(
            {
                "profile": args.profile,
                "big_file_mb": BIG_MB,
                "seeds": alone,
                "seeds_plus_big": with_big,
                "difference_mb": difference,
                "target_mb": TARGET_MB,
                "within_target": difference <= TARGET_MB,
                "max_rss_of_this_process_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
