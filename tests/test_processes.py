"""Per-story work on worker processes (newsprism.processes): the same values, in the same order, as a loop in
the calling process; errors raised as from a loop; workers gone with the process that started them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

import pytest
from pydantic import ValidationError
from warehouse_rows import every_table

from newsprism import processes
from newsprism.cleaning import clean_story
from newsprism.cli import main
from newsprism.corpus import read_corpus
from newsprism.flows import analyse_coverage as coverage_flow
from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage
from newsprism.runners import story_batches
from newsprism.stories import group_by_story, split_articles

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def fresh_pools():
    processes.shutdown()
    yield
    processes.shutdown()


def test_cleaning_and_splitting_on_two_processes_give_exactly_the_values_of_a_loop(fresh_pools) -> None:
    raw = list(group_by_story([article.as_record() for article in read_corpus(SEEDS)]).values())
    # the seeds are one story: the same story three times makes three units of work for two workers
    stories = [raw[0]] * 3
    cleaned = list(processes.story_map(clean_story, stories, workers=2, min_articles=0))
    assert processes._pools  # the pool ran them
    assert cleaned == [clean_story(story) for story in stories]
    split = list(processes.story_map(split_articles, cleaned, workers=2, min_articles=0))
    assert split == [split_articles(story) for story in cleaned]
    assert sum(len(a["sentences"]) for a in split[0]) > 0 and any(a["entities"] for a in split[0])


def test_an_error_in_a_worker_is_raised_as_from_a_loop(fresh_pools) -> None:
    with pytest.raises(ValueError, match="empty"):
        list(processes.story_map(max, [[1, 2], [], [3]], workers=2, min_articles=0))
    # the pool survives a story's error: the next call uses it
    assert list(processes.story_map(max, [[1, 2], [3]], workers=2, min_articles=0)) == [2, 3]


def test_small_inputs_and_one_worker_stay_in_the_calling_process(fresh_pools) -> None:
    assert list(processes.story_map(max, [[1, 2], [3]], workers=2)) == [2, 3]  # 3 items < MIN_POOL_ARTICLES
    assert list(processes.story_map(max, [[1, 2], [3]], workers=1, min_articles=0)) == [2, 3]
    assert processes._pools == {}


DRIVER = """
import os, signal, sys
from newsprism import processes
assert list(processes.story_map(max, [[1], [2], [3], [4]], workers=2, min_articles=0)) == [1, 2, 3, 4]
print(" ".join(str(p) for p in processes._pools[2]._processes), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_process_that_started_them_is_killed() -> None:
    proc = subprocess.run([sys.executable, "-c", DRIVER], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    workers = [int(pid) for pid in proc.stdout.split()]
    assert len(workers) == 2 and os.getpid() not in workers
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(map(_alive, workers))


def test_a_process_count_below_one_is_one_clear_line(capsys) -> None:
    assert main(["run", "seeds", "--processes", "0"]) == 2
    assert capsys.readouterr().err.strip() == "newsprism run: error: --processes: expected 1 or more, got 0"


def test_the_run_form_takes_a_process_count() -> None:
    assert CoverageParams().processes is None  # one per core
    assert CoverageParams(processes=3).processes == 3
    with pytest.raises(ValidationError):
        CoverageParams(processes=0)


SCRIPT = """
import sys
from newsprism import processes
from newsprism.cleaning import clean_story
from newsprism.corpus import read_texts
from newsprism.tasks.ingest import read_stories
stories = read_texts(list(read_stories(sys.argv[1])["stories"].values()))[0] * 2
cleaned = list(processes.story_map(clean_story, stories, workers=2, min_articles=0))
print("cleaned", len(cleaned), flush=True)
"""


def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(tmp_path) -> None:
    # spawn's default would run the script again in each worker, which would start workers of its own
    script = tmp_path / "no_guard.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(SEEDS)], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, "cleaned 2\n"), proc.stderr[-2000:]


def two_story_corpus(tmp_path: Path) -> str:
    texts = sorted(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    corpus = tmp_path / "two.jsonl"
    stories = [("a", texts[0]), ("a", texts[1]), ("b", texts[2]), ("b", texts[3]), ("b", texts[4])]
    lines = [json.dumps({"story_id": s, "outlet": f"Outlet {n}", "text": t}) for n, (s, t) in enumerate(stories)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(corpus)


def test_a_run_on_worker_processes_in_several_batches_writes_the_rows_of_one_in_process(
    prefect_harness, tmp_path, monkeypatch
) -> None:
    corpus = two_story_corpus(tmp_path)
    (tmp_path / "here").mkdir(), (tmp_path / "pooled").mkdir()  # each run its own cache: both compute every model
    here = str(tmp_path / "here" / "w.duckdb")
    in_process = analyse_coverage(CoverageParams(corpus=corpus, profile="tiny", db=here, processes=1))
    # every story its own batch, and every stage's stories on the pool: clean, split, the load's rows, the charts
    monkeypatch.setattr(processes, "MIN_POOL_ARTICLES", 0)
    monkeypatch.setattr(coverage_flow, "story_batches", partial(story_batches, articles=2))
    processes.shutdown()
    pooled = str(tmp_path / "pooled" / "w.duckdb")
    on_pool = analyse_coverage(CoverageParams(corpus=corpus, profile="tiny", db=pooled, processes=2))
    assert processes._pools
    processes.shutdown()
    expected, got = every_table(here), every_table(pooled)
    assert [len(expected[t]) for t in ("articles", "sentences", "entities")] == [5, 86, 259]
    assert got == expected
    # the comparison (its intervals and notes computed on the pool), as the artifacts and `newsprism run` show it
    assert [s["story_id"] for s in on_pool["stories"]] == ["a", "b"]
    assert on_pool["stories"] == in_process["stories"]


def test_cleaning_and_splitting_need_no_torch() -> None:
    # a worker process that cleans and splits holds ~40 MB of its own, not torch's ~360 MB
    code = (
        "import sys\n"
        "from newsprism.cleaning import clean_story\n"
        "from newsprism.corpus import read_corpus\n"
        "from newsprism.stories import group_by_story, split_articles\n"
        f"stories = list(group_by_story([raw.as_record() for raw in read_corpus({str(SEEDS)!r})]).values())\n"
        "split = split_articles(clean_story(stories[0]))\n"
        "assert any(a['entities'] for a in split)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers', 'prefect')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, "[]\n"), proc.stderr[-2000:]


def test_a_pool_whose_worker_died_is_replaced_for_the_next_call(fresh_pools) -> None:
    assert list(processes.story_map(max, [[1], [2]], workers=2, min_articles=0)) == [1, 2]
    pool = processes._pools[2]
    os.kill(next(iter(pool._processes)), signal.SIGKILL)  # as the kernel's OOM killer would
    deadline = time.monotonic() + 30
    while not pool._broken and time.monotonic() < deadline:  # the pool notices the dead worker
        time.sleep(0.1)
    with pytest.raises(BrokenProcessPool):
        pool.submit(max, [3]).result()
    assert list(processes.story_map(max, [[5], [6]], workers=2, min_articles=0)) == [5, 6]
    assert processes._pools[2] is not pool
