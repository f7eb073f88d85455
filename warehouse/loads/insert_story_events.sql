-- one row per merge or split a regroup made
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into story_events (run_id, story_id, kind, from_story_id, articles)
select run_id::varchar, story_id::varchar, kind::varchar, from_story_id::varchar, articles::integer from batch
