-- one row per near-identical sentence pair across outlets of a story, most similar first
select outlet, other_outlet, text, similarity
from copied_sentences
where story_id = ?
order by similarity desc, outlet, other_outlet
limit 10
