-- one row per story x outlet, for the stories in the bound list: how many quotations its articles carry and
-- the share of its words inside quotation marks (views/quotes.sql, outlet_coverage's word counts)
with

quoted as (
    select story_id, outlet, count(*) as quotations, sum(len(string_split(quote, ' '))) as quoted_words
    from quotes
    where list_contains(?::varchar[], story_id)
    group by story_id, outlet
),

final as (
    select
        c.story_id,
        c.outlet,
        coalesce(q.quotations, 0) as quotations,
        round(coalesce(q.quoted_words, 0) / nullif(c.words, 0), 4) as quoted_share
    from outlet_coverage as c
    left join quoted as q using (story_id, outlet)
    where list_contains(?::varchar[], c.story_id)
)

select * from final order by story_id, outlet
