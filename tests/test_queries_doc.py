"""docs/queries.md: every query on the page runs against the seeds' warehouse and answers (a query marked
"may be empty" only has to run)."""

import re
from pathlib import Path

import pytest

from newsprism.warehouse.db import connect_query
from newsprism.warehouse.export import export_warehouse

DOC = Path(__file__).resolve().parents[1] / "docs" / "queries.md"
QUERIES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_asks_at_least_twelve_questions():
    assert len(re.findall(r"^## \d+\. ", DOC.read_text(encoding="utf-8"), flags=re.M)) >= 12
    assert len(QUERIES) >= 13


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{i + 1}" for i in range(len(QUERIES))])
def test_every_query_runs_on_the_seeds_warehouse(query, seeds_warehouse, tmp_path, monkeypatch):
    reads_files = "read_parquet(" in query
    if reads_files:  # the export's query reads export/ relative to where it runs
        export_warehouse(seeds_warehouse, tmp_path / "export")
        monkeypatch.chdir(tmp_path)
    con = connect_query(seeds_warehouse, allow_read_files=reads_files)
    try:
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    if "may be empty" not in query:
        assert rows, "no rows"
