"""A corpus whose articles all name their story is read and cleaned batch by batch, as the batches' turns come:
the ingest keeps no texts, and a batch's articles leave the corpus when they are read, so the run never holds the
whole corpus's texts. An input that changed after the scan is quarantined, not analysed as something else."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from newsprism.flows import analyse_coverage as coverage_flow
from newsprism.flows.analyse_coverage import CoverageParams, cleaned_batches
from newsprism.models.profiles import resolve_profile
from newsprism.runners import story_batches
from newsprism.tasks.ingest import read_stories

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_each_batch_is_read_and_cleaned_when_its_turn_comes_and_a_story_left_without_text_is_dropped(
    prefect_harness, tmp_path, monkeypatch
):
    texts = sorted(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    rows = [("a", "Outlet 0", texts[0]), ("a", "Outlet 1", texts[1]), ("b", "Outlet 2", "Too short to keep."),
            ("c", "Outlet 3", texts[2]), ("c", "Outlet 3", texts[3])]  # fmt: skip
    corpus = tmp_path / "three.jsonl"
    lines = [json.dumps({"story_id": s, "outlet": o, "text": t}) for s, o, t in rows]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_stories(str(corpus))["stories"]
    assert [sorted(ref) for ref in raw["a"]][0] == sorted(
        ["story_id", "source", "kind", "outlet", "url", "title", "published_at", "story_title", "encoding",
         "raw_hash", "article_id", "size_bytes", "story_given", "where"]
    )  # fmt: skip
    assert [(ref["where"]["offset"], ref["where"]["item"]) for ref in raw["c"]] == [
        (sum(len(line.encode()) + 1 for line in lines[:3]), None),
        (sum(len(line.encode()) + 1 for line in lines[:4]), None),
    ]
    monkeypatch.setattr(coverage_flow, "story_batches", partial(story_batches, articles=2))  # [a], [b], [c]
    rejected: list = []
    params = CoverageParams(corpus=str(corpus), profile="tiny", db=str(tmp_path / "w.duckdb"), processes=1)
    first_c_hash = raw["c"][0]["raw_hash"]
    ready = cleaned_batches(params, resolve_profile("tiny"), raw, rejected)
    assert list(raw) == ["a", "b", "c"]  # nothing is cleaned before the first batch is asked for
    first = next(ready)
    assert list(raw) == ["b", "c"] and rejected == []
    assert first["story_ids"] == ["a"]
    assert [[a["outlet"] for a in story] for story in first["articles"]] == [["Outlet 0", "Outlet 1"]]
    assert first["stories"] == [{"story_id": "a", "size": 2, "formed_by": "given", "grouping_model_id": None,
                                 "grouping_threshold": None, "single_outlet": False}]  # fmt: skip
    # the last article changes on disk before its batch is read: quarantined as changed, never analysed
    changed = json.dumps({"story_id": "c", "outlet": "Outlet 3", "text": texts[4]})
    corpus.write_text("\n".join([*lines[:4], changed]) + "\n", encoding="utf-8")
    rest = list(ready)
    assert raw == {}
    assert [batch["story_ids"] for batch in rest] == [["c"]]  # b had no article text left: no batch
    assert [len(story) for story in rest[0]["articles"]] == [1]
    assert rest[0]["articles"][0][0]["raw_hash"] == first_c_hash
    assert rest[0]["stories"][0]["single_outlet"] is True
    assert [(r["source"], r["reason"]) for r in rejected] == [
        ("three.jsonl:3", "no_text"),
        ("three.jsonl:5", "changed"),
    ]
