-- one row per story: its title, the model ids and fingerprint of its latest load (what an unchanged rerun is
-- recognised by), and when it was loaded; the grouping columns are set by set_story_grouping.sql
-- the rows: `batch`, a column per named column, each cast to its type (warehouse/load.py, insert_rows)
insert or replace into stories (
    story_id, title, summary_model_id, sentiment_model_id, stance_model_id, encoder_model_id, pairs_model_id,
    load_fingerprint, updated_at
)
select
    story_id::varchar, title::varchar, summary_model_id::varchar, sentiment_model_id::varchar,
    stance_model_id::varchar, encoder_model_id::varchar, pairs_model_id::varchar, load_fingerprint::varchar,
    updated_at::timestamp
from batch
