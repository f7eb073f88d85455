-- one row per quarantined input of a run (a rerun of the same run id replaces its rows)
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert or replace into rejected_inputs (run_id, source, content_hash, size_bytes, reason, message, kept_source)
select
    run_id::varchar, source::varchar, content_hash::varchar, size_bytes::bigint, reason::varchar, message::varchar,
    kept_source::varchar
from batch
