-- one row per story x outlet, for the stories in the bound list: up to three things only that outlet said
-- (longest sentences first)
select story_id, outlet, list(text order by len(text) desc)[1:3] as examples, count(*) as n
from exclusive_sentences
where list_contains(?::varchar[], story_id) and len(string_split(text, ' ')) >= 8
group by story_id, outlet
order by story_id, outlet
