-- one row per story x outlet x source: who the outlet's articles quote or cite (the named entity, else the
-- speaker as written, e.g. "the ministry"), how often, and how (direct quotations, reported speech, "according to")
create or replace view outlet_sources as
with

cited as (
    select a.story_id, a.outlet, t.article_id, coalesce(t.entity, lower(t.speaker)) as source, t.entity_type, t.kind
    from attributions as t
    join articles as a using (article_id)
),

final as (
    select
        story_id,
        outlet,
        source,
        any_value(entity_type) as entity_type,
        count(*) as attributions,
        count(*) filter (where kind = 'direct') as direct_quotes,
        count(*) filter (where kind = 'reported') as reported,
        count(*) filter (where kind = 'according_to') as according_to,
        count(distinct article_id) as articles
    from cited
    group by story_id, outlet, source
)

select * from final
