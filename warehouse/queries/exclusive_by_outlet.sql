-- one row per outlet of a story: up to three things only that outlet said (longest sentences first)
select outlet, list(text order by len(text) desc)[1:3] as examples, count(*) as n
from exclusive_sentences
where story_id = ? and len(string_split(text, ' ')) >= 8
group by outlet
order by outlet
