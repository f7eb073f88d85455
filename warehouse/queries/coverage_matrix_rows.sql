-- one row per sentence x outlet of the bound story: whether the outlet carries the sentence's point
-- (views/table_macros.sql), with how many outlets carry it
select
    *,
    count(*) filter (where carries) over (partition by article_id, sentence_no) as carried_by
from coverage_matrix(?)
order by source_outlet, article_id, sentence_no, outlet
