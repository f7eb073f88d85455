-- one row per named-entity mention (newsprism/entities.py)
-- each named column is bound by name: $column, a list of values, unnested
insert into entities (article_id, sentence_no, start_char, end_char, text, type, canonical, model_id)
select
    unnest($article_id::varchar[]),
    unnest($sentence_no::integer[]),
    unnest($start_char::integer[]),
    unnest($end_char::integer[]),
    unnest($text::varchar[]),
    unnest($type::varchar[]),
    unnest($canonical::varchar[]),
    unnest($model_id::varchar[])
