-- one row per sentence x other article of the same story x encoder
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into sentence_links (
    article_id, sentence_no, other_article_id, other_sentence_no, similarity, word_overlap, same_point,
    same_point_score, model_id, pairs_model_id
)
select
    article_id::varchar, sentence_no::integer, other_article_id::varchar, other_sentence_no::integer,
    similarity::double, word_overlap::double, same_point::boolean, same_point_score::double, model_id::varchar,
    pairs_model_id::varchar
from batch
