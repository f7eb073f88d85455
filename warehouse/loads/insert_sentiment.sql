-- one row per article x level x (sentence | target) x model
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into sentiment (
    article_id, level, sentence_no, target, label, score, p_negative, p_neutral, p_positive, mentions, model_id
)
select
    article_id::varchar, level::varchar, sentence_no::integer, target::varchar, label::varchar, score::double,
    p_negative::double, p_neutral::double, p_positive::double, mentions::integer, model_id::varchar
from batch
