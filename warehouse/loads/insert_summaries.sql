-- one row per (scope, subject, model)
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into summaries (scope, subject_id, story_id, article_id, summary, sentence_ids, model_id)
select
    scope::varchar, subject_id::varchar, story_id::varchar, article_id::varchar, summary::varchar,
    sentence_ids::integer[], model_id::varchar
from batch
