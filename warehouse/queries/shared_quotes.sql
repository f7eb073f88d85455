-- one row per quotation that two or more outlets of a story use
select any_value(quote order by len(quote)) as quote, any_value(quoted_by) as quoted_by
from quotes
where story_id = ? and len(quoted_by) >= 2
group by quote_key
order by len(any_value(quoted_by)) desc, quote
limit 10
