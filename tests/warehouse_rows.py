"""Every table of a warehouse as comparable rows: what two runs of the same corpus must agree on."""

from newsprism.warehouse.db import connect

# what differs between two runs of the same corpus: the run's ids, its parameters (the runner, the db), its
# process and its clocks
RUN_COLUMNS = {"run_id", "flow_run_id", "parameters", "pid", "timings"}


def every_table(db: str) -> dict[str, list[tuple]]:
    """Every base table's rows, sorted, without the run ids, the run's parameters and timestamps."""
    con = connect(db, read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for table, column, type_ in con.execute(
            "select table_name, column_name, data_type from information_schema.columns c join "
            "information_schema.tables t using (table_schema, table_name) where t.table_type = 'BASE TABLE' "
            "and table_name <> 'schema_version' order by table_name, ordinal_position"
        ).fetchall():
            if column not in RUN_COLUMNS and not type_.startswith("TIMESTAMP"):
                columns.setdefault(table, []).append(column)
        rows = {}
        for table, cols in columns.items():  # identifiers from the catalogue, quoted
            quoted = ", ".join('"' + col + '"' for col in cols)
            rows[table] = sorted(map(repr, con.execute(f'select {quoted} from "{table}"').fetchall()))
        return rows
    finally:
        con.close()
