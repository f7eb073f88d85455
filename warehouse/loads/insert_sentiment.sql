-- one row per article x level x (sentence | target) x model
-- each named column is bound by name: $column, a list of values, unnested
insert into sentiment (
    article_id, level, sentence_no, target, label, score, p_negative, p_neutral, p_positive, mentions, model_id
)
select
    unnest($article_id::varchar[]), unnest($level::varchar[]), unnest($sentence_no::integer[]),
    unnest($target::varchar[]), unnest($label::varchar[]), unnest($score::double[]),
    unnest($p_negative::double[]), unnest($p_neutral::double[]), unnest($p_positive::double[]),
    unnest($mentions::integer[]), unnest($model_id::varchar[])
