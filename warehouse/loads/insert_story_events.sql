-- one row per merge or split a regroup made
-- each named column is bound by name: $column, a list of values, unnested
insert into story_events (run_id, story_id, kind, from_story_id, articles)
select
    unnest($run_id::varchar[]), unnest($story_id::varchar[]), unnest($kind::varchar[]),
    unnest($from_story_id::varchar[]), unnest($articles::integer[])
