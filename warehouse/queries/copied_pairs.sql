-- up to ten rows per story, for the stories in the bound list: near-identical sentence pairs across
-- outlets, most similar first
select story_id, outlet, other_outlet, text, similarity
from copied_sentences
where list_contains(?::varchar[], story_id)
qualify row_number() over (partition by story_id order by similarity desc, outlet, other_outlet) <= 10
order by story_id, similarity desc, outlet, other_outlet
