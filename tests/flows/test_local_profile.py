"""The offline profiles (real MiniLM encoder, trained heads) on the seeds."""

from pathlib import Path

import pytest

from newsprism.flows.analyse_coverage import CoverageParams, analyse_coverage
from newsprism.models.registry import get_profile
from newsprism.warehouse.db import connect

SEEDS = str(Path(__file__).resolve().parents[2] / "seeds")


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["local", "local-fast"])
def test_local_profile_on_the_seeds(prefect_harness, tmp_path, profile):
    db = str(tmp_path / "local.duckdb")
    analyse_coverage(CoverageParams(corpus=SEEDS, profile=profile, db=db))
    con = connect(db, read_only=True)
    try:
        coverage = con.execute(
            "select outlet, summary, sentiment_mean, stance_headline from outlet_coverage order by outlet"
        ).fetchall()
        removed = [
            r[0]
            for r in con.execute(
                "select distinct text from cleaning_decisions "
                "where not kept and len(string_split(trim(text), ' ')) >= 5"
            ).fetchall()
        ]
        bodies = dict(con.execute("select outlet, clean_text from articles").fetchall())
        story_summary = con.execute("select summary from summaries where scope = 'story'").fetchall()
        sentiment_models = con.execute("select distinct model_id from sentiment").fetchall()
    finally:
        con.close()
    assert [row[0] for row in coverage] == ["Al Jazeera", "Northeast Herald", "Türkiye Today", "UPI", "unknown"]
    for outlet, summary, sentiment_mean, stance in coverage:
        assert summary and sentiment_mean is not None
        assert stance in ("agree", "disagree", "discuss", "unrelated")
        assert stance != "unrelated", f"{outlet}: every seed article is about the headline"
        # extractive: every summary sentence comes from the cleaned body, none from a removed line
        for line in removed:
            assert line.strip() not in summary, f"{outlet}: boilerplate {line!r} in summary"
        assert summary.split(" ")[0] in bodies[outlet]
    assert len(story_summary) == 1 and story_summary[0][0]
    assert sentiment_models == [(get_profile(profile).sentiment,)]
