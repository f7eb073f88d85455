-- one row per sentence that attributes speech (newsprism/speakers.py)
-- each named column is bound by name: $column, a list of values, unnested
insert into attributions (article_id, sentence_no, kind, cue, speaker, entity, entity_type, quote)
select
    unnest($article_id::varchar[]),
    unnest($sentence_no::integer[]),
    unnest($kind::varchar[]),
    unnest($cue::varchar[]),
    unnest($speaker::varchar[]),
    unnest($entity::varchar[]),
    unnest($entity_type::varchar[]),
    unnest($quote::varchar[])
