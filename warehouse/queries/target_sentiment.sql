-- one row per story x outlet x target, for the stories in the bound list: mean sentiment toward the
-- target over the outlet's articles
select
    a.story_id,
    a.outlet,
    se.target,
    sum(se.mentions) as mentions,
    round(avg(se.score), 4) as score,
    mode(se.label) as label
from sentiment as se
join articles as a using (article_id)
join stories as s on s.story_id = a.story_id and se.model_id = s.sentiment_model_id
where se.level = 'target' and list_contains(?::varchar[], a.story_id)
group by a.story_id, a.outlet, se.target
order by a.story_id, se.target, a.outlet
