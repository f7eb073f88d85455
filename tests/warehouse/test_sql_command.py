"""`newsprism sql` cannot change anything: one read-only query per call, no files, no network, no extensions."""

import json
from pathlib import Path

import duckdb
import pytest

from newsprism.cli import main
from newsprism.warehouse.db import connect, connect_query


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "np.duckdb"
    con = connect(db, read_only=False)
    con.execute("insert into outlets (outlet) values ('UPI'), ('Al Jazeera')")
    con.close()
    return db


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.csv"
    path.write_text("name,value\nkey,42\n", encoding="utf-8")
    return path


def sql(capsys, *args) -> tuple[int, str, str]:
    code = main(["sql", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def outlets(db: Path) -> list[str]:
    con = connect(db, read_only=True)
    try:
        return [row[0] for row in con.execute("select outlet from outlets order by 1").fetchall()]
    finally:
        con.close()


def test_a_query_answers(warehouse, capsys):
    code, out, err = sql(capsys, "--db", warehouse, "--format", "json", "select outlet from outlets order by 1")
    assert (code, err) == (0, "")
    assert [json.loads(line) for line in out.splitlines()] == [{"outlet": "Al Jazeera"}, {"outlet": "UPI"}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("delete from outlets", "newsprism sql is read-only: DELETE statements are refused"),
        ("attach '{other}' as o", "newsprism sql is read-only: ATTACH statements are refused"),
        ("copy outlets to '{out}'", "newsprism sql is read-only: COPY statements are refused"),
        ("install httpfs", "newsprism sql is read-only: LOAD statements are refused"),
        ("load httpfs", "newsprism sql is read-only: LOAD statements are refused"),
        ("set enable_external_access = true", "newsprism sql is read-only: SET statements are refused"),
        ("select 1; delete from outlets", "one statement per call, got 2"),
        ("select 1; select 2", "one statement per call, got 2"),
        ("", "one statement per call, got 0"),
    ],
)
def test_statements_that_could_change_something_are_refused(warehouse, tmp_path, capsys, query, message):
    other = tmp_path / "other.duckdb"
    out_file = tmp_path / "out.csv"
    code, out, err = sql(capsys, "--db", warehouse, query.format(other=other, out=out_file))
    assert (code, out) == (2, "")
    assert err == f"newsprism sql: error: {message}\n"
    assert not other.exists() and not out_file.exists()
    assert outlets(warehouse) == ["Al Jazeera", "UPI"]


@pytest.mark.parametrize(
    "query",
    [
        "select * from read_csv('{csv}')",
        "select * from read_text('{csv}')",
        "select * from glob('{dir}/*')",
    ],
)
def test_files_cannot_be_read_without_the_flag(warehouse, csv_file, capsys, query):
    code, out, err = sql(capsys, "--db", warehouse, query.format(csv=csv_file, dir=csv_file.parent))
    assert (code, out) == (2, "")
    assert err.startswith("newsprism sql: error: Permission Error: ")
    assert "file system operations are disabled by configuration" in err
    assert err.count("\n") == 1


def test_the_configuration_is_locked_inside_a_query(warehouse, capsys):
    code, out, _ = sql(
        capsys,
        "--db",
        warehouse,
        "--format",
        "csv",
        "select current_setting('enable_external_access') as ext, current_setting('lock_configuration') as locked",
    )
    assert (code, out.splitlines()) == (0, ["ext,locked", "False,True"])


def test_allow_read_files_reads_but_never_writes(warehouse, csv_file, tmp_path, capsys):
    code, out, err = sql(
        capsys, "--db", warehouse, "--allow-read-files", "--format", "json", f"select * from read_csv('{csv_file}')"
    )
    assert (code, err) == (0, "")
    assert [json.loads(line) for line in out.splitlines()] == [{"name": "key", "value": 42}]

    out_file = tmp_path / "out.csv"
    code, out, err = sql(capsys, "--db", warehouse, "--allow-read-files", f"copy outlets to '{out_file}'")
    assert (code, err) == (2, "newsprism sql: error: newsprism sql is read-only: COPY statements are refused\n")
    other = tmp_path / "other.duckdb"
    connect(other, read_only=False).close()
    code, out, err = sql(capsys, "--db", warehouse, "--allow-read-files", f"attach '{other}' as o")
    assert (code, err) == (2, "newsprism sql: error: newsprism sql is read-only: ATTACH statements are refused\n")
    code, out, err = sql(capsys, "--db", warehouse, "--allow-read-files", "load httpfs")
    assert code == 2 and not out_file.exists()


@pytest.mark.parametrize(
    "statement",
    [
        "attach '{tmp}/other.duckdb' as o",
        "copy (select 1) to '{tmp}/out.csv'",
        "select * from read_csv('{tmp}/secret.csv')",
        "install httpfs",
        "load httpfs",
    ],
)
def test_the_connection_itself_refuses_files_and_extensions(warehouse, csv_file, tmp_path, statement):
    # Below the statement-type check: DuckDB's own settings refuse these on the `newsprism sql` connection.
    con = connect_query(warehouse)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute(statement.format(tmp=tmp_path))
        with pytest.raises(duckdb.InvalidInputException, match="the configuration has been locked"):
            con.execute("set enable_external_access = true")
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["np.duckdb", "secret.csv"]
