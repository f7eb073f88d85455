-- one model's outputs for the articles (and story) being reloaded
delete from summaries
where model_id = $summary_model_id
  and (
      (scope = 'article' and subject_id in (select unnest($article_ids::varchar[])))
      or (scope = 'story' and subject_id = $story_id)
  );
delete from summary_points
where model_id = $summary_model_id and story_id = $story_id;
delete from sentiment
where model_id = $sentiment_model_id and article_id in (select unnest($article_ids::varchar[]));
delete from stance
where model_id = $stance_model_id and article_id in (select unnest($article_ids::varchar[]));
delete from sentence_links
where model_id = $encoder_model_id
  and (article_id in (select unnest($article_ids::varchar[])) or other_article_id in (select unnest($article_ids::varchar[])));
