-- up to ten rows per story, for the stories in the bound list: quotations that two or more of its outlets use
with shared as (
    select story_id, any_value(quote order by len(quote)) as quote, any_value(quoted_by) as quoted_by
    from quotes_of(?::varchar[])
    where len(quoted_by) >= 2
    group by story_id, quote_key
)
select story_id, quote, quoted_by
from shared
qualify row_number() over (partition by story_id order by len(quoted_by) desc, quote) <= 10
order by story_id, len(quoted_by) desc, quote
