-- one row per sentence x other article of the same story x encoder
-- each named column is bound by name: $column, a list of values, unnested
insert into sentence_links (
    article_id, sentence_no, other_article_id, other_sentence_no, similarity, word_overlap, same_point,
    same_point_score, model_id, pairs_model_id
)
select
    unnest($article_id::varchar[]), unnest($sentence_no::integer[]), unnest($other_article_id::varchar[]),
    unnest($other_sentence_no::integer[]), unnest($similarity::double[]), unnest($word_overlap::double[]),
    unnest($same_point::boolean[]), unnest($same_point_score::double[]), unnest($model_id::varchar[]),
    unnest($pairs_model_id::varchar[])
