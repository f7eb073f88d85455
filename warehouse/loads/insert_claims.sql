-- one row per story x claim: the claims stance is measured toward, replacing those of the story's last load
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert into claims (story_id, claim_no, claim)
select story_id::varchar, claim_no::integer, claim::varchar from batch
