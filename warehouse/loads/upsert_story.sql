insert or replace into stories
    (story_id, title, summary_model_id, sentiment_model_id, stance_model_id, encoder_model_id, updated_at)
values (?, ?, ?, ?, ?, ?, current_timestamp)
