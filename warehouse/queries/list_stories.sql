-- one row per story, newest first
select story_id from stories order by updated_at desc, story_id
