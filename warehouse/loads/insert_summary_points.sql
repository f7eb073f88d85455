-- one row per story x point x summariser
-- each named column is bound by name: $column, a list of values, unnested
insert into summary_points (story_id, point_no, text, article_id, sentence_no, outlets, model_id)
select
    unnest($story_id::varchar[]), unnest($point_no::integer[]), unnest($text::varchar[]),
    unnest($article_id::varchar[]), unnest($sentence_no::integer[]), unnest($outlets::varchar[][]),
    unnest($model_id::varchar[])
