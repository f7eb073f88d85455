-- one row per story x outlet x entity, for the stories in the bound list: the outlet's most mentioned entities
-- (views/outlet_entities.sql), the top 6 by mentions
select story_id, outlet, entity, type, mentions, articles
from outlet_entities
where list_contains(?::varchar[], story_id)
qualify row_number() over (partition by story_id, outlet order by mentions desc, entity) <= 6
order by story_id, outlet, mentions desc, entity
