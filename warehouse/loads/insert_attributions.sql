-- one row per sentence that attributes speech (newsprism/speakers.py)
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into attributions (article_id, sentence_no, kind, cue, speaker, entity, entity_type, quote)
select
    article_id::varchar, sentence_no::integer, kind::varchar, cue::varchar, speaker::varchar, entity::varchar,
    entity_type::varchar, quote::varchar
from batch
