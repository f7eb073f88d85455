-- one row per story x outlet x source, for the stories in the bound list: whom the outlet quotes or cites most
-- (views/outlet_sources.sql), the top 5
select story_id, outlet, source, entity_type, attributions, direct_quotes, reported, according_to
from outlet_sources
where list_contains(?::varchar[], story_id)
qualify row_number() over (partition by story_id, outlet order by attributions desc, source) <= 5
order by story_id, outlet, attributions desc, source
