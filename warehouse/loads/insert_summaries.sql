-- one row per (scope, subject, model)
-- each named column is bound by name: $column, a list of values, unnested
insert into summaries (scope, subject_id, story_id, article_id, summary, sentence_ids, model_id)
select
    unnest($scope::varchar[]), unnest($subject_id::varchar[]), unnest($story_id::varchar[]),
    unnest($article_id::varchar[]), unnest($summary::varchar[]), unnest($sentence_ids::integer[][]),
    unnest($model_id::varchar[])
