-- one row per story: its title and the model ids of its latest load (load_fingerprint: set_load_fingerprint.sql)
insert or replace into stories
    (story_id, title, summary_model_id, sentiment_model_id, stance_model_id, encoder_model_id, pairs_model_id,
     updated_at)
values
    ($story_id, $title, $summary_model_id, $sentiment_model_id, $stance_model_id, $encoder_model_id,
     $pairs_model_id, current_timestamp)
