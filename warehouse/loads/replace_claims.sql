delete from claims where story_id = $story_id;
insert into claims select $story_id, unnest(range(len($claims::varchar[]))), unnest($claims::varchar[]);
