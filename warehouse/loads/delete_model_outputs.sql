-- one model's outputs for the articles (and story) being reloaded
delete from summaries
where model_id = $summary_model_id
  and (
      (scope = 'article' and list_contains($article_ids::varchar[], subject_id))
      or (scope = 'story' and subject_id = $story_id)
  );
delete from summary_points
where model_id = $summary_model_id and story_id = $story_id;
delete from sentiment
where model_id = $sentiment_model_id and list_contains($article_ids::varchar[], article_id);
delete from stance
where model_id = $stance_model_id and list_contains($article_ids::varchar[], article_id);
delete from sentence_links
where model_id = $encoder_model_id
  and (list_contains($article_ids::varchar[], article_id) or list_contains($article_ids::varchar[], other_article_id));
