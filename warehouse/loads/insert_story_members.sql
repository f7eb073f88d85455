-- one row per grouped article (content hash): its story and what later grouping compares with; a
-- regrouped article's row is replaced
-- each named column is bound by name: $column, a list of values, unnested
insert or replace into story_members
    (raw_hash, story_id, article_id, published_day, title, lead_vector, body_vector, names, encoder_model_id)
select
    unnest($raw_hash::varchar[]), unnest($story_id::varchar[]), unnest($article_id::varchar[]),
    unnest($published_day::integer[]), unnest($title::varchar[]), unnest($lead_vector::float[][]),
    unnest($body_vector::float[][]), unnest($names::varchar[][]), unnest($encoder_model_id::varchar[])
