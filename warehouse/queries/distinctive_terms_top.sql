-- one row per story x outlet x term, for the stories in the bound list: the outlet's most distinctive terms
-- within the story (views/distinctive_terms.sql: over these stories only), used at least twice, the top 8 by z-score
select story_id, outlet, term, n, uses, others_uses, log_odds, z
from distinctive_terms_of(?::varchar[])
where uses >= 2 and z > 0
qualify row_number() over (partition by story_id, outlet order by z desc, term) <= 8
order by story_id, outlet, z desc, term
