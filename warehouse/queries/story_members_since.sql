-- one row per grouped article dated on or after $since (or undated): what a new article is compared with
select raw_hash, story_id, article_id, published_day, lead_vector, body_vector, names
from story_members
where (published_day is null or published_day >= $since) and encoder_model_id = $encoder_model_id
order by raw_hash
