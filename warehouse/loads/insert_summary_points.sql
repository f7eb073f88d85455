-- one row per story x point x summariser
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into summary_points (story_id, point_no, text, article_id, sentence_no, outlets, model_id)
select
    story_id::varchar, point_no::integer, text::varchar, article_id::varchar, sentence_no::integer, outlets::varchar[],
    model_id::varchar
from batch
