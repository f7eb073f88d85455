-- one row per story x claim: the story's claims replace the ones of its last load
delete from claims where story_id = $story_id;
insert into claims (story_id, claim_no, claim)
select $story_id, unnest(range(len($claims::varchar[]))), unnest($claims::varchar[]);
