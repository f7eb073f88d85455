-- one row per article x claim of the stories in the bound list, under each story's current stance model
select a.story_id, a.outlet, st.article_id, st.claim_no, st.claim, st.label, st.score
from stance as st
join articles as a using (article_id)
join stories as s on s.story_id = a.story_id and st.model_id = s.stance_model_id
where list_contains(?::varchar[], a.story_id)
order by a.story_id, st.claim_no, a.outlet, st.article_id
