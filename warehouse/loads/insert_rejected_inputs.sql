-- one row per quarantined input of a run (a rerun of the same run id replaces its rows)
-- each named column is bound by name: $column, a list of values, unnested
insert or replace into rejected_inputs (run_id, source, content_hash, size_bytes, reason, message, kept_source)
select
    unnest($run_id::varchar[]), unnest($source::varchar[]), unnest($content_hash::varchar[]),
    unnest($size_bytes::bigint[]), unnest($reason::varchar[]), unnest($message::varchar[]),
    unnest($kept_source::varchar[])
