-- one row per named-entity mention (newsprism/entities.py)
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into entities (article_id, sentence_no, start_char, end_char, text, type, canonical, model_id)
select
    article_id::varchar, sentence_no::integer, start_char::integer, end_char::integer, text::varchar, type::varchar,
    canonical::varchar, model_id::varchar
from batch
