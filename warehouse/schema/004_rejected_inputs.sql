-- every input a run quarantined instead of analysing (newsprism.corpus.REASONS): an input is either an
-- `articles` row or a row here, never both; `kept_source` names the input a `duplicate` duplicates
create table if not exists rejected_inputs (
    run_id varchar not null,
    source varchar not null,
    content_hash varchar,
    size_bytes bigint,
    reason varchar not null,
    message varchar not null,
    kept_source varchar,
    primary key (run_id, source)
);
