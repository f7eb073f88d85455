-- one row per story x outlet x entity (canonical name): how often the outlet's articles mention it, in how many
-- of its articles and sentences, and the share of the outlet's entity mentions it takes
create or replace view outlet_entities as
with

mentions as (
    select a.story_id, a.outlet, e.article_id, e.sentence_no, e.canonical, e.type
    from entities as e
    join articles as a using (article_id)
),

per_entity as (
    select
        story_id,
        outlet,
        canonical as entity,
        mode(type) as type,
        count(*) as mentions,
        count(distinct article_id) as articles,
        count(distinct (article_id, sentence_no)) as sentences
    from mentions
    group by story_id, outlet, canonical
),

final as (
    select
        *,
        round(mentions / sum(mentions) over (partition by story_id, outlet), 4) as share_of_mentions
    from per_entity
)

select * from final
