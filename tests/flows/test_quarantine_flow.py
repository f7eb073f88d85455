"""A run over the seeds plus junk: each input is an article or a quarantined input, never both or neither."""

import shutil
from pathlib import Path

import pytest

from newsprism.corpus import NothingToAnalyse
from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage
from newsprism.warehouse.db import connect

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def rows(db, text, params=None):
    con = connect(db, read_only=True)
    try:
        return con.execute(text, params).fetchall()
    finally:
        con.close()


def test_junk_is_quarantined_and_the_seeds_are_analysed(prefect_harness, tmp_path):
    corpus = tmp_path / "russia-recognises-taliban"  # files the manifest does not list: the seeds' story
    shutil.copytree(SEEDS, corpus)
    shutil.copy(SEEDS / "001_695b122a7d51c372.txt", corpus / "900_copy.txt")
    (corpus / "901_empty.txt").write_bytes(b"")
    (corpus / "902_binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "903_footer.txt").write_text("\u00a9 2019 Example Media\n")
    (corpus / "904_notes.pdf").write_bytes(b"%PDF-1.4")
    manifest = (corpus / "manifest.csv").read_text()
    db = str(tmp_path / "w.duckdb")
    result = analyse_coverage(CoverageParams(corpus=str(corpus), profile="tiny", db=db))

    assert (corpus / "manifest.csv").read_text() == manifest
    assert result["outcome"] == {
        "analysed": 5,
        "unchanged": 0,
        "quarantined": {"binary": 1, "duplicate": 1, "empty": 1, "no_text": 1, "unsupported_type": 1},
    }
    quarantined = rows(db, "select run_id, source, reason, kept_source from rejected_inputs order by source")
    assert quarantined == [
        (result["run_id"], "900_copy.txt", "duplicate", "001_695b122a7d51c372.txt"),
        (result["run_id"], "901_empty.txt", "empty", None),
        (result["run_id"], "902_binary.txt", "binary", None),
        (result["run_id"], "903_footer.txt", "no_text", None),
        (result["run_id"], "904_notes.pdf", "unsupported_type", None),
    ]
    analysed = [source for (source,) in rows(db, "select source from articles order by source")]
    assert analysed == sorted(p.name for p in SEEDS.glob("*.txt"))
    inputs = sorted(p.name for p in corpus.iterdir() if p.name not in ("manifest.csv", "claims.csv"))
    assert sorted(analysed + [row[1] for row in quarantined]) == inputs  # each exactly once
    assert rows(db, "select count(*) from outlet_coverage where outlet like '%Example%'") == [(0,)]
    assert rows(db, "select articles, status from runs") == [(5, "completed")]


def test_a_corpus_of_nothing_but_junk_is_nothing_to_analyse_and_every_input_is_recorded(prefect_harness, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "footer.txt").write_text("\u00a9 2019 Example Media\n")  # quarantined after cleaning
    db = str(tmp_path / "w.duckdb")
    with pytest.raises(NothingToAnalyse, match=r"nothing to analyse, all 1 input\(s\) quarantined"):
        analyse_coverage(CoverageParams(corpus=str(corpus), profile="tiny", db=db))
    (corpus / "empty.txt").write_bytes(b"")  # quarantined as it is read
    with pytest.raises(NothingToAnalyse, match=r"nothing to analyse, all 2 input\(s\) quarantined"):
        analyse_coverage(CoverageParams(corpus=str(corpus), profile="tiny", db=db))
    runs = rows(db, "select run_id, status, error, articles from runs order by started_at")
    assert [run[1:] for run in runs] == [
        ("failed", f"NothingToAnalyse: {corpus}: nothing to analyse, all 1 input(s) quarantined", None),
        ("failed", f"NothingToAnalyse: {corpus}: nothing to analyse, all 2 input(s) quarantined", None),
    ]
    assert rows(db, "select run_id, source, reason from rejected_inputs order by run_id = ?, source", [runs[0][0]]) == [
        (runs[1][0], "empty.txt", "empty"),
        (runs[1][0], "footer.txt", "no_text"),
        (runs[0][0], "footer.txt", "no_text"),
    ]
    assert rows(db, "select count(*) from articles") == [(0,)]
