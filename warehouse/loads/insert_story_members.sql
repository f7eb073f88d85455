-- one row per grouped article (content hash): its story and what later grouping compares with; a
-- regrouped article's row is replaced
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert or replace into story_members
    (raw_hash, story_id, article_id, published_day, title, lead_vector, body_vector, names, encoder_model_id)
select
    raw_hash::varchar, story_id::varchar, article_id::varchar, published_day::integer, title::varchar,
    lead_vector::float[], body_vector::float[], names::varchar[], encoder_model_id::varchar
from batch
