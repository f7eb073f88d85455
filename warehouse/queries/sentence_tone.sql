-- one row per sentence of the stories in the bound list, under each story's current sentiment model: the
-- values the tone intervals resample (newsprism/uncertainty.py)
select
    a.story_id,
    a.outlet,
    se.article_id,
    se.score,
    case when se.label = 'negative' then 1.0 else 0.0 end as negative,
    case when se.label = 'positive' then 1.0 else 0.0 end as positive
from sentiment as se
join articles as a using (article_id)
join stories as s on s.story_id = a.story_id and se.model_id = s.sentiment_model_id
where se.level = 'sentence' and list_contains(?::varchar[], a.story_id)
order by a.story_id, a.outlet, se.article_id, se.sentence_no
